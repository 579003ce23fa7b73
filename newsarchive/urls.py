"""The one place that maps a page kind to its output path (relative to the site root)."""

from __future__ import annotations


def article_path(article_id: str) -> str:
    return f"articles/{article_id}.html"

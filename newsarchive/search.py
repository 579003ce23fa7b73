"""Placeholder until the search issue lands: the build calls write_search_data()."""

from __future__ import annotations

from pathlib import Path

from .model import Site


def write_search_data(site: Site, out_dir: Path) -> None:
    """Write the search index and document data under out_dir/search/ (not built yet)."""

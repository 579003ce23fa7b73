"""The data that flows through the pipeline: one `Article` per content file, one `Site` per build."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig

# Front matter keys in the order they are written (../shared/DESIGN.md, plus `places`).
FRONT_MATTER_KEYS = (
    "id", "title", "subtitle", "kicker", "byline", "reporters", "date", "date_source", "paper",
    "page", "topics", "tags", "places", "continues", "continued_from", "versions", "source",
)


@dataclass(frozen=True)
class SourceRef:
    """Where an article came from: the seed file and the 1-based line ranges it was built from."""

    file: str
    lines: tuple[int, int]


@dataclass
class Article:
    id: str
    title: str
    body: str                      # Markdown: paragraphs split by blank lines, `##` headings
    subtitle: str | None = None
    kicker: str | None = None
    byline: str | None = None
    reporters: list[str] = field(default_factory=list)
    date: dt.date | None = None
    date_source: str | None = None  # manifest | inferred
    paper: str | None = None
    page: str | None = None
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    continues: str | None = None
    continued_from: str | None = None
    versions: list[str] = field(default_factory=list)
    source: SourceRef | None = None
    path: Path | None = None       # the content file it was loaded from, for error messages

    def front_matter(self) -> dict:
        """The YAML front matter mapping, keys in the documented order."""
        meta = {key: getattr(self, key) for key in FRONT_MATTER_KEYS}
        meta["source"] = (
            {"file": self.source.file, "lines": list(self.source.lines)} if self.source else None
        )
        return meta


@dataclass
class Site:
    """Everything a render needs: the validated config and every article, loaded and checked."""

    config: SiteConfig
    articles: list[Article]

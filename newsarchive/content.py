"""Load `content/**/*.md` into validated `Article`s, collecting every error before failing."""

from __future__ import annotations

from pathlib import Path

from .errors import ArchiveError, ArchiveErrors
from .frontmatter import parse_article
from .model import Article


def decode_content(data: bytes, path: Path) -> str:
    """UTF-8 text of a content file; other bytes are an error naming the line they are on."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ArchiveError(f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
                           path, line=line) from None


def read_article(path: Path) -> Article:
    """Read and validate one content file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"cannot read the file: {exc.strerror}", path) from None
    text = decode_content(data, path)
    try:
        return parse_article(text, path)
    except ValueError as exc:  # YAML builds dates itself: 2024-02-30 fails inside safe_load
        raise ArchiveError(f"impossible value in the front matter ({exc}): write dates as a real "
                           "YYYY-MM-DD", path) from None


def load_articles(content_dir: Path) -> list[Article]:
    """Every article under content_dir, sorted by id; all problems are raised together."""
    if not content_dir.is_dir():
        raise ArchiveError("content folder not found: run `python build.py ingest` first "
                           "or pass --content DIR", content_dir)
    # Collect every problem first: one run shows all that is wrong, not one file per run.
    errors: list[ArchiveError] = []
    by_id: dict[str, Article] = {}
    for path in sorted(content_dir.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(content_dir).parts):
            continue  # editor backups and hidden folders are not articles
        try:
            article = read_article(path)
        except ArchiveError as exc:
            errors.append(exc)
            continue
        first = by_id.get(article.id)
        if first is not None:
            errors.append(ArchiveError(
                f"duplicate id {article.id!r}, also used by {first.path}: give one of them "
                "another id", path, key="id"))
            continue
        by_id[article.id] = article
    if errors:
        raise errors[0] if len(errors) == 1 else ArchiveErrors(errors)
    if not by_id:
        raise ArchiveError("no articles (*.md) found: run `python build.py ingest` first",
                           content_dir)
    return [by_id[key] for key in sorted(by_id)]

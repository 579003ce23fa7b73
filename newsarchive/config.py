"""Load and validate `site.yaml` once into a typed `SiteConfig`.

Every problem is collected before failing, each naming the file and the key, so one run shows
all that is wrong (MkDocs stops at the first).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ArchiveError, ArchiveErrors
from .urls import SAFE_SLUG_RE



@dataclass(frozen=True)
class TopicRule:
    """An article belongs to a topic when its keywords occur often enough (see README)."""

    keywords: tuple[str, ...]
    min_mentions: int = 1


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    description: str
    rule: TopicRule


@dataclass(frozen=True)
class Place:
    name: str
    slug: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    language: str
    base_url: str | None
    output: Path
    paginate: int
    paper: str
    topics: tuple[Topic, ...]
    places: tuple[Place, ...]
    root: Path = field(default=Path("."))  # folder holding site.yaml; relative paths start here
    path: Path = field(default=Path("site.yaml"))

    def topic(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.name == name), None)


TOP_KEYS = {"title", "description", "language", "base_url", "output", "paginate", "paper",
            "topics", "places"}
TOPIC_KEYS = {"name", "slug", "description", "keywords", "min_mentions"}
PLACE_KEYS = {"name", "slug", "aliases"}


class _Checker:
    """Collects errors while reading a YAML mapping against the expected shape."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[ArchiveError] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(ArchiveError(message, self.path, key=key))

    def unknown_keys(self, mapping: dict, allowed: set[str], prefix: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                tip = f" (did you mean '{hint[0]}'?)" if hint else f"; allowed: {', '.join(sorted(allowed))}"
                self.error(f"{prefix}{key}", f"unknown key{tip}")

    def string(self, mapping: dict, key: str, prefix: str = "", *, required: bool = True,
               default: str | None = None) -> str | None:
        value = mapping.get(key, default)
        if value is None:
            if required:
                self.error(prefix + key, "is required: expected a text value")
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(prefix + key, f"expected a non-empty text value, got {value!r}")
            return None
        return value.strip()

    def slug(self, mapping: dict, key: str, prefix: str) -> str | None:
        value = self.string(mapping, key, prefix)
        if value is not None and not SAFE_SLUG_RE.match(value):
            self.error(prefix + key, f"expected an ASCII slug like 'meiyue-yiti', got {value!r}")
            return None
        return value

    def strings(self, mapping: dict, key: str, prefix: str, *, required: bool) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(prefix + key, "is required: expected a list of text values")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(prefix + key, f"expected a list of non-empty text values, got {value!r}")
            return ()
        return tuple(v.strip() for v in value)

    def positive_int(self, mapping: dict, key: str, prefix: str, default: int) -> int:
        value = mapping.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(prefix + key, f"expected a whole number of 1 or more, got {value!r}")
            return default
        return value

    def mapping_list(self, mapping: dict, key: str) -> list[tuple[str, dict]]:
        value = mapping.get(key)
        if not isinstance(value, list) or not value:
            self.error(key, "expected a non-empty list of entries")
            return []
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.error(f"{key}[{i}]", f"expected a mapping of keys, got {item!r}")
            else:
                items.append((f"{key}[{i}].", item))
        return items


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ArchiveError("file not found: create it or pass --config FILE", path) from None
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"not UTF-8 text ({exc.reason}): save it as UTF-8", path) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ArchiveError(f"invalid YAML: {problem}", path, line=line) from None


def load_config(path: str | Path) -> SiteConfig:
    """Read `site.yaml`, validate every key, and return the typed config (or raise all errors)."""
    path = Path(path)
    data = read_yaml(path)
    check = _Checker(path)
    if not isinstance(data, dict):
        raise ArchiveError("expected a mapping of keys at the top level (title:, topics:, …)", path)
    check.unknown_keys(data, TOP_KEYS, "")

    title = check.string(data, "title")
    description = check.string(data, "description", required=False, default="")  or ""
    language = check.string(data, "language", default="zh-CN")
    base_url = data.get("base_url")
    if base_url is not None and not (isinstance(base_url, str) and re.match(r"^https?://\S+$", base_url)):
        check.error("base_url", f"expected an http(s) URL or null, got {base_url!r}")
        base_url = None
    output = check.string(data, "output", default="_site")
    paginate = check.positive_int(data, "paginate", "", 20)
    paper = check.string(data, "paper")

    topics = []
    for prefix, item in check.mapping_list(data, "topics"):
        check.unknown_keys(item, TOPIC_KEYS, prefix)
        name, slug = check.string(item, "name", prefix), check.slug(item, "slug", prefix)
        desc = check.string(item, "description", prefix)
        keywords = check.strings(item, "keywords", prefix, required=True)
        mentions = check.positive_int(item, "min_mentions", prefix, 1)
        if name and slug and desc and keywords:
            topics.append(Topic(name, slug, desc, TopicRule(keywords, mentions)))

    places = []
    for prefix, item in check.mapping_list(data, "places"):
        check.unknown_keys(item, PLACE_KEYS, prefix)
        name, slug = check.string(item, "name", prefix), check.slug(item, "slug", prefix)
        aliases = check.strings(item, "aliases", prefix, required=False)
        if name and slug:
            places.append(Place(name, slug, aliases))

    for kind, items in (("topics", topics), ("places", places)):
        for attr in ("name", "slug"):
            seen: set[str] = set()
            for i, item in enumerate(items):
                value = getattr(item, attr)
                if value in seen:
                    check.error(f"{kind}[{i}].{attr}", f"duplicate {attr} {value!r}: each must be unique")
                seen.add(value)

    if check.errors:
        raise ArchiveErrors(check.errors) if len(check.errors) > 1 else check.errors[0]
    root = path.resolve().parent
    return SiteConfig(title=title, description=description, language=language, base_url=base_url,
                      output=root / output, paginate=paginate, paper=paper, topics=tuple(topics),
                      places=tuple(places), root=root, path=path)

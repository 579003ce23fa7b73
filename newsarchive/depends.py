"""What a page depends on: a fingerprint of everything its template can see.

A page's context is its whole input (the templates and the config are hashed once per build into
the global key), so two builds that give a page the same fingerprint render the same bytes and
the second may keep the first's file. Articles count by the hash of their content file; other
values by their type and contents. A value of a type not listed here is an error, so nothing new
can reach a template without being part of its page's dependencies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

from .model import Article

DIGEST_SIZE = 16
SCALARS = (str, int, float, bool, type(None), dt.date, Path)


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        digest.update(part)
    return digest.digest()


class Fingerprints:
    """Fingerprints of page contexts in one build; shared values are hashed once."""

    def __init__(self, global_key: bytes, article_digests: dict[str, str]):
        self.global_key = global_key
        self.article_digests = article_digests
        # id() is only unique while the object lives: keep each value alongside its digest.
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def page(self, path: str, template: str, context: dict) -> bytes:
        """The fingerprint of one output page."""
        return _hash(self.global_key, path.encode(), b"\0", template.encode(), b"\0",
                     self.of(context))

    def of(self, value: object) -> bytes:
        """The fingerprint of one context value."""
        if isinstance(value, SCALARS):
            return _hash(type(value).__name__.encode(), b":", repr(value).encode())
        known = self._memo.get(id(value))
        if known is not None:
            return known[1]
        digest = self._composite(value)
        self._memo[id(value)] = (value, digest)
        return digest

    def _composite(self, value: object) -> bytes:
        if isinstance(value, Article):
            return self._article(value)
        if isinstance(value, (list, tuple)):
            return _hash(b"list", *map(self.of, value))
        if isinstance(value, dict):
            pairs = sorted((self.of(k), self.of(v)) for k, v in value.items())
            return _hash(b"dict", *(k + v for k, v in pairs))
        if isinstance(value, (set, frozenset)):
            return _hash(b"set", *sorted(map(self.of, value)))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = self._fields.get(type(value))
            if names is None:
                names = self._fields[type(value)] = tuple(f.name for f in dataclasses.fields(value))
            return _hash(type(value).__qualname__.encode(),
                         *(self.of(getattr(value, name)) for name in names))
        raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page context: "
                        "add its type to newsarchive.depends")

    def _article(self, article: Article) -> bytes:
        digest = self.article_digests.get(article.id)
        if digest is not None:
            return _hash(b"article", digest.encode())
        # Not loaded from a file (tests build articles directly): its fields say what it is.
        meta = {k: v for k, v in dataclasses.asdict(article).items() if k != "path"}
        return _hash(b"article-fields", self.of(meta))


def tree_digest(root: Path) -> bytes:
    """One hash of the names and bytes of every file under root (sorted), e.g. templates/."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.digest()

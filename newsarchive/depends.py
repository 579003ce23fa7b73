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
SCALAR_TAGS = {str: b"s", int: b"i", float: b"f", bool: b"b", type(None): b"n", dt.date: b"d"}


def _hash(parts: list[bytes]) -> bytes:
    """One digest of several tokens; each is length-prefixed so ("ab", "c") ≠ ("a", "bc")."""
    return hashlib.blake2b(b"".join(len(part).to_bytes(4, "little") + part for part in parts),
                           digest_size=DIGEST_SIZE).digest()


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
        return _hash([self.global_key, path.encode(), template.encode(), self.of(context)])

    def of(self, value: object) -> bytes:
        """The token of one context value: scalars as themselves, anything else as a digest."""
        tag = SCALAR_TAGS.get(type(value))
        if tag is not None:  # exact types: a subclass (Markup, datetime) is not taken for its base
            return tag + (value.encode() if tag == b"s" else repr(value).encode())
        if isinstance(value, Path):
            return b"p" + str(value).encode()
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
            return _hash([b"list", *map(self.of, value)])
        if isinstance(value, dict):
            pairs = sorted((self.of(k), self.of(v)) for k, v in value.items())
            return _hash([b"dict", *(part for pair in pairs for part in pair)])
        if isinstance(value, (set, frozenset)):
            return _hash([b"set", *sorted(map(self.of, value))])
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = self._fields.get(type(value))
            if names is None:
                names = self._fields[type(value)] = tuple(f.name for f in dataclasses.fields(value))
            return _hash([type(value).__qualname__.encode(),
                          *(self.of(getattr(value, name)) for name in names)])
        raise TypeError(f"cannot fingerprint a {type(value).__name__} in a page context: "
                        "add its type to newsarchive.depends")

    def _article(self, article: Article) -> bytes:
        digest = self.article_digests.get(article.id)
        if digest is not None:
            return _hash([b"article", digest.encode()])
        # Not loaded from a file (tests build articles directly): its fields say what it is.
        meta = {k: v for k, v in dataclasses.asdict(article).items() if k != "path"}
        return _hash([b"article-fields", self.of(meta)])


def tree_digest(root: Path) -> bytes:
    """One hash of the names and bytes of every file under root (sorted), e.g. templates/."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.digest()

"""What a page depends on: a fingerprint of everything its template can see.

A page's context is its whole input (the templates and the config are hashed once per build into
the global key), so two builds that give a page the same fingerprint render the same bytes and
the second may keep the first's file. The context is pickled (C speed, faithful to every value)
with each Article replaced by the hash of its content file. A value of a type not listed here is
an error, so nothing new can reach a template without being part of its page's dependencies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import pickle
from pathlib import PurePath

from .model import Article, ArticleCard

DIGEST_SIZE = 16
# Pickled by value, so a change of value is a change of fingerprint; a function or a class
# would be pickled by name only. str subclasses are Markup.
VALUE_TYPES = (dt.date, dt.time, PurePath, str)


def _article(digest: bytes) -> None:
    """Stands for an Article or a card in a pickled context: never called, named only."""


def _fields(value: object) -> tuple:
    return tuple(getattr(value, f.name) for f in dataclasses.fields(value) if f.name != "path")


class _ContextPickler(pickle.Pickler):
    def __init__(self, buffer: io.BytesIO, prints: Fingerprints):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True  # no memo: equal values give equal bytes whatever objects they share
        self.prints = prints

    def reducer_override(self, value: object):
        kind = type(value)
        if kind is ArticleCard:  # one card is on many pages: hashed once per build
            return _article, (self.prints.card(value),)
        if kind is Article:
            digest = self.prints.article_digests.get(value.id)
            # Not loaded from a file (tests build articles directly): its fields say what it is.
            return _article, (digest.encode() if digest is not None else _fields(value),)
        if kind in self.prints.by_value:
            return NotImplemented
        if isinstance(value, VALUE_TYPES) or dataclasses.is_dataclass(value) \
                or isinstance(value, type) or value is _article:
            self.prints.by_value.add(kind)
            return NotImplemented  # values by value; classes (a date's, a dataclass's) by name
        raise TypeError(f"cannot fingerprint a {kind.__name__} in a page context: "
                        "add its type to newsarchive.depends")


class Fingerprints:
    """Fingerprints of page contexts in one build."""

    def __init__(self, global_key: bytes, article_digests: dict[str, str]):
        self.global_key = global_key
        self.article_digests = article_digests
        self.by_value: set[type] = set()
        # id() is only unique while the object lives: keep each card alongside its digest.
        self._cards: dict[int, tuple[ArticleCard, bytes]] = {}

    def page(self, path: str, template: str, context: dict) -> bytes:
        """The fingerprint of one output page."""
        return self.of((self.global_key, path, template, context))

    def of(self, value: object) -> bytes:
        """The digest of one value (Articles by their content file's hash)."""
        buffer = io.BytesIO()
        _ContextPickler(buffer, self).dump(value)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=DIGEST_SIZE).digest()

    def card(self, card: ArticleCard) -> bytes:
        known = self._cards.get(id(card))
        if known is None:
            known = self._cards[id(card)] = (card, self.of(_fields(card)))
        return known[1]


def tree_digest(root: Path) -> bytes:
    """One hash of the names and bytes of every file under root (sorted), e.g. templates/."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.digest()

"""What a page depends on: a fingerprint of everything its template can see.

A page's context is its whole input (the templates and the config are hashed once per build into
the global key), so two builds that give a page the same fingerprint render the same bytes and
the second may keep the first's file. The context is pickled (C speed, faithful to every value)
with each Article and ArticleCard written as a reference to its id; the fingerprint adds the
hash of each referenced article's content file, or of each card's fields. A value of a type not
listed here is an error, so nothing new can reach a template without being part of its page's
dependencies.

The pickle of a page that holds whole articles is kept (`PagePrint.context`): when only the
text of some articles changed, their pages' contexts are these pickles loaded with the new
articles, and no other page needs planning (see build.py).
"""

from __future__ import annotations

import dataclasses
import functools
import datetime as dt
import hashlib
import io
import pickle
from pathlib import Path, PurePath

from .model import Article, ArticleCard

DIGEST_SIZE = 16
# Pickled by value, so a change of value is a change of fingerprint; a function or a class
# would be pickled by name only. str subclasses are Markup.
VALUE_TYPES = (dt.date, dt.time, PurePath, str)


def _article(article_id: str) -> None:
    """Stands for an Article in a pickled context (see ContextLoader): never called."""


def _card(article_id: str) -> None:
    """Stands for an ArticleCard in a pickled context (see ContextLoader): never called."""


def _fields(value: object) -> tuple:
    return tuple(getattr(value, name) for name in _field_names(type(value)))


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    # dataclasses.fields() builds its list anew on every call: a new day fingerprints 20,000 cards.
    return tuple(f.name for f in dataclasses.fields(kind) if f.name != "path")


@dataclasses.dataclass
class PagePrint:
    """A page's fingerprint and, for a page holding whole articles, its pickled context and
    their ids."""

    digest: bytes
    context: bytes | None = None
    articles: tuple[str, ...] = ()


class _ContextPickler(pickle.Pickler):
    def __init__(self, buffer: io.BytesIO, prints: Fingerprints):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True  # no memo: equal values give equal bytes whatever objects they share
        self.prints = prints
        self.cards: list[ArticleCard] = []
        self.articles: list[Article] = []

    def reducer_override(self, value: object):
        kind = type(value)
        if kind is ArticleCard:
            self.cards.append(value)
            return _card, (value.id,)
        if kind is Article:
            self.articles.append(value)
            return _article, (value.id,)
        if kind in self.prints.by_value:
            return NotImplemented
        if isinstance(value, VALUE_TYPES) or dataclasses.is_dataclass(value) \
                or isinstance(value, type) or value is _article or value is _card:
            self.prints.by_value.add(kind)
            return NotImplemented  # values by value; classes (a date's, a dataclass's) by name
        raise TypeError(f"cannot fingerprint a {kind.__name__} in a page context: "
                        "add its type to newsarchive.depends")


class ContextLoader(pickle.Unpickler):
    """Loads a kept context (PagePrint.context) with the articles and cards of this build."""

    def __init__(self, data: bytes, articles: dict[str, Article],
                 cards: dict[str, ArticleCard]):
        super().__init__(io.BytesIO(data))
        self.articles, self.cards = articles, cards

    def find_class(self, module: str, name: str):
        if module == __name__ and name == "_article":
            return self.articles.__getitem__
        if module == __name__ and name == "_card":
            return self.cards.__getitem__
        return super().find_class(module, name)


class Fingerprints:
    """Fingerprints of page contexts in one build."""

    def __init__(self, global_key: bytes, article_digests: dict[str, str]):
        self.global_key = global_key
        self.article_digests = article_digests
        self.by_value: set[type] = set()
        # id() is only unique while the object lives: keep each card alongside its digest.
        self._cards: dict[int, tuple[ArticleCard, bytes]] = {}

    def __getstate__(self) -> dict:
        # Sent to a worker without its caches: ids of cards mean nothing in another process.
        return {"global_key": self.global_key, "article_digests": self.article_digests}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["global_key"], state["article_digests"])

    def page(self, path: str, template: str, context: dict) -> PagePrint:
        """The fingerprint of one output page."""
        buffer = io.BytesIO()
        pickler = _ContextPickler(buffer, self)
        pickler.dump((path, template, context))
        digest = hashlib.blake2b(self.global_key, digest_size=DIGEST_SIZE)
        digest.update(buffer.getbuffer())
        for card in pickler.cards:
            digest.update(self.card(card))
        for article in pickler.articles:
            digest.update(self.article(article))
        if not pickler.articles:
            return PagePrint(digest.digest())
        return PagePrint(digest.digest(), buffer.getvalue(),
                         tuple(dict.fromkeys(a.id for a in pickler.articles)))

    def card(self, card: ArticleCard) -> bytes:
        known = self._cards.get(id(card))
        if known is None:
            known = self._cards[id(card)] = (card, self._pickled(_fields(card)))
        return known[1]

    def article(self, article: Article) -> bytes:
        digest = self.article_digests.get(article.id)
        if digest is not None:
            return digest.encode()
        # Not loaded from a file (tests build articles directly): its fields say what it is.
        return self._pickled(_fields(article))

    def forget_cards(self) -> None:
        """Drop the cards digested so far (a worker's came with one chunk of pages: kept,
        they would all live to the end of the build)."""
        self._cards.clear()

    def _pickled(self, value: object) -> bytes:
        buffer = io.BytesIO()
        _ContextPickler(buffer, self).dump(value)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=DIGEST_SIZE).digest()


def tree_digest(root: Path) -> bytes:
    """One hash of the names and bytes of every file under root (sorted), e.g. templates/."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.digest()

"""The build cache's entry files: what goes in comes back, bodies left encoded until read."""

from __future__ import annotations

import pickle

import pytest

from newsarchive.buildcache import BuildCache
from newsarchive.content import ContentCache, load_content
from newsarchive.model import ENCODED_BODY
from newsarchive.pages import cards_of
from newsarchive.stages.pages import _pickled_chunk

from .conftest import FIXTURE_CONTENT


def saved_contents(tmp_path) -> tuple[BuildCache, ContentCache]:
    contents = ContentCache()
    load_content(FIXTURE_CONTENT, contents)
    cache = BuildCache(tmp_path, FIXTURE_CONTENT, tmp_path / "_site")
    cache.save("content", contents, b"code", 1)
    return cache, contents


def articles_of(contents: ContentCache) -> list:
    return [contents.entries[rel].article for rel in sorted(contents.entries)]


def test_loaded_articles_keep_their_bodies_encoded_until_read(tmp_path):
    cache, contents = saved_contents(tmp_path)
    loaded = articles_of(cache.load("content", ContentCache, b"code", 1))
    assert all("body" not in vars(article) and ENCODED_BODY in vars(article)
               for article in loaded)
    originals = articles_of(contents)
    assert [article.body for article in loaded] == [article.body for article in originals]
    assert all("body" in vars(article) and ENCODED_BODY not in vars(article)
               for article in loaded)
    assert loaded == originals


def test_a_body_read_after_its_entry_was_replaced_is_the_one_loaded(tmp_path):
    cache, contents = saved_contents(tmp_path)
    loaded = articles_of(cache.load("content", ContentCache, b"code", 1))
    for article in articles_of(contents):
        article.body = "改过的正文。"
    cache.save("content", contents, b"code", 2)
    assert [article.body for article in loaded] != ["改过的正文。"] * len(loaded)
    assert all("改过" not in article.body for article in loaded)
    assert all(article.body == "改过的正文。"
               for article in articles_of(cache.load("content", ContentCache, b"code", 2)))


def test_an_article_whose_body_is_still_encoded_pickles_and_cards_as_a_read_one(tmp_path):
    """What a forked server's child, a worker's chunk and every list get of such an article."""
    cache, contents = saved_contents(tmp_path)
    loaded = articles_of(cache.load("content", ContentCache, b"code", 1))
    originals = articles_of(contents)
    assert cards_of(loaded) == [article.card() for article in originals]
    copies = pickle.loads(pickle.dumps(loaded))
    assert all(ENCODED_BODY in vars(article) for article in copies)  # still not decoded
    assert copies == originals
    assert pickle.loads(_pickled_chunk(loaded)) == originals
    assert all("body" not in vars(article) for article in loaded)  # none of it read the body


@pytest.mark.parametrize("damage", [
    lambda data: data[:len(data) // 2],
    lambda data: data[:-3],
    lambda data: b"",
], ids=["half", "end cut", "empty"])
def test_a_damaged_entry_is_no_entry(tmp_path, damage):
    cache, _ = saved_contents(tmp_path)
    path = cache.path("content")
    path.write_bytes(damage(path.read_bytes()))
    assert cache.load("content", ContentCache, b"code", 1) is None


def test_an_entry_without_buffers_comes_back_equal(tmp_path):
    cache = BuildCache(tmp_path, FIXTURE_CONTENT, tmp_path / "_site")
    value = {"pages": ["a.html", "b.html"], "sizes": bytes(range(10))}
    cache.save("order", value, b"code")
    assert cache.load("order", dict, b"code") == value
    assert cache.load("order", dict, b"other code") is None

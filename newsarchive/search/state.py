"""What a build's search data was made from, kept in the build cache (entry "search") so the
next build can redo only what an edit touches; and the check that a previous output's file is
the one the state describes before anything is built on it."""

from __future__ import annotations

import hashlib
import itertools
import json
import operator
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .shards import data_name, script_value


@dataclass
class IndexState:
    """What the previous build wrote, enough to redo only what an edit touches.

    The data files themselves are not kept: an update reads the few it needs from the previous
    output, and `digests` proves they are the files this state describes.
    """

    key: tuple
    ids: list[str]
    hashes: list[bytes]                   # per document, article_hash() of its article
    facet_keys: list[bytes]               # per document, facet_key() of its article
    postings: dict[str, list[int]]        # per kind of index, per document, its (field, term) pairs
    lengths: dict[str, np.ndarray]        # per kind, per document (row), tokens per field
    totals: dict[str, list[int]]          # per kind, per field, its tokens in all documents
    shards: dict[str, int]                # per kind and its recent tier, its number of shards
    digests: dict[str, bytes]             # site-relative data file -> file_digest() of its bytes


def file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def changed_refs(state: IndexState, ids: list[str], hashes: list[bytes]) -> list[int] | None:
    """Refs whose document differs from the cached one, or None if refs themselves moved."""
    if ids[:len(state.ids)] != state.ids:
        return None  # an article removed or inserted before the end renumbers the rest
    # Compared in C (map, compress): an edit's build compares tens of thousands of digests.
    changed = list(itertools.compress(itertools.count(), map(operator.ne, state.hashes, hashes)))
    return changed + list(range(len(state.ids), len(ids)))


class StalePrevious(Exception):
    """A file of the previous output is missing or is not the one the cached state describes."""


def read_previous(previous: Path, name: str, state: IndexState, parse: bool = True) -> object:
    """The value of the previous output's data file `name` (its JSON text if not `parse`),
    checked against the state."""
    path = os.path.join(previous, data_name(name))  # as text: a new day reads thousands
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        raise StalePrevious(path) from None
    if file_digest(data) != state.digests.get(data_name(name)):
        raise StalePrevious(path)
    text = script_value(data.decode("utf-8"))
    return json.loads(text) if parse else text

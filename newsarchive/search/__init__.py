"""Offline full-text search: a Chinese bigram tokenizer, a lunr-scored index and a document store.

- `tokenize`: the tokens, shared with the page's JavaScript (static/js/search-engine.js);
- `shards`: the data files' format, written and read in one place;
- `index`: the index built from scratch or updated from the previous output;
- `state`: what an update needs from the last build (kept in the build cache);
- `variants`: traditional characters folded to simplified ones (OpenCC's table);
- `lunr`: where the page's lunr.js comes from.

Import what you need from those modules: this package loads none of them, so that a build
whose search data is made in a process of its own does not load numpy and OpenCC.
"""

# The modules whose version the search state depends on, named: a build compares versions
# without loading them (buildcache.code_version).
CODE = tuple(f"{__name__}.{name}" for name in ("index", "shards", "state", "tokenize",
                                                "variants"))

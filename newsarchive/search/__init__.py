"""Offline full-text search: a Chinese bigram tokenizer, a lunr-scored index and a document store.

- `tokenize`: the tokens, shared with the page's JavaScript (static/js/search-engine.js);
- `shards`: the data files' format, written and read in one place;
- `index`: the index built from scratch or updated from the previous output;
- `state`: what an update needs from the last build (kept in the build cache).
"""

from __future__ import annotations

from .index import (CODE, DOCS_PER_SHARD, POSTINGS_PER_SHARD, SearchOutput, document, facets,
                    find_lunr_script, lunr_candidates, plain_body, search_output,
                    write_search_data)
from .shards import (FIELD_BOOSTS, FIELDS, data_name, parse_script_text, script_text,
                     shard_script, term_shard)
from .state import IndexState
from .tokenize import CodePoints, fold, han_keys, token_keys, tokenize

__all__ = ["CODE", "CodePoints", "DOCS_PER_SHARD", "FIELD_BOOSTS", "FIELDS", "POSTINGS_PER_SHARD",
           "IndexState", "SearchOutput", "data_name", "document", "facets", "find_lunr_script",
           "fold", "han_keys", "lunr_candidates", "parse_script_text", "plain_body",
           "script_text", "search_output", "shard_script", "term_shard", "token_keys",
           "tokenize", "write_search_data"]

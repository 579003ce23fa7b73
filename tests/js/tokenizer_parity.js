// Print static/js/search-engine.js's tokens for every shared vector, with the index shard of each token
// among 7, as JSON, for pytest to compare with Python.
"use strict";
const path = require("path");
const search = require(path.join(__dirname, "..", "..", "static", "js", "search-engine.js"));
const vectors = require(path.join(__dirname, "..", "vectors", "tokenizer.json")).vectors;

process.stdout.write(JSON.stringify(vectors.map((v) => {
  const tokens = search.tokenize(v.text);
  return { name: v.name, tokens, shards: tokens.map((t) => search.termShard(t, 7)) };
})));

// Print static/js/search-engine.js's tokens for every shared vector, with the index shard of each token
// among 7, as JSON, for pytest to compare with Python. The variant classes (traditional to
// simplified) come from the variants-N.js files of a built site, all of them loaded.
// Usage: node tokenizer_parity.js SEARCH_DIR
"use strict";
const path = require("path");
const { fileEngine } = require("./search_data.js");
const search = require(path.join(__dirname, "..", "..", "static", "js", "search-engine.js"));
const vectors = require(path.join(__dirname, "..", "vectors", "tokenizer.json")).vectors;

const engine = fileEngine(process.argv[2]);
const everyText = vectors.map((v) => v.text).join("");
search.loadVariants(engine, everyText).then(() => {
  process.stdout.write(JSON.stringify(vectors.map((v) => {
    const tokens = search.tokenize(v.text, engine.variants);
    return { name: v.name, tokens, shards: tokens.map((t) => search.termShard(t, 7)) };
  })));
});

// Print static/js/search.js's tokens for every shared vector, as JSON, for pytest to compare.
"use strict";
const path = require("path");
const search = require(path.join(__dirname, "..", "..", "static", "js", "search.js"));
const vectors = require(path.join(__dirname, "..", "vectors", "tokenizer.json")).vectors;

process.stdout.write(JSON.stringify(vectors.map((v) => ({ name: v.name, tokens: search.tokenize(v.text) }))));

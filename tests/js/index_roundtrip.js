// Rebuild the lunr.Index of every index shard of a site and print lunr's own serialization of
// each (Index#toJSON), for pytest to compare with what lunr.py serialized.
// Usage: node index_roundtrip.js SEARCH_DIR
"use strict";
const path = require("path");
const { loadSearchData, kindLengths, kindShards } = require("./search_data.js");
const search = require(path.join(__dirname, "..", "..", "static", "js", "search-engine.js"));

const data = loadSearchData(process.argv[2]);
const lengths = kindLengths(data, "index");
const shards = kindShards(data, "index").map((shard) => search.shardIndex(shard, data.manifest,
  lengths).toJSON());
process.stdout.write(JSON.stringify(shards));

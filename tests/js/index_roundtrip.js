// Rebuild the lunr.Index from a site's compact index-0.js and print lunr's own serialization of
// it (Index#toJSON), for pytest to compare with what lunr.py serialized.
// Usage: node index_roundtrip.js SEARCH_DIR
"use strict";
const path = require("path");
const { loadSearchData } = require("./search_data.js");
const search = require(path.join(__dirname, "..", "..", "static", "js", "search.js"));

const data = loadSearchData(process.argv[2]);
process.stdout.write(JSON.stringify(search.expandIndex(data[data.manifest.index[0]]).toJSON()));

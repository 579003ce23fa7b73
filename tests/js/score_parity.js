// Scores of search-engine.js's scoreTerms against lunr 2.3.9's own query over the same shard
// (search.lunrScores: lunr.js querying search.shardIndex): for groups of terms that share a
// shard, within all documents or a random subset, and for single characters of the character
// index. Prints {compared, groups, mismatches: [first few]} as JSON.
// Usage: node score_parity.js SEARCH_DIR
"use strict";
const path = require("path");
const { loadSearchData, kindLengths, kindShards } = require("./search_data.js");
const search = require(path.join(__dirname, "..", "..", "static", "js", "search-engine.js"));

const data = loadSearchData(process.argv[2]);
const manifest = data.manifest;
let seed = 20241222;
const random = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5 >>> 0) / 2 ** 32);

const indexLengths = kindLengths(data, "index"), charsLengths = kindLengths(data, "chars");
let compared = 0, groups = 0;
const mismatches = [];
function compare(terms, expected, actual) {
  groups += 1;
  const refs = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const ref of refs) {
    compared += 1;
    if (expected[ref] !== actual[ref] && mismatches.length < 10) {
      mismatches.push({ terms, ref, lunr: expected[ref], ours: actual[ref] });
    }
  }
}

function check(shard, terms, within, lengths) {
  const expected = search.lunrScores(shard, manifest, lengths, terms, within);
  compare(terms, expected, search.scoreTerms(shard, manifest, lengths, terms, within));
  if (within) {
    // The engine's own form of the candidates (documents holding every term): an ascending
    // Int32Array, which the weights look up or walk rather than test one posting at a time.
    const sorted = Int32Array.from(within).sort();
    compare(terms, expected, search.scoreTerms(shard, manifest, lengths, terms, sorted));
    compare(terms, expected, search.lunrScores(shard, manifest, lengths, terms, sorted));
  }
}

for (const shard of kindShards(data, "index")) {
  for (let round = 0; round < 6 && shard.terms.length; round++) {
    const size = 1 + Math.floor(random() * Math.min(3, shard.terms.length));
    const terms = [];
    while (terms.length < size) {
      const term = shard.terms[Math.floor(random() * shard.terms.length)];
      if (!terms.includes(term)) terms.push(term);
    }
    const holding = terms.map((term) => new Set(search.termPostings(
      shard, shard.terms.indexOf(term)).flatMap((entry) => Array.from(entry.refs))));
    const all = new Set([...holding[0]].filter((ref) => holding.every((set) => set.has(ref))));
    check(shard, terms, all, indexLengths);
    check(shard, terms, new Set([...all].filter(() => random() < 0.5)), indexLengths);
    check(shard, terms.slice(0, 1), null, indexLengths);
  }
}
for (const shard of kindShards(data, "chars")) {
  shard.terms.slice(0, 5).forEach((ch) => check(shard, [ch], null, charsLengths));
}
process.stdout.write(JSON.stringify({ compared, groups, mismatches }));

// Load a built site's search data scripts the way a page does (as classic scripts, here in a vm
// context with a `window`). As a command, print everything they registered, as JSON.
// Usage: node search_data.js SEARCH_DIR
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const search = require(path.join(__dirname, "..", "..", "static", "js", "search-engine.js"));

/* A function name -> value of that data file, running each file once in one shared context. */
function fileLoader(dir) {
  const context = vm.createContext({ window: {} });
  return (name) => {
    const registry = context.window.newsarchiveSearch || {};
    if (!(name in registry)) {
      vm.runInContext(fs.readFileSync(path.join(dir, name + ".js"), "utf8"), context,
        { filename: name + ".js" });
    }
    // JSON round trip: plain objects of this realm, not the vm's.
    return JSON.parse(JSON.stringify(context.window.newsarchiveSearch[name]));
  };
}

/* A search engine over the data files in dir, loading them on demand like the page. */
function fileEngine(dir) {
  const load = fileLoader(dir);
  return search.createEngine(load("manifest"), (name) => Promise.resolve().then(() => load(name)));
}

/* Every data file the manifest names, by name. */
function loadSearchData(dir) {
  const load = fileLoader(dir);
  const manifest = load("manifest");
  const names = ["manifest", ...manifest.facets.map((kind) => "facets-" + kind)];
  for (let n = 0; n < manifest.indexShards; n++) names.push("index-" + n);
  for (let n = 0; n < manifest.charsShards; n++) names.push("chars-" + n);
  for (let n = 0; n < (manifest.indexRecentShards || 0); n++) names.push("index-recent-" + n);
  for (let n = 0; n < (manifest.charsRecentShards || 0); n++) names.push("chars-recent-" + n);
  for (let n = 0; n * manifest.docsPerShard < manifest.documents; n++) names.push("docs-" + n);
  for (let n = 0; n * manifest.lengthsPerFile < manifest.documents; n++) {
    names.push("lengths-index-" + n, "lengths-chars-" + n);
  }
  return Object.fromEntries(names.map((name) => [name, load(name)]));
}

/* The lengths search-engine.js scores index `kind` ("index" or "chars") with, for every
   document: {totals, body} as the engine keeps them after loadLengths. */
function kindLengths(data, kind) {
  const manifest = data.manifest;
  const body = [];
  for (let n = 0; n * manifest.lengthsPerFile < manifest.documents; n++) {
    body.push(...search.readVarints(data["lengths-" + kind + "-" + n]));
  }
  return { totals: kind === "index" ? manifest.fieldLengths : manifest.charsFieldLengths, body };
}

/* Every shard of index `kind` as the engine reads it: each older shard opened, with the
   postings of each of its terms in the recent tier put in front (search.addRecent). */
function kindShards(data, kind) {
  const manifest = data.manifest, count = manifest[kind + "Shards"];
  const shards = [];
  for (let n = 0; n < count; n++) shards.push(search.openShard(data[kind + "-" + n]));
  for (let n = 0; n < (manifest[kind + "RecentShards"] || 0); n++) {
    const recent = search.openShard(data[kind + "-recent-" + n]);
    recent.terms.forEach((term) => search.addRecent(shards[search.termShard(term, count)],
      recent, term));
  }
  return shards;
}

module.exports = { fileEngine, loadSearchData, kindLengths, kindShards };

if (require.main === module) {
  process.stdout.write(JSON.stringify(loadSearchData(process.argv[2])));
}

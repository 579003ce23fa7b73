// Load the search data scripts of a built site the way a page does (as classic scripts, here in
// a vm context with a `window`), and print what they registered as JSON.
// Usage: node search_data.js SEARCH_DIR
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

function loadSearchData(dir) {
  const context = vm.createContext({ window: {} });
  const run = (name) => vm.runInContext(fs.readFileSync(path.join(dir, name + ".js"), "utf8"),
    context, { filename: name + ".js" });
  run("manifest");
  const manifest = context.window.newsarchiveSearch.manifest;
  manifest.index.forEach(run);
  manifest.docs.forEach((shard) => run(shard.name));
  // JSON round trip: plain objects of this realm, not the vm's.
  return JSON.parse(JSON.stringify(context.window.newsarchiveSearch));
}

module.exports = { loadSearchData };

if (require.main === module) {
  process.stdout.write(JSON.stringify(loadSearchData(process.argv[2])));
}

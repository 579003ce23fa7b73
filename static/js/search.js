/* Full-text search of the archive, in the page: lunr 2.3.9 over Chinese bigrams.
 *
 * Works from file:// as well as over http: the data comes in classic <script> files that register
 * themselves on window.newsarchiveSearch (no fetch, XHR, import or worker). The tokenizer mirrors
 * newsarchive/search.py; tests/vectors/tokenizer.json keeps the two in step. Under node the core
 * (tokenizer, query parsing, search) is exported for tests and nothing touches the DOM.
 */
(function () {
  "use strict";

  var HAN = "\\u2e80-\\u2fdf\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3ffff}";
  var WORD = "0-9A-Za-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u017f\\u0386\\u0388-\\u03ce" +
    "\\u0400-\\u045f";
  var RUN_RE = new RegExp("([" + HAN + "]+)|([" + WORD + "]+)", "gu");
  var WORD_CHAR_RE = new RegExp("^[" + WORD + "]$", "u");
  var HAN_CHAR_RE = new RegExp("^[" + HAN + "]$", "u");
  var PAGE_SIZE = 20;
  var K1 = 1.2, B = 0.75;  // lunr's BM25 constants
  // lunr.js: require()d under node, the page's global in a browser (set at the end of this file).
  var lunr;

  /* Width- and case-fold text for matching, keeping its length (as fold() in search.py). */
  function fold(text) {
    var wide = text.replace(/[\uff01-\uff5e]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
    }).replace(/\u3000/g, " ");
    var lower = wide.toLowerCase();
    if (lower.length === wide.length) return lower;
    // A few capitals lower to two characters (İ → i + dot): keep the first, so lengths hold.
    var out = "";
    for (var ch of wide) out += String.fromCodePoint(ch.toLowerCase().codePointAt(0));
    return out;
  }

  /* Han runs as overlapping bigrams (one character alone), words lowercased, the rest dropped. */
  function tokenize(text) {
    var tokens = [];
    var folded = fold(text);
    var match;
    RUN_RE.lastIndex = 0;
    while ((match = RUN_RE.exec(folded)) !== null) {
      if (match[2]) {
        tokens.push(match[2]);
        continue;
      }
      var chars = Array.from(match[1]);
      if (chars.length === 1) tokens.push(chars[0]);
      for (var i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
    }
    return tokens;
  }

  /* Split a query into phrases to find and phrases to exclude: words, "quoted phrases", -word. */
  function parseQuery(input) {
    var parsed = { include: [], exclude: [] };
    var re = /([-－]?)(?:"([^"]*)"?|“([^”]*)”?|(\S+))/g;
    var match;
    while ((match = re.exec(input || "")) !== null) {
      var quoted = match[2] !== undefined ? match[2] : match[3];
      var phrase = (quoted !== undefined ? quoted : match[4]).trim().replace(/\s+/g, " ");
      if (!phrase) continue;
      if (tokenize(phrase).length === 0) continue;  // punctuation alone finds nothing
      (match[1] ? parsed.exclude : parsed.include).push(phrase);
    }
    return parsed;
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
  }

  /* A global regex finding `phrase` in folded text: case and width blind, Latin words whole,
     and tolerant of the spaces PDF extraction leaves between digits or Latin and Han. */
  function phraseRegExp(phrase) {
    var chars = Array.from(fold(phrase));
    var source = "";
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (/\s/.test(ch)) {
        source += "\\s+";
        continue;
      }
      source += escapeRegExp(ch);
      var next = chars[i + 1];
      if (next !== undefined && !/\s/.test(next) &&
          ((WORD_CHAR_RE.test(ch) && HAN_CHAR_RE.test(next)) ||
           (HAN_CHAR_RE.test(ch) && WORD_CHAR_RE.test(next)))) {
        source += "[ \\t]*";
      }
    }
    var wordEdge = "[" + WORD + "]";
    if (WORD_CHAR_RE.test(chars[0])) source = "(?<!" + wordEdge + ")" + source;
    if (WORD_CHAR_RE.test(chars[chars.length - 1])) source += "(?!" + wordEdge + ")";
    return new RegExp(source, "gu");
  }

  /* [start, end) offsets of every match of any of the regexes in text, merged and sorted. */
  function matchRanges(text, regexes) {
    var folded = fold(text);
    var ranges = [];
    regexes.forEach(function (re) {
      var match;
      re.lastIndex = 0;
      while ((match = re.exec(folded)) !== null) {
        if (match[0].length === 0) { re.lastIndex++; continue; }
        ranges.push([match.index, match.index + match[0].length]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    ranges.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push(range.slice());
    });
    return merged;
  }

  /* All text a query is checked against, one field per paragraph. */
  function documentText(doc) {
    return [doc.title, doc.kicker, doc.subtitle, doc.byline, (doc.reporters || []).join(" "),
      (doc.tags || []).join(" "), doc.body].filter(Boolean).join("\n\n");
  }

  /* FNV-1a over code points: the index shard holding a term (term_shard in search.py). */
  function termShard(term, shards) {
    var value = 0x811c9dc5;
    for (var ch of term) value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return value % shards;
  }

  /* A lunr.Index over one term shard {terms, postings}, as newsarchive/search.py writes it:
     per term and field [field, ref gap, term frequency, field length, …]. The weights are lunr's
     BM25 (lunr.py's Builder: k1 1.2, b 0.75, idf over the postings of all fields, rounded to
     3 decimals), computed here because they depend on the whole archive (manifest).
     `terms` (default: all) limits the index to some terms of the shard: lunr scores a document
     by the query's terms only (dot product over the query vector's magnitude), so an index of
     the query's terms ranks exactly as one of the whole shard, and is far quicker to build;
     `within` (a Set of refs, default: all) likewise leaves out documents that cannot match. */
  function shardIndex(shard, manifest, terms, within) {
    var fields = manifest.fields;
    var documents = manifest.documents;
    var averages = manifest.fieldLengths.map(function (total) { return total / documents; });
    var positions = shardPositions(shard);
    var invertedIndex = {};
    var elements = {};
    terms = (terms || shard.terms).filter(function (term) { return positions.has(term); });
    terms.forEach(function (term, position) {
      var posting = { _index: position };
      fields.forEach(function (field) { posting[field] = {}; });
      var entries = shard.postings[positions.get(term)];
      var withTerm = 0;
      entries.forEach(function (entry) { withTerm += (entry.length - 1) / 3; });
      var idf = Math.log(1 + Math.abs((documents - withTerm + 0.5) / (withTerm + 0.5)));
      entries.forEach(function (entry) {
        var number = entry[0];
        var field = fields[number];
        var ref = 0;
        for (var i = 1; i < entry.length; i += 3) {
          ref += entry[i];
          if (within && !within.has(ref)) continue;
          var tf = entry[i + 1];
          var score = idf * ((K1 + 1) * tf) /
            (K1 * (1 - B + B * (entry[i + 2] / averages[number])) + tf);
          score *= manifest.boosts[number];
          var key = field + "/" + ref;
          posting[field][ref] = {};
          // toFixed rounds the exact binary value, as Python's round() does (lunr.py).
          (elements[key] = elements[key] || []).push(position, Number(score.toFixed(3)));
        }
      });
      invertedIndex[term] = posting;
    });
    var fieldVectors = {};
    Object.keys(elements).forEach(function (key) { fieldVectors[key] = new lunr.Vector(elements[key]); });
    // lunr's token set needs JavaScript's (UTF-16) order, which differs from Python's for
    // astral characters, so the terms are sorted here rather than trusted.
    return new lunr.Index({
      invertedIndex: invertedIndex, fieldVectors: fieldVectors, fields: fields,
      tokenSet: lunr.TokenSet.fromArray(terms.slice().sort()), pipeline: new lunr.Pipeline()
    });
  }

  /* The refs of the documents holding `term` in any field, as a Set (empty if none does). */
  function termRefs(shard, term) {
    var refs = new Set();
    var position = shardPositions(shard).get(term);
    if (position === undefined) return refs;
    shard.postings[position].forEach(function (entry) {
      for (var i = 1, ref = 0; i < entry.length; i += 3) refs.add(ref += entry[i]);
    });
    return refs;
  }

  /* term -> its position in the shard, worked out once per shard. */
  function shardPositions(shard) {
    if (!shard.positions) {
      shard.positions = new Map();
      shard.terms.forEach(function (term, position) { shard.positions.set(term, position); });
    }
    return shard.positions;
  }

  /* An engine over the search data: load(name) resolves to the value of the data file `name`. */
  function createEngine(manifest, load) {
    return { manifest: manifest, load: load, pending: {}, shardTerms: {}, byCharacter: {},
      docs: {}, texts: {} };
  }

  /* Load a data file once, keeping the promise so concurrent queries share it. */
  function loadOnce(engine, name, prepare) {
    if (!engine.pending[name]) engine.pending[name] = engine.load(name).then(prepare);
    return engine.pending[name];
  }

  function loadIndexShards(engine, numbers) {
    return Promise.all(numbers.map(function (number) {
      return loadOnce(engine, "index-" + number, function (shard) {
        engine.shardTerms[number] = shard.terms;
        return shard;
      });
    }));
  }

  /* The documents of `refs`, loading the shards that hold them. */
  function loadDocs(engine, refs) {
    var size = engine.manifest.docsPerShard;
    var shards = unique(refs.map(function (ref) { return Math.floor(ref / size); }));
    return Promise.all(shards.map(function (number) {
      return loadOnce(engine, "docs-" + number, function (docs) {
        docs.forEach(function (doc, i) { engine.docs[number * size + i] = doc; });
      });
    })).then(function () { return refs.map(function (ref) { return engine.docs[ref]; }); });
  }

  function unique(items) {
    return items.filter(function (item, i) { return items.indexOf(item) === i; });
  }

  /* The terms of one loaded shard that hold a Han character, listed on first use. */
  function termsWithCharacter(engine, number, ch) {
    if (!engine.byCharacter[number]) {
      var map = engine.byCharacter[number] = {};
      engine.shardTerms[number].forEach(function (term) {
        unique(Array.from(term)).forEach(function (c) { (map[c] = map[c] || []).push(term); });
      });
    }
    return engine.byCharacter[number][ch] || [];
  }

  /* What a phrase asks of the index: tokens every result holds, lone Han characters (inside a
     longer run they exist only in bigrams), and whether the index alone answers it exactly. */
  function phrasePlan(phrase) {
    var plan = { required: [], characters: [] };
    var folded = fold(phrase);
    // matchAll, not exec: tokenize() below shares RUN_RE's lastIndex.
    Array.from(folded.matchAll(RUN_RE)).forEach(function (match) {
      if (match[1] && Array.from(match[1]).length === 1) plan.characters.push(match[1]);
      else plan.required = plan.required.concat(tokenize(match[0]));
    });
    var tokens = plan.required.concat(plan.characters);
    plan.exact = tokens.length === 1 && tokens[0] === folded;
    return plan;
  }

  /* Refs and scores of a lunr query; presence REQUIRED or OPTIONAL for every term. */
  function runQuery(index, terms, presence) {
    var found = {};
    index.query(function (query) {
      terms.forEach(function (term) { query.term(term, { presence: presence, usePipeline: false }); });
    }).forEach(function (hit) { found[hit.ref] = hit.score; });
    return found;
  }

  /* Required tokens are intersected across shards, each lone character is the union of its
     terms' documents; scores add up. Resolves to [{ref, score}], unordered. */
  function candidates(engine, plans) {
    var shards = engine.manifest.indexShards;
    var required = unique([].concat.apply([], plans.map(function (p) { return p.required; })));
    var characters = unique([].concat.apply([], plans.map(function (p) { return p.characters; })));
    var numbers = characters.length ? Array.from({ length: shards }, function (_, n) { return n; })
      : unique(required.map(function (term) { return termShard(term, shards); }));
    return loadIndexShards(engine, numbers).then(function (loaded) {
      // Documents holding every required token, found from the postings before lunr runs,
      // so lunr scores only those: the same scores, far less work for common tokens.
      var within = null;
      required.forEach(function (term) {
        var refs = termRefs(loaded[numbers.indexOf(termShard(term, shards))], term);
        within = within ? new Set(Array.from(within).filter(function (ref) { return refs.has(ref); }))
          : refs;
      });
      if (within && within.size === 0) return [];
      var groups = [];
      loaded.forEach(function (shard, i) {
        var mine = required.filter(function (term) { return termShard(term, shards) === numbers[i]; });
        if (!mine.length) return;
        var index = shardIndex(shard, engine.manifest, mine, within);
        groups.push(runQuery(index, mine, lunr.Query.presence.REQUIRED));
      });
      characters.forEach(function (ch) {
        var union = {};
        loaded.forEach(function (shard, i) {
          var terms = termsWithCharacter(engine, numbers[i], ch);
          if (!terms.length) return;
          var found = runQuery(shardIndex(shard, engine.manifest, terms, within), terms,
            lunr.Query.presence.OPTIONAL);
          Object.keys(found).forEach(function (ref) { union[ref] = (union[ref] || 0) + found[ref]; });
        });
        groups.push(union);
      });
      var refs = Object.keys(groups[0]).filter(function (ref) {
        return groups.every(function (group) { return ref in group; });
      });
      return refs.map(function (ref) {
        var score = groups.reduce(function (sum, group) { return sum + group[ref]; }, 0);
        return { ref: Number(ref), score: score };
      });
    });
  }

  function contains(regex, text) {
    regex.lastIndex = 0;
    return regex.test(text);
  }

  /* Run a query. Resolves to {parsed, regexes, results: [{ref, score}] best first, unchecked,
     complete}. Where the index cannot decide (phrases of several tokens, exclusions), the text
     of each candidate decides, in rank order: `wanted` results are checked (all if not given)
     and the rest wait in `unchecked` for checkMore(). Documents are fetched with loadDocs. */
  function search(engine, input, filters, wanted) {
    filters = filters || {};
    var parsed = parseQuery(input);
    var include = parsed.include.map(phraseRegExp);
    var outcome = { parsed: parsed, regexes: include, exclude: parsed.exclude.map(phraseRegExp),
      results: [], unchecked: [], complete: true };
    if (include.length === 0) return Promise.resolve(outcome);
    var plans = parsed.include.map(phrasePlan);
    return candidates(engine, plans).then(function (found) {
      if (!filters.topic && !filters.year) return found;
      return loadOnce(engine, "facets", function (facets) { return facets; }).then(function (facets) {
        var topic = engine.manifest.topics.indexOf(filters.topic);
        return found.filter(function (hit) {
          var facet = facets[hit.ref];
          return (!filters.year || String(facet[0]) === String(filters.year)) &&
            (!filters.topic || facet.indexOf(topic, 1) > 0);
        });
      });
    }).then(function (found) {
      // Equal scores: the newer article first (refs follow ids, which start with the date).
      found.sort(function (a, b) { return b.score - a.score || b.ref - a.ref; });
      // All bigrams present do not make the phrase present; a lone token or character does.
      var exact = plans.every(function (plan) { return plan.exact; }) && !outcome.exclude.length;
      if (exact) {
        outcome.results = found;
        return outcome;
      }
      outcome.unchecked = found;
      outcome.complete = false;
      return checkMore(engine, outcome, wanted === undefined ? Infinity : wanted);
    });
  }

  /* Check unchecked candidates in rank order until `wanted` results are known or none is left. */
  function checkMore(engine, outcome, wanted) {
    if (outcome.results.length >= wanted || !outcome.unchecked.length) {
      outcome.complete = !outcome.unchecked.length;
      return Promise.resolve(outcome);
    }
    // A batch a little larger than needed: most candidates pass, and shards hold neighbours.
    var batch = outcome.unchecked.splice(0, Math.max(10, Math.ceil((wanted - outcome.results.length) * 1.2)));
    return loadDocs(engine, batch.map(function (hit) { return hit.ref; })).then(function () {
      batch.forEach(function (hit) {
        if (!(hit.ref in engine.texts)) engine.texts[hit.ref] = fold(documentText(engine.docs[hit.ref]));
        var text = engine.texts[hit.ref];
        if (outcome.regexes.every(function (re) { return contains(re, text); }) &&
            !outcome.exclude.some(function (re) { return contains(re, text); })) {
          outcome.results.push(hit);
        }
      });
      return checkMore(engine, outcome, wanted);
    });
  }

  /* Is the query a single Han character (allowed, but broad and slower)? */
  function isOneCharacter(parsed) {
    return parsed.include.length === 1 && Array.from(parsed.include[0].trim()).length === 1 &&
      HAN_CHAR_RE.test(parsed.include[0].trim());
  }

  /* A short passage around the first match in `text`: {text, ranges} with ranges inside it. */
  function snippet(text, regexes, length) {
    var ranges = matchRanges(text, regexes);
    var chars = Array.from(text);
    if (ranges.length === 0 || text.length <= length) {
      var cut = chars.slice(0, length).join("");
      return { text: cut, ranges: ranges.filter(function (r) { return r[1] <= cut.length; }),
        before: false, after: cut.length < text.length };
    }
    // Convert the first match's code-unit offset to code points so astral characters stay whole.
    var firstPoint = Array.from(text.slice(0, ranges[0][0])).length;
    var startPoint = Math.max(0, firstPoint - Math.floor(length / 4));
    var endPoint = Math.min(chars.length, startPoint + length);
    startPoint = Math.max(0, endPoint - length);
    var start = chars.slice(0, startPoint).join("").length;
    var passage = chars.slice(startPoint, endPoint).join("");
    var inside = ranges.filter(function (r) { return r[0] >= start && r[1] <= start + passage.length; })
      .map(function (r) { return [r[0] - start, r[1] - start]; });
    return { text: passage, ranges: inside, before: startPoint > 0, after: endPoint < chars.length };
  }

  var core = {
    fold: fold, tokenize: tokenize, parseQuery: parseQuery, phraseRegExp: phraseRegExp,
    matchRanges: matchRanges, documentText: documentText, termShard: termShard,
    shardIndex: shardIndex, createEngine: createEngine, loadDocs: loadDocs, search: search,
    checkMore: checkMore, snippet: snippet, isOneCharacter: isOneCharacter
  };
  if (typeof module === "object" && module.exports) {
    lunr = require("lunr");
    module.exports = core;
    return;
  }
  lunr = window.lunr;
  window.NewsarchiveSearch = core;

  /* ---- The search page ---- */

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(script);
    });
  }

  /* An engine whose data files are loaded on demand as <script> elements from dataDir. */
  function pageEngine(dataDir) {
    var data = window.newsarchiveSearch = window.newsarchiveSearch || {};
    var manifestReady = data.manifest ? Promise.resolve() : loadScript(dataDir + "manifest.js");
    return manifestReady.then(function () {
      return createEngine(data.manifest, function (name) {
        if (data[name]) return Promise.resolve(data[name]);
        return loadScript(dataDir + name + ".js").then(function () { return data[name]; });
      });
    });
  }

  /* Append text to parent, each range of it wrapped in <mark>; text only, never markup. */
  function appendMarked(parent, text, ranges) {
    var at = 0;
    ranges.forEach(function (range) {
      if (range[0] > at) parent.appendChild(document.createTextNode(text.slice(at, range[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(range[0], range[1]);
      parent.appendChild(mark);
      at = range[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderResult(doc, regexes, root) {
    var item = element("li");
    var link = element("a", "search-result");
    link.href = root + doc.url;
    var title = element("span", "search-result-title");
    appendMarked(title, doc.title, matchRanges(doc.title, regexes));
    link.appendChild(title);
    var meta = [doc.date, doc.page ? doc.page + " 版" : null, doc.paper].filter(Boolean).join(" · ");
    link.appendChild(element("span", "search-result-meta", meta));
    if ((doc.topics || []).length) {
      var chips = element("span", "search-result-topics");
      doc.topics.forEach(function (topic) { chips.appendChild(element("span", "chip", topic)); });
      link.appendChild(chips);
    }
    // The passage comes from the body unless the words are only in the byline, kicker or tags.
    var sources = [doc.body, doc.byline, doc.kicker, doc.subtitle, (doc.reporters || []).join(" "),
      (doc.tags || []).join(" ")].filter(Boolean);
    var source = sources.filter(function (text) { return matchRanges(text, regexes).length; })[0];
    var passage = snippet(source || doc.body || "", regexes, 120);
    var snippetNode = element("span", "search-result-snippet");
    if (passage.before) snippetNode.appendChild(document.createTextNode("…"));
    appendMarked(snippetNode, passage.text, passage.ranges);
    if (passage.after) snippetNode.appendChild(document.createTextNode("…"));
    link.appendChild(snippetNode);
    item.appendChild(link);
    return item;
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    return { q: params.get("q") || "", topic: params.get("topic") || "", year: params.get("year") || "" };
  }

  function stateQuery(state) {
    var params = new URLSearchParams();
    ["q", "topic", "year"].forEach(function (key) { if (state[key]) params.set(key, state[key]); });
    var text = params.toString();
    return text ? "?" + text : window.location.pathname.split("/").pop();
  }

  function initPage() {
    var app = document.getElementById("search-app");
    if (!app) return;
    var root = app.getAttribute("data-root") || "../";
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-input");
    var topicSelect = document.getElementById("filter-topic");
    var yearSelect = document.getElementById("filter-year");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var engine = null;
    var current = null;
    var latest = 0;

    function setStatus(text, kind) {
      status.textContent = text;
      status.setAttribute("data-kind", kind || "");
    }

    function showMore() {
      var outcome = current;
      var start = list.children.length;
      more.disabled = true;
      return checkMore(engine, outcome, start + PAGE_SIZE).then(function () {
        var refs = outcome.results.slice(start, start + PAGE_SIZE).map(function (hit) { return hit.ref; });
        return loadDocs(engine, refs);
      }).then(function (docs) {
        if (outcome !== current) return;  // a newer query has replaced this one
        docs.forEach(function (doc) { list.appendChild(renderResult(doc, outcome.regexes, root)); });
        describe(outcome);
        more.hidden = list.children.length >= outcome.results.length + outcome.unchecked.length;
        more.disabled = false;
      });
    }

    /* The count is exact once every candidate is checked; until then it is an upper bound. */
    function describe(outcome) {
      var count = outcome.results.length + outcome.unchecked.length;
      var words = outcome.parsed.include.map(function (p) { return "“" + p + "”"; }).join(" ");
      var note = isOneCharacter(outcome.parsed) ? "单字搜索范围很广，结果可能较多、较慢；加一个字更准确。" : "";
      if (count === 0) setStatus("没有找到包含 " + words + " 的文章。" + note + "试试更短的词或去掉筛选。", "none");
      else setStatus((outcome.complete ? "找到 " : "找到约 ") + count + " 篇包含 " + words + " 的文章。" +
        note, note ? "broad" : "found");
    }

    function run(state) {
      input.value = state.q;
      topicSelect.value = state.topic;
      yearSelect.value = state.year;
      list.textContent = "";
      more.hidden = true;
      current = null;
      var ticket = ++latest;  // a query still loading its shards must not show its results now
      if (!engine) return Promise.resolve();
      if (!state.q.trim()) {
        app.setAttribute("data-busy", "false");
        return Promise.resolve(setStatus("输入词语搜索全部文章。", "empty"));
      }
      var started = performance.now();
      app.setAttribute("data-busy", "true");
      var filters = { topic: state.topic, year: state.year };
      return search(engine, state.q, filters, PAGE_SIZE).then(function (outcome) {
        if (ticket !== latest) return;
        current = outcome;
        if (outcome.parsed.include.length === 0) {
          setStatus("请输入要查找的字词（只排除或只有标点无法搜索）。", "empty");
          return;
        }
        return showMore();
      }).then(function () {
        if (ticket !== latest) return;
        app.setAttribute("data-query-ms", (performance.now() - started).toFixed(2));
        app.setAttribute("data-busy", "false");
      }, function (error) {
        if (ticket !== latest) return;
        app.setAttribute("data-busy", "false");
        setStatus("搜索数据载入失败（" + error.message + "）：请重新生成网站。", "error");
      });
    }

    function submit() {
      var state = { q: input.value.trim(), topic: topicSelect.value, year: yearSelect.value };
      var target = stateQuery(state);
      try {
        if (target !== stateQuery(readState())) window.history.pushState(state, "", target);
      } catch (error) {
        // Some browsers refuse history entries on file:// pages; the search still runs.
      }
      run(state);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    topicSelect.addEventListener("change", submit);
    yearSelect.addEventListener("change", submit);
    more.addEventListener("click", showMore);
    window.addEventListener("popstate", function () { run(readState()); });

    // Arrow keys move between the box and the results; "/" focuses the box from anywhere.
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && list.querySelector("a")) {
        event.preventDefault();
        list.querySelector("a").focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (at < 0) return;
      event.preventDefault();
      if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
      else if (event.key === "ArrowUp") (at > 0 ? links[at - 1] : input).focus();
    });
    document.addEventListener("keydown", function (event) {
      var tag = document.activeElement && document.activeElement.tagName;
      if (event.key === "/" && tag !== "INPUT" && tag !== "SELECT" && tag !== "TEXTAREA") {
        event.preventDefault();
        input.focus();
      }
    });

    input.value = readState().q;  // shown at once; results follow when the index has loaded
    setStatus("正在载入搜索索引…", "loading");
    var loadStarted = performance.now();
    pageEngine(root + "search/").then(function (loaded) {
      engine = loaded;
      app.setAttribute("data-load-ms", (performance.now() - loadStarted).toFixed(1));
      engine.manifest.years.forEach(function (year) {
        var option = element("option", null, String(year));
        option.value = String(year);
        yearSelect.appendChild(option);
      });
      return run(readState());
    }).then(function () {
      app.setAttribute("data-ready", "true");
    }, function (error) {
      setStatus("搜索数据载入失败（" + error.message + "）：请重新生成网站。", "error");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initPage);
  else initPage();
})();

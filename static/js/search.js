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
  var PAGE_SIZE = 50;
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

  /* The index terms holding one Han character, listed on first use. */
  function termsWithCharacter(engine, ch) {
    if (!engine.termsByCharacter) {
      engine.termsByCharacter = {};
      engine.terms.forEach(function (term) {
        Array.from(new Set(Array.from(term))).forEach(function (c) {
          (engine.termsByCharacter[c] = engine.termsByCharacter[c] || []).push(term);
        });
      });
    }
    return engine.termsByCharacter[ch] || [];
  }

  /* lunr term clauses for one phrase: every token required, except a lone Han character, which
     may sit inside a longer run in the text and so is only known through the bigrams holding it
     (named directly: lunr's leading wildcard walks the whole token set). */
  function addClauses(engine, query, phrase) {
    var runs = [];
    var match;
    var folded = fold(phrase);
    RUN_RE.lastIndex = 0;
    while ((match = RUN_RE.exec(folded)) !== null) runs.push(match);
    runs.forEach(function (run) {
      var tokens = tokenize(run[0]);
      if (run[1] && tokens.length === 1 && Array.from(run[1]).length === 1) {
        termsWithCharacter(engine, tokens[0]).forEach(function (term) {
          query.term(term, { presence: lunr.Query.presence.OPTIONAL, usePipeline: false });
        });
        return;
      }
      tokens.forEach(function (token) {
        query.term(token, { presence: lunr.Query.presence.REQUIRED, usePipeline: false });
      });
    });
  }

  /* The lunr.Index of the compact form newsarchive/search.py writes (see compact_index). */
  function expandIndex(compact) {
    var invertedIndex = {};
    var fieldVectors = {};
    compact.terms.forEach(function (term, position) {
      var posting = { _index: position };
      compact.fields.forEach(function (field) { posting[field] = {}; });
      compact.postings[position].forEach(function (entry) {
        for (var i = 1; i < entry.length; i++) posting[compact.fields[entry[0]]][entry[i]] = {};
      });
      invertedIndex[term] = posting;
    });
    compact.vectors.forEach(function (perField, ref) {
      perField.forEach(function (encoded, field) {
        var elements = [];
        var index = 0;
        for (var i = 0; i < encoded.length; i += 2) {
          index += encoded[i];
          elements.push(index, encoded[i + 1]);
        }
        fieldVectors[compact.fields[field] + "/" + ref] = new lunr.Vector(elements);
      });
    });
    // lunr's token set needs JavaScript's (UTF-16) order, which differs from Python's for
    // astral characters, so the terms are sorted here rather than trusted.
    var sorted = compact.terms.slice().sort();
    return new lunr.Index({
      invertedIndex: invertedIndex, fieldVectors: fieldVectors, fields: compact.fields,
      tokenSet: lunr.TokenSet.fromArray(sorted), pipeline: lunr.Pipeline.load(compact.pipeline)
    });
  }

  /* An engine over the loaded data: {index, terms, docs, texts (folded document text cache)}. */
  function createEngine(indexData, docs) {
    return { index: expandIndex(indexData), terms: indexData.terms, docs: docs, texts: {} };
  }

  function foldedText(engine, ref) {
    if (!(ref in engine.texts)) engine.texts[ref] = fold(documentText(engine.docs[ref]));
    return engine.texts[ref];
  }

  function contains(regex, text) {
    regex.lastIndex = 0;
    return regex.test(text);
  }

  /* Run a query: returns {parsed, regexes, results: [{ref, score, doc}]}, best first. */
  function search(engine, input, filters) {
    filters = filters || {};
    var parsed = parseQuery(input);
    var include = parsed.include.map(phraseRegExp);
    var exclude = parsed.exclude.map(phraseRegExp);
    var outcome = { parsed: parsed, regexes: include, results: [] };
    if (include.length === 0) return outcome;
    var hits = engine.index.query(function (query) {
      parsed.include.forEach(function (phrase) { addClauses(engine, query, phrase); });
    });
    hits.forEach(function (hit) {
      var doc = engine.docs[hit.ref];
      if (filters.topic && (doc.topics || []).indexOf(filters.topic) < 0) return;
      if (filters.year && String(doc.year) !== String(filters.year)) return;
      var text = foldedText(engine, hit.ref);
      // Bigrams all present do not make the phrase present: check the text itself.
      if (!include.every(function (re) { return contains(re, text); })) return;
      if (exclude.some(function (re) { return contains(re, text); })) return;
      outcome.results.push({ ref: hit.ref, score: hit.score, doc: doc });
    });
    outcome.results.sort(function (a, b) {
      return b.score - a.score || String(b.doc.date || "").localeCompare(String(a.doc.date || "")) ||
        (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0);
    });
    return outcome;
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
    matchRanges: matchRanges, documentText: documentText, expandIndex: expandIndex,
    createEngine: createEngine,
    search: search, snippet: snippet, isOneCharacter: isOneCharacter
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

  /* Load the manifest, then every shard it lists; resolves to an engine. */
  function loadEngine(dataDir) {
    var data = window.newsarchiveSearch = window.newsarchiveSearch || {};
    var manifestReady = data.manifest ? Promise.resolve() : loadScript(dataDir + "manifest.js");
    return manifestReady.then(function () {
      var manifest = data.manifest;
      var names = manifest.index.concat(manifest.docs.map(function (shard) { return shard.name; }));
      return Promise.all(names.filter(function (name) { return !data[name]; }).map(function (name) {
        return loadScript(dataDir + name + ".js");
      })).then(function () {
        var docs = [];
        manifest.docs.forEach(function (shard) { docs = docs.concat(data[shard.name]); });
        // One index shard today; several would be merged by intersecting required matches.
        return { engine: createEngine(data[manifest.index[0]], docs), manifest: manifest };
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

  function renderResult(result, regexes, root) {
    var doc = result.doc;
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
    var shown = [];
    var current = null;

    function setStatus(text, kind) {
      status.textContent = text;
      status.setAttribute("data-kind", kind || "");
    }

    function showMore() {
      var start = list.children.length;
      current.results.slice(start, start + PAGE_SIZE).forEach(function (result) {
        list.appendChild(renderResult(result, current.regexes, root));
      });
      more.hidden = list.children.length >= current.results.length;
    }

    function run(state) {
      input.value = state.q;
      topicSelect.value = state.topic;
      yearSelect.value = state.year;
      list.textContent = "";
      more.hidden = true;
      if (!engine) return;
      var started = performance.now();
      current = search(engine, state.q, { topic: state.topic, year: state.year });
      var elapsed = performance.now() - started;
      app.setAttribute("data-query-ms", elapsed.toFixed(2));
      if (!state.q.trim()) return setStatus("输入词语搜索全部文章。", "empty");
      if (current.parsed.include.length === 0) {
        return setStatus("请输入要查找的字词（只排除或只有标点无法搜索）。", "empty");
      }
      var count = current.results.length;
      var words = current.parsed.include.map(function (p) { return "“" + p + "”"; }).join(" ");
      var note = isOneCharacter(current.parsed) ? "单字搜索范围很广，结果可能较多、较慢；加一个字更准确。" : "";
      if (count === 0) setStatus("没有找到包含 " + words + " 的文章。" + note + "试试更短的词或去掉筛选。", "none");
      else setStatus("找到 " + count + " 篇包含 " + words + " 的文章。" + note, note ? "broad" : "found");
      showMore();
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
    loadEngine(root + "search/").then(function (loaded) {
      engine = loaded.engine;
      app.setAttribute("data-load-ms", (performance.now() - loadStarted).toFixed(1));
      loaded.manifest.years.forEach(function (year) {
        var option = element("option", null, String(year));
        option.value = String(year);
        yearSelect.appendChild(option);
      });
      run(readState());
      app.setAttribute("data-ready", "true");
    }, function (error) {
      setStatus("搜索数据载入失败（" + error.message + "）：请重新生成网站。", "error");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initPage);
  else initPage();
})();

/* The search page: the form, the results with their matches marked, the aria-live count and
 * the query kept in the URL. Everything about finding and ranking is search-engine.js's
 * (window.NewsarchiveSearch), loaded before this file.
 */
(function () {
  "use strict";

  var search = window.NewsarchiveSearch;
  var PAGE_SIZE = 20;

  /* [start, end) offsets of every match of any of the regexes in text, merged and sorted. */
  function matchRanges(text, regexes) {
    var folded = search.fold(text);
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

  // What the URL keeps, in this order: the query, the order, then the filters.
  var FILTERS = ["from", "to", "year", "topic", "reporter", "page", "place"];
  var STATE_KEYS = ["q", "sort"].concat(FILTERS);

  /* A state with every key, "" where `values` (a function of the key) has none. */
  function makeState(values) {
    var state = {};
    STATE_KEYS.forEach(function (key) { state[key] = (values(key) || "").trim(); });
    return state;
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    return makeState(function (key) { return params.get(key); });
  }

  function stateQuery(state) {
    var params = new URLSearchParams();
    STATE_KEYS.forEach(function (key) { if (state[key]) params.set(key, state[key]); });
    var text = params.toString();
    return text ? "?" + text : window.location.pathname.split("/").pop();
  }

  function hasFilters(state) {
    return FILTERS.some(function (key) { return state[key]; });
  }

  function initPage() {
    var app = document.getElementById("search-app");
    if (!app) return;
    var root = app.getAttribute("data-root") || "../";
    var form = document.getElementById("search-form");
    var input = document.getElementById("search-input");
    var sortSelect = document.getElementById("search-sort");
    var options = document.getElementById("search-options");
    var activeNote = document.getElementById("search-options-active");
    var countsNote = document.getElementById("search-counts-note");
    var controls = {};
    FILTERS.forEach(function (key) { controls[key] = document.getElementById("filter-" + key); });
    var status = document.getElementById("search-status");
    var hint = document.getElementById("search-hint");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var engine = null;
    var current = null;
    var latest = 0;
    var pendingEntry = null;  // the history entry of the query being shown (see go)

    function setStatus(text, kind) {
      status.textContent = text;
      status.setAttribute("data-kind", kind || "");
    }

    /* A select's options: the empty one, then `values` (the selected one always), each with
       its count for the current query when counts are known; values no result has are left
       out then, so a long list of reporters shows only those that matter. */
    function fillSelect(select, values, counts, selected) {
      var first = select.options[0];
      select.textContent = "";
      select.appendChild(first);
      values.forEach(function (value) {
        var count = counts ? counts[value] || 0 : null;
        if (counts && !count && value !== selected) return;
        var option = element("option", null, count === null ? value : value + "（" + count + "）");
        option.value = value;
        select.appendChild(option);
      });
      select.value = selected;
    }

    /* The filter lists as far as their facet files are loaded, with counts for `outcome`. */
    function showFacets(state, outcome) {
      var facets = engine.facets;
      var counts = outcome && outcome.parsed.include.length ?
        search.facetCounts(engine, state, outcome.candidates) : {};
      var years = engine.manifest.years.map(String);
      var yearCounts = null;
      if (counts.dates) {
        yearCounts = {};
        Object.keys(counts.dates).forEach(function (month) {
          var year = month.slice(0, 4);
          yearCounts[year] = (yearCounts[year] || 0) + counts.dates[month];
        });
      }
      fillSelect(controls.year, years, yearCounts, state.year);
      fillSelect(controls.topic, engine.manifest.topics, counts.topics || null, state.topic);
      [["reporter", "reporters"], ["page", "pages"], ["place", "places"]].forEach(function (pair) {
        var facet = facets[pair[1]];
        fillSelect(controls[pair[0]], facet ? facet.values : state[pair[0]] ? [state[pair[0]]] : [],
          counts[pair[1]] || null, state[pair[0]]);
      });
      countsNote.textContent = !outcome || !outcome.parsed.include.length ? "" :
        outcome.candidatesExact ? "括号中是当前检索在各项下的篇数。" :
          "括号中是当前检索在各项下的约数（短语和排除词尚未逐篇核对）。";
      var active = FILTERS.filter(function (key) { return state[key]; }).length;
      activeNote.textContent = active ? "（已选 " + active + " 项）" : "";
    }

    /* Counts need every facet file: loaded when the filters are open (they are not small). */
    function refreshFacets(state, outcome) {
      if (!engine) return Promise.resolve();
      if (!options.open) {
        showFacets(state, null);
        return Promise.resolve();
      }
      return Promise.all(search.FACET_KINDS.map(function (kind) {
        return search.loadFacet(engine, kind);
      })).then(function () {
        if (outcome === current) showFacets(state, outcome);  // else a newer query shows its own
      });
    }

    /* The next page of results. Each is shown as soon as its document and those of the results
       before it have loaded, so the first result appears first; a first round checks only a
       few candidates, so a phrase query shows its first results before the rest are checked. */
    function showMore() {
      var outcome = current;
      var start = list.children.length, end = start + PAGE_SIZE;
      var next = start;
      more.disabled = true;
      function showLoaded() {
        if (outcome !== current) return;  // a newer query has replaced this one
        while (next < Math.min(end, outcome.results.length) &&
               engine.docs[outcome.results[next].ref] !== undefined) {
          var doc = engine.docs[outcome.results[next].ref];
          list.appendChild(renderResult(doc, search.docRegexes(outcome, doc).include, root));
          next += 1;
        }
        if (next > 0) keepInHistory();
      }
      function round(wanted) {
        return search.checkMore(engine, outcome, wanted).then(function () {
          // The next result's document alone first: loaded with others, it arrives with them.
          var hits = outcome.results.slice(next, end);
          return search.loadDocs(engine, hits.slice(0, 1).map(function (hit) { return hit.ref; }))
            .then(showLoaded).then(function () {
              return Promise.all(hits.slice(1).map(function (hit) {
                return search.loadDocs(engine, [hit.ref]).then(showLoaded);
              }));
            });
        });
      }
      return round(start + 1).then(function () { return round(end); }).then(function () {
        if (outcome !== current) return;
        more.hidden = list.children.length >= outcome.results.length + outcome.unchecked.length;
        more.disabled = false;
        return describe(outcome);
      });
    }

    /* The count is exact once every candidate is checked; until then it is an upper bound. An
       empty result says why: the words no article holds, or that only the filters leave none
       (then a link to the same query without them). */
    function describe(outcome) {
      var state = outcome.state;
      var count = outcome.results.length + outcome.unchecked.length;
      var words = outcome.parsed.include.map(function (p) { return "“" + p + "”"; }).join(" ");
      var note = search.isOneCharacter(outcome.parsed) ? "单字搜索范围很广，结果可能较多、较慢；加一个字更准确。" : "";
      hint.hidden = true;
      hint.textContent = "";
      if (count > 0) {
        var shown = list.children.length;
        setStatus((outcome.complete ? "找到 " : "找到约 ") + count + " 篇包含 " + words + " 的文章" +
          (shown < count ? "，显示第 1–" + shown + " 篇" : "") + "。" + note, note ? "broad" : "found");
        return Promise.resolve();
      }
      var why = outcome.missing.length ?
        "没有文章包含 " + outcome.missing.map(function (p) { return "“" + p + "”"; }).join("、") + "。" :
        outcome.parsed.include.length > 1 && !hasFilters(state) ?
          "每个词都有文章包含，但没有一篇同时包含 " + words + "。" : "";
      setStatus("没有找到包含 " + words + " 的文章。" + why + note +
        (hasFilters(state) ? "" : "试试更短的词或换个说法。"), "none");
      if (outcome.missing.length || !hasFilters(state)) return Promise.resolve();
      var unfiltered = makeState(function (key) { return key === "q" || key === "sort" ? state[key] : ""; });
      return search.search(engine, state.q, {}, 1).then(function (plain) {
        if (outcome !== current) return;
        var total = plain.results.length + plain.unchecked.length;
        hint.textContent = "";
        if (total === 0) {
          hint.appendChild(document.createTextNode("不加筛选也没有结果：试试更短的词。"));
        } else {
          hint.appendChild(document.createTextNode("筛选条件下没有结果。"));
          var link = element("a", null, "去掉筛选，查看全部" + (plain.complete ? " " : "约 ") +
            total + " 篇");
          link.href = stateQuery(unfiltered);
          link.addEventListener("click", function (event) {
            event.preventDefault();
            go(unfiltered);
          });
          hint.appendChild(link);
        }
        hint.hidden = false;
      });
    }

    function run(state) {
      input.value = state.q;
      sortSelect.value = state.sort;
      FILTERS.forEach(function (key) { if (controls[key].tagName === "INPUT") controls[key].value = state[key]; });
      if (hasFilters(state)) options.open = true;
      list.textContent = "";
      more.hidden = true;
      hint.hidden = true;
      current = null;
      var ticket = ++latest;  // a query still loading its shards must not show its results now
      if (!engine) return Promise.resolve();
      if (!state.q) {
        app.setAttribute("data-busy", "false");
        refreshFacets(state, null);
        return Promise.resolve(setStatus("输入词语搜索全部文章。", "empty"));
      }
      var started = performance.now();
      app.setAttribute("data-busy", "true");
      // Only the first result is checked here: showMore() shows it, then checks on for the page.
      return search.search(engine, state.q, state, 1).then(function (outcome) {
        if (ticket !== latest) return;
        outcome.state = state;
        current = outcome;
        if (outcome.parsed.include.length === 0) {
          setStatus("请输入要查找的字词（只排除或只有标点无法搜索）。", "empty");
          return;
        }
        return showMore().then(function () { return refreshFacets(state, outcome); });
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

    /* Add the history entry go() left pending, if any. */
    function keepInHistory() {
      var entry = pendingEntry;
      pendingEntry = null;
      if (!entry) return;
      try {
        window.history.pushState(entry.state, "", entry.target);
      } catch (error) {
        // Some browsers refuse history entries on file:// pages; the search still runs.
      }
    }

    /* Show `state` and keep it in the URL (a history entry, so Back returns to the last one).
       From file:// pushState holds the page for a few ms, so the entry is added once the first
       result is shown (or the search is done), not before the search starts; a newer query
       adds the older one's first, so entries keep their order. */
    function go(state) {
      keepInHistory();
      var target = stateQuery(state);
      if (target !== stateQuery(readState())) pendingEntry = { state: state, target: target };
      run(state).then(keepInHistory);
    }

    function submit() {
      go(makeState(function (key) {
        return key === "q" ? input.value : key === "sort" ? sortSelect.value : controls[key].value;
      }));
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    [sortSelect].concat(FILTERS.map(function (key) { return controls[key]; }))
      .forEach(function (control) { control.addEventListener("change", submit); });
    options.addEventListener("toggle", function () {
      if (options.open) refreshFacets(current ? current.state : readState(), current);
    });
    more.addEventListener("click", showMore);
    window.addEventListener("popstate", function () {
      pendingEntry = null;  // the query it belonged to is left: Back must not bring it back
      run(readState());
    });

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
    search.scriptEngine(root + "search/").then(function (loaded) {
      engine = loaded;
      app.setAttribute("data-load-ms", (performance.now() - loadStarted).toFixed(1));
      var months = engine.manifest.months || [];
      if (months.length) {
        ["from", "to"].forEach(function (key) {
          controls[key].min = months[0];
          controls[key].max = months[1];
        });
      }
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

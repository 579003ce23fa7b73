/* The search engine: lunr 2.3.9's scoring over Chinese bigrams, apart from the page that shows it.
 *
 * Each index shard becomes a lunr.Index over the query's terms and its candidates, and lunr.js
 * runs the query (every token REQUIRED); when more than a few dozen documents hold every token,
 * the engine adds up the same BM25 weights itself (scoreTerms) rather than build a large index:
 * tests/js/score_parity.js proves those scores equal (===) to lunr's own query.
 * Works from file:// as well as over http: the data comes in classic <script> files that register
 * themselves on window.newsarchiveSearch (no fetch, XHR, import or worker; see scriptEngine).
 * The tokenizer mirrors newsarchive/search/tokenize.py; tests/vectors/tokenizer.json keeps the
 * two in step. Like it, it cuts tokens from matchForm(text): folded, traditional characters made
 * simplified with OpenCC's table (the build writes it as variants-N.js; a query loads the few
 * files its characters name, and only when it is not found as typed: see queryPlans), spaces
 * between two Han characters taken out. One namespace, NewsarchiveSearch: a global in a
 * browser (search-ui.js draws the page with it), module.exports under node, where tests
 * require() it and nothing needs a DOM.
 */
(function () {
  "use strict";
  var HAN = "\\u2e80-\\u2fdf\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3ffff}";
  var WORD = "0-9A-Za-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u017f\\u0386\\u0388-\\u03ce" +
    "\\u0400-\\u045f";
  var RUN_RE = new RegExp("([" + HAN + "]+)|([" + WORD + "]+)", "gu");
  var WORD_CHAR_RE = new RegExp("^[" + WORD + "]$", "u");
  var HAN_CHAR_RE = new RegExp("^[" + HAN + "]$", "u");
  var HAN_GLOBAL_RE = new RegExp("[" + HAN + "]", "gu");
  // Spaces on a line (SPACE in tokenize.py); between two Han characters they are no word break.
  var SPACE = " \\t\\u00a0\\u2000-\\u200a\\u202f\\u205f";
  var HAN_GAP_RE = new RegExp("(?<=[" + HAN + "])[" + SPACE + "]+(?=[" + HAN + "])", "gu");
  // Candidates checked in one round of document loads: each load costs a few ms in a browser,
  // so a first result is looked for in the best candidate alone (most often it holds the phrase).
  var MIN_BATCH = 1, MAX_BATCH = 200;
  var K1 = 1.2, B = 0.75;  // lunr's BM25 constants
  var LUNR_QUERY_MAX = 50;  // candidates lunr.js ranks itself (see shardScores)
  // Varints (shards.py): base 32, big-endian, a value's last digit one of the first 32 of
  // these characters, every digit before it one of the last 32 (its value plus 32 here).
  var VARINT_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var VARINT_VALUE = new Int8Array(128);
  for (var d = 0; d < VARINT_DIGITS.length; d++) VARINT_VALUE[VARINT_DIGITS.charCodeAt(d)] = d;
  // lunr.js: require()d under node, the page's global in a browser (set at the end of this file).
  var lunr;

  /* Width- and case-fold text for matching, keeping its length (as fold() in search/tokenize.py). */
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

  /* `text` with each character of a variant class made its simplified one: `variants` maps a
     character to its class ("发發髮", the simplified one first); characters it lacks stay. */
  function simplify(text, variants) {
    if (!variants || !variants.size) return text;
    return text.replace(HAN_GLOBAL_RE, function (ch) {
      var group = variants.get(ch);
      return group ? Array.from(group)[0] : ch;
    });
  }

  /* The text tokens are cut from (match_form in tokenize.py). */
  function matchForm(text, variants) {
    return simplify(fold(text), variants).replace(HAN_GAP_RE, "");
  }

  /* Han runs as overlapping bigrams (one character alone), words lowercased, the rest dropped;
     traditional characters simplified as far as `variants` (see simplify) knows them. */
  function tokenize(text, variants) {
    var tokens = [];
    var folded = matchForm(text, variants);
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

  /* A global regex finding `phrase` in folded text: case and width blind, each character that
     `variants` maps to a class matching all of it ([发發]), Latin words whole, and blind to the
     spaces printed between Han characters or between Han and digits or Latin. The text it finds
     is the text as printed, so marks cover exactly that. */
  function phraseRegExp(phrase, variants) {
    var chars = Array.from(fold(phrase).replace(HAN_GAP_RE, ""));
    var source = "";
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (/\s/.test(ch)) {
        source += "\\s+";
        continue;
      }
      var group = variants && HAN_CHAR_RE.test(ch) ? variants.get(ch) : undefined;
      source += group ? "[" + group + "]" : escapeRegExp(ch);
      var next = chars[i + 1];
      if (next !== undefined && !/\s/.test(next) &&
          (HAN_CHAR_RE.test(ch) || HAN_CHAR_RE.test(next)) &&
          (WORD_CHAR_RE.test(ch) || HAN_CHAR_RE.test(ch)) &&
          (WORD_CHAR_RE.test(next) || HAN_CHAR_RE.test(next))) {
        source += "[" + SPACE + "]*";
      }
    }
    var wordEdge = "[" + WORD + "]";
    if (WORD_CHAR_RE.test(chars[0])) source = "(?<!" + wordEdge + ")" + source;
    if (WORD_CHAR_RE.test(chars[chars.length - 1])) source += "(?!" + wordEdge + ")";
    return new RegExp(source, "gu");
  }

  /* The variant classes a document's text needs (see docRegexes), from its `variants`: each
     traditional character it holds followed by its simplified one ("發发臺台"). A simplified
     character maps to itself and the traditional ones of the document ("发" -> "发發"). */
  function documentClasses(doc) {
    if (!doc.variants) return null;
    var classes = new Map();
    var chars = Array.from(doc.variants);
    for (var i = 0; i + 1 < chars.length; i += 2) {
      classes.set(chars[i + 1], (classes.get(chars[i + 1]) || chars[i + 1]) + chars[i]);
    }
    return classes;
  }

  /* The regexes of a query's phrases ({include, exclude}) for the text of `doc`: the query's
     own for a document printed in simplified characters alone (most of them), else made for
     its traditional characters, so a phrase finds them and marks cover them as printed. */
  function docRegexes(outcome, doc) {
    var classes = documentClasses(doc);
    if (!classes) return { include: outcome.regexes, exclude: outcome.exclude };
    var made = outcome.docRegexes = outcome.docRegexes || new Map();
    if (!made.has(doc.id)) {
      made.set(doc.id, {
        include: outcome.phrases.map(function (p) { return phraseRegExp(p, classes); }),
        exclude: outcome.excludePhrases.map(function (p) { return phraseRegExp(p, classes); })
      });
    }
    return made.get(doc.id);
  }

  /* All text a query is checked against, one field per paragraph, names and tags a line each
     (a space between two Han characters would join them). */
  function documentText(doc) {
    return [doc.title, doc.kicker, doc.subtitle, doc.byline, (doc.reporters || []).join("\n"),
      (doc.tags || []).join("\n"), doc.body].filter(Boolean).join("\n\n");
  }

  /* FNV-1a over code points: the index shard holding a term (term_shard in search/shards.py). */
  function termShard(term, shards) {
    var value = 0x811c9dc5;
    for (var ch of term) value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return value % shards;
  }

  /* The values of a string of varints. */
  function readVarints(text) {
    var values = [], value = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = VARINT_VALUE[text.charCodeAt(i)];
      if (digit >= 32) {
        value = value * 32 + digit - 32;
      } else {
        values.push(value * 32 + digit);
        value = 0;
      }
    }
    return values;
  }

  /* The values of a string of varints as an Int32Array: a common term's postings are tens of
     thousands of them, decoded in two passes (count, then fill) without growing an array. */
  function varintArray(text) {
    var count = 0, i;
    for (i = 0; i < text.length; i++) if (VARINT_VALUE[text.charCodeAt(i)] < 32) count++;
    var values = new Int32Array(count), value = 0, at = 0;
    for (i = 0; i < text.length; i++) {
      var digit = VARINT_VALUE[text.charCodeAt(i)];
      if (digit >= 32) {
        value = value * 32 + digit - 32;
      } else {
        values[at++] = value * 32 + digit;
        value = 0;
      }
    }
    return values;
  }

  /* A shard as its data file registers it ({terms: "t1 t2 …", postings: "p1 p2 …"}), made
     ready to read: terms and postings strings as arrays, each term decoded on first use. */
  function openShard(data) {
    return { terms: data.terms ? data.terms.split(" ") : [],
      postings: data.postings ? data.postings.split(" ") : [], decoded: [], refLists: [] };
  }

  /* The postings of the term at `position`: per field holding it {field, refs, tfs, lengths}
     (lengths null for the field whose lengths are in the length tables), newest first. A
     postings string is the recent tier's, "|", the older tier's when the term is in both
     (addRecent); each tier's is fields apart by "."; each field its number, then runs
     newest first (shards.py): the steps (the first ref, then each step down, doubled, plus 1
     when the term frequency is over 1), after "~" those frequencies less 2, after "!" the
     field's lengths. */
  function termPostings(shard, position) {
    var entries = shard.decoded[position];
    if (entries) return entries;
    var tiers = shard.postings[position].split("|");
    entries = tierPostings(tiers[0]);
    if (tiers.length > 1) entries = joinTiers(entries, tierPostings(tiers[1]));
    shard.decoded[position] = entries;
    return entries;
  }

  function tierPostings(text) {
    return text.split(".").map(function (section) {
      var parts = section.split("!");
      var runs = parts[0].split("~");
      var steps = varintArray(runs[0]);
      var extras = runs.length > 1 ? varintArray(runs[1]) : null;
      var count = steps.length - 1;
      var entry = { field: steps[0], refs: new Int32Array(count), tfs: new Int32Array(count),
        lengths: parts.length > 1 ? varintArray(parts[1]) : null };
      for (var i = 0, ref = 0, extra = 0; i < count; i++) {
        var step = steps[i + 1];
        ref = i === 0 ? step >>> 1 : ref - (step >>> 1);
        entry.refs[i] = ref;
        entry.tfs[i] = step & 1 ? extras[extra++] + 2 : 1;
      }
      return entry;
    });
  }

  /* One term's postings of both tiers: per field, the newer tier's in front (what one tier
     of all the documents would hold), fields in their order. */
  function joinTiers(newer, older) {
    var byField = new Map(older.map(function (entry) { return [entry.field, entry]; }));
    newer.forEach(function (entry) {
      var old = byField.get(entry.field);
      byField.set(entry.field, !old ? entry : { field: entry.field,
        refs: joined(entry.refs, old.refs), tfs: joined(entry.tfs, old.tfs),
        lengths: entry.lengths && joined(entry.lengths, old.lengths) });
    });
    return Array.from(byField.values()).sort(function (a, b) { return a.field - b.field; });
  }

  function joined(first, second) {
    var all = new Int32Array(first.length + second.length);
    all.set(first);
    all.set(second, first.length);
    return all;
  }

  /* Put `term`'s postings in `recent` (its shard of the recent tier) in front of its postings
     in `shard` (its shard of the older documents), once per term: a term only recent joins
     the shard's terms at their end. */
  function addRecent(shard, recent, term) {
    shard.withRecent = shard.withRecent || new Set();
    if (shard.withRecent.has(term)) return;
    shard.withRecent.add(term);
    var from = shardPositions(recent).get(term);
    if (from === undefined) return;
    var positions = shardPositions(shard), position = positions.get(term);
    if (position === undefined) {
      positions.set(term, shard.terms.length);
      shard.terms.push(term);
      shard.postings.push(recent.postings[from]);
    } else {
      shard.postings[position] = recent.postings[from] + "|" + shard.postings[position];
      shard.decoded[position] = shard.refLists[position] = undefined;
    }
  }

  /* The refs of the documents holding the term at `position` in any field: ascending, each
     once, an Int32Array worked out once per term. */
  function termRefList(shard, position) {
    var list = shard.refLists[position];
    if (list) return list;
    var entries = termPostings(shard, position);
    if (entries.length === 1) {
      list = entries[0].refs.slice().reverse();  // newest first in the data
    } else {
      var all = new Int32Array(entries.reduce(function (n, e) { return n + e.refs.length; }, 0));
      var at = 0;
      entries.forEach(function (entry) { all.set(entry.refs, at); at += entry.refs.length; });
      all.sort();
      var kept = 0;
      for (var i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[kept++] = all[i];
      list = all.slice(0, kept);
    }
    shard.refLists[position] = list;
    return list;
  }

  /* Where `ref` is in `refs`, which run newest (highest) first; -1 if it is not there. */
  function findDescending(refs, ref) {
    var low = 0, high = refs.length - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (refs[middle] === ref) return middle;
      if (refs[middle] > ref) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /* lunr's BM25 weight (lunr.py's Builder: k1 1.2, b 0.75, idf over the postings of all fields,
     times the field's boost, rounded to 3 decimals) of each posting of the term at `position`
     in a shard (openShard), as visit(field number, ref, weight); refs outside `within` (a Set,
     default: all) are skipped. The weights depend on the whole archive (manifest), so they are
     worked out here: an edit then changes only the shards of its own terms. `lengths` is the
     kind of index's {totals: its field length totals (manifest.fieldLengths or
     charsFieldLengths), body: ref -> body length (see loadLengths), for the refs scored}. */
  function eachWeight(shard, manifest, lengths, position, within, visit) {
    var documents = manifest.documents;
    var entries = termPostings(shard, position);
    var withTerm = 0;
    entries.forEach(function (entry) { withTerm += entry.refs.length; });
    var idf = Math.log(1 + Math.abs((documents - withTerm + 0.5) / (withTerm + 0.5)));
    // `within` may also be the engine's candidates, an ascending Int32Array of refs that all
    // hold the term (candidates()): all of them, a few looked up, or many made a Set.
    var sorted = within && !(within instanceof Set) ? within : null;
    if (sorted && sorted.length === termRefList(shard, position).length) within = sorted = null;
    entries.forEach(function (entry) {
      var number = entry.field, refs = entry.refs;
      var average = lengths.totals[number] / documents;
      var boost = manifest.boosts[number];
      // A weight depends on the term frequency and the length alone: each pair is worked out
      // once, since toFixed is the costliest step and a common term has thousands of postings.
      var known = new Map();
      var weigh = function (i) {
        var ref = refs[i], tf = entry.tfs[i];
        var length = entry.lengths ? entry.lengths[i] : lengths.body[ref];
        var key = length * 1048576 + tf;
        var weight = known.get(key);
        if (weight === undefined) {
          var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / average)) + tf);
          score *= boost;
          // toFixed rounds the exact binary value, as Python's round() does (lunr.py).
          weight = Number(score.toFixed(3));
          known.set(key, weight);
        }
        visit(number, ref, weight);
      };
      var i;
      if (sorted && sorted.length * 16 < refs.length) {
        for (var j = 0; j < sorted.length; j++) {
          i = findDescending(refs, sorted[j]);
          if (i >= 0) weigh(i);
        }
        return;
      }
      if (sorted) within = sorted.refSet = sorted.refSet || new Set(sorted);
      for (i = 0; i < refs.length; i++) {
        if (within && !within.has(refs[i])) continue;
        weigh(i);
      }
    });
  }

  /* The terms of `terms` that the shard holds, in the order given. */
  function shardTerms(shard, terms) {
    var positions = shardPositions(shard);
    return (terms || shard.terms).filter(function (term) { return positions.has(term); });
  }

  /* A lunr.Index over a shard's `terms` (default: all) and the documents `within` (default:
     all), with the weights of eachWeight (tests prove them lunr.py's). */
  function shardIndex(shard, manifest, lengths, terms, within) {
    var fields = manifest.fields;
    var invertedIndex = {};
    var elements = {};
    terms = shardTerms(shard, terms);
    terms.forEach(function (term, position) {
      var posting = { _index: position };
      fields.forEach(function (field) { posting[field] = {}; });
      eachWeight(shard, manifest, lengths, shardPositions(shard).get(term), within,
        function (number, ref, weight) {
          var key = fields[number] + "/" + ref;
          posting[fields[number]][ref] = {};
          (elements[key] = elements[key] || []).push(position, weight);
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

  /* What lunr's query with every one of `terms` REQUIRED scores over shardIndex(shard, manifest,
     terms, within), without building the index: {ref: score} of the documents in `within`
     holding the terms, or, given `into` (a Float64Array over all refs, zeros), those scores
     written there (tens of thousands of them are written faster to an array than an object).
     lunr adds, per field holding any of the terms, the dot product of the
     field's vector and the query's (one per term), over the query vector's length; the sums
     run in lunr's order (terms as given, fields in order), so the floats are lunr's too. */
  function scoreTerms(shard, manifest, lengths, terms, within, into) {
    terms = shardTerms(shard, terms);
    var magnitude = Math.sqrt(terms.length);
    var scores = into || {};
    if (terms.length === 1) {
      // One term: a field's sum is its one weight, and fields come in lunr's order already.
      eachWeight(shard, manifest, lengths, shardPositions(shard).get(terms[0]), within,
        function (number, ref, weight) { scores[ref] = (scores[ref] || 0) + weight; });
      return scores;
    }
    var byRef = new Map();
    terms.forEach(function (term) {
      eachWeight(shard, manifest, lengths, shardPositions(shard).get(term), within,
        function (number, ref, weight) {
          var doc = byRef.get(ref);
          if (!doc) byRef.set(ref, doc = { order: [], sums: {} });
          if (doc.sums[number] === undefined) {
            doc.order.push(number);
            doc.sums[number] = 0;
          }
          doc.sums[number] += weight;
        });
    });
    byRef.forEach(function (doc, ref) {
      var score = 0;
      doc.order.forEach(function (number) { score += doc.sums[number] / magnitude || 0; });
      scores[ref] = score;
    });
    return scores;
  }

  /* lunr.js's own query over shardIndex(shard, manifest, terms, within), every term REQUIRED
     and no pipeline (the terms are already tokens): {ref: score}. */
  function lunrScores(shard, manifest, lengths, terms, within) {
    terms = shardTerms(shard, terms);
    var scores = {};
    shardIndex(shard, manifest, lengths, terms, within).query(function (query) {
      terms.forEach(function (term) {
        query.term(term, { presence: lunr.Query.presence.REQUIRED, usePipeline: false });
      });
    }).forEach(function (hit) { scores[hit.ref] = hit.score; });
    return scores;
  }

  /* A shard's scores of the candidates `within`: lunr.js ranks them itself while there are
     few; over many, building its index would cost more than the query (frequent character
     pairs hold most of the archive), and scoreTerms adds the same weights without one. */
  function shardScores(shard, manifest, lengths, terms, within) {
    var size = within instanceof Set ? within.size : within.length;
    if (size <= LUNR_QUERY_MAX) return lunrScores(shard, manifest, lengths, terms, within);
    return scoreTerms(shard, manifest, lengths, terms, within, new Float64Array(manifest.documents));
  }

  /* The refs of the documents holding `term` in any field, ascending (see termRefList). */
  function termRefs(shard, term) {
    var position = shardPositions(shard).get(term);
    return position === undefined ? new Int32Array(0) : termRefList(shard, position);
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
    return { manifest: manifest, load: load, pending: {}, shards: {}, docs: {}, texts: {},
      variants: new Map(), facets: {},
      lengths: { index: { totals: manifest.fieldLengths, body: [] },
        chars: { totals: manifest.charsFieldLengths, body: [] } } };
  }

  /* Load a data file once, keeping the promise so concurrent queries share it. */
  function loadOnce(engine, name, prepare) {
    if (!engine.pending[name]) engine.pending[name] = engine.load(name).then(prepare);
    return engine.pending[name];
  }

  /* The shard of index `kind` ("index": bigrams and words, "chars": Han characters) that holds
     each of `terms`, loaded: resolves to [shard name, …] in the order of `terms`. */
  function loadTermShards(engine, kind, terms) {
    var count = engine.manifest[kind + "Shards"];
    var recentCount = engine.manifest[kind + "RecentShards"] || 0;
    var names = terms.map(function (term) { return kind + "-" + termShard(term, count); });
    var recentNames = !recentCount ? [] : terms.map(function (term) {
      return kind + "-recent-" + termShard(term, recentCount);
    });
    return Promise.all(unique(names.concat(recentNames)).map(function (name) {
      return loadOnce(engine, name, function (shard) { engine.shards[name] = openShard(shard); });
    })).then(function () {
      recentNames.forEach(function (name, i) {
        addRecent(engine.shards[names[i]], engine.shards[name], terms[i]);
      });
      return names;
    });
  }

  /* The body lengths of index `kind` for `refs` (default: every document), loaded into
     engine.lengths[kind].body from the length tables that hold them. */
  function loadLengths(engine, kind, refs) {
    var size = engine.manifest.lengthsPerFile;
    var body = engine.lengths[kind].body;
    var numbers = [];
    if (refs) {
      refs.forEach(function (ref) {  // ascending
        var number = Math.floor(ref / size);
        if (numbers[numbers.length - 1] !== number) numbers.push(number);
      });
    } else {
      for (var n = 0; n * size < engine.manifest.documents; n++) numbers.push(n);
    }
    return Promise.all(numbers.map(function (number) {
      return loadOnce(engine, "lengths-" + kind + "-" + number, function (table) {
        readVarints(table).forEach(function (length, i) { body[number * size + i] = length; });
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
    return Array.from(new Set(items));
  }

  /* The variant classes of the Han characters of `text` (see simplify), loaded into
     engine.variants from the files their characters name. */
  function loadVariants(engine, text) {
    var count = engine.manifest.variantShards;
    var chars = unique(Array.from(fold(text)).filter(function (ch) { return HAN_CHAR_RE.test(ch); }));
    var names = count ? unique(chars.map(function (ch) { return "variants-" + termShard(ch, count); })) : [];
    return Promise.all(names.map(function (name) {
      return loadOnce(engine, name, function (groups) {
        groups.split(" ").forEach(function (group) {
          Array.from(group).forEach(function (ch) { engine.variants.set(ch, group); });
        });
      });
    }));
  }

  /* The plans (phrasePlan) of the query's `phrases`, their shards loaded. The index holds
     simplified text only, so a query typed in simplified characters (most are) finds each of
     its tokens with the variant classes of none of them: those are loaded only when a token
     is missing, and the plans made again; a token made of a traditional character is never
     in the index. */
  function queryPlans(engine, phrases) {
    var plans = phrases.map(function (p) { return phrasePlan(p, engine.variants); });
    return loadPlanShards(engine, plans).then(function (held) {
      if (held) return plans;
      return loadVariants(engine, phrases.join(" ")).then(function () {
        var again = phrases.map(function (p) { return phrasePlan(p, engine.variants); });
        return loadPlanShards(engine, again).then(function () { return again; });
      });
    });
  }

  /* Load the index shards of the plans' tokens; resolves to whether they hold every token.
     A lone character is held by a large share of the archive as a rule, so its scores need
     the body lengths of most documents: the character index's length tables load beside its
     shards rather than in a round of their own after them. */
  function loadPlanShards(engine, plans) {
    var required = unique([].concat.apply([], plans.map(function (p) { return p.required; })));
    var characters = unique([].concat.apply([], plans.map(function (p) { return p.characters; })));
    return Promise.all([loadTermShards(engine, "index", required),
      loadTermShards(engine, "chars", characters),
      characters.length ? loadLengths(engine, "chars") : null]).then(function (names) {
      return required.every(function (term, i) {
        return shardPositions(engine.shards[names[0][i]]).has(term);
      }) && characters.every(function (ch, i) {
        return shardPositions(engine.shards[names[1][i]]).has(ch);
      });
    });
  }

  /* What a phrase asks of the index: tokens every result holds, lone Han characters (inside a
     longer run they exist only in bigrams), and whether the index alone answers it exactly. */
  function phrasePlan(phrase, variants) {
    var plan = { required: [], characters: [] };
    var folded = matchForm(phrase, variants);
    // matchAll, not exec: tokenize() below shares RUN_RE's lastIndex.
    Array.from(folded.matchAll(RUN_RE)).forEach(function (match) {
      if (match[1] && Array.from(match[1]).length === 1) plan.characters.push(match[1]);
      else plan.required = plan.required.concat(tokenize(match[0]));
    });
    var tokens = plan.required.concat(plan.characters);
    plan.exact = tokens.length === 1 && tokens[0] === folded;
    return plan;
  }

  /* The refs in every one of `lists` (ascending Int32Arrays), ascending; shortest first, a
     short list looked up in a long one, lists of like length merged. */
  function intersect(lists) {
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var result = lists[0];
    for (var k = 1; k < lists.length && result.length; k++) {
      var other = lists[k], out = new Int32Array(result.length), kept = 0, i, at = 0;
      if (result.length * 16 < other.length) {
        for (i = 0; i < result.length; i++) {
          var low = at, high = other.length - 1, ref = result[i];
          while (low <= high) {
            var middle = (low + high) >> 1;
            if (other[middle] < ref) low = middle + 1;
            else high = middle - 1;
          }
          at = low;
          if (other[low] === ref) out[kept++] = ref;
        }
      } else {
        for (i = 0; i < result.length; i++) {
          while (at < other.length && other[at] < result[i]) at++;
          if (other[at] === result[i]) out[kept++] = result[i];
        }
      }
      result = out.subarray(0, kept);
    }
    return result;
  }

  /* The documents holding every required token and every lone character, with their scores:
     per index shard, lunr's score of the query's tokens there; per character, its score in the
     character index; summed. The sets are intersected shortest first before anything is
     scored, so common tokens cost little. Resolves to [{ref, score}], unordered; when there is
     none, each plan no document holds on its own gets `missing`. */
  function candidates(engine, plans) {
    var manifest = engine.manifest;
    var required = unique([].concat.apply([], plans.map(function (p) { return p.required; })));
    var characters = unique([].concat.apply([], plans.map(function (p) { return p.characters; })));
    return Promise.all([loadTermShards(engine, "index", required),
      loadTermShards(engine, "chars", characters)]).then(function (names) {
      var shardOf = function (name) { return engine.shards[name]; };
      var refsOf = new Map();
      required.forEach(function (term, i) {
        refsOf.set(term, termRefs(shardOf(names[0][i]), term));
      });
      characters.forEach(function (ch, i) {
        refsOf.set(ch, termRefs(shardOf(names[1][i]), ch));
      });
      var within = intersect(Array.from(refsOf.values()));
      if (within.length === 0) {
        plans.forEach(function (plan) {
          plan.missing = intersect(plan.required.concat(plan.characters)
            .map(function (token) { return refsOf.get(token); })).length === 0;
        });
        return [];
      }
      return Promise.all([required.length ? loadLengths(engine, "index", within) : null,
        characters.length ? loadLengths(engine, "chars", within) : null]).then(function () {
        var groups = unique(names[0]).map(function (name) {
          var mine = required.filter(function (term, i) { return names[0][i] === name; });
          return shardScores(shardOf(name), manifest, engine.lengths.index, mine, within);
        }).concat(characters.map(function (ch, i) {
          return shardScores(shardOf(names[1][i]), manifest, engine.lengths.chars, [ch], within);
        }));
        var hits = new Array(within.length);
        for (var i = 0; i < within.length; i++) {
          var ref = within[i], score = 0;
          for (var g = 0; g < groups.length; g++) score += groups[g][ref];
          hits[i] = { ref: ref, score: score };
        }
        return hits;
      });
    });
  }

  function contains(regex, text) {
    regex.lastIndex = 0;
    return regex.test(text);
  }

  // The filters a search takes (options.KEY: a value) and the facet file each one reads.
  var FILTER_FACETS = { topic: "topics", reporter: "reporters", page: "pages", place: "places" };
  var FACET_KINDS = ["dates", "pages", "topics", "reporters", "places"];

  /* A day number of facets-dates (days since 1970-01-01) as YYYY-MM-DD. */
  function isoDay(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  /* A facet file, decoded once into {values, byRef}: per ref its day number (dates; null if
     undated), its value number (pages; -1 if none) or its list of value numbers (the rest). */
  function loadFacet(engine, kind) {
    return loadOnce(engine, "facets-" + kind, function (data) {
      var byRef = new Array(engine.manifest.documents);
      if (kind === "dates" || kind === "pages") {
        var runs = kind === "dates" ? data : data.runs;
        for (var i = 0, ref = 0; i < runs.length; i += 2) {
          for (var n = 0; n < runs[i + 1]; n++) byRef[ref++] = runs[i];
        }
      } else {
        for (var r = 0; r < byRef.length; r++) byRef[r] = [];
        data.refs.forEach(function (gaps, value) {
          for (var j = 0, at = 0; j < gaps.length; j++) byRef[at += gaps[j]].push(value);
        });
      }
      engine.facets[kind] = { values: kind === "dates" ? null : data.values, byRef: byRef };
      return engine.facets[kind];
    });
  }

  /* The facet kinds `options` read: dates for a year, a date range or an order by date. */
  function optionFacets(options) {
    var kinds = Object.keys(FILTER_FACETS).filter(function (key) { return options[key]; })
      .map(function (key) { return FILTER_FACETS[key]; });
    if (options.year || options.from || options.to || options.sort === "new" ||
        options.sort === "old") kinds.push("dates");
    return kinds;
  }

  /* A test of a ref against every filter of `options` (facets loaded), but those of the facet
     kind `except` if given: what the counts of that kind's values are taken over. A date
     filter compares the date's first characters, so "2024", "2024-03" and "2024-03-15" all
     work, `from` and `to` both included. */
  function filterTest(engine, options) {
    var tests = [];
    if (options.year || options.from || options.to) {
      var days = engine.facets.dates.byRef;
      tests.push({ kind: "dates", test: function (ref) {
        if (days[ref] === null) return false;
        var date = isoDay(days[ref]);
        return (!options.year || date.slice(0, 4) === String(options.year)) &&
          (!options.from || date.slice(0, options.from.length) >= options.from) &&
          (!options.to || date.slice(0, options.to.length) <= options.to);
      } });
    }
    Object.keys(FILTER_FACETS).forEach(function (key) {
      if (!options[key]) return;
      var kind = FILTER_FACETS[key], facet = engine.facets[kind];
      var wanted = facet.values.indexOf(options[key]);
      tests.push({ kind: kind, test: wanted < 0 ? function () { return false; } :
        kind === "pages" ? function (ref) { return facet.byRef[ref] === wanted; } :
          function (ref) { return facet.byRef[ref].indexOf(wanted) >= 0; } });
    });
    return function (ref, except) {
      return tests.every(function (t) { return t.kind === except || t.test(ref); });
    };
  }

  /* Per facet kind loaded, per value (a month "YYYY-MM" for dates), how many of `refs` have it
     among those that pass the filters of the other kinds. */
  function facetCounts(engine, options, refs) {
    var test = filterTest(engine, options);
    var counts = {};
    FACET_KINDS.forEach(function (kind) {
      var facet = engine.facets[kind];
      if (!facet) return;
      var out = counts[kind] = {};
      refs.forEach(function (ref) {
        if (!test(ref, kind)) return;
        var has = facet.byRef[ref];
        var keys = kind === "dates" ? (has === null ? [] : [isoDay(has).slice(0, 7)]) :
          kind === "pages" ? (has < 0 ? [] : [facet.values[has]]) :
            has.map(function (value) { return facet.values[value]; });
        keys.forEach(function (key) { out[key] = (out[key] || 0) + 1; });
      });
    });
    return counts;
  }

  /* Sort hits in place by score, then ref, both descending. A broad query has tens of
     thousands of hits (candidates() gives them by ref, ascending) and few distinct scores
     (a weight depends on the term frequency and the length alone): read from the newest,
     each goes to its score's bucket, in a fraction of a comparator sort's time (25,588 hits
     of `部`, 760 scores: 1.5–3 ms against 5.6–8 ms in node). */
  function orderByScore(hits) {
    var count = hits.length, i;
    var ascending = count >= 256;
    for (i = 1; i < count && ascending; i++) ascending = hits[i - 1].ref < hits[i].ref;
    if (!ascending) {
      hits.sort(function (a, b) { return b.score - a.score || b.ref - a.ref; });
      return;
    }
    var numbers = new Map(), scores = [], of = new Int32Array(count);
    for (i = 0; i < count; i++) {
      var number = numbers.get(hits[i].score);
      if (number === undefined) {
        number = scores.length;
        numbers.set(hits[i].score, number);
        scores.push(hits[i].score);
      }
      of[i] = number;
    }
    var order = scores.map(function (score, n) { return n; })
      .sort(function (a, b) { return scores[b] - scores[a]; });
    var start = new Int32Array(scores.length + 1), bucket = new Int32Array(scores.length);
    order.forEach(function (n, place) { bucket[n] = place; });
    for (i = 0; i < count; i++) start[bucket[of[i]] + 1]++;
    for (i = 1; i <= scores.length; i++) start[i] += start[i - 1];
    var sorted = new Array(count);
    for (i = count - 1; i >= 0; i--) sorted[start[bucket[of[i]]]++] = hits[i];
    for (i = 0; i < count; i++) hits[i] = sorted[i];
  }

  /* Sort hits in place: by score (equal scores: the newer article first, as refs follow ids,
     which start with the date), or by date, newest ("new") or oldest ("old") first, undated
     last. */
  function orderHits(engine, hits, sort) {
    if (sort !== "new" && sort !== "old") {
      orderByScore(hits);
      return;
    }
    var days = engine.facets.dates.byRef, sign = sort === "new" ? -1 : 1;
    hits.sort(function (a, b) {
      var dayA = days[a.ref], dayB = days[b.ref];
      if ((dayA === null) !== (dayB === null)) return dayA === null ? 1 : -1;
      return sign * ((dayA - dayB) || (a.ref - b.ref));
    });
  }

  /* Run a query. `options`: filters (topic, year, from, to, reporter, page, place) and sort
     ("relevance", "new", "old"). Resolves to {parsed, phrases and excludePhrases (simplified),
     regexes (see docRegexes), results: [{ref, score}] in
     order, unchecked, complete, candidates: refs before any filter (candidatesExact: all of
     them results but for the filters), missing: the phrases no document holds}. Where the
     index cannot decide (phrases of several tokens, exclusions), the text of each candidate
     decides, in order: `wanted` results are checked (all if not given) and the rest wait in
     `unchecked` for checkMore(). Documents come with loadDocs. */
  function search(engine, input, options, wanted) {
    options = options || {};
    var parsed = parseQuery(input);
    var outcome = { parsed: parsed, phrases: [], excludePhrases: [], regexes: [], exclude: [],
      results: [], unchecked: [], checked: 0, complete: true, candidates: [], missing: [] };
    if (parsed.include.length === 0) return Promise.resolve(outcome);
    var plans;
    // Phrases to exclude are not looked up in the index: their classes load beside the shards.
    var facetsLoaded = Promise.all(optionFacets(options)
      .map(function (kind) { return loadFacet(engine, kind); }));
    return Promise.all([queryPlans(engine, parsed.include),
      loadVariants(engine, parsed.exclude.join(" "))]).then(function (loaded) {
      plans = loaded[0];
      // The phrases in simplified characters: the regexes find them in text printed so, and
      // docRegexes makes them find a document's traditional characters too.
      var simplified = function (p) { return simplify(fold(p), engine.variants); };
      outcome.phrases = parsed.include.map(simplified);
      outcome.excludePhrases = parsed.exclude.map(simplified);
      outcome.regexes = outcome.phrases.map(function (p) { return phraseRegExp(p); });
      outcome.exclude = outcome.excludePhrases.map(function (p) { return phraseRegExp(p); });
      return Promise.all([candidates(engine, plans), facetsLoaded]);
    }).then(function (loaded) {
      var found = loaded[0];
      outcome.missing = parsed.include.filter(function (p, i) { return plans[i].missing; });
      outcome.candidates = found.map(function (hit) { return hit.ref; });
      var test = filterTest(engine, options);
      found = found.filter(function (hit) { return test(hit.ref); });
      orderHits(engine, found, options.sort);
      // All bigrams present do not make the phrase present; a lone token or character does.
      var exact = plans.every(function (plan) { return plan.exact; }) && !outcome.exclude.length;
      outcome.candidatesExact = exact;  // else the candidates hold some the text check would drop
      if (exact) {
        outcome.results = found;
        return outcome;
      }
      outcome.unchecked = found;
      outcome.complete = false;
      return checkMore(engine, outcome, wanted === undefined ? Infinity : wanted);
    });
  }

  /* Check unchecked candidates in order until `wanted` results are known or none is left. */
  function checkMore(engine, outcome, wanted) {
    if (outcome.results.length >= wanted || !outcome.unchecked.length) {
      outcome.complete = !outcome.unchecked.length;
      return Promise.resolve(outcome);
    }
    // A batch a little larger than the share of candidates that passed so far suggests: one
    // round of loads when most pass, few rounds when most are bigram coincidences.
    var passed = (outcome.results.length + 1) / (outcome.checked + 1);
    var size = Math.round((wanted - outcome.results.length) / passed * 1.2);
    var batch = outcome.unchecked.splice(0, Math.max(MIN_BATCH, wanted === Infinity ? size : Math.min(size, MAX_BATCH)));
    outcome.checked += batch.length;
    return loadDocs(engine, batch.map(function (hit) { return hit.ref; })).then(function () {
      batch.forEach(function (hit) {
        var doc = engine.docs[hit.ref];
        if (!(hit.ref in engine.texts)) engine.texts[hit.ref] = fold(documentText(doc));
        var text = engine.texts[hit.ref], regexes = docRegexes(outcome, doc);
        if (regexes.include.every(function (re) { return contains(re, text); }) &&
            !regexes.exclude.some(function (re) { return contains(re, text); })) {
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

  /* A <script> element's load: the one way to read a local file that works from file://. */
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(script);
    });
  }

  /* An engine whose data files are loaded on demand as <script> elements from dataDir; each
     file registers its value on window.newsarchiveSearch under its name. */
  function scriptEngine(dataDir) {
    var data = window.newsarchiveSearch = window.newsarchiveSearch || {};
    var manifestReady = data.manifest ? Promise.resolve() : loadScript(dataDir + "manifest.js");
    return manifestReady.then(function () {
      return createEngine(data.manifest, function (name) {
        if (data[name]) return Promise.resolve(data[name]);
        return loadScript(dataDir + name + ".js").then(function () { return data[name]; });
      });
    });
  }

  var engine = {
    fold: fold, simplify: simplify, matchForm: matchForm, tokenize: tokenize,
    parseQuery: parseQuery, phraseRegExp: phraseRegExp, docRegexes: docRegexes,
    loadVariants: loadVariants,
    loadFacet: loadFacet, facetCounts: facetCounts, isoDay: isoDay, FACET_KINDS: FACET_KINDS,
    documentText: documentText, termShard: termShard, readVarints: readVarints,
    openShard: openShard, addRecent: addRecent, termPostings: termPostings,
    shardIndex: shardIndex,
    scoreTerms: scoreTerms, lunrScores: lunrScores, createEngine: createEngine,
    scriptEngine: scriptEngine, loadDocs: loadDocs, search: search, checkMore: checkMore,
    isOneCharacter: isOneCharacter
  };
  if (typeof module === "object" && module.exports) {
    lunr = require("lunr");
    module.exports = engine;
  } else {
    lunr = window.lunr;
    window.NewsarchiveSearch = engine;
  }
})();

// Recall and precision of the browser search against plain substring truth, with real lunr 2.3.9.
//
// Usage: node search_recall.js SEARCH_DIR TRUTH_JSON [SEED]
// TRUTH_JSON: {articles: [{id, text, reporters}], simplified: {character: simplified}}: the
// articles' own text, written by the test from the articles (not from the search data), and
// OpenCC's character table. Queries are generated from those texts; each query's truth is the
// set of articles whose text contains it. The truth is deliberately simple and independent of
// static/js/search-engine.js: Han found with \p{Script=Han}, matching blind only to case, full
// width and traditional or simplified characters (text and query both simplified character by
// character), Latin words matched whole, spaces on a line between two Han characters or between
// Latin/digits and Han ignored (PDF extraction and justification leave them at random), spaces
// between Latin words kept.
"use strict";
const path = require("path");
const { fileEngine } = require("./search_data.js");
const search = require(path.join(__dirname, "..", "..", "static", "js", "search-engine.js"));

const [searchDir, truthFile, seedArg] = process.argv.slice(2);
const { articles, simplified } = require(path.resolve(truthFile));

function mulberry32(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(Number(seedArg || 20241222));
const pick = (items) => items[Math.floor(random() * items.length)];

const IS_HAN = /\p{Script=Han}/u;
const IS_LATIN = /[0-9a-z\u00c0-\u017f]/u;
// Spaces on a line: space, tab, no-break, the typographic spaces, narrow no-break, the
// mathematical space; U+3000 is folded to a space first.
const GAP = "[ \\t\\u00a0\\u2000-\\u200a\\u202f\\u205f]+";
const LATIN = "[0-9a-z\\u00c0-\\u017f]";

function simplify(text) {
  return Array.from(text, (ch) => simplified[ch] || ch).join("");
}

function truthText(text) {
  const folded = Array.from(text, (ch) => {
    const code = ch.codePointAt(0);
    if (code === 0x3000) return " ";
    return code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : ch;
  }).join("").toLowerCase();
  return simplify(folded)
    .replace(new RegExp("(\\p{Script=Han})" + GAP + "(?=\\p{Script=Han})", "gu"), "$1")
    .replace(new RegExp("(" + LATIN + ")" + GAP + "(?=\\p{Script=Han})", "gu"), "$1")
    .replace(new RegExp("(\\p{Script=Han})" + GAP + "(?=" + LATIN + ")", "gu"), "$1");
}
const docs = articles.map((a) => ({ id: a.id, text: truthText(a.text), reporters: a.reporters }));

function occursIn(text, word) {
  const chars = Array.from(word);
  let at = text.indexOf(word);
  while (at >= 0) {
    const before = Array.from(text.slice(Math.max(0, at - 2), at)).pop() || "";
    const after = Array.from(text.slice(at + word.length, at + word.length + 2))[0] || "";
    const wholeStart = !IS_LATIN.test(chars[0]) || !IS_LATIN.test(before);
    const wholeEnd = !IS_LATIN.test(chars[chars.length - 1]) || !IS_LATIN.test(after);
    if (wholeStart && wholeEnd) return true;
    at = text.indexOf(word, at + 1);
  }
  return false;
}

function truth(include, exclude) {
  include = include.map(simplify);
  exclude = exclude.map(simplify);
  return new Set(docs.filter((d) => include.every((w) => occursIn(d.text, w)) &&
    !exclude.some((w) => occursIn(d.text, w))).map((d) => d.id));
}

// A traditional form of each simplified character that has one (the first in code point order).
const traditional = {};
Object.keys(simplified).sort().forEach((ch) => {
  if (!(simplified[ch] in traditional)) traditional[simplified[ch]] = ch;
});

/* A Han substring of 2-8 characters written in traditional characters, at least one changed. */
function traditionalSubstring() {
  for (;;) {
    const q = hanSubstring(2, 8);
    const changed = Array.from(q, (ch) => traditional[ch] || ch).join("");
    if (changed !== q) return changed;
  }
}

/* Han text around a space printed between two Han characters, the space left out: what a
   reader types for a slogan printed 山宗水源 惠游青海. Null if no article has one. */
const spaced = articles.flatMap((a) => Array.from(a.text.matchAll(
  new RegExp("(\\p{Script=Han}{1,4})" + GAP + "(\\p{Script=Han}{1,4})", "gu"))));
function acrossSpace() {
  if (!spaced.length) return null;
  const match = pick(spaced);
  const before = Array.from(match[1]), after = Array.from(match[2]);
  return before.slice(Math.floor(random() * before.length)).join("") +
    after.slice(0, 1 + Math.floor(random() * after.length)).join("");
}

function hanSubstring(minLength, maxLength) {
  for (;;) {
    const chars = Array.from(pick(docs).text);
    const start = Math.floor(random() * chars.length);
    const length = minLength + Math.floor(random() * (maxLength - minLength + 1));
    const part = chars.slice(start, start + length);
    if (part.length === length && part.every((ch) => IS_HAN.test(ch))) return part.join("");
  }
}

function punctuatedSubstring() {
  for (;;) {
    const chars = Array.from(pick(docs).text);
    const start = Math.floor(random() * chars.length);
    const part = chars.slice(start, start + 3 + Math.floor(random() * 6));
    const text = part.join("");
    if (IS_HAN.test(part[0]) && IS_HAN.test(part[part.length - 1]) && !/\s|["“”]/.test(text) &&
        !part.every((ch) => IS_HAN.test(ch)) && !/^[-－]/.test(text)) return text;
  }
}

const queries = [];
const seen = new Set();
function add(kind, query, include, exclude) {
  if (seen.has(query)) return;
  seen.add(query);
  queries.push({ kind, query, truth: truth(include, exclude || []) });
}

for (let i = 0; i < 120; i++) { const q = hanSubstring(2, 10); add("han substring", q, [q]); }
for (let i = 0; i < 12; i++) { const q = hanSubstring(1, 1); add("one character", q, [q]); }
for (let i = 0; i < 30; i++) { const q = punctuatedSubstring(); add("with punctuation", q, [q]); }
const latinWords = [...new Set(docs.flatMap((d) => d.text.match(/[0-9a-z]+/g) || []))].sort();
latinWords.slice(0, 40).forEach((w) => add("latin word", w, [w]));
const reporters = [...new Set(articles.flatMap((a) => a.reporters))].sort();
reporters.forEach((r) => add("reporter", r, [r]));
for (let i = 0; i < 30; i++) {
  const a = hanSubstring(2, 4), b = hanSubstring(2, 4);
  add("two words", a + " " + b, [a, b]);
}
for (let i = 0; i < 15; i++) {
  const a = hanSubstring(2, 3), b = hanSubstring(2, 3);
  add("exclusion", a + " -" + b, [a], [b]);
}
for (let i = 0; i < 10; i++) { const q = hanSubstring(3, 6); add("quoted", '"' + q + '"', [q]); }
for (let i = 0; i < 15; i++) {
  const q = Array.from(hanSubstring(3, 5)).reverse().join("");
  add("reversed", q, [q]);
}
for (let i = 0; i < 30; i++) { const q = traditionalSubstring(); add("traditional", q, [q]); }
for (let i = 0; i < 30 && spaced.length; i++) {
  const q = acrossSpace();
  add("across a printed space", q, [q]);
  // The same with the space typed: two words, each required.
  const at = 1 + Math.floor(random() * (Array.from(q).length - 1));
  const a = Array.from(q).slice(0, at).join(""), b = Array.from(q).slice(at).join("");
  add("space typed", a + " " + b, [a, b]);
}

async function main() {
  const loadStarted = process.hrtime.bigint();
  const engine = fileEngine(searchDir);
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
  let truePositives = 0, found = 0, relevant = 0;
  const failures = [], times = [], byKind = {};
  for (const q of queries) {
    const started = process.hrtime.bigint();
    const outcome = await search.search(engine, q.query);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    const docs = await search.loadDocs(engine, outcome.results.map((r) => r.ref));
    const ids = new Set(docs.map((doc) => doc.id));
    const hits = [...ids].filter((id) => q.truth.has(id)).length;
    truePositives += hits; found += ids.size; relevant += q.truth.size;
    byKind[q.kind] = (byKind[q.kind] || 0) + 1;
    if (hits !== q.truth.size || hits !== ids.size) {
      failures.push({ kind: q.kind, query: q.query, missing: [...q.truth].filter((id) => !ids.has(id)),
        extra: [...ids].filter((id) => !q.truth.has(id)) });
    }
  }
  times.sort((a, b) => a - b);
  const quantile = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  process.stdout.write(JSON.stringify({
    queries: queries.length, byKind, relevant, found,
    recall: relevant ? truePositives / relevant : 1, precision: found ? truePositives / found : 1,
    withResults: queries.filter((q) => q.truth.size > 0).length,
    failures: failures.slice(0, 20), loadMs,
    queryMs: { p50: quantile(0.5), p95: quantile(0.95), max: times[times.length - 1] }
  }));
}

main().catch((error) => { console.error(error); process.exit(1); });

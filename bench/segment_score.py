"""Score the segmenter (`newsarchive.segment.split_page`) against a page corpus with truth.

A corpus folder holds, per page NAME, three extractions of the same PDF page
(`NAME.pdftotext.txt`, `NAME.raw.txt`, `NAME.pdfminer.txt`), the PDF itself (`NAME.pdf`) and
`NAME.truth.json` (the articles as printed: title, kicker, subtitle, byline, reporters,
paragraphs, kinds, box, ...). Each page is split in-process and compared with its truth: the
texts by the text segmenter, the PDF (extractor `pdf`) by PDF ingest (`newsarchive.pdf`), whose
article boxes are also compared with the true ones (IoU). Figures are given per extractor, per
split (dev / test) and, with `--kinds`, per kind of true article. The test split is only ever scored: the
debugging aids (`--show-worst`, `--page`) refuse it.

Comparison rules (the same everywhere):
- normalised text: every whitespace character removed, otherwise compared exactly;
- sentences: cut after 。！？ (a run of them, with the closing quotes and brackets that follow)
  and at every paragraph end; a `##` section heading is one sentence without its `#`s;
- a true article is matched to the output segment whose body holds the most of its sentences
  (normalised, as substrings of the normalised body; ties go to the earlier segment).

The scoring functions are pure: `score_split(text, truth, split)` scores a given `PageSplit`,
`score_page(text, truth)` runs the segmenter first, `summarise(scores)` adds pages up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newsarchive.seeds import read_page

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "bench" / "out" / "pagecorpus"
EXTRACTORS = ("pdftotext", "raw", "pdfminer", "pdf")
BOX_IOU = 0.9       # an article's box counts as right from this IoU with the true box
SPLITS = ("dev", "test")
FIELDS = ("title", "kicker", "subtitle", "byline", "reporters")

WS_RE = re.compile(r"\s+")
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"
# Whitespace inside a line between two Han characters: never in the truth, always a repair missed.
# Newlines are left out: a paragraph break between two Han characters is not a space.
SPACE_RE = re.compile(rf"(?<={HAN})[^\S\n]+(?={HAN})")
CLOSERS = "”’」』）)】》〉\"'"
SENTENCE_RE = re.compile(rf"[^。！？]+(?:[。！？]+[{CLOSERS}]*)?|[。！？]+[{CLOSERS}]*")
# A paragraph may end here without being cut mid-sentence.
FINAL = set("。！？!?…”’」』）)】》\"；：")
DASHES = "—-－─–~～ 　"
HEADING_RE = re.compile(r"^#+\s*")


def norm(text: str | None) -> str:
    """Whitespace removed; None is the empty string."""
    return WS_RE.sub("", text or "")


def sentences(text: str) -> list[str]:
    """The normalised sentences of one paragraph."""
    return SENTENCE_RE.findall(norm(text))


def body_paragraphs(body: str) -> list[tuple[str, bool]]:
    """(text, is_heading) for each paragraph of a Markdown body: blank lines split paragraphs,
    a line starting with `#` is a heading of its own."""
    blocks: list[tuple[str, bool]] = []
    lines: list[str] = []
    for line in (body or "").splitlines() + [""]:
        if line.lstrip().startswith("#"):
            if lines:
                blocks.append(("\n".join(lines), False))
                lines = []
            blocks.append((HEADING_RE.sub("", line.strip()), True))
        elif line.strip():
            lines.append(line)
        elif lines:
            blocks.append(("\n".join(lines), False))
            lines = []
    return blocks


def truth_paragraphs(article: dict) -> list[tuple[str, bool]]:
    return [(HEADING_RE.sub("", p.strip()), p.lstrip().startswith("#"))
            for p in article.get("paragraphs") or [] if p.strip()]


def paragraph_sentences(paragraphs: list[tuple[str, bool]]) -> list[str]:
    return [s for text, _ in paragraphs for s in sentences(text)]


def field_value(name: str, value) -> object:
    """A field as compared: normalised text, subtitles without leading dashes, reporters as a
    list of normalised names."""
    if name == "reporters":
        return [norm(r) for r in value or [] if norm(r)]
    text = norm(value)
    return text.lstrip(DASHES) if name == "subtitle" else text


@dataclass
class ArticleScore:
    page: str
    split: str
    n: int
    kinds: list[str]
    title: str                    # the truth's title
    matched: int | None           # index of the matched segment, None: no segment holds any sentence
    seg_title: str | None
    seg_head: str                 # first 60 characters of the matched segment's body
    found: bool                   # first and last sentence exact
    # Both of those sentences read whole somewhere in the extracted text: no segmenter that
    # keeps the extraction's lines can find the others exactly (an extraction's own bound).
    intact: bool
    ok: dict[str, bool]           # FIELDS -> exact
    has: dict[str, bool]          # kicker/subtitle -> the truth has one
    spurious: dict[str, bool]     # kicker/subtitle -> truth has none, output has one
    got: dict[str, object]        # the matched segment's FIELDS, as output (for --page)
    a: float                      # share of the article's sentences in the matched segment
    b: float                      # share of the segment's sentences from this article
    segmentation: float
    flagged: bool                 # the matched segment has a non-empty `review` list
    box_iou: float | None = None  # PDF ingest: the matched segment's box against the true box

    @property
    def right(self) -> bool:
        return self.found and self.ok["title"]


@dataclass
class PageScore:
    name: str
    split: str
    articles: list[ArticleScore]
    segments: int
    unmatched_segments: int       # segments matched by no true article
    interleaved: int              # segments alternating A…B…A between true articles
    spurious_spaces: int
    paragraphs: int               # output body paragraphs, headings left out
    mid_sentence: int             # of them, ending mid-sentence where the truth has no end
    accounted: int
    total: int
    date_pred: str | None
    date_truth: str | None
    date_printed: bool | None
    ms: float
    examples: dict[str, list[str]] = field(default_factory=dict)  # for --page


def _attribute(sents: list[str], texts: list[str], prefer: int | None) -> list[int | None]:
    """For each output sentence the true article whose text holds it: the preferred one if it
    does, else the one the previous sentence came from, else the first; None: from no article."""
    out: list[int | None] = []
    last = None
    for s in sents:
        owners = [k for k, text in enumerate(texts) if s in text]
        pick = None
        for k in (prefer, last):
            if k is not None and k in owners:
                pick = k
                break
        if pick is None and owners:
            pick = owners[0]
        out.append(pick)
        if pick is not None:
            last = pick
    return out


def _alternates(owners: list[int | None]) -> bool:
    """Whether the sequence goes A…B…A (after dropping unattributed sentences)."""
    runs: list[int] = []
    for k in owners:
        if k is not None and (not runs or runs[-1] != k):
            runs.append(k)
    return len(runs) != len(set(runs))


def iou(a: list[float], b: list[float]) -> float:
    """Intersection over union of two boxes [x0, y0, x1, y1]."""
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _union(boxes: list) -> list[float]:
    return [min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes)]


def score_split(text: str, truth: dict, split, ms: float = 0.0, date: dt.date | None = None,
                conservation: tuple[int, int] | None = None,
                boxes: list[list] | None = None) -> PageScore:
    """Score one page's `PageSplit` against its truth. `conservation` is account_han's
    (accounted, total), computed here when not given; `boxes` (PDF ingest) each segment's
    boxes on the page, scored against the true article boxes."""
    if conservation is None:
        from newsarchive.segment import account_han
        accounted, total, _ = account_han(text, split)
    else:
        accounted, total = conservation
    segs = split.segments
    true = truth.get("articles") or []
    t_paras = [truth_paragraphs(a) for a in true]
    t_sents = [paragraph_sentences(p) for p in t_paras]
    t_texts = ["".join(norm(p) for p, _ in paras) for paras in t_paras]
    s_paras = [body_paragraphs(seg.body) for seg in segs]
    s_sents = [paragraph_sentences(p) for p in s_paras]
    s_texts = [norm(seg.body) for seg in segs]

    page_text = norm(text)
    matched: list[int | None] = []
    for sents in t_sents:
        counts = [sum(1 for s in sents if s in body) for body in s_texts]
        best = max(counts, default=0)
        matched.append(counts.index(best) if best > 0 else None)

    articles = []
    for k, art in enumerate(true):
        j = matched[k]
        seg = segs[j] if j is not None else None
        sents = t_sents[k]
        got = {name: field_value(name, getattr(seg, name, None)) for name in FIELDS}
        want = {name: field_value(name, art.get(name)) for name in FIELDS}
        if seg is None:
            found, a, b = False, 0.0, 0.0
            ok = dict.fromkeys(FIELDS, False)
        else:
            out = s_sents[j]
            found = bool(out and sents and out[0] == sents[0] and out[-1] == sents[-1])
            ok = {name: got[name] == want[name] for name in FIELDS}
            a = sum(1 for s in sents if s in s_texts[j]) / len(sents) if sents else 0.0
            owners = _attribute(out, t_texts, prefer=k)
            b = sum(1 for o in owners if o == k) / len(out) if out else 0.0
        articles.append(ArticleScore(
            page=truth.get("name", ""), split=truth.get("split", ""), n=art.get("n", k + 1),
            kinds=list(art.get("kinds") or []), title=art.get("title", ""), matched=j,
            intact=bool(sents) and sents[0] in page_text and sents[-1] in page_text,
            seg_title=seg.title if seg else None,
            seg_head=(seg.body if seg else "").replace("\n", " ")[:60], found=found, ok=ok,
            has={name: bool(want[name]) for name in ("kicker", "subtitle")},
            spurious={name: seg is not None and not want[name] and bool(got[name])
                      for name in ("kicker", "subtitle")},
            got={name: getattr(seg, name, None) for name in FIELDS} if seg else {},
            a=a, b=b, segmentation=min(a, b),
            flagged=bool(seg is not None and getattr(seg, "review", None)),
            box_iou=(iou(_union(boxes[j]), art["box"]) if boxes is not None and art.get("box")
                     else None) if j is not None else (0.0 if boxes is not None else None)))

    interleaved = sum(_alternates(_attribute(out, t_texts, None)) for out in s_sents)
    spaces = []
    for seg in segs:
        for value in (seg.title, seg.kicker, seg.subtitle, seg.body):
            spaces.extend(m.group() for m in SPACE_RE.finditer(value or ""))
    # A paragraph may end without final punctuation where a true paragraph ends the same way.
    true_ends = [norm(p) for paras in t_paras for p, _ in paras]
    paragraphs, mid = 0, []
    for paras in s_paras:
        for ptext, heading in paras:
            if heading or not norm(ptext):
                continue
            paragraphs += 1
            p = norm(ptext)
            if p[-1] in FINAL:
                continue
            tail = p[-20:]
            if not any(end.endswith(tail) for end in true_ends):
                mid.append(p[-30:])
    date_truth = truth.get("date")
    return PageScore(
        name=truth.get("name", ""), split=truth.get("split", ""), articles=articles,
        segments=len(segs), unmatched_segments=len(set(range(len(segs))) - set(matched)),
        interleaved=interleaved, spurious_spaces=sum(len(s) for s in spaces),
        paragraphs=paragraphs, mid_sentence=len(mid), accounted=accounted, total=total,
        date_pred=date.isoformat() if date else None, date_truth=date_truth,
        date_printed=truth.get("date_printed"), ms=ms,
        examples={"mid_sentence": mid[:10]})


def score_page(text: str, truth: dict) -> PageScore:
    """Split the page with the segmenter, infer its date, and score both against the truth."""
    from newsarchive.metadata import infer_date
    from newsarchive.segment import account_han, split_page
    start = time.perf_counter()
    split = split_page(text)
    ms = (time.perf_counter() - start) * 1000
    accounted, total, _ = account_han(text, split)
    return score_split(text, truth, split, ms=ms, date=infer_date(text),
                       conservation=(accounted, total))


# --- Adding up ---

def _share(count: int, of: int) -> dict:
    return {"value": count / of if of else None, "count": count, "of": of}


def article_metrics(arts: list[ArticleScore]) -> dict:
    """The figures that are about true articles (so can be given per kind)."""
    n = len(arts)
    m = {"articles": n,
         "found_exactly": _share(sum(a.found for a in arts), n),
         "intact_in_text": _share(sum(a.intact for a in arts), n),
         "segmentation": {"value": sum(a.segmentation for a in arts) / n if n else None,
                          "count": None, "of": n}}
    for name in FIELDS:
        m[f"exact_{name}"] = _share(sum(a.ok[name] for a in arts), n)
    for name in ("kicker", "subtitle"):
        having = [a for a in arts if a.has[name]]
        lacking = [a for a in arts if not a.has[name]]
        m[f"exact_{name}_when_present"] = _share(sum(a.ok[name] for a in having), len(having))
        m[f"spurious_{name}"] = _share(sum(a.spurious[name] for a in lacking), len(lacking))
    wrong = [a for a in arts if not a.right]
    right = [a for a in arts if a.right]
    m["review_catch"] = _share(sum(a.flagged for a in wrong), len(wrong))
    # An article no segment holds cannot carry a flag: the catch among those that came out.
    recovered = [a for a in wrong if a.matched is not None]
    m["review_catch_recovered"] = _share(sum(a.flagged for a in recovered), len(recovered))
    m["review_false_flag"] = _share(sum(a.flagged for a in right), len(right))
    boxed = [a for a in arts if a.box_iou is not None]
    m["box_iou"] = _share(sum(a.box_iou >= BOX_IOU for a in boxed), len(boxed))
    return m


def _dates(pages: list[PageScore]) -> dict:
    given = [p for p in pages if p.date_pred]
    return {"pages": len(pages), "given": _share(len(given), len(pages)),
            "right_when_given": _share(sum(p.date_pred == p.date_truth for p in given), len(given)),
            "undated": _share(len(pages) - len(given), len(pages))}


def summarise(scores: list[PageScore], kinds: bool = False) -> dict:
    """All figures for a list of scored pages; with `kinds`, the article figures per kind."""
    arts = [a for p in scores for a in p.articles]
    out = {"pages": len(scores), **article_metrics(arts)}
    segments = sum(p.segments for p in scores)
    out["segments"] = segments
    out["unmatched_segments"] = _share(sum(p.unmatched_segments for p in scores), segments)
    out["interleaved_bodies"] = _share(sum(p.interleaved for p in scores), segments)
    out["spurious_spaces"] = {"value": None, "count": sum(p.spurious_spaces for p in scores),
                              "of": segments}
    out["mid_sentence_paragraphs"] = _share(sum(p.mid_sentence for p in scores),
                                            sum(p.paragraphs for p in scores))
    out["conservation"] = _share(sum(p.accounted for p in scores), sum(p.total for p in scores))
    out["dates"] = {"all": _dates(scores),
                    "printed": _dates([p for p in scores if p.date_printed is True]),
                    "not_printed": _dates([p for p in scores if p.date_printed is False])}
    out["ms_per_page"] = sum(p.ms for p in scores) / len(scores) if scores else None
    if kinds:
        groups: dict[str, list[ArticleScore]] = defaultdict(list)
        for a in arts:
            for kind in a.kinds:
                groups[kind].append(a)
        out["kinds"] = {kind: article_metrics(group) for kind, group in sorted(groups.items())}
    return out


def values(summary: dict):
    """Every share or mean in a summary, with its path: each lies in [0, 1]."""
    for key, value in summary.items():
        if isinstance(value, dict):
            if "value" in value and "of" in value:
                if value["value"] is not None:
                    yield key, value["value"]
            else:
                for sub, v in values(value):
                    yield f"{key}.{sub}", v


# --- Reading a corpus ---

def load_truths(corpus: Path) -> list[dict]:
    """Every page's truth, by name; a truth without a name or split takes it from its file."""
    truths = []
    for path in sorted(corpus.glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        truth.setdefault("name", path.name[: -len(".truth.json")])
        truth.setdefault("split", "dev")
        truths.append(truth)
    return truths


def score_pdf(path: Path, truth: dict) -> PageScore:
    """Read the page's PDF as ingest does, split it, infer its date from the text read, and
    score it; the time includes reading. Conservation counts every Han glyph drawn, fake-bold
    copies included."""
    from newsarchive.metadata import infer_date
    from newsarchive.pdf import account_pdf_han, read_pdf, split_pdf_page
    start = time.perf_counter()
    page = read_pdf(path)[0]
    pdf_split = split_pdf_page(page)
    ms = (time.perf_counter() - start) * 1000
    return score_split(pdf_split.text, truth, pdf_split.split, ms=ms,
                       date=infer_date(pdf_split.text),
                       conservation=account_pdf_han(page, pdf_split),
                       boxes=[seg.boxes for seg in pdf_split.split.segments])


def _page_file(corpus: Path, name: str, extractor: str) -> Path:
    return corpus / (f"{name}.pdf" if extractor == "pdf" else f"{name}.{extractor}.txt")


def _score_file(task: tuple[str, str, dict]) -> PageScore:
    path, extractor, truth = task
    if extractor == "pdf":
        return score_pdf(Path(path), truth)
    # Read as ingest reads a page: decoded, line ends unified, radicals folded.
    return score_page(read_page(Path(path)).text, truth)


def score_corpus(corpus: Path, truths: list[dict], extractors: list[str],
                 jobs: int = 1) -> dict[str, list[PageScore]]:
    """PageScores per extractor; pages without that extractor's text are left out."""
    tasks = [(str(_page_file(corpus, t["name"], e)), e, t) for e in extractors for t in truths
             if _page_file(corpus, t["name"], e).exists()]
    if jobs > 1 and len(tasks) >= 40:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_score_file, tasks, chunksize=8))
    else:
        results = [_score_file(task) for task in tasks]
    out: dict[str, list[PageScore]] = {e: [] for e in extractors}
    for (_, e, _), score in zip(tasks, results):
        out[e].append(score)
    return out


# --- Printing ---

ROWS = [  # (label, key) in the table's order
    ("pages", "pages"), ("true articles", "articles"), ("segments", "segments"),
    ("found exactly", "found_exactly"), ("  ends intact in text", "intact_in_text"), ("segmentation (mean)", "segmentation"),
    ("exact titles", "exact_title"), ("exact kickers", "exact_kicker"),
    ("  where truth has one", "exact_kicker_when_present"), ("  spurious kickers", "spurious_kicker"),
    ("exact subtitles", "exact_subtitle"),
    ("  where truth has one", "exact_subtitle_when_present"),
    ("  spurious subtitles", "spurious_subtitle"),
    ("exact bylines", "exact_byline"), ("exact reporters", "exact_reporters"),
    ("segments matching none", "unmatched_segments"),
    ("interleaved bodies", "interleaved_bodies"), ("spurious spaces", "spurious_spaces"),
    ("paragraphs mid-sentence", "mid_sentence_paragraphs"), ("conservation", "conservation"),
    ("dates given", "dates.all.given"), ("  right when given", "dates.all.right_when_given"),
    ("  printed: given", "dates.printed.given"),
    ("  printed: right", "dates.printed.right_when_given"),
    ("  unprinted: given", "dates.not_printed.given"),
    ("  unprinted: right", "dates.not_printed.right_when_given"),
    ("review catch rate", "review_catch"),
    ("  of those recovered", "review_catch_recovered"),
    ("review false-flag rate", "review_false_flag"),
    (f"boxes IoU >= {BOX_IOU}", "box_iou"),
    ("ms per page", "ms_per_page"),
]


def _get(summary: dict, key: str):
    for part in key.split("."):
        summary = summary.get(part) if isinstance(summary, dict) else None
    return summary


def cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.1f}" if isinstance(value, float) else str(value)
    if value.get("value") is None:
        return f"{value['count']} (in {value['of']})" if value.get("of") else "-"
    if value.get("count") is None:
        return f"{value['value']:.3f}"
    return f"{100 * value['value']:5.1f}% {value['count']}/{value['of']}"


def width(text: str) -> int:
    """Columns a string takes in a terminal: Han characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(width(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    line = lambda r: "  ".join(str(c) + " " * (w - width(str(c)))  # noqa: E731
                               for c, w in zip(r, widths)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def main_table(summaries: dict[str, dict[str, dict]]) -> str:
    """summaries[extractor][split] -> one table, rows extractor x metric, a column per split."""
    splits = list(next(iter(summaries.values())))
    rows = []
    for extractor, by_split in summaries.items():
        for label, key in ROWS:
            rows.append([extractor, label] + [cell(_get(by_split[s], key)) for s in splits])
    return table(["extractor", "metric"] + splits, rows)


def kinds_table(summaries: dict[str, dict]) -> str:
    """summaries[extractor] -> per kind: found exactly, exact title, segmentation."""
    kinds = sorted({k for s in summaries.values() for k in s.get("kinds", {})})
    rows = []
    for kind in ["all"] + kinds:
        for extractor, s in summaries.items():
            m = s if kind == "all" else s["kinds"].get(kind)
            if not m:
                continue
            rows.append([kind, extractor, str(m["articles"]), cell(m["found_exactly"]),
                         cell(m["exact_title"]), cell(m["segmentation"])])
    return table(["kind", "extractor", "n", "found exactly", "title", "segmentation"], rows)


def show_worst(pages: list[PageScore], count: int) -> str:
    arts = sorted((a for p in pages if p.split == "dev" for a in p.articles),
                  key=lambda a: (a.segmentation, a.page, a.n))[:count]
    rows = [[a.page, str(a.n), f"{a.segmentation:.2f}", a.title[:24], (a.seg_title or "-")[:24],
             a.seg_head] for a in arts]
    return table(["page", "n", "seg", "truth title", "segment title", "segment body"], rows)


def show_page(page: PageScore) -> str:
    lines = [f"{page.name}: {page.segments} segments, {len(page.articles)} true articles, "
             f"interleaved {page.interleaved}, spurious spaces {page.spurious_spaces}, "
             f"conservation {page.accounted}/{page.total}, date {page.date_pred} "
             f"(truth {page.date_truth}), {page.ms:.1f} ms"]
    for a in page.articles:
        lines.append(f"  #{a.n} {a.title}  [{', '.join(a.kinds)}]")
        lines.append(f"     -> segment {a.matched}: found={a.found} a={a.a:.2f} b={a.b:.2f} "
                     f"review={a.flagged}")
        for name in FIELDS:
            if a.matched is not None and not a.ok[name]:
                lines.append(f"     {name}: got {a.got.get(name)!r}")
    for tail in page.examples.get("mid_sentence", []):
        lines.append(f"  paragraph ends mid-sentence: …{tail}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.segment_score",
        description="Score newsarchive.segment.split_page on the page texts and PDF ingest "
                    "(newsarchive.pdf) on the PDFs, with infer_date, against a page corpus "
                    "with truth. Text is compared with all whitespace removed; sentences are cut "
                    "after 。！？ and at paragraph ends; each true article is matched to the "
                    "segment holding most of its sentences.")
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="corpus folder with NAME.{pdftotext,raw,pdfminer}.txt, NAME.pdf and "
                             "NAME.truth.json per page (default: %(default)s)")
    parser.add_argument("--split", choices=["dev", "test", "all"], default="dev",
                        help="which pages to score (default: dev); the test split is for "
                             "scoring only, never for debugging")
    parser.add_argument("--extractor", choices=[*EXTRACTORS, "all"], default="all",
                        help="which extraction of the pages to split (default: all three)")
    parser.add_argument("--kinds", action="store_true",
                        help="add a table per kind of true article (found exactly, title, "
                             "segmentation)")
    parser.add_argument("--json", type=Path, metavar="OUT",
                        help="write every figure (per extractor, split and kind) to OUT")
    parser.add_argument("--show-worst", type=int, metavar="N",
                        help="list the N dev articles with the lowest segmentation score: page, "
                             "truth title, matched segment's title and body start (refused on "
                             "the test split)")
    parser.add_argument("--page", metavar="NAME",
                        help="print the details of one dev page: each true article, its "
                             "segment and what differs (refused for a test page)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="processes to split pages in (default: %(default)s)")
    return parser.parse_args(argv)


REFUSAL = ("{what} refuses the test split: it is scored, never debugged, or the scores stop "
           "telling how the segmenter does on pages it was not tuned on. Use --split dev.")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.show_worst is not None and args.split == "test":
        print(REFUSAL.format(what="--show-worst"), file=sys.stderr)
        return 2
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: generate one first (bench/pagecorpus/)",
              file=sys.stderr)
        return 2
    truths = load_truths(args.corpus)
    extractors = list(EXTRACTORS) if args.extractor == "all" else [args.extractor]
    if args.page:
        truths = [t for t in truths if t["name"] == args.page]
        if not truths:
            print(f"no page {args.page} in {args.corpus}", file=sys.stderr)
            return 2
        if truths[0]["split"] == "test":
            print(REFUSAL.format(what="--page"), file=sys.stderr)
            return 2
        for extractor, pages in score_corpus(args.corpus, truths, extractors).items():
            for page in pages:
                print(f"[{extractor}] " + show_page(page))
        return 0
    splits = list(SPLITS) if args.split == "all" else [args.split]
    truths = [t for t in truths if t["split"] in splits]
    if not truths:
        print(f"no {args.split} pages in {args.corpus}", file=sys.stderr)
        return 2
    scored = score_corpus(args.corpus, truths, extractors, jobs=args.jobs)
    columns = splits + (["all"] if len(splits) > 1 else [])
    summaries = {e: {s: summarise([p for p in pages if s == "all" or p.split == s],
                                  kinds=args.kinds or bool(args.json))
                     for s in columns}
                 for e, pages in scored.items()}
    print(main_table(summaries))
    if args.kinds:
        print()
        print(kinds_table({e: by_split[columns[-1]] for e, by_split in summaries.items()}))
    if args.show_worst:
        for extractor, pages in scored.items():
            print(f"\nworst {args.show_worst} dev articles, {extractor}:")
            print(show_worst(pages, args.show_worst))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(
            {"corpus": str(args.corpus), "splits": columns, "summaries": summaries,
             "pages": {e: [{k: v for k, v in asdict(p).items() if k != "examples"}
                           for p in pages] for e, pages in scored.items()}},
            ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

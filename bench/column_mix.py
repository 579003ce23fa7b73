"""How many lines `segment.columns` leaves read across columns, and why, on the page corpus's dev
split (the test split is never read):

    .venv/bin/python -m bench.column_mix [CORPUS] [--odd | --even] [--pages N] [--show KIND]

Each dev page's pdftotext text is put in column order as the segmenter does (`in_column_order`)
and each of its lines is looked up in the page's truth (every article's kicker, title, subtitle,
byline and text; captions, banners and furniture as one more text):
- one text: the line is found whole in one text (or several: a short line);
- two articles / two columns of one article: the line is two pieces found in two texts, or in
  one text but not one after the other (a line of each of two columns);
- three or more pieces: three columns;
- not found: none of these (a headline set across columns, a table).
Lines read across are counted by cause: the line as given was split but its first piece still
reads across (a wrong gap) or a later piece does (more columns left joined), or it was left
whole, and then whether its characters stand apart (letter spacing), it holds three pieces, its
left piece ends a sentence (a paragraph's end), or fewer than SHORT_BAND lines near it read
across too (a short band).
Lines read on right: of the pairs of `pdftotext -raw` lines one after the other in one true
article (each found once in both texts), the share the reordered text keeps one after the other
(a blank between allowed); those broken are counted by how many lines apart pdftotext printed
the two (2: columns printed a line of each in turn) and whether one of them is a piece of a
line that was split.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from bench.across_order import dev_pages, raw_successors
from bench.segment_score import DEFAULT_CORPUS, norm, truth_paragraphs
from newsarchive.seeds import read_page
from newsarchive.segment.columns import in_column_order, page_lines
from newsarchive.text import SPACES, ends_sentence

MIN_CHARS = 6       # shorter lines are found almost anywhere: not looked up
MIN_PIECE = 2       # a piece of a line read across holds at least this many characters
SHORT_BAND = 4      # lines read across within BAND_REACH lines of a line, it included
BAND_REACH = 6
LONE_CHARS = 3      # characters standing alone between spaces that make a line letter-spaced
LONE_RE = re.compile(f"(?:^|[{SPACES}])[^{SPACES}](?=[{SPACES}])")

ACROSS = ("two articles", "two columns of one article", "three or more pieces")


def truth_texts(truth: dict) -> list[str]:
    """Each article's text as printed (normalised), then the page's other text as one more."""
    texts = []
    for article in truth.get("articles") or []:
        head = [article.get(key) or "" for key in ("kicker", "title", "subtitle", "byline")]
        texts.append(norm("".join(head) + "".join(text for text, _ in truth_paragraphs(article))))
    other = [*(truth.get("captions") or []), *(truth.get("furniture") or []),
             *(banner if isinstance(banner, str) else str(banner)
               for banner in truth.get("banners") or [])]
    texts.append("\n".join(norm(text) for text in other))
    return texts


def holders(piece: str, texts: list[str]) -> frozenset[int]:
    return frozenset(k for k, text in enumerate(texts) if piece in text)


def pieces(line: str, texts: list[str], most: int = 3) -> list[frozenset[int]] | None:
    """The texts holding each piece of a line cut into as few pieces found in the truth as can
    be (at most `most`), longest first piece first; None if there is no such cut."""
    found = holders(line, texts)
    if found:
        return [found]
    if most == 1:
        return None
    for cut in range(len(line) - MIN_PIECE, MIN_PIECE - 1, -1):
        first = holders(line[:cut], texts)
        if first:
            rest = pieces(line[cut:], texts, most - 1)
            if rest is not None:
                return [first, *rest]
    return None


def line_kind(line: str, texts: list[str]) -> str:
    """What a line (normalised) is as the truth has it: see the module's docstring."""
    if len(line) < MIN_CHARS:
        return "short"
    cut = pieces(line, texts)
    if cut is None:
        return "not found"
    if len(cut) == 1:
        return "one text"
    if len(cut) > 2:
        return "three or more pieces"
    return "two columns of one article" if cut[0] & cut[1] else "two articles"


def cause(kind: str, given: str, split: str | None, near: int) -> str:
    """Why a line read across is still read across: see the module's docstring; `split` names
    the piece of a line that was split (None: left whole)."""
    if split:
        return f"split, {split} reads across"
    if len(LONE_RE.findall(given)) >= LONE_CHARS:
        return "left whole: letter-spaced"
    if kind == "three or more pieces":
        return "left whole: three columns"
    if any(ends_sentence(left) for left in _lefts(given)):
        return "left whole: left line ends a paragraph"
    if near < SHORT_BAND:
        return "left whole: short band"
    return "left whole: band not found"


def _lefts(given: str) -> list[str]:
    """The left parts of a line at each of its spaces."""
    text = given.strip(SPACES)
    return [text[:m.start()] for m in re.finditer(f"[{SPACES}]+", text)]


def page_figures(text: str, raw: str, truth: dict, show: str | None = None) -> Counter:
    """The counts for one page: pdftotext text, raw text, truth. Lines of the kind or cause
    `show` are printed."""
    figures: Counter = Counter()
    texts = truth_texts(truth)
    given = page_lines(text)
    ordered_text, source = in_column_order(text)
    ordered = ordered_text.split("\n")
    source = source or list(range(1, len(ordered) + 1))
    pieces_of = Counter(source[k] for k, line in enumerate(ordered) if line.strip(SPACES))
    given_kinds = [line_kind(norm(line), texts) for line in given]
    for line in given_kinds:
        figures[f"as given: {line}"] += 1
    for k, line in enumerate(ordered):
        kind = line_kind(norm(line), texts)
        figures[f"in column order: {kind}"] += 1
        if kind not in ACROSS:
            continue
        at = source[k] - 1
        near = sum(kind in ACROSS
                   for kind in given_kinds[max(0, at - BAND_REACH):at + BAND_REACH + 1])
        first = next(n for n, line in enumerate(ordered)
                     if source[n] == source[k] and line.strip(SPACES))
        split = None if pieces_of[source[k]] == 1 \
            else "its first piece" if first == k else "a later piece"
        why = cause(kind, given[at], split, near)
        figures[f"read across, {why}"] += 1
        if show in (kind, why):
            print(f"{truth.get('name', '')}:{source[k]} {why}: {given[at]}  ->  {line}")
    figures.update(_pairs(ordered, source, pieces_of, raw, texts))
    return figures


def _pairs(ordered: list[str], source: list[int], pieces_of: Counter, raw: str,
           texts: list[str]) -> Counter:
    figures: Counter = Counter()
    lines = [norm(line) for line in ordered]
    once = Counter(lines)
    where = {line: k for k, line in enumerate(lines) if line and once[line] == 1}
    for first, second in raw_successors(raw).items():
        if first not in where or second not in where \
                or not any(first + second in text for text in texts[:-1]):
            continue
        at, then = where[first], where[second]
        figures["line pairs"] += 1
        if then == at + 1 or (then == at + 2 and not lines[at + 1]):
            figures["line pairs read on right"] += 1
            continue
        apart = source[then] - source[at]
        split = pieces_of[source[at]] > 1 or pieces_of[source[then]] > 1
        figures[f"broken, {apart if 0 <= apart <= 3 else ('below 0' if apart < 0 else 'over 3')}"
                f" lines apart, " + ("a piece of a split line" if split else "lines as given")] += 1
    return figures


def report(figures: Counter) -> str:
    def share(count: str, of: str) -> str:
        return f"{figures[count] / figures[of]:.3f} ({figures[count]}/{figures[of]})" \
            if figures[of] else "-"

    rows = [f"{name}: {count}" for name, count in sorted(figures.items())
            if name.startswith(("as given", "in column order"))]
    rows.append(f"read across, as given -> in column order: "
                f"{sum(figures['as given: ' + kind] for kind in ACROSS)} -> "
                f"{sum(figures['in column order: ' + kind] for kind in ACROSS)}")
    rows += [f"  {name}: {count}" for name, count in sorted(figures.items())
             if name.startswith("read across, ")]
    rows.append(f"lines read on right: {share('line pairs read on right', 'line pairs')}")
    rows += [f"  {name}: {count}" for name, count in sorted(figures.items())
             if name.startswith("broken")]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.column_mix", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    half = parser.add_mutually_exclusive_group()
    half.add_argument("--odd", action="store_const", const="odd", dest="half")
    half.add_argument("--even", action="store_const", const="even", dest="half")
    parser.add_argument("--pages", type=int, metavar="N", help="the first N dev pages only")
    parser.add_argument("--show", metavar="KIND",
                        help="print each line read across of this kind or cause")
    args = parser.parse_args(argv)
    figures: Counter = Counter()
    for name in dev_pages(args.corpus, args.half)[:args.pages]:
        truth = {"name": name,
                 **json.loads((args.corpus / f"{name}.truth.json").read_text(encoding="utf-8"))}
        figures += page_figures(read_page(args.corpus / f"{name}.pdftotext.txt").text,
                                read_page(args.corpus / f"{name}.raw.txt").text, truth, args.show)
    print(report(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How well `segment.across` puts pdfminer's text, read straight across the page, back in column
order, on the page corpus's dev split (the test split is never read):

    .venv/bin/python -m bench.across_order [CORPUS] [--odd | --even]

Each dev page's pdfminer text is reordered as the segmenter reorders it (`across_order`) and
compared with the page's truth and with its `pdftotext -raw` text, whose lines come in the order
they were set, one column's after another:
- sentences read whole: the share of the true sentences found whole in the reordered text (no
  segmenter that keeps its lines can find the others);
- articles read whole: the share of true articles all of whose sentences are;
- lines read on right: of the pairs of raw lines one after the other inside one true article's
  text (each line found once in the raw text and once in the reordered text), the share the
  reordering keeps one after the other (a blank line between allowed). The pairs it breaks are
  counted by how many lines of the pdfminer text apart the two were read (1, 2, 3: columns on
  other baselines took the lines between; below 0: the article reads on at the next column's
  top) and by what the reordering did (the first line ends a column or reads on into another
  line; the second starts a column or follows another line);
- titles over their text: the share of true titles whose last characters are followed within
  TITLE_REACH lines by their article's first sentence.
"""

from __future__ import annotations

import argparse
import bisect
import json
from collections import Counter
from pathlib import Path

from bench.segment_score import DEFAULT_CORPUS, norm, paragraph_sentences, truth_paragraphs
from newsarchive.seeds import read_page
from newsarchive.segment.across import across_order

TITLE_REACH = 3     # lines a title's article may start after it (a kicker, a byline between)
TITLE_TAIL = 4      # characters of a title looked for


def raw_successors(raw: str) -> dict[str, str]:
    """For each line found once in the raw text (normalised), the line after it, if that is
    found once too."""
    lines = [norm(line) for line in raw.splitlines() if norm(line)]
    once = Counter(lines)
    return {first: second for first, second in zip(lines, lines[1:])
            if once[first] == 1 and once[second] == 1}


def break_kind(ordered: list[str], at: int, then: int) -> str:
    """What the reordering did with two lines read one after the other in the raw text, found
    at `at` and `then` in the reordered lines (normalised, '' for a blank line)."""
    ends = at + 1 == len(ordered) or not ordered[at + 1]
    starts = then == 0 or not ordered[then - 1]
    return (("first ends a column" if ends else "first reads on into another line") + ", "
            + ("second starts a column" if starts else "second follows another line"))


def page_figures(text: str, raw: str, truth: dict) -> Counter:
    """The counts behind the figures for one page: pdfminer text, raw text, truth."""
    figures: Counter = Counter()
    ordered_text, source = across_order(text)
    if source is None:
        figures["pages not read across"] += 1
        return figures
    figures["pages read across"] += 1
    body = norm(ordered_text)
    articles = [(article, paragraph_sentences(truth_paragraphs(article)))
                for article in truth.get("articles") or []]
    for _, sentences in articles:
        whole = sum(sentence in body for sentence in sentences)
        figures["sentences"] += len(sentences)
        figures["sentences read whole"] += whole
        figures["articles"] += 1
        figures["articles read whole"] += bool(sentences) and whole == len(sentences)
    texts = ["".join(norm(p) for p, _ in truth_paragraphs(article)) for article, _ in articles]
    ordered = [norm(line) for line in ordered_text.split("\n")]
    once = Counter(ordered)
    where = {line: k for k, line in enumerate(ordered) if line and once[line] == 1}
    for first, second in raw_successors(raw).items():
        if first not in where or second not in where \
                or not any(first + second in text for text in texts):
            continue
        at, then = where[first], where[second]
        figures["line pairs"] += 1
        if then == at + 1 or (then == at + 2 and not ordered[at + 1]):
            figures["line pairs read on right"] += 1
            continue
        apart = source[then] - source[at]
        figures[f"broken, {apart if 0 < apart <= 3 else ('below 0' if apart < 0 else 'over 3')}"
                f" lines apart"] += 1
        figures[f"broken: {break_kind(ordered, at, then)}"] += 1
    figures.update(_titles(ordered, articles))
    return figures


def _titles(ordered: list[str], articles: list[tuple[dict, list[str]]]) -> Counter:
    """Titles followed by their article's first sentence within TITLE_REACH lines."""
    filled = [line for line in ordered if line]
    starts = [0]
    for line in filled:
        starts.append(starts[-1] + len(line))
    flat = "".join(filled)
    figures: Counter = Counter()
    for article, sentences in articles:
        title = norm(article.get("title"))
        if len(title) < TITLE_TAIL or not sentences:
            continue
        figures["titles"] += 1
        tail, head = flat.find(title[-TITLE_TAIL:]), flat.find(sentences[0][:6])
        if tail < 0 or head < 0:
            continue
        lines = bisect.bisect_right(starts, head) - bisect.bisect_right(starts, tail + 3)
        figures["titles over their text"] += 0 < lines <= TITLE_REACH
    return figures


def dev_pages(corpus: Path, half: str | None) -> list[str]:
    """The dev pages' names (odd or even page numbers only, if asked)."""
    index = json.loads((corpus / "INDEX.json").read_text(encoding="utf-8"))
    names = [page["name"] for page in index["pages"] if page["split"] == "dev"]
    if half:
        names = [name for name in names if int(name[1:]) % 2 == (half == "odd")]
    return names


def report(figures: Counter) -> str:
    def share(count: str, of: str) -> str:
        return f"{figures[count] / figures[of]:.3f} ({figures[count]}/{figures[of]})" \
            if figures[of] else "-"

    rows = [f"pages read across: {figures['pages read across']}, "
            f"not: {figures['pages not read across']}",
            f"sentences read whole: {share('sentences read whole', 'sentences')}",
            f"articles read whole: {share('articles read whole', 'articles')}",
            f"lines read on right: {share('line pairs read on right', 'line pairs')}",
            f"titles over their text: {share('titles over their text', 'titles')}"]
    rows += [f"  {name}: {count}" for name, count in sorted(figures.items())
             if name.startswith("broken")]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.across_order", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    half = parser.add_mutually_exclusive_group()
    half.add_argument("--odd", action="store_const", const="odd", dest="half")
    half.add_argument("--even", action="store_const", const="even", dest="half")
    args = parser.parse_args(argv)
    figures: Counter = Counter()
    for name in dev_pages(args.corpus, args.half):
        truth = json.loads((args.corpus / f"{name}.truth.json").read_text(encoding="utf-8"))
        figures += page_figures(read_page(args.corpus / f"{name}.pdfminer.txt").text,
                                read_page(args.corpus / f"{name}.raw.txt").text, truth)
    print(report(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Content files: YAML front matter + Markdown body, as a parse/dump pair that round-trips."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
import re
import sys
from pathlib import Path

import yaml

from .errors import ArchiveError, ArchiveErrors
from .model import FRONT_MATTER_KEYS, Article, Box, SourceRef

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,127}$")
PAGE_RE = re.compile(r"^[A-Za-z]{0,3}\d{1,3}$")
FENCE = "---"
DATE_VALUE_RE = re.compile(r"^(?P<key>[A-Za-z_]+):\s*(?P<value>\d{4}-\d{1,2}-\d{1,2})\s*$")
# libyaml: several times faster on large archives, and its dumper escapes U+0085 where the pure
# one writes it raw into a quoted scalar that no loader reads back (found by the round trip).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LIST_KEYS = ("reporters", "topics", "tags", "places", "versions", "review")
TEXT_KEYS = ("subtitle", "kicker", "byline", "date_source", "paper", "page", "continues",
             "continued_from")


# The lines dump_article() writes, read without the YAML parser (its constructor, in Python,
# was most of a cold build's loading): `key: VALUE` with VALUE null, a plain scalar, a flow list
# of plain scalars, an ISO date, or the source mapping. Plain scalars are held to a safe subset
# (no YAML indicators, no line breaks YAML knows, resolved as text by YAML's own resolver).
# Any other line sends the whole front matter through YAML, so what is read is what YAML reads.
PLAIN = ("(?:[A-Za-z0-9_./()\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
         "\U00010000-\U0010ffff](?:[ ]?[-A-Za-z0-9_./()\u00a0-\u2027\u202a-\ud7ff"
         "\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff])*)")
LINE = f"^([a-z_]+): (null|\\[\\]|\\[{PLAIN}(?:, {PLAIN})*\\]|{PLAIN}|\\{{.*\\}})$"
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOURCE = (f"^\\{{file: ({PLAIN}), lines: \\[(\\d+), (\\d+)\\]"
          r"(?:, spans: \[((?:\[\d+, \d+\](?:, )?)+)\])?\}$")
SPAN_RE = re.compile(r"\[(\d+), (\d+)\]")
# A PDF source as dumped: numbers YAML reads as the int or float Python reads (no leading
# zeros, which YAML 1.1 reads as octal; no exponents, which the dumper writes rarely).
NUMBER = r"(?:0|[1-9]\d*)(?:\.\d+)?"
BOX = f"\\[{NUMBER}, {NUMBER}, {NUMBER}, {NUMBER}\\]"
PDF_SOURCE = (f"^\\{{file: ({PLAIN}), page: ([1-9]\\d*)"
              r"(?:, lines: \[(\d+), (\d+)\])?"
              r"(?:, spans: \[((?:\[\d+, \d+\](?:, )?)+)\])?"
              f", page_box: ({BOX}|\\[{BOX}(?:, {BOX})*\\])\\}}$")
NUMBER_RE = re.compile(NUMBER)
_RESOLVER = yaml.resolver.Resolver()


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    """LINE, SOURCE or PDF_SOURCE, compiled when first used: PLAIN's character classes take
    40 ms to compile, which a build that reads no article (nothing changed) need not pay."""
    return re.compile(pattern)


class ImpossibleDate:
    """A date-shaped value the calendar rejects (2024-02-30), kept so that parse_article can
    name it among the file's other problems; YAML's own loader stops the whole file there."""

    def __init__(self, text: str, reason: str):
        self.text, self.reason = text, reason

    def __repr__(self) -> str:
        return self.text


class DateTolerantLoader(LOADER):
    """LOADER, except that an impossible date becomes an ImpossibleDate instead of an error."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        return ImpossibleDate(node.value, str(exc))


DateTolerantLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _text(value: str) -> str | None:
    """A plain scalar as text, or None if YAML would read it as something else (1:20, yes)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    return value if tag == "tag:yaml.org,2002:str" else None


def read_plain_front(front: str) -> dict | None:
    """The front matter as YAML reads it, for the lines dump_article() writes; None for any
    other text (then YAML itself must read it)."""
    meta: dict = {}
    for line in front.split("\n"):
        match = _compiled(LINE).match(line)
        if match is None or match[1] in meta or match[1] not in FRONT_MATTER_KEYS:
            return None
        key, value = match[1], match[2]
        if value == "null":
            meta[key] = None
        elif value == "[]":
            meta[key] = []
        elif value[0] == "[":
            items = [_text(item) for item in value[1:-1].split(", ")]
            if None in items:
                return None
            meta[key] = items
        elif value[0] == "{":
            meta[key] = _plain_source(value) if key == "source" else None
            if meta[key] is None:
                return None
        elif ISO_DATE_RE.match(value):
            try:
                meta[key] = dt.date.fromisoformat(value)
            except ValueError:
                return None  # YAML's own error names the line
        else:
            meta[key] = _text(value)
            if meta[key] is None:
                return None
    return meta


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _plain_source(value: str) -> dict | None:
    """The `source` mapping as dump_article() writes it (text or PDF source), else None."""
    text = _compiled(SOURCE).match(value)
    pdf = None if text else _compiled(PDF_SOURCE).match(value)
    found = text or pdf
    if found is None or _text(found[1]) is None:
        return None
    source: dict = {"file": found[1]}
    first = 2 if text else 3  # the group of the first line number
    if pdf:
        source["page"] = int(pdf[2])
    if found[first]:
        source["lines"] = [int(found[first]), int(found[first + 1])]
    if found[first + 2]:
        source["spans"] = [[int(a), int(b)] for a, b in SPAN_RE.findall(found[first + 2])]
    if pdf:
        numbers = [_number(n) for n in NUMBER_RE.findall(pdf[6])]
        boxes = [numbers[i:i + 4] for i in range(0, len(numbers), 4)]
        source["page_box"] = boxes if pdf[6].startswith("[[") else boxes[0]
    return source


def _key_line(front: str, key: str) -> int:
    """1-based line of `key:` in the file; `front` starts with the opening fence (line 1)."""
    for number, line in enumerate(front.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _impossible_date(front: str) -> tuple[int | None, str | None]:
    """The line and key of the first date-shaped value the calendar rejects."""
    for number, line in enumerate(front.split("\n"), start=2):
        match = DATE_VALUE_RE.match(line)
        if match:
            try:
                dt.date.fromisoformat(match["value"])
            except ValueError:
                return number, match["key"]
    return None, None


def split_front_matter(text: str, path: str | Path, loader: type = LOADER) -> tuple[dict, str]:
    """Return (front matter mapping, body); broken YAML is an error naming file and line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != FENCE:
        raise ArchiveError("no front matter: the file must start with a line '---'", path, line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r") == FENCE)
    except StopIteration:
        raise ArchiveError("front matter is not closed: add a line '---' after it", path,
                           line=1) from None
    front = "\n".join(lines[1:end])
    try:
        meta = read_plain_front(front)
        if meta is None:
            meta = yaml.load(front, Loader=loader)
    except ValueError as exc:  # YAML reads 2024-02-30 as a date and the calendar refuses it
        line, key = _impossible_date(front)
        raise ArchiveError(f"impossible date ({exc}): write a real date as YYYY-MM-DD", path,
                           line=line, key=key) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # An unclosed bracket is found at the end of the text: point at the last line instead.
        last = front.count("\n") + 2
        line = min(mark.line + 2, last) if mark is not None else 1
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ArchiveError(f"invalid YAML in front matter: {problem}", path, line=line) from None
    if not isinstance(meta, dict):
        raise ArchiveError("front matter must be a mapping of keys (id:, title:, …)", path, line=2)
    body = "\n".join(lines[end + 1:]).replace("\r", "")
    return meta, body.strip("\n")


def dump_article(article: Article) -> str:
    """The exact text of a content file; parse_article(dump_article(a)) == a."""
    meta = article.front_matter()
    source, review = meta.pop("source"), meta.pop("review")
    front = yaml.dump(meta, Dumper=DUMPER, allow_unicode=True, sort_keys=False,
                      default_flow_style=None, width=10_000)
    # One line per key, as documented: `source: {file: …, lines: [1, 24]}`.
    front += "source: " + (yaml.dump(source, Dumper=DUMPER, allow_unicode=True, sort_keys=False,
                                     default_flow_style=True, width=10_000)
                           if source else "null\n")
    front += yaml.dump({"review": review}, Dumper=DUMPER, allow_unicode=True,
                       default_flow_style=None, width=10_000)
    body = article.body.strip("\n")
    return f"{FENCE}\n{front}{FENCE}\n\n{body}\n" if body else f"{FENCE}\n{front}{FENCE}\n"


class _Problems:
    """The problems of one content file, at most one per key (the first found), each naming
    the line of its key; raised together, as load_config reports site.yaml's."""

    def __init__(self, path: str | Path, front: str):
        self.path, self.front = path, front
        self.errors: list[ArchiveError] = []
        self.keys: set[str] = set()

    def add(self, key: str, message: str, line_key: str | None = None) -> None:
        """A problem with `key`, at the line of `line_key` (a nested key's line is its
        parent's: `source.page_box` is on the line `source:`)."""
        if key not in self.keys:
            self.keys.add(key)
            line = _key_line(self.front, line_key or key)
            self.errors.append(ArchiveError(message, self.path, line=line, key=key))

    def ok(self, key: str) -> bool:
        """No problem found with `key` so far: checks that need its type may run."""
        return key not in self.keys

    def raise_any(self) -> None:
        if self.errors:
            errors = sorted(self.errors, key=lambda e: e.line or 0)
            raise errors[0] if len(errors) == 1 else ArchiveErrors(errors)


def _unknown_key_message(key: str) -> str:
    hint = difflib.get_close_matches(key, FRONT_MATTER_KEYS, n=1)
    tip = f" (did you mean '{hint[0]}'?)" if hint else ""
    return f"unknown front matter key{tip}; allowed: {', '.join(FRONT_MATTER_KEYS)}"


def _count(value: object) -> bool:
    """A whole number >= 1 (a line or page number); YAML's true/false are not numbers."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _line_pair(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(_count(n) for n in value)


def _box(value: object) -> Box | None:
    """[x0, y0, x1, y1] as a Box when it is one: four finite numbers >= 0, x0 < x1, y0 < y1."""
    if not (isinstance(value, list) and len(value) == 4 and all(
            isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n)
            and n >= 0 for n in value)):
        return None
    x0, y0, x1, y1 = value
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _boxes(value: object) -> tuple[Box, ...] | None:
    """`page_box`: one box written flat, or a non-empty list of boxes; None if malformed."""
    single = _box(value)
    if single is not None:
        return (single,)
    if not isinstance(value, list) or not value or not all(isinstance(v, list) for v in value):
        return None
    boxes = tuple(_box(v) for v in value)
    return None if None in boxes else boxes


def _check_source(source: object, problems: _Problems) -> SourceRef | None:
    """The `source` mapping as a SourceRef; None (and a problem) if it is malformed. A text
    source names its lines; a PDF source names its page and the article's areas on it."""
    if not isinstance(source, dict) or not isinstance(source.get("file"), str):
        problems.add("source", "expected {file: NAME.txt, lines: [FIRST, LAST]}")
        return None
    name, lines, spans = source["file"], source.get("lines"), source.get("spans") or []
    is_pdf = name.lower().endswith(".pdf")
    allowed = {"file", "lines", "spans"} | ({"page", "page_box"} if is_pdf else set())
    extra = sorted(map(str, set(source) - allowed))
    if extra:
        only_pdf = "page" in extra or "page_box" in extra
        problems.add(f"source.{extra[0]}", "only a PDF source (file: NAME.pdf) has page and "
                     "page_box" if only_pdf else f"unknown key in source; allowed: "
                     f"{', '.join(sorted(allowed))}", line_key="source")
        return None
    if not is_pdf and not _line_pair(lines):
        problems.add("source", "expected {file: NAME.txt, lines: [FIRST, LAST]}")
        return None
    if is_pdf and lines is not None and not _line_pair(lines):
        problems.add("source.lines", f"expected [FIRST, LAST] line numbers, got {lines!r}",
                     line_key="source")
        return None
    if not isinstance(spans, list) or not all(_line_pair(s) for s in spans):
        problems.add("source", "expected {file: NAME.txt, lines: [FIRST, LAST], spans: [[A, B], …]}")
        return None
    ref = SourceRef(name, (lines[0], lines[1]) if lines is not None else None,
                    tuple(tuple(s) for s in spans))
    if not is_pdf:
        return ref
    page = source.get("page")
    if not _count(page):
        problems.add("source.page", f"expected the page's number inside {name} (1 for its "
                     f"first page), got {page!r}", line_key="source")
        return None
    boxes = _boxes(source.get("page_box"))
    if boxes is None:
        problems.add("source.page_box", "expected the article's area on the page in PDF "
                     "points from the top left, [x0, y0, x1, y1] with x0 < x1 and y0 < y1, or "
                     f"a list of such areas; got {source.get('page_box')!r}", line_key="source")
        return None
    return dataclasses.replace(ref, page=page, page_box=boxes)


def parse_article(text: str, path: str | Path) -> Article:
    """Parse and validate one content file. Every problem of its keys and body is reported at
    once, each naming the file, the key's line and the key; a file YAML cannot read is one error."""
    meta, body = split_front_matter(text, path, DateTolerantLoader)
    front = text.split("\n---", 1)[0]
    problems = _Problems(path, front)

    for key in sorted(set(map(str, meta)) - set(FRONT_MATTER_KEYS)):
        problems.add(key, _unknown_key_message(key))
    for key, value in meta.items():
        if isinstance(value, ImpossibleDate):
            problems.add(str(key), f"impossible date ({value.reason}): write a real date as "
                                   "YYYY-MM-DD")
    article_id = meta.get("id")
    if not isinstance(article_id, str) or not ID_RE.match(article_id):
        problems.add("id", f"expected lowercase ASCII letters, digits and '-', got {article_id!r}")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.add("title", "missing title: every article needs a headline")
    for key in TEXT_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            problems.add(key, f"expected text or null, got {value!r}")
    for key in LIST_KEYS:
        value = meta.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.add(key, f"expected a list of text values, got {value!r}")
    date = meta.get("date")
    if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
        problems.add("date", f"expected a date written YYYY-MM-DD, got {date!r}")
    if problems.ok("date_source") and meta.get("date_source") not in (None, "manifest", "inferred"):
        problems.add("date_source", "expected 'manifest', 'inferred' or null")
    page = meta.get("page")
    if problems.ok("page") and page is not None and not PAGE_RE.match(page):
        problems.add("page", f"expected a page label such as A01, got {page!r}")
    source = meta.get("source")
    ref = _check_source(source, problems) if problems.ok("source") and source is not None else None
    if not body.strip():
        problems.errors.append(ArchiveError(
            "the article body is empty: write its text below the front matter", path,
            line=front.count("\n") + 2))
    problems.raise_any()
    return Article(
        id=article_id, title=title.strip(), body=body,
        subtitle=meta.get("subtitle"), kicker=meta.get("kicker"), byline=meta.get("byline"),
        reporters=_labels(meta.get("reporters")),
        date=None if date is None else _one_date(date),
        date_source=_label(meta.get("date_source")), paper=_label(meta.get("paper")),
        page=_label(page), topics=_labels(meta.get("topics")), tags=_labels(meta.get("tags")),
        places=_labels(meta.get("places")), continues=meta.get("continues"),
        continued_from=meta.get("continued_from"), versions=list(meta.get("versions") or []),
        source=ref, review=_labels(meta.get("review")), path=str(path),
    )


# Names and dates that many articles share are kept as one object each: the build cache then
# pickles each once, and loading it makes each once (30,000 articles: 0.32 -> 0.27 s).

def _label(value):
    return sys.intern(value) if type(value) is str else value


def _labels(values) -> list:
    return [_label(value) for value in values or ()]


@functools.lru_cache(maxsize=1 << 16)
def _one_date(date: dt.date) -> dt.date:
    """The first of the equal dates asked for (a day's articles share one)."""
    return date

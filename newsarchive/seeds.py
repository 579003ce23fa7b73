"""Read the seed folder: page texts in any of the documented encodings, and `manifest.yaml`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .config import _Checker
from .errors import ArchiveError, ArchiveErrors
from .frontmatter import PAGE_RE
from .text import HAN_RE, fold_radicals, han_count

MANIFEST = "manifest.yaml"
# A newspaper page's text is 5–50 kB; anything this large is a whole book or not a page at all.
MAX_PAGE_BYTES = 5 * 1024 * 1024
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
MAGIC = ((b"%PDF-", "a PDF file"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
         (b"PK\x03\x04", "a ZIP archive (docx, xlsx…)"), (b"\x1f\x8b", "a gzip archive"),
         (b"\xd0\xcf\x11\xe0", "an old Office document"))
# GB18030 decodes almost any byte string; real Chinese text in it is nearly all GB2312 characters,
# while Big5 or Shift-JIS bytes misread as GB18030 give mostly rare ones.
MIN_GB2312_SHARE = 0.9
MAX_CONTROL_SHARE = 0.01
MAX_DAMAGED_SHARE = 0.001   # invalid UTF-8 bytes per byte; GB18030 Chinese fails on most characters
ENTRY_KEYS = {"paper", "date", "year", "page", "edition"}
MANIFEST_KEYS = {"defaults", "pages"}
FIX_ENCODING = "re-save it as UTF-8"


@dataclass(frozen=True)
class PageInfo:
    """What the manifest says about one page file (None: not given)."""

    paper: str | None = None
    date: dt.date | None = None
    page: str | None = None
    edition: str | None = None
    year: int | None = None       # the year of the issue, when the day is not known


@dataclass(frozen=True)
class Manifest:
    defaults: PageInfo = PageInfo()
    pages: dict[str, PageInfo] = field(default_factory=dict)

    def info(self, name: str) -> PageInfo:
        """The page's own entry with the defaults filling what it leaves out."""
        own = self.pages.get(name, PageInfo())
        return PageInfo(*(getattr(own, key) if getattr(own, key) is not None
                          else getattr(self.defaults, key)
                          for key in ("paper", "date", "page", "edition", "year")))


@dataclass
class SeedPage:
    """One page text, decoded, with `\\n` line ends; for a page of a PDF, the text read from it
    in reading order, and which page of the file it is."""

    name: str
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    pdf_page: int | None = None     # 1-based page of the PDF file `name`
    pdf_pages: int = 1              # how many pages that PDF has

    @property
    def key(self) -> str:
        """Names this page among all pages: the file, and the page of a multi-page PDF."""
        return self.name if self.pdf_pages == 1 else f"{self.name}#{self.pdf_page}"


def _looks_like_gb_text(text: str) -> bool:
    han = HAN_RE.findall(text)
    if not han:
        return False
    common = 0
    for char in han:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(han) >= MIN_GB2312_SHARE


def _refuse_damaged_utf8(data: bytes, exc: UnicodeDecodeError, path: str | Path) -> None:
    """UTF-8 text with a few bad bytes is damaged UTF-8, not GB18030: say where, do not guess."""
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    if bad <= len(data) * MAX_DAMAGED_SHARE:
        raise ArchiveError(f"is UTF-8 text with {bad} invalid byte(s), the first at byte "
                           f"{exc.start}: fix that line or re-save the file as UTF-8", path,
                           line=data[:exc.start].count(b"\n") + 1) from None


def decode_page(data: bytes, path: str | Path) -> tuple[str, str]:
    """Return (text with `\\n` line ends, encoding name); raise ArchiveError if it is not text."""
    # Signatures first: a PDF's header is ASCII and would otherwise pass as "UTF-8 text".
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise ArchiveError(f"this is {what}, not a page text: extract its text first "
                               "(e.g. `pdftotext -enc UTF-8 page.pdf page.txt`)", path)
    text = encoding = None
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(codec), codec.replace("-sig", "") + " with BOM"
            except UnicodeDecodeError as exc:
                raise ArchiveError(f"starts with a {codec} byte order mark but is not {codec} "
                                   f"(byte {exc.start}): {FIX_ENCODING}", path) from None
            break
    if text is None:
        # Without a BOM, NULs mean UTF-16 of unknown byte order or binary: guessing could be wrong.
        if b"\x00" in data:
            raise ArchiveError("contains NUL bytes: a binary file or UTF-16 without a byte order "
                               f"mark, not a page text: {FIX_ENCODING}", path)
        # UTF-8 first: Chinese text in GB18030 is almost never valid UTF-8, the reverse often is.
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            _refuse_damaged_utf8(data, exc, path)
            try:
                text, encoding = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                text = None
            if text is None or not _looks_like_gb_text(text):
                raise ArchiveError("is neither UTF-8, UTF-16 with BOM nor GB18030 text "
                                   f"(perhaps Big5 or binary data): {FIX_ENCODING}", path) from None
    # pdftotext separates PDF pages with a form feed: a line break for the segmenter.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = fold_radicals(text)
    if text and len(CONTROL_RE.findall(text)) / len(text) > MAX_CONTROL_SHARE:
        raise ArchiveError(f"is full of control characters: a binary file, not a page text "
                           f"(read as {encoding})", path)
    return text, encoding


PAGE_SUFFIXES = (".txt", ".pdf")


def list_pages(seeds_dir: Path) -> tuple[list[Path], list[str]]:
    """The page files (`*.txt` page texts and `*.pdf` printed pages, any case) of a seed folder
    sorted by name, and the names of other visible files, which are not read."""
    if not seeds_dir.is_dir():
        raise ArchiveError("seed folder not found: create it or pass --seeds DIR", seeds_dir)
    pages, ignored = [], []
    for path in sorted(seeds_dir.iterdir(), key=lambda p: p.name):
        if path.is_file() and path.suffix.lower() in PAGE_SUFFIXES:
            pages.append(path)
        elif path.name != MANIFEST and not path.name.startswith("."):
            ignored.append(path.name)
    return pages, ignored


def read_page(path: Path) -> SeedPage:
    """Read and decode one page file; empty or Chinese-less pages come back with a warning."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:  # refuse before reading: a 50 MB file would cost seconds and memory
        raise ArchiveError(f"is {size / 2**20:.1f} MB, but one page's text is well under "
                           f"{MAX_PAGE_BYTES // 2**20} MB: split it into one file per page", path)
    text, encoding = decode_page(path.read_bytes(), path)
    page = SeedPage(path.name, text, encoding)
    if not text.strip():
        page.warnings.append("the page is empty: no articles")
    elif not han_count(text):
        page.warnings.append("no Chinese characters on this page: no articles (is it the right "
                             "file?)")
    return page


class _ManifestLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so an impossible date is our error, not a crash."""


_ManifestLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str, path: Path):
    try:
        return yaml.load(text, Loader=_ManifestLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ArchiveError(f"invalid YAML: {problem}", path,
                           line=mark.line + 1 if mark is not None else None) from None


def _entry(check: _Checker, value, prefix: str) -> PageInfo:
    if value is None:
        return PageInfo()
    if not isinstance(value, dict):
        check.error(prefix.rstrip("."), f"expected a mapping such as {{date: 2024-12-22, page: A01}}"
                                        f", got {value!r}")
        return PageInfo()
    check.unknown_keys(value, ENTRY_KEYS, prefix)
    info = PageInfo(paper=check.string(value, "paper", prefix, required=False),
                    edition=check.string(value, "edition", prefix, required=False))
    raw_date = value.get("date")
    if raw_date is not None:
        text = str(raw_date)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            check.error(prefix + "date", f"expected a date written YYYY-MM-DD, got {raw_date!r}")
        else:
            try:
                info = replace(info, date=dt.date.fromisoformat(text))
            except ValueError:
                check.error(prefix + "date", f"{text} is not a day of the calendar: fix the date")
    year = value.get("year")
    if year is not None:
        if isinstance(year, int) and not isinstance(year, bool) and 1800 <= year <= 2199:
            info = replace(info, year=year)
        else:
            check.error(prefix + "year", f"expected a year such as 2024, got {year!r}")
    page = value.get("page")
    if page is not None:
        label = str(page) if isinstance(page, int) and not isinstance(page, bool) else page
        if not isinstance(label, str) or not PAGE_RE.match(label):
            check.error(prefix + "page", f"expected a page label such as A01 or 3, got {page!r}")
        else:
            info = replace(info, page=label)
    return info


def load_manifest(seeds_dir: Path, page_names: list[str]) -> Manifest:
    """Read and validate `manifest.yaml` (optional); every problem is reported at once."""
    path = seeds_dir / MANIFEST
    if not path.is_file():
        return Manifest()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"not UTF-8 text ({exc.reason}): save it as UTF-8", path) from None
    data = _parse_yaml(text, path)
    if data is None:
        return Manifest()
    if not isinstance(data, dict):
        raise ArchiveError("expected a mapping with 'defaults:' and 'pages:'", path)
    check = _Checker(path)
    check.unknown_keys(data, MANIFEST_KEYS, "")
    defaults = _entry(check, data.get("defaults"), "defaults.")
    pages = {}
    raw_pages = data.get("pages") or {}
    if not isinstance(raw_pages, dict):
        check.error("pages", "expected a mapping of page file names to entries")
        raw_pages = {}
    known = set(page_names)
    for name, value in raw_pages.items():
        # A typo in a file name would silently leave that page without its date: refuse it.
        if str(name) not in known:
            check.error(f"pages.{name}", f"names a file that is not in {seeds_dir}: "
                                         "fix the name or remove the entry")
        pages[str(name)] = _entry(check, value, f"pages.{name}.")
    if check.errors:
        raise ArchiveErrors(check.errors) if len(check.errors) > 1 else check.errors[0]
    return Manifest(defaults, pages)

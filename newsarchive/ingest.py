"""Ingest: seed pages → one Markdown file per article in content/, never clobbering a hand edit.

Everything is read, split and checked before the first write. A page that cannot be read is
reported (exit 1) but does not stop the others: its articles from the last good ingest stay in
content/ untouched, so a bad page never silently loses articles.

`content/.ingest-state.json` records the SHA-256 of each file as ingest last wrote it: a file
whose bytes differ from that was edited by a person and is never overwritten or removed.

Each page text read is kept as UTF-8 in `content/sources/` (the build's source views read it
there: content/ is the build's whole input), and each PDF as it is (the page views are rendered
from it); these are ingest's own copies, always rewritten.

A PDF (`*.pdf`, one page or consecutive pages) is read with its glyphs' sizes and positions
(`newsarchive.pdf`): its articles come out in the same form as a text's, with the areas they
cover on the page (`source.page_box`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import itertools
import json
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .content import SOURCES_DIR
from .errors import ArchiveError
from .frontmatter import PAGE_RE, dump_article
from .metadata import (find_places, infer_date, infer_page_label, key_terms, key_terms_cache_key,
                       link_versions, load_key_terms, make_tags, match_topics)
from .model import Article, Artifact, PageSplit, Segment, SourceRef
from .pdf import read_pdf, split_pdf_page
from .output import write_atomic
from .seeds import PageInfo, SeedPage, list_pages, load_manifest, read_page
from .segment import account_han, split_page
from .workers import Runner, progress_bar

STATE_FILE = ".ingest-state.json"
PROGRESS_MIN_PAGES = 20
# Fewer pages are read here: starting processes would cost more than reading (a PDF page takes
# about 0.2 s, a page text 0.03 s).
PARALLEL_MIN_PAGES = 8
# Fewer new articles have their key terms found here (a cut takes ~5 ms; a process that has
# to load jieba itself takes ~1.5 s).
PARALLEL_MIN_TERMS = 200
UNTITLED = "（无标题）"


@dataclass
class PageResult:
    """One seed page: the articles it gave, its Han character accounting, what went wrong."""

    name: str
    encoding: str | None = None
    date_source: str | None = None
    articles: list[Article] = field(default_factory=list)
    han_total: int = 0
    han_accounted: int = 0
    artifacts: list[Artifact] = field(default_factory=list)   # text in no article, named
    warnings: list[str] = field(default_factory=list)
    error: ArchiveError | None = None


@dataclass
class IngestReport:
    pages: list[PageResult]
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)       # hand-edited: not overwritten or removed
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def to_review(self) -> int:
        """Articles whose recovery was uncertain (a non-empty `review:`)."""
        return sum(1 for page in self.pages for article in page.articles if article.review)

    @property
    def failed(self) -> bool:
        return any(page.error for page in self.pages)

    def summary(self) -> str:
        """One line: pages, articles, what happened to the files, accounting, time."""
        total = sum(p.han_total for p in self.pages)
        accounted = sum(p.han_accounted for p in self.pages)
        share = f"{100 * accounted / total:.2f}%" if total else "n/a"
        failed = sum(1 for p in self.pages if p.error)
        articles = sum(len(p.articles) for p in self.pages)
        return (f"ingest: {len(self.pages)} pages ({failed} failed), {articles} articles: "
                f"{len(self.new)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.kept)} hand edits kept, {len(self.removed)} removed, "
                f"{self.to_review} to review; "
                f"Han characters accounted {accounted}/{total} ({share}); {self.seconds:.2f} s")


def article_id(date: dt.date | None, label: str | None, file_name: str, number: int) -> str:
    """`YYYY-MM-DD-<page>-NN`; `undated` for an unknown date, `p-<file stem>` for an unknown page."""
    day = date.isoformat() if date else "undated"
    if label:
        page = label.lower()
    else:  # the file name is the one stable thing an unlabelled page has
        stem = re.sub(r"[^a-z0-9]+", "-", Path(file_name).stem.lower()).strip("-")[:40]
        page = "p-" + (stem or hashlib.sha1(file_name.encode()).hexdigest()[:8])
    return f"{day}-{page}-{number:02d}"


def _source(page: SeedPage, seg: Segment) -> SourceRef:
    spans = sorted(seg.spans)
    if spans:
        lines = (min(a for a, _ in spans), max(b for _, b in spans))
    else:  # the segmenter did not say: the honest claim is "somewhere on this page"
        lines = (1, max(page.text.count("\n") + 1, 1))
    return SourceRef(page.name, lines, tuple(spans) if len(spans) > 1 else (),
                     page=page.pdf_page, page_box=tuple(tuple(box) for box in seg.boxes))


def labels_from_continuations(pages: dict[str, tuple[str | None, dt.date | None, list[Segment]]]
                              ) -> dict[str, str]:
    """Labels of unlabelled pages, by name: a story （上接A01版） is on the page that the same
    day's A01 sends its continued story to with （下转A04版）, when that names one page."""
    found = {}
    for name, (label, date, segments) in pages.items():
        if label or date is None:
            continue
        came_from = {seg.continued_from for seg in segments if seg.continued_from}
        targets = {re.sub(r"[第\s]", "", seg.continues)
                   for other, (other_label, other_date, others) in pages.items()
                   if other != name and other_label in came_from and other_date == date
                   for seg in others if seg.continues}
        if len(targets) == 1 and PAGE_RE.match(next(iter(targets))):
            found[name] = targets.pop()
    return found


def page_articles(page: SeedPage, split: PageSplit, info: PageInfo, date: dt.date | None,
                  label: str | None, config: SiteConfig
                  ) -> tuple[list[Article], list[Segment], list[str]]:
    """Articles of one page (tags still without key terms), the segments used, and warnings."""
    date_source = "manifest" if info.date else ("inferred" if date else None)
    warnings = list(split.warnings)
    articles, used = [], []
    for seg in split.segments:
        warnings.extend(seg.warnings)
        first_line = min((a for a, _ in seg.spans), default=1)
        if not seg.body.strip():  # content files need a body; the headline stays visible here
            warnings.append(f"line {first_line}: a headline with no article text, not written: "
                            f"{seg.title}")
            continue
        title = seg.title.strip()
        if not title:
            warnings.append(f"line {first_line}: an article without a headline: titled {UNTITLED}")
        headline = "\n".join(filter(None, (seg.kicker, title, seg.subtitle)))
        places = find_places(f"{headline}\n{seg.body}", config.places)
        used.append(seg)
        articles.append(Article(
            id=article_id(date, label, page.key, len(used)), title=title or UNTITLED,
            body=seg.body, subtitle=seg.subtitle, kicker=seg.kicker, byline=seg.byline,
            reporters=list(seg.reporters), date=date, date_source=date_source,
            paper=info.paper or config.paper, page=label,
            topics=match_topics(headline, f"{headline}\n{seg.body}", config.topics),
            tags=places, places=places, continues=seg.continues,
            continued_from=seg.continued_from, source=_source(page, seg),
            review=(["undated"] if date is None else []) + list(seg.review)))
    return articles, used, warnings


def _unreadable(exc: OSError, path: Path) -> ArchiveError:
    return ArchiveError(f"cannot read it ({exc.strerror}): check its permissions", path)


def _split_failed(result: PageResult, path: Path, exc: Exception) -> None:
    # A segmenter bug on one page must not cost the other pages.
    result.error = ArchiveError(f"splitting this page failed ({type(exc).__name__}: {exc}); "
                                "please report it with this file", path)


def _read_and_split(path: Path) -> list[tuple[PageResult, SeedPage | None, PageSplit | None]]:
    """Read and split one page file (every page of a PDF); a file that fails carries its error
    in its result."""
    if path.suffix.lower() == ".pdf":
        return _read_and_split_pdf(path)
    result = PageResult(path.name)
    try:
        page = read_page(path)
    except ArchiveError as exc:
        result.error = exc
        return [(result, None, None)]
    except OSError as exc:
        result.error = _unreadable(exc, path)
        return [(result, None, None)]
    result.encoding, result.warnings = page.encoding, list(page.warnings)
    if page.warnings:  # empty or no Chinese: nothing to split
        return [(result, page, None)]
    try:
        return [(result, page, split_page(page.text))]
    except Exception as exc:
        _split_failed(result, path, exc)
        return [(result, page, None)]


def _read_and_split_pdf(path: Path) -> list[tuple[PageResult, SeedPage | None, PageSplit | None]]:
    try:
        pages = read_pdf(path)
    except ArchiveError as exc:
        return [(PageResult(path.name, error=exc), None, None)]
    except OSError as exc:
        return [(PageResult(path.name, error=_unreadable(exc, path)), None, None)]
    out = []
    for pdf_page in pages:
        try:
            pdf_split = split_pdf_page(pdf_page)
        except Exception as exc:
            result = PageResult(path.name)
            _split_failed(result, path, exc)
            return [(result, None, None)]
        page = SeedPage(path.name, pdf_split.text, "pdf", pdf_page=pdf_page.number,
                        pdf_pages=len(pages))
        out.append((PageResult(page.key, encoding="pdf"), page, pdf_split.split))
    return out


def page_label_of(page: SeedPage, label: str | None) -> str | None:
    """The label of a page of a multi-page PDF: the manifest's label names its first page,
    the following pages count on from it (A01, A02, …)."""
    if label is None or not page.pdf_page or page.pdf_page == 1:
        return label
    match = re.fullmatch(r"(\D*)(\d+)", label)
    if not match:
        return None
    number = str(int(match.group(2)) + page.pdf_page - 1).zfill(len(match.group(2)))
    return match.group(1) + number


def _articles_of_pages(split_pages: list[tuple[PageResult, SeedPage, PageSplit, PageInfo]],
                       config: SiteConfig) -> None:
    """Fill each page result with its articles, accounting and warnings."""
    known = {}
    for result, page, split, info in split_pages:
        known[page.key] = (page_label_of(page, info.page) or infer_page_label(page.text),
                           info.date or infer_date(page.text, info.year), split.segments)
    inferred = labels_from_continuations(known)
    for result, page, split, info in split_pages:
        label, date, _ = known[page.key]
        if page.key in inferred:
            label = inferred[page.key]
            result.warnings.append(f"page label {label} inferred: a story continued from a page "
                                   "of the same day that sends its continuation there")
        result.articles, used, warnings = page_articles(page, split, info, date, label, config)
        result.date_source = result.articles[0].date_source if result.articles else None
        result.han_accounted, result.han_total, lost = account_han(page.text, split, used)
        result.artifacts = list(split.artifacts)
        result.warnings += warnings + lost


def read_state(content_dir: Path) -> tuple[dict, dict]:
    """(files, key terms) from the last run's state; a lost or broken state file is empty, so
    every differing file then counts as edited: the safe side."""
    try:
        data = json.loads((content_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    parts = [data.get(key) if isinstance(data, dict) else None for key in ("files", "key_terms")]
    return tuple(part if isinstance(part, dict) else {} for part in parts)


def _json_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def add_key_terms(articles: list[Article], config: SiteConfig, known: dict,
                  runner: Runner | None = None, show_bar: bool = False) -> dict:
    """Append each article's key terms to its tags; return the terms by text key for the state.

    Terms of unchanged texts come from the last run's state: loading jieba costs a second. Many
    new texts are cut into words on every core (`runner`): a jieba cut of an article costs more
    than reading its page; `show_bar` shows their progress.
    """
    vocabulary = key_terms_vocabulary(config)
    keys, missing = [], {}
    for article in articles:
        text = f"{article.title}\n{article.body}"
        exclude = frozenset(s for p in config.places if p.name in article.places for s in p.spellings)
        key = key_terms_cache_key(text, exclude, vocabulary)
        keys.append(key)
        if not isinstance(known.get(key), list):
            missing[key] = (text, exclude)
    runner = runner or Runner()
    workers = runner.workers(len(missing), minimum=PARALLEL_MIN_TERMS)
    with runner.pool(workers) as pool:
        mapped = pool.map(key_terms, [text for text, _ in missing.values()],
                          [exclude for _, exclude in missing.values()],
                          itertools.repeat(vocabulary),
                          chunksize=max(1, len(missing) // (4 * workers)))
        found = list(progress_bar(mapped, total=len(missing), desc="key terms", unit="article",
                                  disable=not show_bar))
        terms_by_key = {**{key: known[key] for key in keys if key not in missing},
                        **dict(zip(missing, found))}
    for article, key in zip(articles, keys):
        article.tags = make_tags(article.places, terms_by_key[key])
    return {key: terms_by_key[key] for key in keys}


def key_terms_vocabulary(config: SiteConfig) -> tuple[str, ...]:
    """The topics' keywords: jieba keeps them whole (`key_terms`)."""
    return tuple(sorted({k for topic in config.topics for k in topic.rule.keywords}))


def _pages_changed(paths: list[Path], content_dir: Path) -> bool:
    """Whether any page differs from the copy the last ingest kept (its articles' key terms are
    then likely new)."""
    folder = content_dir / SOURCES_DIR
    for path in paths:
        try:
            if path.read_bytes() != (folder / path.name).read_bytes():
                return True
        except OSError:
            return True
    return False


def _write_error(exc: OSError, content_dir: Path) -> ArchiveError:
    return ArchiveError(f"cannot write ({exc.strerror}): check that the content folder is "
                        "writable and the disk not full", exc.filename or content_dir)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _remove_stale(content_dir: Path, state: dict, wanted: dict, failed_seeds: set[str],
                  new_state: dict, report: IngestReport) -> list[str]:
    """Remove files ingest wrote whose articles are gone, unless edited or their page failed."""
    notes = []
    for name, entry in sorted(state.items()):
        path = content_dir / name
        if name in wanted or not path.is_file():
            continue
        if entry.get("seed") in failed_seeds:
            new_state[name] = entry   # its page could not be read this time: not evidence it is gone
        elif _sha(path.read_bytes()) == entry.get("sha256"):
            path.unlink()
            report.removed.append(name)
            notes.append(f"removed {path}: its article is no longer in the seeds")
        else:
            new_state[name] = entry   # stays recorded, so the next run says the same
            report.kept.append(name)
            notes.append(f"kept your edit: {path} is no longer in the seeds but you edited "
                         "it; delete it yourself if it should go")
    return notes


def write_content(content_dir: Path, articles: list[Article], failed_seeds: set[str],
                  report: IngestReport, state: dict, key_terms_state: dict) -> list[str]:
    """Write the articles' files, keep hand edits, remove stale unedited files; return notes."""
    content_dir.mkdir(parents=True, exist_ok=True)
    state_path = content_dir / STATE_FILE
    new_state: dict[str, dict] = {}
    notes = []
    wanted = {f"{a.id}.md": (dump_article(a).encode(), a.source.file) for a in articles}
    error = None
    try:
        for name, (data, seed) in sorted(wanted.items()):
            path = content_dir / name
            written = state.get(name, {}).get("sha256")
            current = path.read_bytes() if path.is_file() else None
            # Equal bytes first: a person's edit that matches the new text is simply adopted.
            if current == data:
                report.unchanged.append(name)
            elif current is not None and _sha(current) != written:
                report.kept.append(name)
                notes.append(f"kept your edit: {path} differs from what ingest wrote; "
                             "delete it to take the text from the seeds")
                if written:  # keep the old hash: the file stays "edited" until the person deletes it
                    new_state[name] = state[name]
                continue
            else:
                write_atomic(path, data)
                (report.updated if current is not None else report.new).append(name)
            new_state[name] = {"seed": seed, "sha256": _sha(data)}
        notes += _remove_stale(content_dir, state, wanted, failed_seeds, new_state, report)
    except OSError as exc:
        error = _write_error(exc, content_dir)
        # Remember what was written before the failure, and forget nothing that was not.
        new_state = {name: entry for name, entry in (state | new_state).items()
                     if name not in report.removed}
    try:
        state_data = _json_bytes({"files": new_state, "key_terms": key_terms_state})
        if not state_path.is_file() or state_path.read_bytes() != state_data:
            write_atomic(state_path, state_data)
    except OSError as exc:
        error = error or _write_error(exc, content_dir)
    if error:
        raise error
    return notes


def write_sources(content_dir: Path, texts: dict[str, bytes], failed_seeds: set[str]) -> None:
    """Keep each page file read as content/sources/NAME (texts as UTF-8, PDFs as they are;
    written only when changed); remove those whose page is gone, unless the page failed to
    read this time."""
    folder = content_dir / SOURCES_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(texts.items()):
            path = folder / name
            if not path.is_file() or path.read_bytes() != data:
                write_atomic(path, data)
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name not in texts and path.name not in failed_seeds:
                path.unlink()
    except OSError as exc:
        raise _write_error(exc, content_dir) from None


def _check_unique(articles: list[Article]) -> None:
    seen: dict[str, Article] = {}
    for article in articles:
        other = seen.setdefault(article.id, article)
        if other is not article:
            raise ArchiveError(f"two pages give the same article id {article.id} (also "
                               f"{other.source.file}): give them distinct dates or page labels in "
                               "manifest.yaml", article.source.file, key="pages")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _page_lines(result: PageResult) -> list[str]:
    if result.error:
        return []
    date = result.articles[0].date if result.articles else None
    head = (f"{result.name} [{result.encoding}] {date or 'undated'}"
            f"{f' ({result.date_source})' if date else ''}: {_count(len(result.articles), 'article')}")
    if result.han_total:
        head += (f", Han characters {result.han_accounted}/{result.han_total} "
                 f"({100 * result.han_accounted / result.han_total:.2f}%)")
    lines = [head] + [f"  {a.id}  {a.title}" + (f"  [review: {', '.join(a.review)}]" if a.review else "")
                      for a in result.articles]
    lines += [f"  set aside: line {a.line} {a.kind}: {a.text}" for a in result.artifacts]
    return lines + [f"  warning: {w}" for w in result.warnings]


@contextmanager
def content_lock(content_dir: Path):
    """Hold an exclusive lock on the content folder: a second ingest waits, never interleaves."""
    content_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(content_dir, os.O_RDONLY)   # flock on the folder itself: no lock file to commit
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another ingest into {content_dir} to finish…", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def ingest_seeds(config: SiteConfig, seeds_dir: Path, content_dir: Path,
                 quiet: bool = False) -> IngestReport:
    """Ingest every page of `seeds_dir` into `content_dir`; see the module docstring."""
    with content_lock(content_dir):
        return _ingest(config, seeds_dir, content_dir, quiet)


def _ingest(config: SiteConfig, seeds_dir: Path, content_dir: Path, quiet: bool) -> IngestReport:
    start = time.perf_counter()
    paths, ignored = list_pages(seeds_dir)
    manifest = load_manifest(seeds_dir, [p.name for p in paths])
    if ignored and not quiet:
        print(f"warning: {seeds_dir}: not page texts (*.txt) or PDFs (*.pdf), not read: {', '.join(ignored)}",
              file=sys.stderr)
    # A bar only where a person watches a long run; logs and pipes get the per-page lines.
    show_bar = not quiet and sys.stderr.isatty() and len(paths) >= PROGRESS_MIN_PAGES
    results, split_pages, texts = [], [], {}
    runner = Runner()
    workers = runner.workers(len(paths), minimum=PARALLEL_MIN_PAGES)
    with runner.pool(workers) as pool:
        splitting = pool.map(_read_and_split, paths)
        if workers > 1 and _pages_changed(paths, content_dir):
            # Loaded here while the pages are split, jieba is inherited by the processes that
            # find the new articles' key terms (add_key_terms) instead of loaded in each.
            load_key_terms(key_terms_vocabulary(config))
        outcomes = list(progress_bar(splitting, total=len(paths), desc="ingest", unit="page",
                                     disable=not show_bar))
    for path, outcome in zip(paths, outcomes):
        for result, page, split in outcome:
            results.append(result)
            if page is not None:
                texts[path.name] = (path.read_bytes() if page.pdf_page
                                    else page.text.encode("utf-8"))
            if split is not None:
                split_pages.append((result, page, split, manifest.info(path.name)))
    _articles_of_pages(split_pages, config)
    for result in results:
        if result.error:
            print(f"error: {result.error}", file=sys.stderr)
        elif not quiet:
            print("\n".join(_page_lines(result)))
    articles = [a for r in results for a in r.articles]
    # All checks that can refuse the run come before the first write.
    _check_unique(articles)
    versions = link_versions({a.id: f"{a.title}\n{a.body}" for a in articles})
    for article in articles:
        article.versions = versions[article.id]
    files_state, known_terms = read_state(content_dir)
    terms = add_key_terms(articles, config, known_terms, runner, show_bar)
    report = IngestReport(results)
    failed_seeds = {r.name for r in results if r.error}
    notes = write_content(content_dir, articles, failed_seeds, report, files_state, terms)
    write_sources(content_dir, texts, failed_seeds)
    for note in notes:
        if note.startswith("kept"):
            print(f"warning: {note}", file=sys.stderr)
        elif not quiet:
            print(note)
    report.seconds = time.perf_counter() - start
    return report

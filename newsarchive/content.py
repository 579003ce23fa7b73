"""Load `content/**/*.md` into validated `Article`s, collecting every error before failing;
read the page texts ingest keeps in `content/sources/` for the source views.

A `ContentCache` from the previous build lets unchanged files skip reading and parsing: a file
whose size and mtime are as recorded is taken as unchanged, unless the mtime is so recent that a
second write within the same clock tick could hide behind it; then its bytes are hashed.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import os
import pickle
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ArchiveError, ArchiveErrors
from .frontmatter import parse_article
from .model import CARD_FIELDS, ENCODED_BODY, Article

if TYPE_CHECKING:
    from .workers import Runner

# File systems with coarse timestamps (FAT: 2 s) can give two writes the same mtime.
RACY_NS = 2_000_000_000
# Below this many files to read, starting processes to read them costs more than it saves
# (a file takes ~0.2 ms to read and parse).
PARALLEL_READ_MIN = 1000
# This process's share of the files to read against another process's 1.0: it unpickles their
# entries afterwards, a sixth of the time of reading them.
READ_HERE = 1.2
# The page texts articles came from (`source.file`), as ingest read them: UTF-8, \n line ends.
SOURCES_DIR = "sources"


@dataclass
class ContentEntry:
    """What the last build knew of one content file: its stat, its bytes' hash, its article."""

    size: int
    mtime_ns: int
    digest: str
    article: Article | None

    def __reduce__(self):
        # Pickled by hand: the article as its fields' values in CARD_FIELDS order (all but the
        # body). As a dict, each article also wrote its keys, a quarter of the time of loading
        # it (1.12 -> 0.84 s at 30,000). The body goes as a PickleBuffer of its UTF-8: the
        # build cache writes it out of the pickle (buildcache._write), and a load leaves it
        # there until it is read (Article.__getattr__): at 30,000 long articles, decoding every
        # body was 0.6 s of each build's 1.0 s load, while a new day reads a few hundred.
        if self.article is None:  # a file read again whose bytes were the same (_read_file)
            return (ContentEntry, (self.size, self.mtime_ns, self.digest, None))
        article = self.article
        state = article.__dict__
        return (_unpickle_entry, (self.size, self.mtime_ns, self.digest,
                                  tuple([state[name] for name in CARD_FIELDS]),
                                  pickle.PickleBuffer(article.encoded_body())))


def _unpickle_entry(size: int, mtime_ns: int, digest: str, values: tuple,
                    body: bytes | memoryview) -> ContentEntry:
    article = Article.__new__(Article)
    state = article.__dict__
    state.update(zip(CARD_FIELDS, values))
    state[ENCODED_BODY] = body
    return ContentEntry(size, mtime_ns, digest, article)


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector off meanwhile: loading a build's articles makes hundreds
    of thousands of objects, none of them garbage, and would start a full collection every
    few thousand (a third of the time of unpickling them, a tenth of parsing them)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@dataclass
class ContentCache:
    """Content files by path relative to the content folder, as of the last load."""

    entries: dict[str, ContentEntry] = field(default_factory=dict)
    loaded_ns: int = 0   # wall clock when the entries' stats were taken
    # Files read and parsed by the last load, each with the article it held before (None: new).
    parsed: dict[str, Article | None] = field(default_factory=dict)
    # Files gone since the load before, with the article each held.
    removed: dict[str, Article] = field(default_factory=dict)
    dirty: bool = False   # the last load changed the entries: worth saving again
    # The build whose full save of this cache these entries extend (0: none), and the files
    # whose entries differ from that save's: a build saves only those while they are few.
    base: int = 0
    since_base: set[str] = field(default_factory=set)
    # The last load's articles sorted by id: a load told which few files may have changed
    # (the preview's watcher knows) starts from them. Kept in memory only.
    loaded: list[Article] | None = field(default=None, repr=False, compare=False)
    _digests: dict[str, str] | None = field(default=None, repr=False, compare=False)
    _from_pdfs: list[Article] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "loaded": None, "_digests": None, "_from_pdfs": None}

    def reparsed_ids(self) -> set[str]:
        """Ids of the articles the last load read again: the others are as the load before."""
        return {self.entries[rel].article.id for rel in self.parsed}

    def from_pdfs(self) -> list[Article]:
        """The last load's articles read from a PDF's page, sorted by id (kept until a load
        changes one of them): what the PDF plan looks at, not every article."""
        if self._from_pdfs is None:
            self._from_pdfs = sorted((entry.article for entry in self.entries.values()
                                      if _from_pdf(entry.article)), key=attrgetter("id"))
        return self._from_pdfs

    def digests(self) -> dict[str, str]:
        """Article id → hash of its content file's bytes (kept until a load changes it)."""
        if self._digests is None:
            self._digests = {entry.article.id: entry.digest for entry in self.entries.values()}
        return self._digests


def _from_pdf(article: Article) -> bool:
    return article.source is not None and article.source.is_pdf


def decode_content(data: bytes, path: Path) -> str:
    """UTF-8 text of a content file; other bytes are an error naming the line they are on."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ArchiveError(f"not UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as UTF-8",
                           path, line=line) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"cannot read the file: {exc.strerror}", path) from None


def parse_content(data: bytes, path: Path) -> Article:
    """Validate one content file's bytes into an Article."""
    text = decode_content(data, path)
    try:
        return parse_article(text, path)
    except ValueError as exc:  # YAML builds dates itself: 2024-02-30 fails inside safe_load
        raise ArchiveError(f"impossible value in the front matter ({exc}): write dates as a real "
                           "YYYY-MM-DD", path) from None


def read_article(path: Path) -> Article:
    """Read and validate one content file."""
    return parse_content(_read_bytes(path), path)


def content_files(content_dir: Path) -> list[tuple[str, int, int]]:
    """(relative POSIX path, size, mtime in ns) of every article file, sorted; hidden names
    skipped. Plain numbers: reading a stat's fields costs more than the stat, at 100,000 files."""
    found: list[tuple[str, int, int]] = []
    pending = [""]  # folders relative to content_dir, as POSIX paths ending in "/"
    while pending:
        folder = pending.pop()
        with os.scandir(content_dir / folder if folder else content_dir) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue  # editor backups and hidden folders are not articles
                if entry.is_dir():
                    if not (folder == "" and entry.name == SOURCES_DIR):
                        pending.append(f"{folder}{entry.name}/")
                elif entry.name.endswith(".md") and entry.is_file():
                    info = entry.stat()
                    found.append((folder + entry.name, info.st_size, info.st_mtime_ns))
    return sorted(found)


@dataclass
class ContentListing:
    """The article files of a content folder (content_files) and the wall clock when their
    stats began to be taken: a build stamps its inputs and loads its articles from one walk."""

    files: list[tuple[str, int, int]]
    started_ns: int


def list_content(content_dir: Path) -> ContentListing:
    """The content folder's article files now; none when there is no such folder."""
    started_ns = time.time_ns()
    return ContentListing(content_files(content_dir) if content_dir.is_dir() else [], started_ns)


def relist_content(content_dir: Path, listing: ContentListing, changed: Iterable[Path]
                   ) -> tuple[ContentListing, set[str]] | None:
    """list_content() now, from an earlier `listing` and every path changed since (a file
    watcher's report): only those are looked at. Also returns the article files among them,
    which must be read again whatever their stat says. None when a change may hide others
    (a folder came, went or moved): then only a walk can tell."""
    root = content_dir.resolve()
    started_ns = time.time_ns()
    files = list(listing.files)
    suspects: set[str] = set()
    for path in changed:
        try:
            rel = Path(path).relative_to(root).as_posix()
        except ValueError:
            continue  # templates, static, site.yaml: stamped by their own walk
        parts = rel.split("/")
        if rel == "." or parts[0] == SOURCES_DIR or any(p.startswith(".") for p in parts):
            continue  # what content_files skips (the kept page texts are walked apart)
        at = bisect.bisect_left(files, rel, key=itemgetter(0))
        listed = at < len(files) and files[at][0] == rel
        try:
            info = os.stat(root / rel)
        except FileNotFoundError:
            info = None
        except OSError:
            return None
        if info is None:
            if listed:
                del files[at]
            elif at < len(files) and files[at][0].startswith(rel + "/"):
                return None  # a folder of articles went
            continue
        if stat.S_ISDIR(info.st_mode):
            return None  # its files may have come with it, unreported
        if not (rel.endswith(".md") and stat.S_ISREG(info.st_mode)):
            continue
        entry = (rel, info.st_size, info.st_mtime_ns)
        if listed:
            files[at] = entry
        else:
            files.insert(at, entry)
        suspects.add(rel)
    return ContentListing(files, started_ns), suspects


def _read_file(content_dir: Path, rel: str, size: int, mtime_ns: int, known_digest: str | None
               ) -> ContentEntry:
    """The entry of a file the cache cannot vouch for: its bytes hashed, and parsed unless they
    hash to `known_digest` (then its article is None: the caller has it)."""
    path = content_dir / rel
    data = _read_bytes(path)
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return ContentEntry(size, mtime_ns, digest,
                        None if digest == known_digest else parse_content(data, path))


def _read_chunk(content_dir: Path, files: list[tuple[str, int, int, str | None]]
                ) -> list[ContentEntry | ArchiveError]:
    """_read_file() of each file, or the error that reading it raised."""
    results: list[ContentEntry | ArchiveError] = []
    with collector_paused():
        for file in files:
            try:
                results.append(_read_file(content_dir, *file))
            except ArchiveError as exc:
                results.append(exc)
    return results


def _with_article(entry: ContentEntry, rel: str, known: ContentEntry | None,
                  parsed: dict[str, Article | None]) -> ContentEntry:
    """A read file's entry with its article: the known one where its bytes are the same, else
    the one parsed, recorded in `parsed` with the article it held before."""
    if entry.article is None:
        return ContentEntry(entry.size, entry.mtime_ns, entry.digest, known.article)
    parsed[rel] = known.article if known is not None else None
    return entry


def _read_files(content_dir: Path, files: list[tuple[str, int, int]],
                known: dict[str, ContentEntry], runner: Runner | None):
    """(rel, size, mtime_ns, entry or error) of each file, in order (see _read_chunk). Many
    files are shared with processes of their own, one per core, this one reading the first
    share (a cold build's load was a tenth of its time, on one core while the other waited):
    each sends its entries back pickled, which costs a fifth of reading them."""
    listed = [(rel, size, mtime_ns, known[rel].digest if rel in known else None)
              for rel, size, mtime_ns in files]
    count = runner.workers(len(files), PARALLEL_READ_MIN) if runner is not None else 1
    # This process also unpickles what the others send: it reads a little more meanwhile.
    here = round(len(listed) * READ_HERE / (READ_HERE + count - 1))
    bounds = [here + (len(listed) - here) * k // (count - 1) for k in range(count)] \
        if count > 1 else [len(listed)]
    others = [(first, runner.background(_read_chunk, content_dir, listed[first:last]))
              for first, last in zip(bounds, bounds[1:])]
    try:
        parts = [(0, _read_chunk(content_dir, listed[:here]))]
        with collector_paused():
            parts += [(first, job.result()) for first, job in others]
    except BaseException:
        for _, job in others:
            job.cancel()
        raise
    for first, results in parts:
        for (rel, size, mtime_ns, _), result in zip(listed[first:], results):
            yield rel, size, mtime_ns, result


def load_content(content_dir: Path, cache: ContentCache,
                 listing: ContentListing | None = None, suspects: set[str] | None = None,
                 runner: Runner | None = None) -> list[Article]:
    """Every article under content_dir (as `listing` found them, else as listed now), sorted by
    id, reading only files the cache cannot vouch for; the cache is updated in place. All
    problems are raised together.

    `suspects`, when given, are the only files that may differ from the cache's last load
    (relist_content): they are read again, and the others are not looked at one by one.
    With a `runner`, many files to read are read in one process per core."""
    if not content_dir.is_dir():
        raise ArchiveError("content folder not found: run `python build.py ingest` first "
                           "or pass --content DIR", content_dir)
    listing = listing or list_content(content_dir)
    if suspects is not None:
        articles = _reload_suspects(content_dir, cache, listing, suspects)
        if articles is not None:
            return articles
    # Collect every problem first: one run shows all that is wrong, not one file per run.
    errors: list[ArchiveError] = []
    by_id: dict[str, Article] = {}
    entries: dict[str, ContentEntry] = {}
    changed: list[str] = []
    cache.parsed = {}
    known_entries, trusted_ns = cache.entries, cache.loaded_ns - RACY_NS
    unread: list[tuple[str, int, int]] = []
    for rel, size, mtime_ns in listing.files:
        known = known_entries.get(rel)
        # The same size and mtime prove the same bytes unless a second write within the
        # clock's tick could hide behind them: then the bytes are hashed.
        if known is not None and known.size == size and known.mtime_ns == mtime_ns \
                and mtime_ns < trusted_ns and (suspects is None or rel not in suspects):
            entries[rel] = known
        else:
            entries[rel] = None
            unread.append((rel, size, mtime_ns))
    for rel, size, mtime_ns, result in _read_files(content_dir, unread, known_entries, runner):
        if isinstance(result, ArchiveError):
            # One list of problems, not a file's list nested in the folder's (the overlay
            # and the CLI print one line per problem).
            errors.extend(getattr(result, "errors", None) or [result])
            del entries[rel]
            continue
        entries[rel] = _with_article(result, rel, known_entries.get(rel), cache.parsed)
        changed.append(rel)
    for rel, entry in entries.items():
        article = entry.article
        first = by_id.get(article.id)
        if first is not None:
            errors.append(ArchiveError(
                f"duplicate id {article.id!r}, also used by {first.path}: give one of them "
                "another id", content_dir / rel, key="id"))
            continue
        by_id[article.id] = article
    if errors:
        raise errors[0] if len(errors) == 1 else ArchiveErrors(errors)
    if not by_id:
        raise ArchiveError("no articles (*.md) found: run `python build.py ingest` first",
                           content_dir)
    cache.removed = {rel: known_entries[rel].article
                     for rel in sorted(known_entries.keys() - entries.keys())}
    cache.since_base.update(cache.removed, changed)
    # A file read again is saved again, if only for its newer stat: else it is read on
    # every build.
    cache.dirty = bool(changed or cache.removed)
    cache.entries, cache.loaded_ns = entries, listing.started_ns
    cache.loaded = [by_id[key] for key in sorted(by_id)]
    cache._digests = cache._from_pdfs = None
    return list(cache.loaded)


def _reload_suspects(content_dir: Path, cache: ContentCache, listing: ContentListing,
                     suspects: set[str]) -> list[Article] | None:
    """load_content() when only `suspects` may have changed since the cache's last load in
    this process and each still holds the article it held (same id): those files are read,
    the rest is the last load's. None when that does not hold: then every file is checked.

    No file but the suspects is within the clock's tick check: the watcher that named them
    reports every write, also a second one within the tick of the last load."""
    loaded = cache.loaded
    if loaded is None or len(listing.files) != len(cache.entries) \
            or any(rel not in cache.entries for rel in suspects):
        return None
    parsed: dict[str, Article | None] = {}
    fresh: dict[str, ContentEntry] = {}
    for rel in sorted(suspects):
        _, size, mtime_ns = listing.files[bisect.bisect_left(listing.files, rel,
                                                             key=itemgetter(0))]
        known = cache.entries[rel]
        try:
            entry = _with_article(_read_file(content_dir, rel, size, mtime_ns, known.digest),
                                  rel, known, parsed)
        except ArchiveError:
            return None  # the full load collects every problem
        if entry.article.id != known.article.id:
            return None
        fresh[rel] = entry
    if any(_from_pdf(entry.article) or _from_pdf(cache.entries[rel].article)
           for rel, entry in fresh.items()):
        cache._from_pdfs = None
    cache.parsed, cache.removed = parsed, {}
    cache.since_base.update(fresh)
    cache.dirty = bool(fresh)
    cache.entries.update(fresh)  # in place: a build that fails drops this value (buildcache)
    cache.loaded_ns = listing.started_ns
    if cache._digests is not None:
        cache._digests = {**cache._digests,
                          **{entry.article.id: entry.digest for entry in fresh.values()}}
    articles = list(loaded)
    for entry in fresh.values():
        at = bisect.bisect_left(articles, entry.article.id, key=attrgetter("id"))
        articles[at] = entry.article
    cache.loaded = articles
    return list(articles)


def load_articles(content_dir: Path) -> list[Article]:
    """Every article under content_dir, sorted by id; all problems are raised together."""
    return load_content(content_dir, ContentCache())


def read_source(content_dir: Path, name: str, article_path: Path | None) -> list[str] | None:
    """The lines of the page text `name` (an article's `source.file`) kept in content/sources/;
    None when it is not there."""
    # Front matter is hand-editable: a path here could publish any file on the machine.
    if Path(name).name != name or name.startswith("."):
        raise ArchiveError(f"source file {name!r} must be a plain file name in seeds/",
                           article_path, key="source")
    path = content_dir / SOURCES_DIR / name
    if not path.is_file():
        return None
    return decode_content(_read_bytes(path), path).split("\n")

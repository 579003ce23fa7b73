"""The build cache in `.newsarchive-cache/`: what the last build read and what it wrote.

One format and one rule for every entry: a pickle headed by the cache format, the Python
version and the digest of the code that made the value (`code_version` of the modules it names);
an entry that describes an output also names the build that saved it (`generation`), and the
build state says which generation of each entry goes with the output it describes. A build's
own state (its inputs' stamp, its output's files) is read on every build; the content entry
(parsed articles) and each stage's entry only when something changed. An entry that is missing,
unreadable, from other code or from another build is ignored: that part is then done cold.
Entries are written only after the output was swapped in, the build's own state last.

A process that builds again and again (the preview server) keeps the entries in memory
(`CacheMemory`): its next build takes them from there instead of reading them back, as long as
the state file is still the one its last build wrote (then every entry on disk is too).
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import mmap
import os
import pickle
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from .content import RACY_NS, ContentCache, ContentEntry, ContentListing, collector_paused
from .output import Spare, atomic_file, folder_identity

CACHE_DIR = ".newsarchive-cache"
FORMAT = 5
# The end of an entry's file: where the index of its buffers starts (see _write).
INDEX_AT = struct.Struct("<Q")
# The content entry holds every article, texts included (a second to write at 30,000): a build
# saves the files changed since its last full save (the entry "content-recent") until they
# are this share of all files, then all of it again.
RECENT_SHARE = 1 / 16
STAMP_SIZE = 16   # bytes of each of a build state's two stamps (content, the rest)


@dataclass
class BuildState:
    """The last successful build: its inputs' stamp and its output's files."""

    stamp: bytes
    scanned_ns: int                  # when the stamp's stats were taken; names this build
    output: tuple[int, int, int]     # folder_identity() of the output folder it produced
    files: list[str] = field(default_factory=list)
    page_count: int = 0
    article_count: int = 0
    spare: Spare | None = None       # the site this build replaced, kept to build the next in
    entries: dict[str, int] = field(default_factory=dict)  # each stage's entry: the build
                                     # (scanned_ns) that saved the one this output goes with
    inputs: list[Path] = field(default_factory=list)  # the files in its stamp besides folders

    def still_current(self, stamp: bytes, newest_ns: int, out_dir: Path) -> bool:
        """Nothing changed since: same inputs, none touched too recently to trust, same output."""
        return (stamp == self.stamp and newest_ns < self.scanned_ns - RACY_NS
                and folder_identity(out_dir) == self.output)


def _walk_stats(root: Path, digest) -> int:
    """Feed (path, size, mtime) of every file under root to digest; return the newest mtime."""
    newest = 0
    pending = [root]
    found = []
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # absent folders are a state too: they add nothing
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                pending.append(Path(entry.path))
            else:
                info = entry.stat()
                found.append((entry.path, info.st_size, info.st_mtime_ns))
    for path, size, mtime in sorted(found):
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
        newest = max(newest, mtime)
    return newest


# The package's modules no build runs (ingest, the preview server, the site checker, the
# command line): a change to them changes nothing a build writes. A test checks that a build
# loads exactly the others.
NOT_BUILD_CODE = ("check", "cli", "ingest", "metadata", "pdf", "seeds", "segment", "serve", "text")


def build_code() -> list[Path]:
    """The package's modules a build runs: the code is an input too. Found in the package's
    folder, not among the modules this process has loaded: the preview server has loaded
    more than a command-line build, and both must see the same code as unchanged."""
    package = Path(__file__).resolve().parent
    return sorted(path for path in package.rglob("*.py")
                  if path.relative_to(package).parts[0].removesuffix(".py") not in NOT_BUILD_CODE)


def code_version(modules: tuple[ModuleType | str, ...]) -> bytes:
    """The digest of these modules' source: a cached value or fingerprint made by other code
    is not trusted (the one code-version rule of every cache entry and page fingerprint).
    A module given by its full name is found without being run: a build whose search data is
    made in a process of its own never loads the search code (numpy and OpenCC with it)."""
    named = sorted((module, importlib.util.find_spec(module).origin) if isinstance(module, str)
                   else (module.__name__, module.__file__) for module in modules)
    digest = hashlib.blake2b(digest_size=16)
    for name, path in named:
        digest.update(name.encode() + b"\0" + Path(path).read_bytes())
    return digest.digest()


def input_stamp(roots: list[Path], files: list[Path]) -> tuple[bytes, int]:
    """A hash of every input file's path, size and mtime, and the newest mtime among them."""
    digest = hashlib.blake2b(digest_size=STAMP_SIZE)
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode() + b"\n")
    newest = max([_walk_stats(root.resolve(), digest) for root in roots] + [0])
    for path in files:
        try:
            info = path.stat()
        except OSError:
            digest.update(f"{path}\0absent\n".encode())
            continue
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        newest = max(newest, info.st_mtime_ns)
    return digest.digest(), newest


def listing_stamp(content_dir: Path, listing: ContentListing) -> tuple[bytes, int]:
    """input_stamp() of the article files as listed: the one walk over them (tens of
    thousands) serves both the stamp and the loading."""
    digest = hashlib.blake2b(f"{content_dir.resolve()}\n".encode(), digest_size=STAMP_SIZE)
    digest.update(pickle.dumps(listing.files, protocol=pickle.HIGHEST_PROTOCOL))
    return digest.digest(), max((mtime for _, _, mtime in listing.files), default=0)


def _file_key(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of a file from another: atomic_file gives each its own inode."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _read(path: Path) -> tuple:
    """One entry's (header, value), the collector paused meanwhile (an entry can hold every
    article). The file is mapped, not read: the buffers written out of the pickle (_write)
    come back as views into it, read only where the value is used; the mapping lasts as long
    as one of them does (an entry replaced meanwhile keeps its file until then)."""
    with collector_paused(), open(path, "rb") as handle:
        data = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
        (index_at,) = INDEX_AT.unpack_from(data, len(data) - INDEX_AT.size)
        pickle_size, sizes = pickle.loads(data[index_at:-INDEX_AT.size])
        ends = list(itertools.accumulate(sizes, initial=pickle_size))
        return pickle.loads(data[:pickle_size],
                            buffers=[data[start:end] for start, end in zip(ends, ends[1:])])


def _held(value: object, code: bytes, generation: int | None) -> tuple:
    """An entry as its file holds it: headed by what must match for it to be trusted."""
    return (FORMAT, sys.version_info[:2], code, generation), value


def _trusted(held: tuple, kind: type, code: bytes, generation: int | None):
    """The value of an entry (header, value) if it is a `kind` made by this code (and by build
    `generation`, if given), else None."""
    header, value = held
    if header[:3] != (FORMAT, sys.version_info[:2], code) or not isinstance(value, kind):
        return None
    return value if generation is None or header[3] == generation else None


@dataclass(frozen=True)
class CacheFile:
    """One entry's file, for a process of the build that reads or writes it itself (the search
    process): a few names to send it, not the build's cache and memory."""

    path: Path
    code: bytes
    generation: int | None = None   # of the entry to read, or of the one to write

    @property
    def pending(self) -> Path:
        """Where write_pending() puts the entry until the build adopts it."""
        return self.path.with_name(f"{self.path.name}.{self.generation}.new")

    def load(self, kind: type):
        """The entry's value, as BuildCache.load() would trust it, else None."""
        try:
            return _trusted(_read(self.path), kind, self.code, self.generation)
        except Exception:  # missing, truncated or from other code: a cold step
            return None

    def save(self, value: object) -> None:
        """Replace the entry now: for one no output depends on (the variants table)."""
        _write(self.path, _held(value, self.code, self.generation))

    def write_pending(self, value: object) -> Path | None:
        """The entry as build `generation` saves it, beside its file: BuildCache.adopt() puts
        it in place once the site is, as every other entry is saved. None when it cannot be
        written (the next build then does this stage cold)."""
        return self.pending if _write(self.pending, _held(value, self.code, self.generation)) \
            else None


def _write(path: Path, held: tuple) -> bool:
    """Write an entry's file whole or not at all; False when it cannot be written: a cache
    that cannot be written costs time on the next build, nothing else.

    The file: the pickle, then the buffers it hands out (PickleBuffer, pickled out of band),
    then an index of their sizes, then where that index starts (INDEX_AT)."""
    buffers: list[pickle.PickleBuffer] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path) as handle:
            pickle.dump(held, handle, protocol=5, buffer_callback=buffers.append)
            pickle_size = handle.tell()
            views = [buffer.raw() for buffer in buffers]
            for view in views:
                handle.write(view)
            index_at = handle.tell()
            pickle.dump((pickle_size, [view.nbytes for view in views]), handle, protocol=5)
            handle.write(INDEX_AT.pack(index_at))
    except OSError:
        return False
    return True


@dataclass
class CacheMemory:
    """The entries of a process's last successful build as it saved or loaded them (header,
    value), and the state file it wrote: they stand for the files while that file is unchanged
    (another process's build would have replaced it)."""

    state_file: tuple[int, int, int, int] | None = None
    entries: dict[str, tuple] = field(default_factory=dict)
    # The content folder's files as its last build listed them (content.relist_content): a
    # build told what changed since lists only that. Kept whatever became of that build.
    listing: tuple[Path, ContentListing] | None = None


class BuildCache:
    """The cache entries of one content folder built into one output folder."""

    def __init__(self, root: Path, content_dir: Path, out_dir: Path,
                 memory: CacheMemory | None = None):
        self.key = hashlib.blake2b(f"{content_dir.resolve()}\0{out_dir}".encode(),
                                   digest_size=8).hexdigest()
        self.folder = root / CACHE_DIR
        self.memory = memory
        # This build's entries as loaded or saved, for the memory (None without one, or once
        # a save failed: its file may not hold the value).
        self.used: dict[str, tuple] | None = {} if memory is not None else None

    def path(self, name: str) -> Path:
        return self.folder / f"{name}-{self.key}.pickle"

    def load(self, name: str, kind: type, code: bytes = b"", generation: int | None = None):
        """Entry `name` if it holds a `kind` made by this code (and by build `generation`, if
        given), else None: a missing or damaged entry means a cold step, never a failure."""
        held = None
        if self.memory is not None:
            if self.memory.state_file != _file_key(self.path("state")):
                self.memory.entries.clear()  # another process built since
            # Taken out: the build may change the value in place (the content cache does)
            # and fail; only remember() puts it back.
            held = self.memory.entries.pop(name, None)
        if held is None:
            try:
                header, value = _read(self.path(name))
            except Exception:  # missing, truncated or from other code
                return None
            held = (header, value)
        if self.used is not None:
            self.used[name] = held
        return _trusted(held, kind, code, generation)

    def save(self, name: str, value: object, code: bytes = b"", generation: int | None = None
             ) -> None:
        held = _held(value, code, generation)
        if not _write(self.path(name), held):
            self.used = None
        elif self.used is not None:
            self.used[name] = held

    def file(self, name: str, code: bytes, generation: int | None = None) -> CacheFile:
        """Entry `name`'s file, for a process of the build to read or write (see CacheFile)."""
        return CacheFile(self.path(name), code, generation)

    def adopt(self, name: str, pending: Path) -> bool:
        """Put in place entry `name` as a process of this build wrote it (write_pending()),
        False if it could not be. This process never held its value: the memory reads it
        back from the file."""
        try:
            os.replace(pending, self.path(name))
        except OSError:
            return False
        for left in self.folder.glob(f"{self.path(name).name}.*.new"):
            left.unlink(missing_ok=True)  # of a build that failed after its process wrote it
        if self.memory is not None:
            self.memory.entries.pop(name, None)
        if self.used is not None:
            self.used.pop(name, None)
        return True

    def forget(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)
        if self.memory is not None:
            self.memory.entries.pop(name, None)
        if self.used is not None:
            self.used.pop(name, None)

    def remember(self) -> None:
        """After a successful build (its state saved last): keep its entries in the memory.

        An entry loaded and not saved again is what its file holds: a successful build
        changes in place only what it saves, or what loading the same files would give again
        (the content cache's newer clock: its files were checked once more)."""
        if self.memory is None:
            return
        if self.used is None:
            self.memory.entries.clear()
            self.memory.state_file = None
            return
        # The entries this build left alone are still what their files hold.
        self.memory.entries.update(self.used)
        self.memory.state_file = _file_key(self.path("state"))
        # What it did not load (the preview's first build, a no-op, loads only the state) is
        # read now, not by the first edit.
        suffix = f"-{self.key}.pickle"
        for path in self.folder.glob(f"*{suffix}"):
            name = path.name[:-len(suffix)]
            if name not in self.memory.entries:
                try:
                    header, value = _read(path)
                except Exception:  # missing or damaged: the build that needs it finds out
                    continue
                self.memory.entries[name] = (header, value)


@dataclass
class RecentContent:
    """The content files whose entries differ from the full save of the content cache that
    it extends (by the build that made that save): each one's entry, None for a file gone."""

    entries: dict[str, ContentEntry | None]
    loaded_ns: int


def load_contents(cache: BuildCache, code: bytes) -> ContentCache:
    """The content cache as the last build left it: its full save and what changed since."""
    contents = cache.load("content", ContentCache, code) or ContentCache()
    recent = cache.load("content-recent", RecentContent, code, contents.base) \
        if contents.base else None
    if recent is not None:
        # From the memory the value holds these already: setting them again changes nothing.
        for rel, entry in recent.entries.items():
            if entry is None:
                contents.entries.pop(rel, None)
            else:
                contents.entries[rel] = entry
        contents.since_base.update(recent.entries)
        contents.loaded_ns = max(contents.loaded_ns, recent.loaded_ns)
    return contents


def save_contents(cache: BuildCache, contents: ContentCache, code: bytes, generation: int
                  ) -> None:
    """Save what the last load changed: only the files changed since the full save while they
    are few, else everything, as build `generation`."""
    if not contents.dirty and cache.path("content").exists():
        return
    if contents.base and len(contents.since_base) <= RECENT_SHARE * len(contents.entries):
        cache.save("content-recent", RecentContent(
            {rel: contents.entries.get(rel) for rel in sorted(contents.since_base)},
            contents.loaded_ns), code, contents.base)
        return
    contents.base, contents.since_base = generation, set()
    cache.save("content", contents, code, generation)
    cache.forget("content-recent")

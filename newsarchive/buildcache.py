"""The build cache in `.newsarchive-cache/`: what the last build read and what it wrote.

One format and one rule for every entry: a pickle headed by the cache format, the Python
version and the digest of the code that made the value (`code_version` of the modules it names);
an entry that describes an output also names the build that saved it (`generation`), and the
build state says which generation of each entry goes with the output it describes. A build's
own state (its inputs' stamp, its output's files) is read on every build; the content entry
(parsed articles) and each stage's entry only when something changed. An entry that is missing,
unreadable, from other code or from another build is ignored: that part is then done cold.
Entries are written only after the output was swapped in, the build's own state last.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from .content import RACY_NS
from .output import Spare, atomic_file, folder_identity

CACHE_DIR = ".newsarchive-cache"
FORMAT = 3


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


def build_code() -> list[Path]:
    """The package's modules this process has loaded: the code a build ran is an input too.

    Loaded, not all: ingest or serve being edited changes nothing a build writes.
    """
    return sorted(Path(module.__file__) for name, module in list(sys.modules.items())
                  if (name == "newsarchive" or name.startswith("newsarchive."))
                  and getattr(module, "__file__", None))


def code_version(modules: tuple[ModuleType, ...]) -> bytes:
    """The digest of these modules' source: a cached value or fingerprint made by other code
    is not trusted (the one code-version rule of every cache entry and page fingerprint)."""
    digest = hashlib.blake2b(digest_size=16)
    for module in sorted(modules, key=lambda m: m.__name__):
        digest.update(module.__name__.encode() + b"\0" + Path(module.__file__).read_bytes())
    return digest.digest()


def input_stamp(roots: list[Path], files: list[Path]) -> tuple[bytes, int]:
    """A hash of every input file's path, size and mtime, and the newest mtime among them."""
    digest = hashlib.blake2b(digest_size=16)
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


class BuildCache:
    """The cache entries of one content folder built into one output folder."""

    def __init__(self, root: Path, content_dir: Path, out_dir: Path):
        self.key = hashlib.blake2b(f"{content_dir.resolve()}\0{out_dir}".encode(),
                                   digest_size=8).hexdigest()
        self.folder = root / CACHE_DIR

    def path(self, name: str) -> Path:
        return self.folder / f"{name}-{self.key}.pickle"

    def load(self, name: str, kind: type, code: bytes = b"", generation: int | None = None):
        """Entry `name` if it holds a `kind` made by this code (and by build `generation`, if
        given), else None: a missing or damaged entry means a cold step, never a failure."""
        try:
            with open(self.path(name), "rb") as handle:
                header, value = pickle.load(handle)
        except Exception:  # missing, truncated or from other code
            return None
        wanted = (FORMAT, sys.version_info[:2], code)
        if header[:3] != wanted or not isinstance(value, kind):
            return None
        return value if generation is None or header[3] == generation else None

    def save(self, name: str, value: object, code: bytes = b"", generation: int | None = None
             ) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_file(self.path(name)) as handle:
                pickle.dump(((FORMAT, sys.version_info[:2], code, generation), value), handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            return  # a cache that cannot be written costs time on the next build, nothing else

    def forget(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

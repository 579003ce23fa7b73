"""The build cache in `.newsarchive-cache/`: what the last build read and what it wrote.

Two files per (content folder, output folder): a small state (the inputs' stamp, each page's
fingerprint, the output's files) read on every build, and the parsed articles, read only when
something changed. A cache that is missing, unreadable or from another version is ignored: the
build is then a cold one. It is written only after the output was swapped in.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import config, content, errors, frontmatter, model
from .content import RACY_NS, ContentCache
from .output import Spare, atomic_file, folder_identity

CACHE_DIR = ".newsarchive-cache"
FORMAT = 2


@dataclass
class BuildState:
    """The last successful build: its inputs' stamp, its pages' fingerprints and its files."""

    stamp: bytes
    scanned_ns: int                  # when the stamp's stats were taken
    output: tuple[int, int, int]     # folder_identity() of the output folder it produced
    pages: dict[str, bytes] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    page_count: int = 0
    article_count: int = 0
    spare: Spare | None = None       # the site this build replaced, kept to build the next in
    key: bytes = b""                 # build.global_key(): templates, config, code
    rest_stamp: bytes = b""          # the part of `stamp` that is not content/
    plan: int = 0                    # which KeptContexts holds this site's plan

    def still_current(self, stamp: bytes, newest_ns: int, out_dir: Path) -> bool:
        """Nothing changed since: same inputs, none touched too recently to trust, same output."""
        return (stamp == self.stamp and newest_ns < self.scanned_ns - RACY_NS
                and folder_identity(out_dir) == self.output)


@dataclass
class KeptContexts:
    """The pickled contexts (depends.PagePrint) of the pages that hold whole articles, as the
    last full plan made them; `plan` ties them to the BuildState that counts on them."""

    plan: int
    pages: dict[str, tuple[bytes, tuple[str, ...]]] = field(default_factory=dict)


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


def build_code(pages_only: bool = False) -> list[Path]:
    """The package's modules this process has loaded: the code a build ran is an input too.

    Loaded, not all: ingest or serve being edited changes nothing a build writes. With
    pages_only, the search modules are left out, since no page is rendered by them.
    """
    return sorted(Path(module.__file__) for name, module in list(sys.modules.items())
                  if (name == "newsarchive" or name.startswith("newsarchive."))
                  and getattr(module, "__file__", None)
                  and not (pages_only and name.startswith("newsarchive.search")))


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


def article_code() -> str:
    """A hash of the modules that turn a content file into an Article: cached Articles are
    theirs, so other versions of them (a new field, a new check) must parse again."""
    digest = hashlib.blake2b(digest_size=16)
    for module in (config, content, errors, frontmatter, model):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


class BuildCache:
    """Reads and writes the cache files of one content folder built into one output folder."""

    def __init__(self, root: Path, content_dir: Path, out_dir: Path):
        key = hashlib.blake2b(f"{content_dir.resolve()}\0{out_dir}".encode(),
                              digest_size=8).hexdigest()
        self.folder = root / CACHE_DIR
        self.state_file = self.folder / f"state-{key}.pickle"
        self.content_file = self.folder / f"content-{key}.pickle"
        self.search_file = self.folder / f"search-{key}.pickle"  # see search.search_output
        self.contexts_file = self.folder / f"contexts-{key}.pickle"

    def _load(self, path: Path, kind: type, code: str = ""):
        try:
            with open(path, "rb") as handle:
                version, value = pickle.load(handle)
        except Exception:  # missing, truncated or from other code: a cold build, never a failure
            return None
        return value if version == (FORMAT, sys.version_info[:2], code) and \
            isinstance(value, kind) else None

    def load_state(self) -> BuildState | None:
        return self._load(self.state_file, BuildState)

    def load_contexts(self, plan: int) -> KeptContexts | None:
        kept = self._load(self.contexts_file, KeptContexts)
        return kept if kept is not None and kept.plan == plan else None

    def save_contexts(self, kept: KeptContexts) -> None:
        self._save(self.contexts_file, kept)

    def load_content(self) -> ContentCache:
        return self._load(self.content_file, ContentCache, article_code()) or ContentCache()

    def _save(self, path: Path, value: object, code: str = "") -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_file(path) as handle:
                pickle.dump(((FORMAT, sys.version_info[:2], code), value), handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            return  # a cache that cannot be written costs time on the next build, nothing else

    def save(self, state: BuildState, content: ContentCache) -> None:
        if content.dirty or not self.content_file.exists():
            self._save(self.content_file, content, article_code())
        self._save(self.state_file, state)

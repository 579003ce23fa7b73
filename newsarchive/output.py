"""Atomic site output: build into a temporary folder beside the output, then swap it in.

A killed or failed build leaves the previous site as it was; files whose bytes did not change
keep their inode and mtime (hard links to the previous build), so a preview server can tell
what changed. A lock file keeps two builds of the same output from interleaving.

The site replaced by a swap is kept beside the output as the spare. The next build brings the
spare up to date with the output (relinking only the files the last build changed) and builds
into it: a build then touches what changed, not every one of the site's files.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import ArchiveError

TEMP_PREFIX = ".site-tmp-"
SPARE_PREFIX = ".site-spare-"
RENAME_EXCHANGE = 2  # linux/fs.h: swap two paths in one step
AT_FDCWD = -100


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `path` that replaces it only when the block completes: readers
    see the old file or the new one, never half of one, and a failure leaves no temporary."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("wb") as handle:
            yield handle
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through `atomic_file`."""
    with atomic_file(path) as handle:
        handle.write(data)


def check_output_dir(out_dir: Path, root: Path, sources: list[Path]) -> Path:
    """Refuse an output folder that is or holds the project root, or overlaps a source folder."""
    out = out_dir.resolve()
    # The project root may hold the output (_site/ lives there), never be or lie inside it.
    overlapping = [root.resolve()] if root.resolve().is_relative_to(out) else []
    overlapping += [s.resolve() for s in sources
                    if s.resolve().is_relative_to(out) or out.is_relative_to(s.resolve())]
    if overlapping:
        raise ArchiveError(f"refusing to build into {out}: it overlaps {overlapping[0]}, which "
                           "the build reads; choose another --out folder", out_dir)
    return out


def write_error(exc: OSError, out_dir: Path) -> ArchiveError:
    """A failed write as the one-line error users see: what happened and what to do."""
    if exc.errno == errno.ENOSPC:
        hint = "the disk is full: free some space and build again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "the output folder is not writable: fix its permissions or choose another --out"
    else:
        hint = f"{exc.strerror or exc}: check the output folder"
    return ArchiveError(f"cannot write the site ({hint}); the previous site is unchanged",
                        exc.filename or out_dir)


class BuildLock:
    """An exclusive lock on the folder that holds the output; waits up to `wait` seconds.

    Locking the parent folder itself needs no lock file to clean up or to keep out of git.
    """

    def __init__(self, out_dir: Path, wait: float = 60.0):
        self.out_dir = out_dir
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> "BuildLock":
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.out_dir.parent, os.O_RDONLY)
        except OSError as exc:
            raise write_error(exc, self.out_dir) from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    raise ArchiveError("another build of this site is running: wait for it to "
                                       "finish and try again", self.out_dir) from None
                time.sleep(0.1)

    def __exit__(self, *exc_info) -> None:
        os.close(self.fd)  # closing releases the lock


@dataclass
class Spare:
    """The previous site kept beside the output: its folder's identity and the files in which
    it differs from the output."""

    identity: tuple[int, int, int]
    stale: list[str]
    # Checked, once brought up to date, to hold every file of the output (see refresh_spare):
    # a build into it then keeps files without looking for each one, which is most of what
    # an edit's build costs at tens of thousands of files.
    complete: bool = False


@dataclass
class Staging:
    """A temporary site folder; `commit()` swaps it in for the output folder.

    `previous_files` is set when the folder starts as a copy (hard links) of the output: only
    the files written, and those the new site lacks, then differ. Of such a copy, the files
    `stale` are still the previous site's (the spare's, see start_staging): each is made the
    output's when kept, replaced when written, and removed at the commit if neither. A
    `complete` copy holds every one of `previous_files` (Spare.complete) and nothing stale.
    """

    out_dir: Path
    temp_dir: Path
    previous_files: list[str] | None = None
    stale: frozenset[str] = frozenset()
    complete: bool = False
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # The file names in each folder of a staging folder that starts as a copy, listed once:
    # a small edit keeps tens of thousands of files, and a stat each costs more than
    # listing their few hundred folders.
    _listed: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False)
    _previous_set: frozenset[str] | None = field(default=None, init=False, repr=False)

    def write(self, rel_path: str, data: bytes) -> None:
        """Put one file in the new site; bytes equal to the previous build's are not rewritten."""
        # Paths as text, folders made only when missing: a new day writes thousands of search
        # files, and pathlib's joins and a mkdir each cost as much as the writes.
        target = os.path.join(self.temp_dir, rel_path)
        old = os.path.join(self.out_dir, rel_path)
        try:
            if self.previous_files is not None:
                _unlink(target)  # a link to the output's file: writing through it would change it
            if _holds(old, data):
                _in_folder(target, _link_or_copy, old, target)
                self.unchanged.append(rel_path)
            else:
                _in_folder(target, _write_bytes, target, data)
                self.written.append(rel_path)
        except OSError as exc:
            raise write_error(exc, self.out_dir) from None

    def keep(self, rel_path: str) -> bool:
        """Put the previous build's file in the new site unread; False if there is none."""
        try:
            if self.previous_files is not None:
                if not self._copy_holds(rel_path):
                    return False
            else:
                old = os.path.join(self.out_dir, rel_path)
                target = os.path.join(self.temp_dir, rel_path)
                try:
                    _link_or_copy(old, target)
                except FileNotFoundError:
                    if not os.path.isfile(old):
                        return False
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    _link_or_copy(old, target)
        except OSError as exc:
            raise write_error(exc, self.out_dir) from None
        self.unchanged.append(rel_path)
        return True

    def keep_all(self, rel_paths: list[str]) -> bool:
        """keep() each of these files; False (and none kept) if one is missing. In a folder
        started as a copy this is one look per folder, not per file: a text edit keeps every
        other file of the site, tens of thousands; in a complete copy, no look at all."""
        if self.previous_files is None:
            for count, rel in enumerate(rel_paths):
                if not self.keep(rel):
                    for kept in rel_paths[:count]:
                        _unlink(self.temp_dir / kept)
                        _remove_empty_parents(self.temp_dir, kept)
                    del self.unchanged[len(self.unchanged) - count:]
                    return False
            return True
        try:
            if self.complete:
                # Only a file the output lacks can be missing: a set test, not a look each.
                if not self._previous().issuperset(rel_paths):
                    return False
            elif not all(map(self._copy_holds, rel_paths)):
                return False
        except OSError as exc:
            raise write_error(exc, self.out_dir) from None
        self.unchanged += rel_paths
        return True

    def _previous(self) -> frozenset[str]:
        if self._previous_set is None:
            self._previous_set = frozenset(self.previous_files)
        return self._previous_set

    def _copy_holds(self, rel_path: str) -> bool:
        """Whether the copy holds the previous build's file, a stale one made the output's
        first (see the class)."""
        if rel_path in self.stale:
            return _catch_up(self.temp_dir, self.out_dir, rel_path)
        folder, _, name = rel_path.rpartition("/")
        names = self._listed.get(folder)
        return name in (self._list_folder(folder) if names is None else names)

    def _list_folder(self, folder: str) -> set[str]:
        """The names in one folder of the copy, listed once. Subfolders' names are among them
        (listing names alone is a third of the time of telling files apart): a page path is
        never a folder's, short of someone replacing a page by a folder in the spare."""
        names = self._listed[folder] = _names_in(self.temp_dir, folder)
        return names

    def copy_tree(self, source: Path, rel_dir: str) -> None:
        """Copy a folder (static files) into the site, sorted, skipping hidden files."""
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                self.write(f"{rel_dir}/{rel.as_posix()}", path.read_bytes())

    def commit(self) -> Spare | None:
        """Swap the new site in with one rename; the replaced one becomes the spare."""
        try:
            if self.previous_files is None:
                self._reuse_unchanged()
            else:
                self._drop_previous_files()
            os.chmod(self.temp_dir, 0o755)  # mkdtemp makes it 0700; a web server must read it
            if not self.out_dir.exists():
                os.rename(self.temp_dir, self.out_dir)
                return None
            _exchange(self.temp_dir, self.out_dir)
            spare = spare_path(self.out_dir)
            os.rename(self.temp_dir, spare)  # now the previous site
            return Spare(folder_identity(spare), sorted(self.written + self.removed))
        except OSError as exc:
            raise write_error(exc, self.out_dir) from None

    def discard(self) -> None:
        """Throw the temporary folder away; the output folder was never touched."""
        shutil.rmtree(self.temp_dir, ignore_errors=True)

    def _drop_previous_files(self) -> None:
        """Remove the files of the previous site this one no longer has, and the stale files
        of the copy that neither has."""
        kept = set(self.written)
        kept.update(self.unchanged)
        self.removed = sorted(self._previous().difference(kept))
        left = self.stale.difference(kept, self._previous())
        for rel in [*self.removed, *sorted(left)]:
            _unlink(self.temp_dir / rel)
            _remove_empty_parents(self.temp_dir, rel)

    def _reuse_unchanged(self) -> None:
        """Files others wrote into the folder get the same treatment as written ones."""
        new_files = _files(self.temp_dir)
        old_files = set(_files(self.out_dir)) if self.out_dir.is_dir() else set()
        tracked = set(self.written) | set(self.unchanged)
        for rel in new_files:
            if rel in tracked:
                continue
            new, old = self.temp_dir / rel, self.out_dir / rel
            if rel in old_files and _holds(old, new.read_bytes()):
                link = new.with_name(new.name + ".link")
                _link_or_copy(old, link)
                os.replace(link, new)
                self.unchanged.append(rel)
            else:
                self.written.append(rel)
        self.removed = sorted(old_files - set(new_files))


def folder_identity(folder: Path) -> tuple[int, int, int] | None:
    """Whether a folder is still the one a build left there: (device, inode) alone could be a
    new folder that reused a removed one's inode; its change time tells them apart."""
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_ctime_ns)


def spare_path(out_dir: Path) -> Path:
    return out_dir.with_name(SPARE_PREFIX + out_dir.name)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):
        pass  # gone, or under what is a file now
    except IsADirectoryError:
        shutil.rmtree(path)


def _remove_empty_parents(root: Path, rel: str) -> None:
    """Folders a removed file leaves empty go too (a tag no article has any more)."""
    parent = os.path.dirname(rel)
    while parent:
        try:
            os.rmdir(root / parent)
        except OSError:
            return  # not empty (or gone): its parents are not empty either
        parent = os.path.dirname(parent)


def _names_in(root: Path | str, folder: str) -> set[str]:
    """The names in one folder under root (none if it is missing), subfolders' among them:
    listing names alone is a third of the time of telling files apart."""
    try:
        return set(os.listdir(os.path.join(root, folder)))
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _holds_all(root: Path | str, rel_paths: list[str]) -> bool:
    """Whether each of these files is under root: one listing per folder, not a look each."""
    by_folder: dict[str, list[str]] = {}
    for rel in rel_paths:
        folder, _, name = rel.rpartition("/")
        by_folder.setdefault(folder, []).append(name)
    return all(_names_in(root, folder).issuperset(names) for folder, names in by_folder.items())


def _files(root: Path) -> list[str]:
    """Every file under root as a relative POSIX path, sorted (scandir: fast on big sites)."""
    found, pending = [], [""]
    while pending:
        rel_dir = pending.pop()
        with os.scandir(os.path.join(root, rel_dir)) as entries:
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append(rel)
                elif entry.is_file(follow_symlinks=False):
                    found.append(rel)
    return sorted(found)


def _holds(path: Path | str, data: bytes) -> bool:
    """Whether the file exists with exactly these bytes (size first: most changes differ there)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def _write_bytes(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _in_folder(path: str, make, *args) -> None:
    """make(*args), which creates the file `path`, first making its folder if it is missing
    (only then: most files go where files already are)."""
    try:
        make(*args)
    except FileNotFoundError:
        # Once more with the folder made: another process of the build writing into it may
        # have made it meanwhile; if it was there all along, the same error comes again.
        os.makedirs(os.path.dirname(path), exist_ok=True)
        make(*args)


def _link_or_copy(old: Path | str, new: Path | str) -> None:
    """A hard link keeps the old inode and mtime; where links are refused, a copy keeps mtime."""
    try:
        os.link(old, new)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        shutil.copy2(old, new)


def _exchange(a: Path, b: Path) -> None:
    """Atomically swap two folders (Linux renameat2); elsewhere two renames, old kept aside."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS):
            raise OSError(code, os.strerror(code), str(b))
    aside = a.with_name(a.name + "-old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def _catch_up(folder: Path, out_dir: Path, rel: str) -> bool:
    """Make a stale file of a copy of the output the output's again (a hard link); False, and
    the copy's file gone, if the output has none."""
    target, source = os.path.join(folder, rel), os.path.join(out_dir, rel)
    _unlink(target)
    if os.path.isfile(source):
        _in_folder(target, _link_or_copy, source, target)
        return True
    _remove_empty_parents(folder, rel)
    return False


def refresh_spare(out_dir: Path, spare: Spare, out_files: list[str] | None = None
                  ) -> Spare | None:
    """Bring the spare up to date with the output now, so that the next build need not: the
    preview does it while it waits for the next save. With `out_files` (the output's files),
    the spare is then checked to hold each of them: if so it is `complete`. None when there
    is no such spare left; a failure (or a kill) leaves a temporary folder that the next build
    removes."""
    kept = spare_path(out_dir)
    if folder_identity(kept) != spare.identity:
        return None
    temp_dir = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{out_dir.name}-", dir=out_dir.parent))
    os.replace(kept, temp_dir)  # renamed first, as in start_staging
    for rel in spare.stale:  # thousands after a new day: paths as text (see Staging.write)
        _catch_up(temp_dir, out_dir, rel)
    complete = out_files is not None and _holds_all(temp_dir, out_files)
    os.rename(temp_dir, kept)
    return Spare(folder_identity(kept), [], complete)


def start_staging(out_dir: Path, spare: Spare | None = None,
                  out_files: list[str] | None = None) -> Staging:
    """A temporary folder beside the output: the spare, its stale files to be brought up to
    date as they are kept, when `spare` still describes it and `out_files` lists the output's
    files, else a fresh one. Leftovers of killed builds are removed."""
    parent = out_dir.parent
    prefix = f"{TEMP_PREFIX}{out_dir.name}-"
    try:
        # Safe under the build lock: no other build into this folder is running.
        for stale in sorted(parent.glob(prefix + "*")):
            shutil.rmtree(stale, ignore_errors=True)
        if out_dir.exists() and not out_dir.is_dir():
            raise ArchiveError("the output path is a file, not a folder: remove it or choose "
                               "another --out", out_dir)
        if out_dir.is_dir() and not os.access(out_dir, os.W_OK):
            raise OSError(errno.EACCES, "read-only", str(out_dir))
        temp_dir = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        kept = spare_path(out_dir)
        if spare is None or out_files is None or folder_identity(kept) != spare.identity:
            shutil.rmtree(kept, ignore_errors=True)
            return Staging(out_dir, temp_dir)
        # Renamed first: a build killed while it updates the spare leaves a temporary folder,
        # which the next build removes, never a spare that lies about what it holds. Its
        # stale files are brought up to date as the build keeps them: most of a day's (the
        # search data's) are written again anyway, and catching them up first cost a day
        # added after another a third of its time.
        os.replace(kept, temp_dir)
        return Staging(out_dir, temp_dir, previous_files=out_files, stale=frozenset(spare.stale),
                       complete=spare.complete and not spare.stale)
    except OSError as exc:
        raise write_error(exc, out_dir) from None

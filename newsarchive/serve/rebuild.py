"""Watch the sources, settle quick saves into one batch, run the pipeline, tell the hub."""

from __future__ import annotations

import os
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Protocol

import watchfiles
# The documented backend API: unlike watchfiles.watch() it starts watching when created.
from watchfiles._rust_notify import RustNotify

from ..errors import ArchiveError
from .hub import BuildOutcome, ReloadHub

FileState = tuple[int, int]   # size, mtime in ns: enough to tell a rewrite from an untouched file
SETTLE_MS = 120      # a batch is yielded once no change came for this long …
MAX_BATCH_MS = 800   # … or after this long while changes keep coming
POLL_MS = 200        # how often the config file (not watched by inotify, see below) is checked


class Pipeline(Protocol):
    """The steps the server runs; the real one ingests and builds, tests pass their own."""

    def ingest(self) -> str: ...

    def build(self) -> str: ...

    def built_files(self) -> frozenset[str] | None:
        """The output files the last build wrote or removed; None if it cannot tell (then
        the output is scanned, which takes a second at 100,000 files)."""

    # Optional: `changed(paths)` before a build, with every source path changed since the
    # last one (None: unknown), so that the build need not look at the others;
    # `when_swapped(publish)` before a build, with a function the build calls with the files
    # it wrote and removed as soon as the new site is in place, before its own bookkeeping,
    # so that the pages reload sooner; `tidy()` after a successful one, for work the next
    # build would otherwise do first.


@dataclass(frozen=True)
class Sources:
    seeds: Path
    content: Path
    templates: Path
    static: Path
    config_file: Path

    def folders(self) -> list[Path]:
        """The source folders that exist, to watch recursively."""
        return [f for f in (self.seeds, self.content, self.templates, self.static) if f.is_dir()]


@dataclass(frozen=True)
class SourceChanges:
    paths: frozenset[Path]
    reingest: bool   # a page text changed (or it is the first build): ingest before building
    # Every source path changed since the last build, as the watcher saw them (unfiltered);
    # None when that is not known: the build then looks at every file.
    seen: frozenset[Path] | None = None

    def describe(self, root: Path) -> str:
        names = sorted(_display(p, root) for p in self.paths)
        if not names:
            return "first build"
        return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def classify(sources: Sources, paths: set[Path], seen: set[Path] | None = None
             ) -> SourceChanges:
    """Which steps a set of changed paths needs: any seed file means re-ingesting."""
    reingest = any(p == sources.seeds or sources.seeds in p.parents for p in paths)
    return SourceChanges(frozenset(paths), reingest, None if seen is None else frozenset(seen))


def file_state(path: Path) -> FileState | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def scan(folder: Path) -> dict[str, FileState]:
    """Size and mtime of every file under folder, by relative POSIX path."""
    states: dict[str, FileState] = {}
    pending = [folder]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:   # absent, or removed by a build swap mid-walk
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            rel = os.path.relpath(entry.path, folder).replace(os.sep, "/")
            states[rel] = (info.st_size, info.st_mtime_ns)
    return states


def changed_files(before: dict[str, FileState], after: dict[str, FileState]) -> frozenset[str]:
    """Files added, removed or rewritten between two scans."""
    return frozenset(name for name in before.keys() | after.keys()
                     if before.get(name) != after.get(name))


class Rebuilder:
    """Runs one rebuild at a time and publishes what it changed in the built site."""

    def __init__(self, sources: Sources, out_dir: Path, pipeline: Pipeline, hub: ReloadHub,
                 log: Callable[[str], None] = print):
        self.sources, self.out_dir, self.pipeline, self.hub, self.log = (
            sources, out_dir, pipeline, hub, log)
        self._site_files = scan(out_dir)
        # Content files the ingester just wrote: their watch events must not trigger a second build.
        self._own_writes: dict[Path, FileState | None] = {}
        # Source files that exist or existed at the last look: a path outside this set that is
        # gone again (an editor's or the ingester's temporary file) changed nothing.
        # Strings, not Paths: a third of the memory with a few hundred thousand articles.
        self._known = {str(folder / name) for folder in sources.folders() for name in scan(folder)}
        self._lock = threading.Lock()   # one build at a time, whoever asks

    def relevant(self, paths: set[Path]) -> set[Path]:
        """Drop paths as our own ingest left them, and files that came and went unseen."""
        keep = set()
        with self._lock:
            for path in paths:
                state = file_state(path)
                own = path in self._own_writes and state == self._own_writes[path]
                if not own and (state is not None or str(path) in self._known):
                    keep.add(path)
                if state is None:
                    self._known.discard(str(path))
                else:
                    self._known.add(str(path))
        return keep

    def rebuild(self, changes: SourceChanges) -> BuildOutcome:
        """Ingest when seeds changed, build, and publish the changed files or the errors."""
        with self._lock:
            return self._rebuild(changes)

    def _rebuild(self, changes: SourceChanges) -> BuildOutcome:
        self.hub.begin_build()
        started = time.perf_counter()
        errors: list[ArchiveError] = []
        summaries: list[str] = []
        if changes.reingest:
            before = scan(self.sources.content)
            self._run(self.pipeline.ingest, summaries, errors)
            after = scan(self.sources.content)
            self._own_writes = {self.sources.content / name: after.get(name)
                                for name in changed_files(before, after)}
            self._known.difference_update(str(self.sources.content / name) for name in before)
            self._known.update(str(self.sources.content / name) for name in after)
        note = getattr(self.pipeline, "changed", None)
        if note is not None:
            # What ingest writes is not among the watcher's paths yet: then every file is looked at.
            note(None if changes.reingest else changes.seen)
        early: list[BuildOutcome] = []
        when_swapped = getattr(self.pipeline, "when_swapped", None)
        if when_swapped is not None and not errors:
            when_swapped(lambda files: early.append(self.hub.publish(files, ())))
        # A failed ingest leaves content/ as it was, so building it is still right.
        self._run(self.pipeline.build, summaries, errors)
        if early and not errors:
            outcome = early[0]
        else:
            changed = None if errors else self.pipeline.built_files()
            if changed is None:
                site_files = scan(self.out_dir)
                changed = changed_files(self._site_files, site_files)
                self._site_files = site_files
            outcome = self.hub.publish(changed, tuple(errors))
        self._report(changes, outcome, summaries, time.perf_counter() - started)
        tidy = getattr(self.pipeline, "tidy", None)
        if tidy is not None and not errors:
            try:
                tidy()   # the site is served meanwhile; the next build waits for it
            except Exception:  # the next build does the same work, or builds afresh
                self.log(traceback.format_exc().rstrip())
        return outcome

    def _run(self, step: Callable[[], str], summaries: list[str],
             errors: list[ArchiveError]) -> None:
        try:
            summaries.append(step())
        except ArchiveError as exc:
            errors.append(exc)
        except Exception as exc:  # a bug in a build step must not take the preview down
            self.log(traceback.format_exc().rstrip())
            errors.append(ArchiveError(f"internal error: {type(exc).__name__}: {exc} "
                                       "(traceback above; please report it)"))

    def _report(self, changes: SourceChanges, outcome: BuildOutcome, summaries: list[str],
                seconds: float) -> None:
        cause = changes.describe(self.sources.config_file.parent)
        again = "re" if changes.paths else ""
        if outcome.errors:
            still = ("still serving the last good build" if self.out_dir.is_dir()
                     else "nothing to serve until it is fixed")
            self.log(f"{again}build failed ({cause}); {still}:")
            for error in outcome.errors:
                self.log(f"  error: {error}")
            return
        count = "every page" if outcome.changed is None else f"{len(outcome.changed)} file(s)"
        self.log(f"{again}built in {seconds:.2f} s ({cause}): {count} changed")
        for summary in summaries:
            self.log(f"  {summary}")


class SourceWatcher:
    """The one watcher of the sources; made before the first build so no save is missed."""

    def __init__(self, sources: Sources):
        self.sources = sources
        self._keep = watchfiles.DefaultFilter()   # editor swap and backup files
        self._notify: RustNotify | None = None
        self._watched = self._folder_identities()
        # Every path reported since take_seen() last ran, filtered or not: the build is told
        # them all (a content file in a folder the filter drops is still an article).
        self._seen: set[Path] | None = set()
        self._start()
        # The config file is polled, not watched: editors save by renaming a new file over it,
        # which silently ends an inotify watch on the old file.
        self._config_state = file_state(sources.config_file)

    def _folder_identities(self) -> tuple[tuple[Path, int], ...]:
        identities = []
        for folder in self.sources.folders():
            try:
                identities.append((folder, folder.stat().st_ino))
            except OSError:
                continue
        return tuple(identities)

    def _start(self) -> None:
        folders = [str(folder) for folder, _ in self._watched]
        self._notify = RustNotify(folders, False, False, POLL_MS, True, False) if folders else None

    def _refresh(self) -> set[Path]:
        """Watch folders that appeared or were replaced (git checkout); they count as changed."""
        current = self._folder_identities()
        if current == self._watched:
            return set()
        self.close()
        fresh = {folder for folder, _ in set(current) - set(self._watched)}
        self._watched = current
        self._start()
        return fresh

    def batches(self, stop: threading.Event) -> Iterator[set[Path]]:
        """Settled sets of changed paths (empty on a quiet tick) until `stop` is set."""
        while not stop.is_set():
            if self._notify is None:
                stop.wait(POLL_MS / 1000)
                raw: set[tuple[int, str]] | str = set()
            else:
                raw = self._notify.watch(MAX_BATCH_MS, SETTLE_MS, POLL_MS, stop)
            if raw == "stop":
                return
            changes = raw if isinstance(raw, set) else set()
            paths = {Path(name) for kind, name in changes
                     if self._keep(watchfiles.Change(kind), name)}
            fresh = self._refresh()
            paths |= fresh
            if self._seen is not None:
                self._seen.update(Path(name) for _, name in changes)
                if fresh or (raw != "timeout" and not isinstance(raw, set)):
                    self._seen = None  # a folder watched anew: what happened in it is unknown
            config_file = self.sources.config_file
            if file_state(config_file) != self._config_state:
                self._config_state = _settled_state(config_file, stop)
                paths.add(config_file)
            yield paths

    def take_seen(self) -> set[Path] | None:
        """Every path reported since the last call (None: some changes went unreported)."""
        seen, self._seen = self._seen, set()
        return seen

    def close(self) -> None:
        if self._notify is not None:
            self._notify.close()
            self._notify = None


def watch_sources(rebuilder: Rebuilder, watcher: SourceWatcher, stop: threading.Event) -> None:
    """Rebuild on every settled batch of source changes until `stop` is set."""
    for paths in watcher.batches(stop):
        paths = rebuilder.relevant(paths)
        if paths and not stop.is_set():
            rebuilder.rebuild(classify(rebuilder.sources, paths, watcher.take_seen()))


def _settled_state(path: Path, stop: threading.Event) -> FileState | None:
    """The file's state once it stopped changing for SETTLE_MS (several quick saves, one build)."""
    state = file_state(path)
    while not stop.wait(SETTLE_MS / 1000):
        now = file_state(path)
        if now == state:
            return state
        state = now
    return state

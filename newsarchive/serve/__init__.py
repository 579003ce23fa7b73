"""`python build.py serve`: build, serve the site on loopback, rebuild and reload on change.

The shape follows MkDocs' livereload: a stdlib threaded HTTP server, one watcher thread that
runs the pipeline it is given, an epoch the browsers wait on, and the reload script injected at
serve time so the built files stay clean.
"""

from __future__ import annotations

import signal
import threading
import webbrowser
from pathlib import Path
from typing import Callable

from ..build import build_site, tidy_spare, warm_contents
from ..buildcache import CacheMemory
from ..config import SiteConfig, load_config
from ..errors import ArchiveError, ArchiveErrors
from ..ingest import ingest_seeds
from .hub import ReloadHub
from .rebuild import Pipeline, Rebuilder, SourceChanges, Sources, SourceWatcher, watch_sources
from .server import bind_server, is_loopback


class SitePipeline:
    """The real steps; site.yaml is read again each time so its edits take effect. The build
    cache's entries stay in memory from one build to the next: an edit is not a reload of
    the whole archive's cache."""

    def __init__(self, config_file: Path, seeds_dir: Path, content_dir: Path, out_dir: Path):
        self.config_file, self.seeds_dir, self.content_dir, self.out_dir = (
            config_file, seeds_dir, content_dir, out_dir)
        self._built: frozenset[str] | None = None
        self.memory = CacheMemory()
        self._seen: frozenset[Path] | None = None
        self._swapped: Callable[[frozenset[str]], None] | None = None
        self._warm = False

    def ingest(self) -> str:
        if not self.seeds_dir.is_dir():
            return f"no {self.seeds_dir.name}/ folder: nothing to ingest"
        report = ingest_seeds(load_config(self.config_file), self.seeds_dir, self.content_dir,
                              quiet=True)
        errors = [page.error for page in report.pages if page.error is not None]
        if errors:   # the other pages were ingested; the overlay names each bad one
            raise errors[0] if len(errors) == 1 else ArchiveErrors(errors)
        return report.summary()

    def changed(self, paths: frozenset[Path] | None) -> None:
        """The paths the watcher saw change since the last build (None: unknown)."""
        self._seen = paths

    def when_swapped(self, publish: Callable[[frozenset[str]], None]) -> None:
        """`publish` is called by the next build with the files it changed once they are
        served, before the build saves its cache entries."""
        self._swapped = publish

    def build(self) -> str:
        self._built = None
        seen, self._seen = self._seen, None   # a hint is good for the build after it only
        publish, self._swapped = self._swapped, None
        swapped = None if publish is None else \
            (lambda report: publish(frozenset(report.written + report.removed)))
        report = build_site(load_config(self.config_file), self.content_dir, self.out_dir,
                            quiet=True, memory=self.memory, changed=seen, swapped=swapped)
        self._built = frozenset(report.written + report.removed)
        return report.summary()

    def built_files(self) -> frozenset[str] | None:
        return self._built

    def tidy(self) -> None:
        """After a build, while the preview waits for the next save: what the next build would
        otherwise do first (see build.tidy_spare)."""
        try:
            config = load_config(self.config_file)
        except ArchiveError:
            return   # changed since the build: the next build reports it
        tidy_spare(config, self.content_dir, self.out_dir, self.memory)
        warm_contents(config, self.content_dir, self.out_dir, self.memory)
        if not self._warm:
            # What the search update of the first edit would otherwise load (OpenCC's table,
            # a quarter of a second), loaded while the preview waits for it.
            from ..search.variants import simplify
            simplify("")
            self._warm = True


class Preview:
    """A running preview: the first build, the HTTP server thread and the watcher thread."""

    def __init__(self, sources: Sources, out_dir: Path, pipeline: Pipeline, host: str = "127.0.0.1",
                 port: int = 8000, log: Callable[[str], None] = print):
        self.host = host
        self.hub = ReloadHub()
        self.rebuilder = Rebuilder(sources, out_dir, pipeline, self.hub, log)
        self._requested_port = port
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.server = None
        self._watcher: SourceWatcher | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.server.port}/"

    def start(self) -> str:
        """Build once, then serve and watch; return the URL."""
        sources = self.rebuilder.sources
        self._watcher = SourceWatcher(sources)
        # Ingest first too: seeds may have changed while no server ran, and re-ingesting
        # reproduces unchanged files byte for byte and keeps hand edits.
        self.rebuilder.rebuild(SourceChanges(frozenset(), reingest=sources.seeds.is_dir()))
        self.server = bind_server(self.host, self._requested_port, self.rebuilder.out_dir, self.hub)
        # A short poll interval makes shutdown (Ctrl-C) return quickly.
        self._threads = [
            threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                             name="preview-http", daemon=True),
            threading.Thread(target=watch_sources, args=(self.rebuilder, self._watcher, self._stop),
                             name="preview-watch", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self.url

    def request_stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until stopped (True) or timeout; Ctrl-C interrupts it in the main thread."""
        return self._stop.wait(timeout)

    def stop(self) -> None:
        """Stop watching and serving, end open reload streams and free the port."""
        self._stop.set()
        self.hub.close()
        if self._threads:   # shutdown() would wait forever for a loop that never started
            self.server.shutdown()
        if self.server is not None:
            self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._watcher is not None:
            self._watcher.close()


def serve(config: SiteConfig, seeds_dir: Path, content_dir: Path, out_dir: Path,
          host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    """Run the preview until Ctrl-C; return the exit status."""
    # Resolved once: the watcher reports absolute paths, and comparisons need one spelling.
    config_file = Path(config.path).resolve()
    sources = Sources(Path(seeds_dir).resolve(), Path(content_dir).resolve(),
                      config.root / "templates", config.root / "static", config_file)
    out_dir = Path(out_dir).resolve()
    if not is_loopback(host):
        print(f"warning: serving on {host}: anyone who can reach this machine can read the "
              "preview; use the default 127.0.0.1 unless you mean it")
    preview = Preview(sources, out_dir, SitePipeline(config_file, sources.seeds, sources.content,
                                                     out_dir), host, port, log=_log)
    previous = _stop_on_signals(preview)
    try:
        url = preview.start()
        taken = f" (port {port} was taken)" if preview.server.port != port and port else ""
        print(f"serving {out_dir.name}/ at {url}{taken}; watching for changes, Ctrl-C to stop",
              flush=True)
        if open_browser:
            webbrowser.open(url)
        while not preview.wait(0.5):   # short waits: Ctrl-C is only seen between them
            pass
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    print("stopped", flush=True)
    return 0


def _log(line: str) -> None:
    print(line, flush=True)


def _stop_on_signals(preview: Preview) -> dict:
    """Treat SIGTERM like Ctrl-C, and let Ctrl-C stop the preview even where the process was
    started with SIGINT ignored (a shell's background job: Python then leaves it ignored, and
    `kill -INT` did nothing). Returns the handlers replaced; signal handlers can only be set
    from the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signal.SIGTERM: signal.signal(signal.SIGTERM,
                                          lambda signum, frame: preview.request_stop()),
            signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler)}

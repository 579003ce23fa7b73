"""The search stage: the search data (see newsarchive.search), written into the staging folder
like every page. On a large build it is made in a process of its own while the pages render:
that process reads the stage's entry from the last build and writes this build's, so the
build's own process never loads the search code, its state or numpy (a tenth of a new day's
critical path at 30,000 articles)."""

from __future__ import annotations

from pathlib import Path

from ..buildcache import CacheFile, code_version
from ..model import Site
from ..output import Staging, write_error
from ..search import CODE
from ..workers import Runner
from . import Build, Produced, Stage
from .pages import PARALLEL_MIN_PAGES


def use_cached_variants(load, save) -> None:
    """OpenCC's table, which new documents need, as the cache keeps it: made again, it
    converts every Han character, a tenth of a second of each new day's search process.
    load(code) gives the cached table of that code (None if none), save(table, code) keeps
    one."""
    from ..search.variants import TABLE_VERSION, simplified_of, use_table
    code = TABLE_VERSION.encode()
    table = load(code)
    if table is None:
        save(simplified_of(), code)
    else:
        use_table(table)


def write_search_files(site: Site, staging: Staging, previous, trusted: bool,
                       changed_ids: set[str], runner: Runner | None = None):
    """The search data (a SearchOutput), through the staging folder, each file as soon as it
    is made: only the files an edit changed are made when `previous` (the last build's
    IndexState) describes the output being replaced (`trusted`); `changed_ids` are the
    articles read again since (search_output)."""
    from ..search.index import search_output
    try:
        output = search_output(site, previous, staging.out_dir if trusted else None,
                               runner=runner, changed_ids=changed_ids, write=staging.write)
        written = set(output.written)
        if not staging.keep_all([name for name in output.names if name not in written]):
            # The output lost a file the state counts on: make every file afresh.
            output = search_output(site, None, None, runner=runner, write=staging.write)
    except OSError as exc:
        raise write_error(exc, staging.out_dir) from None
    return output


def _in_own_process(site: Site, staging: Staging, previous: CacheFile | None, trusted: bool,
                    changed_ids: set[str], variants: Path, entry: CacheFile) -> tuple:
    """write_search_files() in a process of its own, which reads the last build's entry
    itself and writes this build's (beside its file, for the build to adopt): only the
    entry's path and the staging lists (this process's copies) go back."""
    from ..search.state import IndexState
    use_cached_variants(lambda code: CacheFile(variants, code).load(dict),
                        lambda table, code: CacheFile(variants, code).save(table))
    staging.written, staging.unchanged = [], []
    output = write_search_files(site, staging, previous and previous.load(IndexState),
                                trusted, changed_ids, Runner())
    pending = entry.write_pending(output.state) if output.state is not None else None
    return pending, staging.written, staging.unchanged


class SearchStage(Stage):
    name = "search"
    code = CODE

    def __init__(self):
        self.background = None
        self.entry: CacheFile | None = None

    def previous(self, build: Build) -> CacheFile | None:
        """Only where the entry is: it is read where the search data is made (produce() is
        also given the state itself)."""
        return build.previous_file(self.name, self.code)

    def begin(self, build: Build, previous) -> None:
        """A full build of many articles makes the search data beside the pages."""
        if not build.small and \
                build.runner.workers(len(build.site.articles), PARALLEL_MIN_PAGES) > 1:
            self.entry = build.cache.file(self.name, code_version(self.code), build.generation)
            self.background = build.runner.background(
                _in_own_process, build.site, build.staging, previous, build.trusted,
                build.contents.reparsed_ids(), build.cache.path("variants"), self.entry)

    def produce(self, build: Build, previous) -> Produced:
        if self.background is None:
            if isinstance(previous, CacheFile):  # through the cache, which may hold it
                from ..search.state import IndexState
                previous = build.previous(self.name, IndexState, self.code)
            use_cached_variants(lambda code: build.cache.load("variants", dict, code),
                                lambda table, code: build.cache.save("variants", table, code))
            state = write_search_files(build.site, build.staging, previous, build.trusted,
                                       build.contents.reparsed_ids(), build.runner).state
            return Produced({self.name: state} if state is not None else {})
        pending, written, unchanged = self.background.result()
        build.staging.written += written
        build.staging.unchanged += unchanged
        return Produced(pending={self.name: pending} if pending is not None else {})

    def cancel(self) -> None:
        if self.background is not None:
            self.background.cancel()
            self.entry.pending.unlink(missing_ok=True)

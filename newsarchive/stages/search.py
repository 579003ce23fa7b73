"""The search stage: the search data (see newsarchive.search), written into the staging folder
like every page. On a large build it is made in a process of its own while the pages render."""

from __future__ import annotations

from ..model import Site
from ..output import Staging, write_error
from ..search import CODE, IndexState, SearchOutput, search_output
from ..search.variants import TABLE_VERSION, simplified_of, use_table
from ..workers import Runner
from . import Build, Produced, Stage
from .pages import PARALLEL_MIN_PAGES


def write_search_files(site: Site, staging: Staging, previous: IndexState | None,
                       trusted: bool, changed_ids: set[str], runner: Runner | None = None
                       ) -> SearchOutput:
    """The search data, through the staging folder, each file as soon as it is made: only the
    files an edit changed are made when `previous` describes the output being replaced
    (`trusted`); `changed_ids` are the articles read again since (search_output)."""
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


def _in_own_process(site: Site, staging: Staging, previous: IndexState | None,
                    trusted: bool, changed_ids: set[str]) -> tuple:
    """write_search_files() in a process of its own: the files are written, only their names,
    the state and the staging lists (this process's copies) go back."""
    staging.written, staging.unchanged = [], []
    output = write_search_files(site, staging, previous, trusted, changed_ids, Runner())
    return output.names, output.state, staging.written, staging.unchanged


class SearchStage(Stage):
    name = "search"
    kind = IndexState
    code = CODE

    def __init__(self):
        self.background = None

    def begin(self, build: Build, previous: IndexState | None) -> None:
        """A full build of many articles makes the search data beside the pages."""
        # OpenCC's table, which new documents need, as the cache keeps it: made again, it
        # converts every Han character, a tenth of a second of each new day's search process.
        table = build.cache.load("variants", dict, TABLE_VERSION.encode())
        if table is None:
            build.cache.save("variants", simplified_of(), TABLE_VERSION.encode())
        else:
            use_table(table)
        if not build.small and \
                build.runner.workers(len(build.site.articles), PARALLEL_MIN_PAGES) > 1:
            self.background = build.runner.background(
                _in_own_process, build.site, build.staging, previous, build.trusted,
                build.contents.reparsed_ids())

    def produce(self, build: Build, previous: IndexState | None) -> Produced:
        if self.background is None:
            output = write_search_files(build.site, build.staging, previous, build.trusted,
                                        build.contents.reparsed_ids(), build.runner)
            state = output.state
        else:
            _, state, written, unchanged = self.background.result()
            build.staging.written += written
            build.staging.unchanged += unchanged
        return Produced({self.name: state} if state is not None else {})

    def cancel(self) -> None:
        if self.background is not None:
            self.background.cancel()

"""The build's output stages: pages, static files, search data. Each writes its part of the site
into the staging folder and returns what its cache entry should keep for the next build.

A stage has one interface (`Stage`): `begin()` may start work beside the others (the search
data in a process of its own), `produce()` writes the stage's files and returns its state. Each
stage is given its entry from the last build (`previous`, None when the cache cannot vouch for
it) and decides alone what it can keep; build.py runs them in order and swaps the site in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from ..buildcache import BuildCache, CacheFile, code_version
from ..config import SiteConfig
from ..content import ContentCache
from ..model import Site
from ..output import Staging
from ..workers import Runner


@dataclass
class Build:
    """What every stage of one build shares."""

    site: Site
    config: SiteConfig
    content_dir: Path
    env: object                 # the Jinja environment, templates checked
    staging: Staging
    runner: Runner
    contents: ContentCache      # the articles as loaded, with what this load re-parsed
    trusted: bool               # the cache describes the output folder being replaced
    rest_stamp: bytes           # the stamp of every input but the articles' files
    cache: BuildCache
    generations: dict[str, int]  # the last build's cache entries that go with its output
    quiet: bool = False
    small: bool = False         # set by the pages stage: only a few pages are made again
    generation: int = 0         # this build's: the one its cache entries are saved as

    def previous(self, name: str, kind: type, code: tuple[ModuleType | str, ...]):
        """The cache entry `name` the last build saved with the output being replaced, if
        this code made it; else None."""
        entry = self.previous_file(name, code)
        return None if entry is None else \
            self.cache.load(name, kind, entry.code, entry.generation)

    def previous_file(self, name: str, code: tuple[ModuleType | str, ...]) -> CacheFile | None:
        """The file of the entry previous() would load, for a process of the build to read."""
        if not self.trusted or name not in self.generations:
            return None
        return self.cache.file(name, code_version(code), self.generations[name])


@dataclass
class Produced:
    """A stage's result: the cache entries to save once the site is in place (an entry not
    named stays as the last build saved it, if it went with the output replaced)."""

    entries: dict[str, object] = field(default_factory=dict)
    pages: int = 0              # HTML pages it adds to the site (the summary line)
    rendered: list[str] = field(default_factory=list)   # the pages it rendered
    images: list[str] = field(default_factory=list)     # the page images it rendered
    # Entries a process of the stage wrote itself (CacheFile.write_pending), by name: put in
    # place with the others.
    pending: dict[str, Path] = field(default_factory=dict)


class Stage:
    """One part of the site's output (see the module's docstring)."""

    name = ""
    kind: type = object                   # the type of its cache entry
    code: tuple[ModuleType | str, ...] = ()  # the modules whose version its entry depends on

    def previous(self, build: Build):
        """What the stage is given of its entry from the last build (see Build.previous)."""
        return build.previous(self.name, self.kind, self.code)

    def begin(self, build: Build, previous) -> None:
        """Start what can run beside the other stages; may decide how the build goes on."""

    def produce(self, build: Build, previous) -> Produced:
        raise NotImplementedError

    def cancel(self) -> None:
        """Stop work begun in begin(): the build failed."""

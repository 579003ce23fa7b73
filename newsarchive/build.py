"""Build the site: read and validate all content, render every page, then swap the output in."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import urls
from .config import SiteConfig
from .content import load_articles
from .errors import ArchiveError, ArchiveErrors
from .model import Article, Site
from .output import BuildLock, Staging, check_output_dir, start_staging, write_error
from .pages import Page, plan_site
from .render import check_templates, make_environment, render_template
from .search import write_search_data


@dataclass
class BuildReport:
    """What a build did: page and article counts, time, and the files written, kept, removed."""

    out_dir: Path
    pages: int
    articles: int
    seconds: float
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        try:
            shown = os.path.relpath(self.out_dir)
        except ValueError:  # another drive on Windows
            shown = str(self.out_dir)
        return (f"built {self.pages} pages ({self.articles} articles) into {shown}/ in "
                f"{self.seconds:.1f} s: {len(self.written)} written, {len(self.unchanged)} "
                f"unchanged, {len(self.removed)} removed")


def check_against_config(config: SiteConfig, articles: list[Article]) -> None:
    """Every topic an article names must be one of site.yaml's; all mistakes at once."""
    known = [t.name for t in config.topics]
    errors = [ArchiveError(f"unknown topic {name!r}: use one of {', '.join(known)} "
                           f"(site.yaml topics)", a.path, key="topics")
              for a in articles for name in a.topics if name not in known]
    if errors:
        raise errors[0] if len(errors) == 1 else ArchiveErrors(errors)


def check_plan(pages: list[Page]) -> None:
    """Two pages with one output path would overwrite each other: refuse before writing."""
    seen: set[str] = set()
    for page in pages:
        if page.path in seen:
            raise ArchiveError(f"two pages would be written to {page.path}: give one a "
                               "different id or name")
        seen.add(page.path)


def render_pages(site: Site, pages: list[Page], env, staging: Staging, quiet: bool) -> None:
    """Render each page straight into the temporary folder, so memory holds one page at a time."""
    # The bar appears only if rendering takes more than a second.
    for page in tqdm(pages, desc="rendering", unit="page", disable=quiet, delay=1.0, leave=False):
        context = {"root": urls.root_prefix(page.path), "page_path": page.path,
                   "config": site.config, **page.context}
        staging.write(page.path, render_template(env, page.template, context).encode("utf-8"))


def build_site(config: SiteConfig, content_dir: Path, out_dir: Path, quiet: bool = False,
               lock_wait: float = 60.0) -> BuildReport:
    """Build content_dir into out_dir; on any failure the previous out_dir stays as it was."""
    started = time.monotonic()
    templates_dir, static_dir = config.root / "templates", config.root / "static"
    seeds_dir = config.root / "seeds"
    out_dir = check_output_dir(Path(out_dir), config.root,
                               [Path(content_dir), seeds_dir, templates_dir, static_dir])
    articles = load_articles(Path(content_dir))
    check_against_config(config, articles)
    site = Site(config, articles)
    # Everything that can be checked is checked before the output folder is touched.
    pages = plan_site(site, seeds_dir)
    check_plan(pages)
    env = make_environment(templates_dir)
    check_templates(env)
    with BuildLock(out_dir, wait=lock_wait):
        staging = start_staging(out_dir)
        try:
            render_pages(site, pages, env, staging, quiet)
            if static_dir.is_dir():
                staging.copy_tree(static_dir, "static")
            try:
                write_search_data(site, staging.temp_dir)
            except OSError as exc:
                raise write_error(exc, out_dir) from None
            staging.commit()
        except BaseException:  # Ctrl-C included: never leave a half-written temporary folder
            staging.discard()
            raise
    return BuildReport(out_dir, sum(p.path.endswith(".html") for p in pages), len(articles),
                       time.monotonic() - started, staging.written, staging.unchanged,
                       staging.removed)

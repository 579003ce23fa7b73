"""Each output stage on its own: what it writes into a staging folder and what it keeps."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsarchive.buildcache import BuildCache, code_version
from newsarchive.config import load_config
from newsarchive.content import ContentCache, load_content
from newsarchive.model import Site
from newsarchive.output import start_staging
from newsarchive.render import make_environment
from newsarchive.search.state import IndexState
from newsarchive.stages import Build
from newsarchive.stages.pages import CODE, PagesStage
from newsarchive.stages.search import SearchStage
from newsarchive.stages.static import StaticStage
from newsarchive.workers import Runner

from .conftest import FIXTURE_CONTENT, ROOT


def start(site: Path, previous_out: bool = False) -> Build:
    """A build of the fixture articles into site/_site, as build_site sets one up."""
    config = load_config(site / "site.yaml")
    contents = ContentCache()
    articles = load_content(site / "content", contents)
    out = (site / "_site").resolve()
    return Build(Site(config, articles), config, site / "content",
                 make_environment(site / "templates"), start_staging(out), Runner(), contents,
                 previous_out, b"rest", BuildCache(site, site / "content", out), {}, quiet=True)


def run(stage, build: Build, previous=None):
    stage.begin(build, previous)
    produced = stage.produce(build, previous)
    build.staging.commit()
    return produced


@pytest.fixture
def site(site_copy: Path) -> Path:
    shutil.rmtree(site_copy / "content")
    shutil.copytree(FIXTURE_CONTENT, site_copy / "content")
    return site_copy


def test_the_static_stage_copies_static_files_and_keeps_no_state(site):
    build = start(site)
    produced = run(StaticStage(), build)
    assert produced.entries == {} and produced.pages == 0
    assert (site / "_site/static/css/site.css").read_bytes() == \
        (site / "static/css/site.css").read_bytes()


def test_the_pages_stage_renders_every_page_then_keeps_every_file(site):
    first = run(PagesStage(), start(site))
    state = first.entries["pages"]
    assert set(first.rendered) == set(state.fingerprints) and first.pages > 20
    assert "contexts" in first.entries  # kept for the text-edit shortcut
    again = start(site, previous_out=True)
    second = run(PagesStage(), again, state)
    assert second.rendered == [] and sorted(again.staging.unchanged) == sorted(first.rendered)


def test_the_pages_stage_shows_the_page_texts_kept_in_content(site):
    run(PagesStage(), start(site))
    view = (site / "_site/sources/000_ef5b354f55f1070d.html").read_text("utf-8")
    first_line = (site / "content/sources/000_ef5b354f55f1070d.txt").read_text("utf-8") \
        .split("\n")[0]
    assert first_line.strip() and first_line.strip() in view


def test_the_search_stage_writes_the_data_and_keeps_it_when_nothing_changed(site):
    first = run(SearchStage(), start(site))
    state = first.entries["search"]
    assert {"search/manifest.js", "search/lunr.min.js"} <= set(state.digests)
    again = start(site, previous_out=True)
    second = run(SearchStage(), again, state)
    assert second.entries == {} and again.staging.written == []


def begun_beside_the_pages(site: Path, monkeypatch) -> tuple[Build, SearchStage]:
    """A build of the fixture articles whose search stage has begun in a process of its own."""
    monkeypatch.setattr("newsarchive.stages.search.PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(Runner, "cores", staticmethod(lambda: 2))
    build = start(site)
    stage = SearchStage()
    stage.begin(build, None)
    assert stage.background is not None
    return build, stage


def test_the_search_stage_runs_beside_the_pages_in_a_process_of_its_own(site, monkeypatch):
    build, stage = begun_beside_the_pages(site, monkeypatch)
    produced = stage.produce(build, None)
    build.staging.commit()
    assert "search/manifest.js" in build.staging.written and produced.entries == {}
    # That process wrote the stage's entry beside its file; the build puts it in place.
    pending = produced.pending["search"]
    assert pending.is_file() and build.cache.adopt("search", pending) and not pending.exists()
    state = build.cache.load("search", IndexState, code_version(SearchStage.code),
                             build.generation)
    assert "search/manifest.js" in state.digests


def test_a_failed_build_leaves_no_entry_of_the_search_process_behind(site, monkeypatch):
    build, stage = begun_beside_the_pages(site, monkeypatch)
    stage.background.process.join()  # it wrote its entry, then the build fails
    assert stage.entry.pending.is_file()
    stage.cancel()
    assert not stage.entry.pending.exists()
    assert list(build.cache.folder.glob("search-*")) == []


def test_a_build_whose_search_runs_beside_the_pages_does_not_load_the_search_code(site):
    """Numpy, OpenCC and the search state are the search process's alone: a new day's build
    process is a tenth of a second shorter without them."""
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        import newsarchive.stages.pages as pages
        import newsarchive.stages.search as search
        from newsarchive.build import build_site
        from newsarchive.config import load_config
        from newsarchive.workers import Runner
        pages.PARALLEL_MIN_PAGES = search.PARALLEL_MIN_PAGES = 1  # no build is small
        Runner.cores = staticmethod(lambda: 2)
        site = Path(sys.argv[1])
        edited = sorted((site / 'content').rglob('*.md'))[0]
        for text in ('', '\\n\\n又一段新的文字。\\n'):  # cold, then an edit
            edited.write_text(edited.read_text('utf-8') + text, 'utf-8')
            build_site(load_config(site / 'site.yaml'), site / 'content', site / '_site',
                       quiet=True)
        print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'opencc')
                     or m.startswith('newsarchive.search.')))
        """)
    result = subprocess.run([sys.executable, "-c", script, str(site)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['newsarchive.search.lunr']"
    assert "又一段新的文字" in "".join(
        path.read_text("utf-8") for path in (site / "_site/search").glob("docs-*.js"))


def package_imports(module_file: Path) -> set[str]:
    """The newsarchive modules a module imports (from . / from .x / from .. import), leaving
    out those imported for type annotations only (`if TYPE_CHECKING:`), which never run."""
    names = set()
    package = "newsarchive" + "".join(f".{p}" for p in
                                      module_file.parent.relative_to(ROOT / "newsarchive").parts)
    tree = ast.parse(module_file.read_text("utf-8"))
    typing_only = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
                   for part in node.body for inner in ast.walk(part)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and id(node) not in typing_only:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            if node.module:
                names.add(f"{base}.{node.module}")
            else:
                names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if (ROOT / (name.replace(".", "/") + ".py")).is_file()}


def test_the_page_code_holds_every_module_the_planner_and_renderer_use():
    """A page's fingerprint holds the version of the code that makes it: a module the planner
    or renderer uses but CODE leaves out would let an edit of it keep stale pages."""
    pending, seen = ["newsarchive.pages", "newsarchive.render", "newsarchive.depends"], set()
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending += package_imports(ROOT / (name.replace(".", "/") + ".py"))
    assert seen <= {module.__name__ for module in CODE}, sorted(seen)
    assert sys.modules["newsarchive.stages.pages"] in PagesStage.code


def test_a_render_job_sent_to_a_worker_keeps_the_compiled_templates(site):
    import pickle
    from newsarchive.depends import Fingerprints
    from newsarchive.stages.pages import RenderJob
    build = start(site)
    env = make_environment(site / "templates", site / "compiled")
    job = RenderJob(build.config, [], env, build.staging, Fingerprints(b"key", {}), {})
    again = pickle.loads(pickle.dumps(job))
    assert again.env.loader.searchpath == env.loader.searchpath
    assert again.env.bytecode_cache.directory == str(site / "compiled")
    build.staging.discard()


def test_pages_sent_to_a_worker_arrive_as_planned_and_leave_the_bodies_as_they_were(site):
    """A chunk goes to a worker pickled: its pages arrive with equal contexts (an article's
    page made when sent), and the articles' bodies here keep no UTF-8 copy (pickling a str
    leaves one inside it, as much again as the body for Chinese text)."""
    import pickle
    from newsarchive.pages import ArticlePage, Page, plan_site
    from newsarchive.stages.pages import _pickled_chunk
    build = start(site)
    plan = plan_site(build.site, build.content_dir)
    assert any(type(page) is ArticlePage for page in plan)
    sizes = [sys.getsizeof(article.body) for article in build.site.articles]
    sent = pickle.loads(_pickled_chunk(plan))
    assert all(type(page) is Page for page in sent)
    assert [(p.path, p.template, p.context) for p in sent] == \
        [(p.path, p.template, p.context) for p in plan]
    assert [sys.getsizeof(article.body) for article in build.site.articles] == sizes
    build.staging.discard()


def test_a_chunk_too_large_to_send_whole_goes_in_parts(site, monkeypatch):
    from newsarchive.pages import plan_site
    from newsarchive.stages import pages as pages_stage
    build = start(site)
    plan = plan_site(build.site, build.content_dir)
    monkeypatch.setattr(pages_stage, "SENT_MOST", 20_000)
    parts = pages_stage._parts(plan, 0, len(plan))
    assert len(parts) > 1 and parts[0][0] == 0 and parts[-1][1] == len(plan)
    assert all(one[1] == other[0] for one, other in zip(parts, parts[1:]))
    assert all(len(sent) <= 20_000 or last - first == 1 for first, last, sent in parts)
    build.staging.discard()

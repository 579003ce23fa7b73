"""Shared fixtures: a temporary copy of the site, a built seed archive, Chromium, node, a server.

No test writes into the working tree: everything happens in a copy under pytest's tmp dirs.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from newsarchive.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# In CI (CI=true) a missing browser or node is a failure, never a silent skip.
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SITE_PARTS = ("site.yaml", "seeds", "templates", "static", "content")


def copy_site(dest: Path) -> Path:
    """Copy the project's site sources (config, seeds, templates, static, content) into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def run_cli(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A fresh, writable copy of the site sources; the test may change anything in it."""
    return copy_site(tmp_path / "site")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The seed archive ingested and built once per test session (per xdist worker)."""
    site = copy_site(tmp_path_factory.mktemp("built") / "site")
    status = run_cli("--config", str(site / "site.yaml"), "-q")
    assert status == 0, "building the seed archive failed"
    return site


FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The hand-written fixture articles (hostile text included) built once per session;
    returns the site folder, with the built site in `_site/`."""
    site = copy_site(tmp_path_factory.mktemp("fixture") / "site")
    status = run_cli("--config", str(site / "site.yaml"), "-q", "build",
                     "--content", str(FIXTURE_CONTENT))
    assert status == 0, "building tests/fixtures/content failed"
    return site


def _need(what: str, available: bool) -> None:
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is required in CI but is not installed")
        pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def node_bin() -> str:
    """Path to node, with the npm packages installed (lunr 2.3.9)."""
    node = shutil.which("node")
    _need("node", node is not None and (ROOT / "node_modules" / "lunr").is_dir())
    return node


def run_node(script: Path, *args: str, timeout: float = 120) -> str:
    """Run a node script from tests/js with the project's node_modules; return its stdout."""
    result = subprocess.run(["node", str(script), *args], capture_output=True, text=True,
                            timeout=timeout, cwd=ROOT,
                            env={**os.environ, "NODE_PATH": str(ROOT / "node_modules")})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    _need("chromium", Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def static_server():
    """Start a plain static HTTP server on a free loopback port; returns a function dir -> URL."""
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


PDF_NAME = "xnwb-20241230-a01-a02.pdf"


@pytest.fixture(scope="session")
def pdf_site(tmp_path_factory, browser) -> Path:
    """Two newspaper pages printed to one PDF by Chromium (tests/pdfpages.py), their five
    articles as content files naming their areas, built once per session; returns the site
    folder (the built site in `_site/`, the content in `pdf-content/`)."""
    from .pdfpages import newspaper_pdf, write_articles

    root = tmp_path_factory.mktemp("pdf")
    site = root / "site"
    site.mkdir()
    for part in ("site.yaml", "templates", "static"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, site / part)
    write_articles(site / "pdf-content", PDF_NAME, newspaper_pdf(browser))
    status = run_cli("--config", str(site / "site.yaml"), "-q", "build",
                     "--content", str(site / "pdf-content"))
    assert status == 0, "building the PDF fixture site failed"
    return site

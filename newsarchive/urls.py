"""The one place that maps a page kind to its output path (relative to the site root).

Every path names a file (`…/index.html`), never a folder, so the built site works from any
sub-path and from file://. Pages link to each other with `relative(from_page, to_page)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

SAFE_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SAFE_STEM_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
HOME = "index.html"
SEARCH = "search/index.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"
DATES = "dates/index.html"


def name_slug(name: str) -> str:
    """A stable ASCII slug for a tag or reporter name; Chinese names get a short hash."""
    if SAFE_SLUG_RE.match(name) and len(name) <= 60:
        return name
    # A hash rather than a transliteration: stable, collision-checked, never leaves the folder.
    return "n" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def article_path(article_id: str) -> str:
    return f"articles/{article_id}.html"


def source_path(seed_file: str) -> str:
    """The source page view of one seed file; odd file names get a hashed slug."""
    stem = seed_file.rsplit(".", 1)[0]
    slug = stem if SAFE_STEM_RE.match(stem) else name_slug(stem)
    return f"sources/{slug}.html"


def list_path(kind: str, slug: str, page: int | None = None) -> str:
    """A list of a topic, tag, reporter or place: its newest articles, or archive page `page`
    (numbered from the oldest, so each keeps its articles as new ones come)."""
    return f"{kind}/{slug}/index.html" if page is None else f"{kind}/{slug}/page-{page}.html"


def index_path(kind: str) -> str:
    """The index of all topics, tags, reporters or places."""
    return f"{kind}/index.html"


def year_path(year: int) -> str:
    return f"dates/{year:04d}/index.html"


def month_path(year: int, month: int) -> str:
    return f"dates/{year:04d}/{month:02d}/index.html"


def issue_path(date: dt.date) -> str:
    return f"dates/{date.year:04d}/{date.month:02d}/{date.day:02d}/index.html"


def page_anchor(page: str) -> str:
    """The id of one newspaper page's section on its issue page, e.g. `page-A01`."""
    return f"page-{page}"


def area_anchor(article_id: str) -> str:
    """The id of an article's area on the page image of its issue page, e.g. `area-2024-…`."""
    return f"area-{article_id}"


def root_prefix(path: str) -> str:
    """The relative prefix from a page to the site root: '' for index.html, '../' one level down."""
    return "../" * path.count("/")


def relative(from_path: str, to_path: str) -> str:
    """A relative link from one output file to another, both given from the site root."""
    # Templates mostly write `root ~ path`; this gives the short form between neighbour pages.
    # Both are plain site paths (no `.`, `..` or leading `/`): no need for posixpath.relpath,
    # which asks the operating system for the working directory on every call.
    start, target = from_path.split("/")[:-1], to_path.split("/")
    common = 0
    while common < min(len(start), len(target) - 1) and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:])

"""Check a built site: every internal link, asset and #fragment resolves to a file and an id."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ArchiveError

URL_ATTRS = {"href", "src", "action", "poster"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data"}


class _PageParser(HTMLParser):
    """Collects the ids of a page and every URL it references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in URL_ATTRS:
                self.links.append(value)
            elif name == "srcset":
                self.links += [c.split()[0] for c in value.split(",") if c.strip()]


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def _problem(page: str, link: str, out: Path, pages: dict[str, _PageParser]) -> str | None:
    """Why an internal link is broken, or None when it resolves."""
    parts = urlsplit(link)
    # Other sites are not ours to check (and checking them would need the network).
    if parts.scheme.lower() in EXTERNAL_SCHEMES or (parts.netloc and not parts.scheme):
        return None
    if parts.scheme:
        return f"{page}: link with scheme {parts.scheme!r} → {link}"
    if link.startswith("/"):
        return f"{page}: absolute link (breaks under a sub-path and file://) → {link}"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) \
        if parts.path else page
    if target.startswith("../") or target == "..":
        return f"{page}: link leaves the site → {link}"
    path = out / target
    if path.is_dir():  # file:// and many hosts show no index.html for a folder
        return f"{page}: link to a folder, not a file → {link}"
    if not path.is_file():
        return f"{page}: broken link → {link}"
    if parts.fragment and target.endswith(".html"):
        # Pages outside the HTML walk (none today) are parsed on first use.
        parsed = pages.get(target) or pages.setdefault(target, _parse(path))
        if unquote(parts.fragment) not in parsed.ids:
            return f"{page}: missing #fragment → {link}"
    return None


def check_site(out_dir: Path) -> list[str]:
    """Every broken internal reference of the built site, as `page: problem → target`."""
    out = Path(out_dir)
    if not (out / "index.html").is_file():
        raise ArchiveError("no built site here (index.html is missing): run "
                           "`python build.py build` first or pass --out DIR", out)
    pages = {p.relative_to(out).as_posix(): _parse(p) for p in sorted(out.rglob("*.html"))}
    problems = []
    for page in sorted(pages):
        for link in pages[page].links:
            problem = _problem(page, link.strip(), out, pages)
            if problem:
                problems.append(problem)
    if "search/index.html" not in pages:
        problems.append("search/index.html: missing (the search page is part of every site)")
    elif not any(link.endswith(".js") for link in pages["search/index.html"].links):
        problems.append("search/index.html: loads no search data script")
    return problems

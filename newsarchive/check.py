"""Check a built site: every internal link, asset and #fragment resolves to a file and an id."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ArchiveError

URL_ATTRS = {"href", "src", "action", "poster"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data"}
IMAGE_SUFFIXES = (".webp", ".png", ".jpg", ".jpeg", ".gif")


@dataclass
class ImageRef:
    """An <img> of a page: its sources and the size it declares (which reserves its space and
    places the areas drawn over it, so it must be the image's own)."""

    src: str
    srcset: list[tuple[str, str]]   # (URL, descriptor such as 600w)
    width: str | None
    height: str | None


class _PageParser(HTMLParser):
    """Collects the ids of a page and every URL it references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[ImageRef] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            found = dict(attrs)
            srcset = [(c.split()[0], (c.split()[1:] or [""])[0])
                      for c in (found.get("srcset") or "").split(",") if c.strip()]
            self.images.append(ImageRef((found.get("src") or "").strip(), srcset,
                                        found.get("width"), found.get("height")))
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


def _local_file(page: str, link: str, out: Path) -> Path | None:
    """The site file a relative link names, if it is one of this site's files."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("/") or not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    path = out / target
    return path if not target.startswith("..") and path.is_file() else None


def _image_size(path: Path, sizes: dict[Path, tuple[int, int] | None]) -> tuple[int, int] | None:
    """An image file's pixel size (its header only is read); None if it is not an image."""
    if path not in sizes:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(path) as image:
                sizes[path] = image.size
        except (OSError, UnidentifiedImageError):
            sizes[path] = None
    return sizes[path]


def _image_problems(page: str, image: ImageRef, out: Path,
                    sizes: dict[Path, tuple[int, int] | None]) -> list[str]:
    """An <img> whose files are not images, whose declared size is not its image's shape, or
    whose srcset widths are not its files' widths (a broken link is reported elsewhere)."""
    problems = []
    for link, descriptor in [(image.src, ""), *image.srcset]:
        path = _local_file(page, link, out)
        if path is None or not path.name.lower().endswith(IMAGE_SUFFIXES):
            continue
        size = _image_size(path, sizes)
        if size is None:
            problems.append(f"{page}: not an image file → {link}")
            continue
        if descriptor.endswith("w") and descriptor[:-1].isdigit() and \
                int(descriptor[:-1]) != size[0]:
            problems.append(f"{page}: srcset says {descriptor} but the image is {size[0]} px "
                            f"wide → {link}")
        if image.width and image.height and image.width.isdigit() and image.height.isdigit():
            declared = int(image.width) / max(1, int(image.height))
            if abs(declared - size[0] / size[1]) > 0.01 * declared:
                problems.append(f"{page}: img declares {image.width}×{image.height} but the "
                                f"image is {size[0]}×{size[1]} px → {link}")
    return problems


def check_site(out_dir: Path) -> list[str]:
    """Every broken internal reference of the built site, as `page: problem → target`."""
    out = Path(out_dir)
    if not (out / "index.html").is_file():
        raise ArchiveError("no built site here (index.html is missing): run "
                           "`python build.py build` first or pass --out DIR", out)
    pages = {p.relative_to(out).as_posix(): _parse(p) for p in sorted(out.rglob("*.html"))}
    problems = []
    sizes: dict[Path, tuple[int, int] | None] = {}
    for page in sorted(pages):
        for link in pages[page].links:
            problem = _problem(page, link.strip(), out, pages)
            if problem:
                problems.append(problem)
        for image in pages[page].images:
            problems += _image_problems(page, image, out, sizes)
    if "search/index.html" not in pages:
        problems.append("search/index.html: missing (the search page is part of every site)")
    elif not any(link.endswith(".js") for link in pages["search/index.html"].links):
        problems.append("search/index.html: loads no search data script")
    return problems

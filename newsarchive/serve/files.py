"""Map a request path to a file of the built site, safely, and read it whole."""

from __future__ import annotations

import mimetypes
import os
import re
import stat
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# Text types declare UTF-8: the archive is Chinese and browsers must never guess the encoding.
MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
}
# Percent-encoded "/", "\" and NUL would let one segment smuggle a separator past the split.
ENCODED_SEPARATOR = re.compile(r"%(2f|5c|00)", re.IGNORECASE)
# O_NOFOLLOW: paths are checked after resolving links, so a link appearing since is an attack;
# O_NONBLOCK: a FIFO planted in the site must not hang the request. Both are POSIX only.
OPEN_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
RETRY_PAUSE = 0.02      # seconds between attempts while a build swaps folders
RETRY_LIMIT = 2.0       # give up after this long even if the folder is still missing


@dataclass(frozen=True)
class SiteFile:
    """A file read from the built site: its path relative to the site root, type and bytes."""

    rel: str
    content_type: str
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


def content_type(name: str) -> str:
    """The Content-Type header for a file name."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in MIME_TYPES:
        return MIME_TYPES[suffix]
    guessed = mimetypes.guess_type(name)[0]
    return guessed or "application/octet-stream"


def request_segments(raw_path: str) -> tuple[str, ...] | None:
    """The decoded segments of a URL path, or None when it is malformed or could escape the root."""
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or ENCODED_SEPARATOR.search(path):
        return None
    try:
        text = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in text or "\x00" in text:
        return None
    segments = tuple(part for part in text.split("/") if part not in ("", "."))
    if ".." in segments:
        return None
    return segments


def _inside(real_root: str, real: str) -> bool:
    return real == real_root or real.startswith(real_root + os.sep)


def locate(root: Path, segments: tuple[str, ...]) -> tuple[str, str] | None:
    """The real path of the file a request names under root and its path relative to root.

    Symlinks are followed only when they land inside root; a folder serves its index.html and
    is never listed.
    """
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, *segments))
    if not _inside(real_root, real):
        return None
    if os.path.isdir(real):
        real = os.path.realpath(os.path.join(real, "index.html"))
        if not _inside(real_root, real):
            return None
    return real, os.path.relpath(real, real_root).replace(os.sep, "/")


def _read_regular(real: str) -> bytes | None:
    try:
        fd = os.open(real, os.O_RDONLY | OPEN_FLAGS)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        # Reading through the open handle is what makes a folder swap harmless: the bytes
        # come from the build this file was opened in, even if that folder is renamed away.
        return handle.read()


def read_site_file(root: Path, segments: tuple[str, ...]) -> SiteFile | None:
    """Read the file a request names under root, or None when there is none."""
    located = locate(root, segments)
    if located is None:
        return None
    real, rel = located
    body = _read_regular(real)
    return SiteFile(rel, content_type(real), body) if body is not None else None


def read_during_swaps(root: Path, segments: tuple[str, ...],
                      building: Callable[[], bool]) -> SiteFile | None:
    """`read_site_file`, retried while a build may be swapping the site folder in."""
    deadline = time.monotonic() + RETRY_LIMIT
    quick_retries = 3
    while True:
        found = read_site_file(root, segments)
        if found is not None:
            return found
        swapping, root_missing = building(), not os.path.isdir(root)
        if swapping and root_missing:   # between two renames: the new site is a moment away
            if time.monotonic() > deadline:
                return None
        elif (swapping or root_missing) and quick_retries > 0:
            quick_retries -= 1   # the path may have vanished under us mid-lookup
        else:
            return None
        time.sleep(RETRY_PAUSE)

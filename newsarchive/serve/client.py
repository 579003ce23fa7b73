"""What the server adds to HTML responses: the live-reload script and the build-error overlay.

It is added at serve time only, so the built files on disk stay clean.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse

from ..errors import ArchiveError

LIVERELOAD_PATH = "/__livereload"
BEGIN_MARK = b"<!-- newsarchive:serve -->"
END_MARK = b"<!-- /newsarchive:serve -->"
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

# EventSource reconnects by itself with the same URL, so a page that missed a build while the
# connection was down still learns about it: the server compares the epoch in the URL.
RELOAD_SCRIPT = """<script>
(function () {
  if (!window.EventSource) return;
  var source = new EventSource(%s);
  source.addEventListener("reload", function () { source.close(); location.reload(); });
})();
</script>"""

OVERLAY = """<div id="newsarchive-build-error" role="alert" style="position:fixed;inset:0;
z-index:2147483647;overflow:auto;background:rgba(20,20,20,.97);color:#fff;
font:15px/1.6 system-ui,sans-serif;padding:2em">
<h2 style="color:#ff8a80;margin-top:0">构建失败 · Build failed</h2>
%s
<p>What you see under this is the last build that succeeded, if any.
Fix the file and save: this page reloads by itself.</p>
</div>"""

ERROR_ITEM = ('<pre style="white-space:pre-wrap;background:#000;padding:1em;'
              'border-left:4px solid #ff8a80"><strong>%s</strong>\n%s</pre>')


def _error_parts(errors: tuple[ArchiveError, ...]) -> list[ArchiveError]:
    parts: list[ArchiveError] = []
    for error in errors:
        parts.extend(getattr(error, "errors", None) or [error])
    return parts


def error_where(error: ArchiveError) -> str:
    """'file:line: key' for an error, as far as it is known."""
    where = error.path or "(no file)"
    if error.line is not None:
        where += f":{error.line}"
    if error.key is not None:
        where += f" key '{error.key}'"
    return where


def overlay_html(errors: tuple[ArchiveError, ...]) -> str:
    """The overlay listing each error's file, line and message, escaped."""
    items = "\n".join(ERROR_ITEM % (html.escape(error_where(e)), html.escape(e.message))
                      for e in _error_parts(errors))
    return OVERLAY % items


def reload_script(server_id: str, epoch: int, page: str) -> str:
    """The script that waits for a build affecting `page` and then reloads."""
    query = urllib.parse.urlencode({"server": server_id, "epoch": epoch, "page": page})
    # json.dumps makes a JS string literal; "</" is escaped so it cannot close the script element.
    return RELOAD_SCRIPT % json.dumps(f"{LIVERELOAD_PATH}?{query}").replace("</", "<\\/")


def inject(document: bytes, snippet: str) -> bytes:
    """Insert the snippet before the last </body>, or at the end when there is none."""
    block = BEGIN_MARK + snippet.encode("utf-8") + END_MARK
    ends = list(BODY_END.finditer(document))
    if not ends:
        return document + block
    at = ends[-1].start()
    return document[:at] + block + document[at:]


def strip_injection(document: bytes) -> bytes:
    """The document as built, without what `inject` added."""
    return re.sub(re.escape(BEGIN_MARK) + rb".*?" + re.escape(END_MARK), b"", document, flags=re.S)


# Served for every page while no build has ever succeeded; the overlay says why.
NO_SITE_PAGE = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
                "<title>No site yet</title></head><body><p>No build has succeeded yet.</p>"
                "</body></html>").encode("utf-8")

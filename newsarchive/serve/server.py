"""The preview HTTP server: the built site, the live-reload stream, nothing else."""

from __future__ import annotations

import errno
import http.server
import ipaddress
import socket
import socketserver
import urllib.parse
from http import HTTPStatus
from pathlib import Path

from ..errors import ArchiveError
from .client import LIVERELOAD_PATH, NO_SITE_PAGE, inject, overlay_html, reload_script
from .files import SiteFile, read_during_swaps, request_segments
from .hub import ReloadHub

PORT_ATTEMPTS = 20
KEEPALIVE = 15.0   # seconds between SSE comments; a write is how a closed tab is noticed
HTML = "text/html; charset=utf-8"
NOT_FOUND_PAGE = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>404</title>'
                  "</head><body><h1>404</h1><p>No such page in the built site.</p></body></html>")


def is_loopback(host: str) -> bool:
    """Whether a host name or address stays on this machine."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_allowed(host_header: str | None, bound_host: str) -> bool:
    """Whether a request's Host header may reach a server bound to `bound_host`.

    A loopback server answers only loopback names: otherwise any web page could rebind its own
    domain name to 127.0.0.1 and read the preview through the visitor's browser.
    """
    if host_header is None or not is_loopback(bound_host):
        return True
    name = host_header.strip().lower()
    if name.startswith("["):
        name = name[:name.find("]") + 1]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return is_loopback(name)


class PreviewServer(http.server.ThreadingHTTPServer):
    """Serves `site_root` with live reload; one thread per request, none outlives the server."""

    daemon_threads = True
    request_queue_size = 128   # the default backlog of 5 refuses a browser's burst of requests
    allow_reuse_port = False   # SO_REUSEPORT would let two servers share a port silently

    def __init__(self, address: tuple[str, int], site_root: Path, hub: ReloadHub):
        self.site_root = site_root
        self.hub = hub
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's name, which can stall start-up.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    @property
    def port(self) -> int:
        return self.server_address[1]


def bind_server(host: str, port: int, site_root: Path, hub: ReloadHub) -> PreviewServer:
    """A server on the first free port from `port` on (0: any free port)."""
    last = port if port == 0 else port + PORT_ATTEMPTS - 1
    for candidate in range(port, last + 1):
        try:
            return PreviewServer((host, candidate), site_root, hub)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise ArchiveError(f"cannot listen on {host}:{candidate}: {exc.strerror}; "
                                   "choose another --host or --port") from None
    raise ArchiveError(f"ports {port}-{last} on {host} are all taken: choose another with --port")


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "newsarchive-serve"

    def log_message(self, format: str, *args) -> None:
        pass   # one line per request would bury the rebuild messages

    def do_HEAD(self) -> None:
        if self._host_allowed():
            self._serve(head=True)

    def do_GET(self) -> None:
        if not self._host_allowed():
            return
        if self.path.split("?", 1)[0] == LIVERELOAD_PATH:
            self._stream_reloads()
        else:
            self._serve(head=False)

    def _host_allowed(self) -> bool:
        if host_allowed(self.headers.get("Host"), str(self.server.server_address[0])):
            return True
        self.send_error(HTTPStatus.FORBIDDEN, "this preview answers only loopback host names")
        return False

    def _serve(self, head: bool) -> None:
        hub, root = self.server.hub, self.server.site_root
        # The epoch is read before the file: a build finishing in between then reloads the page
        # once too often, never once too few.
        epoch, errors = hub.epoch, hub.errors
        segments = request_segments(self.path)
        found = read_during_swaps(root, segments, hub.building) if segments is not None else None
        if found is not None:
            self._send(HTTPStatus.OK, found, head, epoch, errors)
            return
        # A missing page waits under its own name, so the build that creates it reloads it.
        wanted = "/".join(segments or ()) or "index.html"
        if segments is not None and errors and not root.is_dir():
            self._send(HTTPStatus.OK, SiteFile(wanted, HTML, NO_SITE_PAGE), head, epoch, errors)
            return
        custom = read_during_swaps(root, ("404.html",), hub.building)
        body = custom.body if custom else NOT_FOUND_PAGE.encode("utf-8")
        self._send(HTTPStatus.NOT_FOUND, SiteFile(wanted, HTML, body), head, epoch, errors)

    def _send(self, status: HTTPStatus, found: SiteFile, head: bool, epoch: int,
              errors: tuple[ArchiveError, ...]) -> None:
        body = found.body
        if found.is_html:
            hub = self.server.hub
            snippet = (overlay_html(errors) if errors else "") + reload_script(
                hub.server_id, epoch, found.rel)
            body = inject(body, snippet)
        self.send_response(status)
        self.send_header("Content-Type", found.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream_reloads(self) -> None:
        """Server-Sent Events: one `reload` event once a build affects the client's page."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        hub = self.server.hub
        try:
            since = int(query.get("epoch", ["0"])[0])
        except ValueError:
            since = 0
        page = query.get("page", [""])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            if query.get("server", [""])[0] != hub.server_id:
                since = -1   # the page came from an earlier server: reload it
            while True:
                if since < 0 or hub.needs_reload(since, page):
                    self.wfile.write(f"event: reload\ndata: {hub.epoch}\n\n".encode())
                    self.wfile.flush()
                    return
                epoch = hub.wait(since, KEEPALIVE)
                if epoch is None:
                    return
                if epoch == since:
                    self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
                elif not hub.needs_reload(since, page):
                    since = epoch   # safe: needs_reload looked at every epoch up to this one
        except (BrokenPipeError, ConnectionResetError):
            return

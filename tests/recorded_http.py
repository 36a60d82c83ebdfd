"""A local HTTP server that answers with recorded responses, for code that talks to CBS or PDOK.

The machines that run the tests have no internet, and a test against the live service
would pin what the service says today. The code under test gets this server's address
as its base URL (`--url`), so it runs unchanged against the real host.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Response:
    body: bytes
    status: int = 200
    content_type: str = "application/json"


@dataclass
class RecordedServer:
    """Answers GET requests by exact path + query; anything else is a 404 it remembers."""

    responses: dict[str, Response] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    url: str = ""

    def add(self, target: str, body: bytes | str, status: int = 200, content_type: str = "application/json") -> None:
        """Answer `target` (a path with its query, e.g. "/ODataApi/odata/85984NED/TableInfos?$format=json")."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.responses[target] = Response(data, status, content_type)

    def unanswered(self) -> list[str]:
        return [target for target in self.requests if target not in self.responses]


def _handler(server: RecordedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            server.requests.append(target)
            response = server.responses.get(target)
            if response is None:
                response = Response(b'{"error": "not recorded"}', 404)
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
            pass

    return Handler


class serve_recorded:  # noqa: N801 (used as a context manager, like open())
    """`with serve_recorded() as server:` a RecordedServer on a free localhost port."""

    def __init__(self, recorded: RecordedServer | None = None):
        self.recorded = recorded or RecordedServer()

    def __enter__(self) -> RecordedServer:
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.recorded))
        host, port = self._http.server_address[:2]
        self.recorded.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()
        return self.recorded

    def __exit__(self, *exc) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join()

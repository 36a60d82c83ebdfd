"""Browser-test harness: a real `streamlit run` server driven by Chromium.

Fixtures
--------
app_spec            which app to run (AppSpec); defaults to the offline demo app.
                    Point it elsewhere per module by overriding the fixture, or
                    per test with indirect parametrisation, e.g.::

                        @pytest.fixture(scope="module")
                        def app_spec(tmp_path_factory):
                            return AppSpec(PROJECT_ROOT / "app.py",
                                           env={"WIJKMAP_STORE": str(store)})

                        @pytest.mark.parametrize("app_spec", [AppSpec(...)], indirect=True)

streamlit_servers   session-scoped factory: start(spec) -> StreamlitServer. Servers
                    are cached per spec and stopped at the end of the session.
streamlit_server    the running server for `app_spec` (module scope lookup of a
                    session-lived process); `.url` is "http://127.0.0.1:<port>/".
browser             session-scoped Playwright Chromium (/usr/bin/chromium, or
                    $WIJKMAP_CHROMIUM).
allowed_hosts       hosts the page may contact: loopback + the tile host(s).
request_log         every request/websocket URL the page made, with helpers.
new_context         factory of fresh browser contexts (another person's browser):
                    tile requests get an empty 204, requests to any other external
                    host are aborted; on teardown the test fails if anything went to
                    a host not in `allowed_hosts`.
page                a fresh page in such a context.
js_errors           the JavaScript errors of `page`.
reading_app         AppSpec of the real app on a copy of the small store, shared by
                    the modules that do not write to it.

Helpers for tests of the real app (waiting for Streamlit, reading the URL) are in
helpers.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from wijkmap.map.assets import PDOK_TILES, ensure_static_assets, url_host

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_APP = Path(__file__).resolve().parent / "offline_demo_app.py"

CHROMIUM = os.environ.get("WIJKMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT = float(os.environ.get("WIJKMAP_STREAMLIT_TIMEOUT", "90"))
# What a person sees after a click can wait on a script run, which takes seconds when
# CI's machine is busy (and the suite runs in two workers): Playwright's default of 5 s
# made tests fail there, not here.
expect.set_options(timeout=20_000)
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
TILE_HOSTS = frozenset({url_host(PDOK_TILES)})  # service.pdok.nl


@dataclass(frozen=True)
class AppSpec:
    """What to run: a Streamlit script, extra environment, extra CLI flags.

    The server runs with cwd=`cwd` (the project root by default) so that the
    project's .streamlit/config.toml applies (enableStaticServing etc.).
    """

    script: Path
    env: dict[str, str] | tuple[tuple[str, str], ...] = ()
    args: tuple[str, ...] = ()
    cwd: Path = PROJECT_ROOT

    def __post_init__(self):
        # Normalise so that equal specs hash equal (servers are cached per spec).
        env = self.env.items() if isinstance(self.env, dict) else self.env
        object.__setattr__(self, "script", Path(self.script).resolve())
        object.__setattr__(self, "env", tuple(sorted((str(k), str(v)) for k, v in env)))
        object.__setattr__(self, "args", tuple(self.args))
        object.__setattr__(self, "cwd", Path(self.cwd).resolve())

    @property
    def base_url_path(self) -> str:
        """--server.baseUrlPath from `args` (without slashes), or ""."""
        value = ""
        for i, arg in enumerate(self.args):
            if arg == "--server.baseUrlPath" and i + 1 < len(self.args):
                value = self.args[i + 1]
            elif arg.startswith("--server.baseUrlPath="):
                value = arg.split("=", 1)[1]
        return value.strip("/")


@dataclass
class StreamlitServer:
    spec: AppSpec
    port: int
    process: subprocess.Popen
    log_dir: Path

    @property
    def url(self) -> str:
        """The app's URL, ending in "/" (includes --server.baseUrlPath if given)."""
        base = self.spec.base_url_path
        return f"http://127.0.0.1:{self.port}/" + (f"{base}/" if base else "")

    def output(self) -> str:
        parts = []
        for name in ("stdout", "stderr"):
            text = (self.log_dir / f"{name}.log").read_text(errors="replace")
            parts.append(f"--- streamlit {name} ---\n{text[-6000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(spec: AppSpec, log_root: Path) -> StreamlitServer:
    if not spec.script.is_file():
        raise FileNotFoundError(f"Streamlit app not found: {spec.script}")
    # The app copies these on its first run too; doing it here means the very
    # first page load finds them and Streamlit does not warn about a missing
    # static folder at startup.
    ensure_static_assets(spec.script.parent / "static")

    port = _free_port()
    log_dir = Path(tempfile.mkdtemp(prefix=f"streamlit-{port}-", dir=log_root))
    # Started as `wijkmap serve` starts the app: wijkmap.server runs `streamlit run` and
    # warms up (imports, store reads) alongside.
    cmd = [
        sys.executable, "-m", "wijkmap.server", str(spec.script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        # Not forced here on purpose: enableStaticServing and
        # browser.gatherUsageStats=false come from the project's
        # .streamlit/config.toml, so the tests check the real configuration
        # (with usage stats on, the browser fetches data.streamlit.io).
        *spec.args,
    ]  # fmt: skip
    env = {**os.environ, **dict(spec.env)}
    # The server imports wijkmap from this checkout, never from whatever tree the virtual
    # environment was installed from (an editable install of another worktree).
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT / "src"), env.get("PYTHONPATH")) if p)
    with open(log_dir / "stdout.log", "wb") as out, open(log_dir / "stderr.log", "wb") as err:
        proc = subprocess.Popen(cmd, cwd=spec.cwd, env=env, stdout=out, stderr=err)
    server = StreamlitServer(spec, port, proc, log_dir)

    health = f"{server.url}_stcore/health"
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if proc.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {proc.returncode} before answering "
                f"{health}\ncommand: {' '.join(cmd)}\n{server.output()}"
            )
        try:
            with urllib.request.urlopen(health, timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"streamlit did not answer {health} within {STARTUP_TIMEOUT:.0f} s\n"
                f"command: {' '.join(cmd)}\n{server.output()}"
            )
        time.sleep(0.2)


@pytest.fixture(scope="session")
def streamlit_servers(tmp_path_factory):
    """Factory: start(spec) -> StreamlitServer, cached per spec for the session."""
    servers: dict[AppSpec, StreamlitServer] = {}
    log_root = tmp_path_factory.mktemp("streamlit-logs")

    def start(spec: AppSpec) -> StreamlitServer:
        server = servers.get(spec)
        if server is None or server.process.poll() is not None:
            error = None
            try:
                server = _start_server(spec, log_root)
            except RuntimeError as exc:
                error = str(exc)
            if error:
                pytest.fail(error, pytrace=False)
            servers[spec] = server
        return server

    yield start
    # All asked to stop at once, then waited for: one by one, each server's shutdown
    # (seconds when the machine is busy) came after the previous one's.
    for server in servers.values():
        if server.process.poll() is None:
            server.process.terminate()
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="module")
def app_spec(request) -> AppSpec:
    """The app under test; override per module or parametrise indirectly."""
    return getattr(request, "param", None) or AppSpec(DEMO_APP)


@pytest.fixture(scope="module")
def streamlit_server(streamlit_servers, app_spec) -> StreamlitServer:
    return streamlit_servers(app_spec)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set "
            "WIJKMAP_CHROMIUM); deselect browser tests with -m 'not browser'",
            pytrace=False,
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def allowed_hosts() -> frozenset[str]:
    """Hosts a page may contact. Override to add a configured tile server."""
    return LOOPBACK_HOSTS | TILE_HOSTS


@dataclass
class RequestLog:
    allowed_hosts: frozenset[str]
    tile_hosts: frozenset[str] = TILE_HOSTS
    urls: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (status or error, url)

    @staticmethod
    def _is_network(url: str) -> bool:
        return url.startswith(("http:", "https:", "ws:", "wss:"))

    def external(self) -> list[str]:
        """URLs of requests to any host outside `allowed_hosts`."""
        return [u for u in self.urls if self._is_network(u) and url_host(u) not in self.allowed_hosts]

    def local(self, path_prefix: str = "/") -> list[str]:
        return [
            u
            for u in self.urls
            if self._is_network(u)
            and url_host(u) in LOOPBACK_HOSTS
            and u.split("/", 3)[-1].startswith(path_prefix.lstrip("/"))
        ]

    def assert_offline(self) -> None:
        bad = self.external()
        assert not bad, "requests left the machine:\n" + "\n".join(sorted(set(bad)))

    def assert_no_failed_local(self) -> None:
        bad = [f"{why} {url}" for why, url in self.failed if url_host(url) in LOOPBACK_HOSTS]
        assert not bad, "local requests failed:\n" + "\n".join(bad)


@pytest.fixture
def request_log(allowed_hosts) -> RequestLog:
    return RequestLog(allowed_hosts=frozenset(allowed_hosts))


def _stay_offline(context, request_log: RequestLog) -> None:
    """Record every request of `context`; answer tile requests with an empty 204 and
    abort requests to any other non-loopback host."""

    def on_response(resp):
        if resp.status >= 400:
            request_log.failed.append((str(resp.status), resp.url))

    def route(route):
        host = url_host(route.request.url)
        if host in LOOPBACK_HOSTS:
            route.continue_()
        elif host in request_log.tile_hosts:
            route.fulfill(status=204, body=b"")
        else:
            route.abort("blockedbyclient")

    context.on("request", lambda req: request_log.urls.append(req.url))
    context.on("response", on_response)
    context.on("requestfailed", lambda req: request_log.failed.append((str(req.failure), req.url)))
    context.on("page", lambda page: page.on("websocket", lambda ws: request_log.urls.append(ws.url)))
    context.route(lambda url: url.startswith(("http:", "https:")), route)


@pytest.fixture
def new_context(browser, request_log):
    """Factory: a fresh browser context (no cookies, no session: another person's
    browser), offline like `page` and logging into the same request_log. The test
    fails on teardown if any of them asked a host not in `allowed_hosts`."""
    contexts = []

    def make(**options):
        context = browser.new_context(**({"viewport": {"width": 1280, "height": 900}} | options))
        _stay_offline(context, request_log)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    leaked = sorted(set(request_log.external()))
    if leaked:
        pytest.fail("requests left the machine:\n" + "\n".join(leaked), pytrace=False)


@pytest.fixture
def page(new_context):
    """A fresh page that records every request and stays offline (see new_context)."""
    return new_context().new_page()


@pytest.fixture
def js_errors(page) -> list[str]:
    """The JavaScript errors `page` raised, collected as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(scope="session")
def reading_app(small_store_path, tmp_path_factory) -> AppSpec:
    """The real app (app.py) on a private copy of the small store, for the modules whose
    tests only read the store: one server for all of them."""
    store = tmp_path_factory.mktemp("reading-app") / "wijkmap.gpkg"
    shutil.copyfile(small_store_path, store)
    return AppSpec(PROJECT_ROOT / "app.py", env={"WIJKMAP_STORE": str(store)})

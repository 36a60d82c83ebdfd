"""wijkmap.server: the process `wijkmap serve` starts reads the store before a visitor does."""

import os
import subprocess
import sys
import time
import urllib.request

from tests.browser.conftest import PROJECT_ROOT, _free_port
from wijkmap.cli import serve_launch

SRC = PROJECT_ROOT / "src"

READY = "wijkmap: klaar voor bezoekers"


def _serve_until(store, marker: str, timeout: float = 90.0) -> tuple[str, bool]:
    """Start the app as `wijkmap serve` does on `store`; stop once `marker` is in its
    stderr (or at the timeout). The output so far, and whether the app answered."""
    port = _free_port()
    launch = serve_launch(
        ["--server.port", str(port), "--server.headless", "true"],
        environ={**os.environ, "WIJKMAP_STORE": str(store), "WIJKMAP_TILES": "none", "PYTHONPATH": str(SRC)},
    )
    process = subprocess.Popen(
        launch.command, cwd=launch.cwd, env=launch.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    os.set_blocking(process.stderr.fileno(), False)
    output, answered = b"", False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and marker.encode() not in output and process.poll() is None:
            output += process.stderr.read() or b""
            time.sleep(0.2)
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as answer:
                answered = answer.status == 200
        except OSError:
            pass
    finally:
        process.terminate()
        process.wait(timeout=20)
    return output.decode(errors="replace"), answered


def test_the_server_reads_the_store_before_the_first_visitor(store):
    output, answered = _serve_until(store, READY)
    assert READY in output, output[-3000:]
    assert answered
    assert "Traceback" not in output, output[-3000:]


def test_a_missing_store_leaves_the_server_running_for_the_page_to_explain(tmp_path):
    output, answered = _serve_until(tmp_path / "nergens.gpkg", "warm-up: the store was not read")
    assert "warm-up: the store was not read (StoreMissing" in output, output[-3000:]
    assert answered
    assert READY not in output


def test_streamlit_is_imported_before_the_warm_up_thread_starts():
    """The server thread and the warm-up thread importing Streamlit at the same moment
    deadlocked or initialised it twice, and the process exited at start. In a fresh
    interpreter (nothing imported yet), the thread starts only after Streamlit is in."""
    probe = (
        "import sys, threading\n"
        "from wijkmap import server\n"
        "assert 'streamlit' not in sys.modules\n"
        "class Stop(Exception): pass\n"
        "def start(self):\n"
        "    print('streamlit.web.cli' in sys.modules and 'streamlit.runtime' in sys.modules)\n"
        "    raise Stop\n"
        "threading.Thread.start = start\n"
        "try:\n"
        "    server.main(['app.py'])\n"
        "except Stop:\n"
        "    pass\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True", done.stdout

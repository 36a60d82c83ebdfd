"""The app's server process: `streamlit run`, with what every visitor needs made ready
once per process as it starts, not in the first visitor's page load.

A fresh server used to spend the first visitor's first run importing the pages' code
(pandas, geopandas, folium, the features: about 2 s) and reading the store's figures,
records and area index (2-3 s more). Here a background thread does that while Streamlit
starts and waits for visitors. What it reads goes into the same process-wide caches the
pages read (wijkmap.shell.cache), so a visitor who arrives early waits for the reads in
progress rather than doing them again. Nothing here depends on a session.

`wijkmap serve` runs ``python -m wijkmap.server app.py [STREAMLIT-OPTION ...]``.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import time

log = logging.getLogger(__name__)

# The modules the pages (app_pages/) import: importing them is most of a first run's
# seconds of Python, and a module is imported once per process.
PAGE_MODULES = (
    "wijkmap.explorer.page",
    "wijkmap.change.page",
    "wijkmap.coverage.page",
    "wijkmap.contributions.submit_page",
    "wijkmap.contributions.examples_page",
    "wijkmap.contributions.moderation_page",
    "wijkmap.beheer.page",
)
RUNTIME_WAIT_S = 60.0


def warm_up() -> None:
    """Import the pages' code and read what every page of every session reads.

    Runs once Streamlit's runtime exists: st.cache_data stores into the runtime's own
    cache (before it, Streamlit would use a throwaway one). streamlit-folium is left to
    the first run (wijkmap.shell.map_widget imports it there): a component declared
    outside a script run is not registered, and the map's frame would stay empty. A store that is missing or cannot be read is left for the
    pages to report; this only logs it."""
    if not _runtime_started():
        log.warning("warm-up: Streamlit's runtime did not start within %.0f s; nothing was prepared", RUNTIME_WAIT_S)
        return
    started = time.perf_counter()
    for name in PAGE_MODULES:
        importlib.import_module(name)
    imported = time.perf_counter()
    from wijkmap.council import cache as council_cache
    from wijkmap.shell import cache

    try:
        cache.statistics()
        cache.records()
        cache.catalogue()
        cache.gemeenten()
        cache.layer_counts()
        council_cache.area_index()
    except Exception as error:  # the pages report it, with their own words, to the visitor
        log.warning("warm-up: the store was not read (%s: %s)", type(error).__name__, error)
        return
    # Beside Streamlit's own lines ("You can now view your Streamlit app"), for whoever
    # runs the server: from here on a visitor's first page does no start-up work.
    print(
        f"wijkmap: klaar voor bezoekers (code geladen in {imported - started:.1f} s,"
        f" gegevens gelezen in {time.perf_counter() - imported:.1f} s)",
        file=sys.stderr,
        flush=True,
    )


def _runtime_started() -> bool:
    from streamlit.runtime import Runtime

    deadline = time.monotonic() + RUNTIME_WAIT_S
    while not Runtime.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _quietly(target) -> None:
    # Streamlit warns about a missing ScriptRunContext for each cache call made outside a
    # script run; they are meant to be outside one.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    try:
        target()
    except Exception:  # never take the server down: the pages do the same work on first use
        log.exception("warm-up failed")


def main(argv: list[str] | None = None) -> None:
    """`streamlit run` with `argv` (the script and Streamlit's options), warming up alongside."""
    # Streamlit is imported before the warm-up thread starts: the two importing it at once
    # deadlocked on Python's module locks or initialised it twice, and the server exited
    # ("DeltaGeneratorSingleton instance already exists!"; CI, two app processes starting).
    from streamlit.runtime import Runtime  # noqa: F401 (imported here, not first in the thread)
    from streamlit.web import cli

    threading.Thread(target=_quietly, args=(warm_up,), name="wijkmap-warm-up", daemon=True).start()

    sys.argv = ["streamlit", "run", *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()

"""Benchmark of the map: what the browser is sent, and how fast the server answers.

Run it from the repository root:

    cd /work/main && .venv/bin/python bench/benchmark_map.py

It prints tables and writes every figure, with every single run, to bench/out/map.json.
It is a measurement, not a test: nothing here passes or fails on a timing. The inputs are
deterministic (the bundled sources, fixed views); the store is built in a temporary
directory (WIJKMAP_STORE points there), so data/wijkmap.gpkg is never touched.

What is measured:
1. The map payload as streamlit-folium sends it: `_component_func` is replaced by a
   recorder, and `st_folium` is called with the map the Kaart page (explorer/page.py) draws, built by the
   same function (explorer_map.build). Sizes are
   the sum of the strings (script, html, header, feature_group, css/js links), the JSON
   Streamlit actually puts in the websocket message (quotes and non-ASCII escaped), and
   both gzip-compressed; per layer too. 1b: the national choropleth at coarser
   simplification; 1c: st_folium's time as is and without branca re-parsing each
   layer's rendered output as a Jinja template (same payload, checked).
2. The naive way for the same areas and records: a plain folium.GeoJson of the
   unsimplified geometry with all attributes (the area layer's columns and every
   statistic of the year, pivoted wide) and a folium.Marker with a Popup per record.
3. Server time per interaction: app.py driven by streamlit.testing.v1.AppTest, which
   runs the whole script as the server does on each interaction (the map component
   is not drawn, there is no browser). Medians and p90 over repeated runs.
4. Peak RSS of this process, which held the national data and the app's caches.
"""

from __future__ import annotations

import cProfile
import dataclasses
import gzip
import html
import importlib.metadata
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "map.json"
PYTHON = sys.executable
KB = 1024

UTRECHT, ROTTERDAM = "GM0344", "GM0599"
INDICATOR = "pct_eenpersoonshuishoudens"
BUDGET_KB = {"national": 600, "utrecht_buurt": 150}  # issue #3, "How fast"
SERVER_BUDGET_S = 0.150  # a filter change, median

RUNS = 15  # per warm interaction
COLD_RUNS = 5  # cold first loads are slow; fewer runs keep the benchmark under ~4 minutes
PROFILE_RUNS = 5  # extra profiled runs of each interaction slower than the budget
PROFILE_ROWS = 12

# streamlit-folium's arguments that carry map content (the rest are a few flags).
CONTENT_ARGS = ("script", "html", "header", "feature_group")
MAP_CALL = dict(  # st_folium's arguments in shell.map_widget.draw_map for the Kaart page, besides the map and overlay
    key="kaart",
    height=640,
    use_container_width=True,
    returned_objects=["last_active_drawing", "center", "zoom"],
)


# --- the store ----------------------------------------------------------------------------


def build_store(path: Path) -> dict:
    """Build the national store in a separate process (so its memory does not count
    towards this process's peak RSS); returns the build summary and its time."""
    code = (
        "import json, sys, time; from pathlib import Path; from wijkmap.data.build import build_store;"
        "t = time.perf_counter(); s = build_store(Path(sys.argv[1]));"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'areas': s.areas, 'records': s.records}))"
    )
    done = subprocess.run([PYTHON, "-c", code, str(path)], cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"build_store failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Data:
    """The store's frames, read once (the app reads them once per store version too)."""

    statistics: object
    records: object
    catalogue: object
    buurten: object  # buurt_2015, whole country: for finding the largest gemeenten


def read_data() -> Data:
    from wijkmap.data import store

    return Data(store.read_statistics(), store.read_records(), store.read_catalogue(), store.read_areas("buurt_2015"))


# --- 1. the lean map, built as the Kaart page (explorer/page.py) builds it -------------------------------


@dataclass
class View:
    """Everything explorer/page.py computes before drawing the map, for one view state."""

    state: object
    niveau: str
    jaar: int
    layer: str
    areas: object  # lean (simplified) areas
    choropleth: object
    shown: object  # the records on the map


def years_for(data: Data, indicator: str, gemeente: str | None, niveau: str) -> dict[int, int]:
    """ui.years_available without Streamlit's cache: the years with figures for the view."""
    from wijkmap.core import indeling

    codes = set().union(*layer_codes(niveau, gemeente).values())
    return indeling.years_available(data.statistics, indicator, codes)


def layer_codes(niveau: str, gemeente: str | None) -> dict[str, list[str]]:
    """shell.cache.layer_codes for every layer of the level, uncached."""
    from wijkmap.core import indeling
    from wijkmap.data import store

    return {
        layer: list(store.read_areas(layer, gemeentecode=gemeente)["code"])
        for layer in indeling.layers_of(store.area_layers(), niveau)
    }


def prepare_view(state, data: Data, lang: str = "nl") -> View:
    """explorer/page.py's page() up to _draw_map, with shell.cache's helpers called uncached."""
    from wijkmap.core import indeling
    from wijkmap.data import store
    from wijkmap.explorer import model as explorer

    niveau = state.niveau if state.gemeente else "gemeente"
    coverage = years_for(data, state.indicator, state.gemeente, niveau)
    jaar = state.jaar if state.jaar in coverage else indeling.default_year(coverage)
    layer = indeling.view_layer(data.statistics, state.indicator, jaar, layer_codes(niveau, state.gemeente))
    areas = indeling.lean_areas(store.read_areas(layer, gemeentecode=state.gemeente), niveau)
    item = data.catalogue.set_index("indicator").loc[state.indicator].to_dict() | {"indicator": state.indicator}
    choropleth = explorer.choropleth(
        areas,
        niveau,
        data.statistics,
        item,
        jaar,
        state.schema,
        state.klassen,
        state.palet,
        lang,
        indeling.layer_year(layer),
    )
    records = data.records
    in_view = records if not state.gemeente else records[records["gemeentecode"] == state.gemeente]
    return View(state, niveau, jaar, layer, areas, choropleth, explorer.visible_records(in_view, state))


def service_areas(view: View, data: Data) -> str | None:
    """ui.service_areas without Streamlit's cache."""
    from wijkmap.data import placement
    from wijkmap.map import context as map_context

    ids = set(view.shown.loc[view.shown["soort"] == "wijkteam", "id"])
    if not ids:
        return None
    teams = data.records[data.records["id"].isin(ids)]
    gemeente = view.state.gemeente
    buurten = placement.buurten_of(gemeente) if gemeente else placement.buurten()
    return map_context.service_area_geojson(teams, buurten)


def surroundings_geojson(gemeente: str | None) -> str | None:
    """ui.surroundings without Streamlit's cache: the neighbouring gemeenten's outlines."""
    from wijkmap.data import store
    from wijkmap.map import context as map_context

    return map_context.surroundings_geojson(store.read_areas("gemeente_2015"), gemeente) if gemeente else None


def lean_map(view: View, data: Data, lang: str = "nl"):
    """The map and overlay as explorer/page.py builds them (explorer_map.build), with the
    inputs shell.cache reads, uncached."""
    from wijkmap import config
    from wijkmap.explorer import map as explorer_map

    state = view.state
    context = explorer_map.Context(
        surroundings=surroundings_geojson(state.gemeente),
        outline=explorer_map.selected_outline(view.areas, state.gebied),
        service_areas=service_areas(view, data) if "professioneel" in state.lagen else None,
        tiles=config.tile_url(),
    )
    return explorer_map.build(state, view.choropleth, view.shown, context, lang)


def component_args(m, overlay, state) -> dict:
    """What st_folium hands to its Streamlit component for this map: called as
    explorer/page.py calls it, with `_component_func` replaced by a recorder."""
    import streamlit_folium

    calls: list[dict] = []
    original = streamlit_folium._component_func
    streamlit_folium._component_func = lambda **kwargs: calls.append(kwargs)
    try:
        streamlit_folium.st_folium(
            m,
            feature_group_to_add=overlay,
            center=(state.lat, state.lon) if state.lat is not None and state.lon is not None else None,
            zoom=state.zoom,
            **MAP_CALL,
        )
    finally:
        streamlit_folium._component_func = original
    return calls[0]


def wire_json(args: dict) -> str:
    """The component's arguments as Streamlit serialises them into the websocket
    message (custom_component.py: json.dumps of every argument but on_change)."""
    return json.dumps({name: value for name, value in args.items() if name not in ("on_change", "tab_index")})


def payload_sizes(args: dict) -> dict:
    """Bytes of each content argument, their sum, and the wire JSON; plain and gzip'd.

    gzip at level 6 stands in for permessage-deflate (same DEFLATE, zlib's default level)."""
    parts = {name: len((args.get(name) or "").encode()) for name in CONTENT_ARGS}
    links = [*args.get("css_links", []), *args.get("js_links", [])]
    parts["css/js links"] = sum(len(link.encode()) for link in links)
    strings = "".join(args.get(name) or "" for name in CONTENT_ARGS) + "".join(links)
    wire = wire_json(args)
    return {
        "parts_bytes": parts,
        "strings_bytes": sum(parts.values()),
        "strings_gzip_bytes": len(gzip.compress(strings.encode(), compresslevel=6)),
        "wire_bytes": len(wire.encode()),
        "wire_gzip_bytes": len(gzip.compress(wire.encode(), compresslevel=6)),
    }


def layer_sizes(view: View, data: Data) -> dict[str, int]:
    """Bytes of the data each layer embeds (the rest of the payload is code and styling)."""
    from wijkmap.map import layers as mapview

    return {
        "choropleth GeoJSON": len(view.choropleth.geojson.encode()),
        "surroundings GeoJSON": len((surroundings_geojson(view.state.gemeente) or "").encode()),
        "service areas GeoJSON": len((service_areas(view, data) or "").encode())
        if "professioneel" in view.state.lagen
        else 0,
        "record rows": len(mapview.script_json(mapview.RecordLayer(view.shown, "nl").records).encode()),
    }


def national_tolerances(data: Data, tolerances=(120.0, 250.0, 500.0, 1000.0)) -> list[dict]:
    """The national choropleth GeoJSON at coarser simplification than indeling.DETAIL's,
    with 4 and 3 decimals: what the national overview would weigh (one pixel at zoom 7
    is about 0.75 km here)."""
    from wijkmap.core import geometry, indeling
    from wijkmap.core.view import ViewState
    from wijkmap.data import store

    view = prepare_view(ViewState(indicator=INDICATOR), data)
    raw = store.read_areas(view.layer)
    properties = json.loads(view.choropleth.geojson)["features"]
    props = {key: [f["properties"][key] for f in properties] for key in ("c", "n", "k", "t")}
    rows = []
    for tolerance in tolerances:
        lean = geometry.simplify_coverage(raw, tolerance)
        for decimals in (4, 3):
            text = geometry.lean_geojson(lean, props, decimals=decimals)
            rows.append(
                {
                    "tolerance_m": tolerance,
                    "decimals": decimals,
                    "bytes": len(text.encode()),
                    "gzip_bytes": len(gzip.compress(text.encode(), compresslevel=6)),
                    "current": tolerance == indeling.DETAIL["gemeente"][0]
                    and decimals == indeling.DETAIL["gemeente"][1],
                }
            )
    return rows


# --- 1c. what branca's re-parsing of rendered layers costs --------------------------------


def render_verbatim(self, **kwargs):
    """branca MacroElement.render, except that the rendered header/html/script are kept as
    text instead of being wrapped in Element(text), which compiles them as a Jinja template."""
    from branca.element import Element

    class Verbatim(Element):
        def __init__(self, text: str):
            super().__init__()
            self.text = text

        def render(self, **_):
            return self.text

    figure = self.get_root()
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = self._template.module.__dict__.get(part)
        if macro is not None:
            target.add_child(Verbatim(macro(self, kwargs)), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


def st_folium_seconds(view: View, data: Data, runs: int = 5) -> tuple[float, dict]:
    """Median time of st_folium on a freshly built lean map (the map building not included)."""
    times, args = [], None
    for _ in range(runs):
        m, overlay = lean_map(view, data)
        started = time.perf_counter()
        args = component_args(m, overlay, view.state)
        times.append(time.perf_counter() - started)
    return statistics.median(times), args


def reparse_cost(data: Data) -> list[dict]:
    """st_folium as is vs. with render_verbatim patched in, for Utrecht and the national view.
    Same payload either way (checked); the difference is Jinja compiling layer output."""
    from branca.element import MacroElement

    from wijkmap.core.view import ViewState

    rows = []
    for label, fields in (("national gemeente overview", {}), ("Utrecht, buurt", {"gemeente": UTRECHT})):
        view = prepare_view(ViewState(indicator=INDICATOR, **fields), data)
        as_is, args = st_folium_seconds(view, data)
        original = MacroElement.render
        MacroElement.render = render_verbatim
        try:
            verbatim, verbatim_args = st_folium_seconds(view, data)
        finally:
            MacroElement.render = original
        same = all((args.get(n) or "") == (verbatim_args.get(n) or "") for n in CONTENT_ARGS)
        rows.append({"view": label, "st_folium_s": as_is, "without_reparse_s": verbatim, "same_payload": same})
    return rows


# --- 2. the naive way -----------------------------------------------------------------------


def naive_areas(view: View, data: Data):
    """The same areas, unsimplified, with all their attributes: the layer's own columns
    and every statistic of the year, pivoted wide (what gdf.explore() would be given)."""
    from wijkmap.data import store

    full = store.read_areas(view.layer, gemeentecode=view.state.gemeente)
    year = data.statistics[(data.statistics["jaar"] == view.jaar) & data.statistics["code"].isin(set(full["code"]))]
    wide = year.pivot_table(index="code", columns="indicator", values="waarde", aggfunc="first")
    return full.merge(wide, left_on="code", right_index=True, how="left")


def naive_popup(record) -> str:
    """A popup with what the lean popup shows, as a person would write it in folium."""
    rows = "".join(
        f"<tr><th>{label}</th><td>{html.escape(str(value))}</td></tr>"
        for label, value in (
            ("Soort", record.soort),
            ("Strategie", record.strategie),
            ("Actoren", record.actortype),
            ("Doelgroep", record.doelgroep),
            ("Geopend", record.geopend),
            ("Gesloten", record.gesloten),
            ("Bron", record.bron),
            ("Website", record.url),
        )
        if value
    )
    return f"<b>{html.escape(record.naam)}</b><table>{rows}</table>"


def naive_map(view: View, data: Data):
    """folium.GeoJson of the full areas (coloured like the lean map, tooltip with name
    and value) on a plain folium.Map, and one folium.Marker with a Popup per record."""
    import folium

    from wijkmap import config
    from wijkmap.map import layers as mapview

    gdf = naive_areas(view, data)
    classes = {f["properties"]["c"]: f["properties"]["k"] for f in json.loads(view.choropleth.geojson)["features"]}
    colours = view.choropleth.colours

    def style(feature):
        k = classes.get(feature["properties"]["code"], -1)
        return {
            "fillColor": colours[k] if k >= 0 else mapview.MISSING_COLOUR,
            "color": "#4d4d4d",
            "weight": 1,
            "fillOpacity": 0.72,
        }

    m = folium.Map(tiles=folium.TileLayer(config.tile_url(), attr="Kadaster"))
    m.fit_bounds(view.choropleth.bounds)
    tooltip_fields = ["naam"] + ([view.state.indicator] if view.state.indicator in gdf.columns else [])
    folium.GeoJson(
        gdf, name="areas", style_function=style, tooltip=folium.GeoJsonTooltip(fields=tooltip_fields)
    ).add_to(m)
    overlay = folium.FeatureGroup(name="overlay")
    for record in view.shown.itertuples(index=False):
        folium.Marker(
            [record.lat, record.lon], popup=folium.Popup(naive_popup(record), max_width=340), tooltip=record.naam
        ).add_to(overlay)
    return m, overlay


# --- 1 and 2. the cases --------------------------------------------------------------------


def largest_gemeenten(data: Data) -> dict:
    """The gemeente with the most buurten, and the one whose buurten make the largest
    lean GeoJSON (geometry and codes only; a scan of every gemeente)."""
    from wijkmap.core import geometry, indeling

    counts = data.buurten.groupby("gemeentecode").size()
    most = counts.sort_index().idxmax()  # ties: lowest code
    sizes = {}
    for code, part in data.buurten.groupby("gemeentecode"):
        lean = indeling.lean_areas(part, "buurt")
        sizes[code] = len(geometry.lean_geojson(lean, {"c": list(lean["code"])}, decimals=5))
    heaviest = max(sorted(sizes), key=sizes.get)
    return {
        "most_buurten": most,
        "most_buurten_count": int(counts[most]),
        "heaviest_geometry": heaviest,
        "heaviest_geometry_bytes": sizes[heaviest],
        "heaviest_geometry_buurten": int(counts[heaviest]),
    }


def gemeente_name(code: str) -> str:
    from wijkmap.data import store

    names = store.read_areas("gemeente_2015")
    match = names.loc[names["code"] == code, "naam"]
    return match.iloc[0] if len(match) else code


def payload_cases(largest: dict) -> list[tuple[str, str, dict]]:
    """(label, budget key or "", ViewState fields) for each measured view."""
    return [
        ("national gemeente overview", "national", {}),
        ("Utrecht, buurt", "utrecht_buurt", {"gemeente": UTRECHT, "niveau": "buurt"}),
        ("Utrecht, wijk", "", {"gemeente": UTRECHT, "niveau": "wijk"}),
        (
            f"{gemeente_name(largest['most_buurten'])} (most buurten), buurt",
            "",
            {"gemeente": largest["most_buurten"], "niveau": "buurt"},
        ),
        ("Rotterdam, buurt", "", {"gemeente": ROTTERDAM, "niveau": "buurt"}),
        (
            f"{gemeente_name(largest['heaviest_geometry'])} (heaviest geometry), buurt",
            "",
            {"gemeente": largest["heaviest_geometry"], "niveau": "buurt"},
        ),
    ]


def measure_case(label: str, budget: str, fields: dict, data: Data) -> dict:
    """Lean and naive payload of one view, and the time to build each."""
    from wijkmap.core.view import ViewState

    state = ViewState(indicator=INDICATOR, **fields)
    started = time.perf_counter()
    view = prepare_view(state, data)
    prepare_s = time.perf_counter() - started
    started = time.perf_counter()
    lean = component_args(*lean_map(view, data), state)
    lean_s = time.perf_counter() - started
    started = time.perf_counter()
    naive = component_args(*naive_map(view, data), state)
    naive_s = time.perf_counter() - started
    return {
        "label": label,
        "state": {k: v for k, v in dataclasses.asdict(state).items() if k in ("gemeente", "niveau")},
        "layers_bytes": layer_sizes(view, data),
        "budget_kb": BUDGET_KB.get(budget),
        "niveau": view.niveau,
        "jaar": view.jaar,
        "layer": view.layer,
        "areas": len(view.areas),
        "records": len(view.shown),
        "lean": payload_sizes(lean),
        "naive": payload_sizes(naive),
        "prepare_s": prepare_s,
        "lean_map_and_st_folium_s": lean_s,
        "naive_map_and_st_folium_s": naive_s,
        "lean_args": lean,  # dropped before writing; kept for the fidelity check against the app
    }


# --- 3. server time per interaction ------------------------------------------------------


@dataclass
class Sample:
    """One app run: wall time, time inside st_folium, and what the map component got."""

    seconds: float
    map_seconds: float
    map_calls: int
    wire_bytes: int
    resent: bool  # component arguments differ from the previous run's: the map message is sent again
    remounted: bool  # component key changed: the browser rebuilds the map from scratch


@dataclass
class Recorder:
    """Wraps streamlit_folium so each app run reports its st_folium time and arguments."""

    calls: list = field(default_factory=list)  # (args, seconds)
    previous: dict | None = None

    def install(self) -> None:
        import streamlit_folium

        original_component, original_st_folium = streamlit_folium._component_func, streamlit_folium.st_folium

        def component(**kwargs):
            self.calls.append([kwargs, 0.0])
            return original_component(**kwargs)

        def timed_st_folium(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original_st_folium(*args, **kwargs)
            finally:
                if self.calls:
                    self.calls[-1][1] = time.perf_counter() - started

        streamlit_folium._component_func = component
        # map_widget.draw_map looks st_folium up on the module, so it picks this up.
        streamlit_folium.st_folium = timed_st_folium

    def run(self, at) -> Sample:
        """at.run(), timed, with what the map got in that run (a click runs the script twice)."""
        first = len(self.calls)
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"the app raised: {[e.value for e in at.exception]}")
        calls = self.calls[first:]
        last = calls[-1][0] if calls else None
        wire = wire_json(last) if last else ""
        previous, self.previous = self.previous, last
        return Sample(
            seconds=seconds,
            map_seconds=sum(s for _, s in calls),
            map_calls=len(calls),
            wire_bytes=len(wire.encode()),
            resent=previous is None or last is None or wire != wire_json(previous),
            remounted=previous is None or last is None or last["key"] != previous["key"],
        )


def new_app(recorder: Recorder, query: dict[str, str]):
    """A fresh AppTest session of app.py with these URL parameters."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    recorder.previous = None
    return at


def clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def summary(samples: list[Sample]) -> dict:
    """Median, p90, min and max of the wall times, with the map's share and what was sent."""
    times = [s.seconds for s in samples]
    return {
        "runs": len(samples),
        "median_s": statistics.median(times),
        "p90_s": statistics.quantiles(times, n=10, method="inclusive")[8] if len(times) > 1 else times[0],
        "min_s": min(times),
        "max_s": max(times),
        "map_median_s": statistics.median(s.map_seconds for s in samples),
        "script_runs": max(s.map_calls for s in samples),
        "wire_kb_median": statistics.median(s.wire_bytes for s in samples) / KB,
        "resent": sum(s.resent for s in samples),
        "remounted": sum(s.remounted for s in samples),
        "all_runs": [dataclasses.asdict(s) for s in samples],
    }


def harness_baseline(recorder: Recorder) -> dict:
    """AppTest's own cost: a one-line script, run RUNS times."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("import streamlit as st\nst.write('x')", default_timeout=60)
    at.run()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    return {"runs": RUNS, "median_s": statistics.median(times), "all_s": times, "compile_s": compile_seconds()}


def compile_seconds() -> float:
    """What compiling app.py and the map page costs (with Streamlit's magic): AppTest does it
    on every run, a server once (its ScriptCache)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        cache = ScriptCache()
        for script in ("app.py", "app_pages/kaart.py"):
            cache.get_bytecode(str(REPO / script))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def buurt_codes(gemeente: str) -> list[str]:
    from wijkmap.data import store

    return sorted(store.read_areas("buurt_2015", gemeentecode=gemeente)["code"])


def indicators_with_buurt_figures(data: Data, gemeente: str) -> list[str]:
    """The catalogue's indicators (in its order) that have buurt figures in `gemeente`."""
    codes = set(buurt_codes(gemeente))
    present = set(data.statistics.loc[data.statistics["code"].isin(codes), "indicator"])
    listed = data.catalogue[data.catalogue["jaren"].fillna("") != ""]["indicator"]
    return [name for name in listed if name in present and name != INDICATOR]


def other_gemeenten(data: Data, count: int) -> list[str]:
    """The `count` gemeenten with the most buurten besides Utrecht: the heaviest switches."""
    counts = data.buurten.groupby("gemeentecode").size().drop(UTRECHT, errors="ignore")
    ordered = sorted(counts.index, key=lambda code: (-counts[code], code))
    return ordered[:count]


@dataclass
class Interaction:
    """A user action: `before(at, i)` sets the widgets for run i, then the app reruns."""

    name: str
    includes: str
    before: object
    runs: int = RUNS
    setup: object = None  # (recorder) -> AppTest, when the interaction needs its own session


def click(recorder: Recorder, code: str):
    """What the map component returns when a buurt is clicked, for the current map key."""

    def before(at, _):
        key = recorder.previous["key"]
        at.session_state[key] = {
            "last_active_drawing": {"properties": {"c": code}},
            "center": {"lat": 52.09, "lng": 5.12},
            "zoom": 13,
        }

    return before


def interactions(data: Data, recorder: Recorder) -> list[Interaction]:
    """The measured interactions; each starts from a warm Utrecht buurt view unless it sets up its own."""
    indicators = indicators_with_buurt_figures(data, UTRECHT)
    gemeenten = other_gemeenten(data, RUNS)
    buurten = buurt_codes(UTRECHT)
    clicks = [buurten[(7 * i) % len(buurten)] for i in range(RUNS)]

    def set_pills(at, i):
        at.pills(key="view_strategie").set_value(["bridging"] if i % 2 == 0 else [])

    def set_informal_bridging(at, i):
        at.pills(key="view_strategie").set_value(["bridging"] if i % 2 == 0 else [])
        at.pills(key="view_formaliteit").set_value(["informeel"] if i % 2 == 0 else [])

    def set_sample(at, i):
        at.toggle(key="view_voorbeeld").set_value(i % 2 == 1)

    def set_indicator(at, i):
        at.selectbox(key="view_indicator").set_value(indicators[i % len(indicators)])

    def set_gemeente(at, i):
        at.selectbox(key="view_gemeente").set_value(gemeenten[i % len(gemeenten)])

    def set_buurt(at, i):
        click(recorder, clicks[i])(at, i)

    def national(recorder_):
        at = new_app(recorder_, {})
        recorder_.run(at)
        return at

    def to_national(at, i):
        # Untimed: back to Utrecht, so that every timed run is a switch to the national view.
        at.selectbox(key="view_gemeente").set_value(UTRECHT)
        recorder.run(at)
        at.selectbox(key="view_gemeente").set_value("")

    return [
        Interaction(
            "rerun, nothing changed",
            "a rerun with the same widget values (e.g. a pan reported by the map)",
            lambda at, i: None,
        ),
        Interaction(
            "filter: strategie pills", "bridging <-> all; only the records (the map's overlay) change", set_pills
        ),
        Interaction(
            "filter: bridging + informal", "strategie and formaliteit pills together, on <-> off", set_informal_bridging
        ),
        Interaction(
            "filter: sample toggle", "illustrative sample off <-> on (all of Utrecht's records are sample)", set_sample
        ),
        Interaction(
            f"indicator change, first time ({len(indicators)} cycled)",
            "another indicator; the first choice of each misses the choropleth cache",
            set_indicator,
            runs=len(indicators),
        ),
        Interaction(
            "indicator change, cached",
            "the same indicators chosen again: choropleth from the cache",
            set_indicator,
            runs=len(indicators),
        ),
        Interaction(
            "gemeente change, first time",
            f"{len(gemeenten)} other large gemeenten, each read from the store, simplified and coloured (cache miss)",
            set_gemeente,
        ),
        Interaction("gemeente change, cached", "the same gemeenten again (areas and choropleth cached)", set_gemeente),
        Interaction(
            "select a buurt (map click)",
            "the component reports a click: the script runs to the map, "
            "stores the selection, st.rerun(), and runs again with the profile",
            set_buurt,
        ),
        Interaction(
            "switch gemeente -> national", "Utrecht to the national overview (cached after the first)", to_national
        ),
        Interaction(
            "national: rerun, nothing changed",
            "the national overview (every gemeente of its layer, all records) again",
            lambda at, i: None,
            setup=national,
        ),
        Interaction(
            "national: filter strategie pills", "bridging <-> all in the national view", set_pills, setup=national
        ),
    ]


def run_interaction(interaction: Interaction, recorder: Recorder) -> list[Sample]:
    """Run one interaction `runs` times in a fresh warm session; returns the timed samples."""
    at = interaction.setup(recorder) if interaction.setup else reset_utrecht(recorder)
    samples = []
    for i in range(interaction.runs):
        interaction.before(at, i)
        samples.append(recorder.run(at))
    return samples


def reset_utrecht(recorder: Recorder):
    """A warm Utrecht buurt session in its default state."""
    at = new_app(recorder, {"gemeente": UTRECHT})
    recorder.run(at)
    recorder.run(at)
    return at


def cold_loads(recorder: Recorder, query: dict[str, str]) -> list[Sample]:
    """A new session with every Streamlit cache cleared, COLD_RUNS times."""
    samples = []
    for _ in range(COLD_RUNS):
        clear_streamlit_caches()
        samples.append(recorder.run(new_app(recorder, query)))
    return samples


def profile_interaction(interaction: Interaction, recorder: Recorder) -> list[dict]:
    """cProfile of PROFILE_RUNS more runs of an interaction, per run, in the script thread.

    AppTest runs the script in a new thread each time; threading.setprofile starts the
    profiler in it. The frames that hold (almost) everything (the runner, exec, page())
    are left out so the list shows what the time goes to."""
    at = interaction.setup(recorder) if interaction.setup else reset_utrecht(recorder)
    profiler = cProfile.Profile()

    def start(*_):
        sys.setprofile(None)
        profiler.enable()

    threading.setprofile(start)
    try:
        for i in range(PROFILE_RUNS):
            interaction.before(at, i)
            recorder.run(at)
    finally:
        threading.setprofile(None)
    stats = pstats.Stats(profiler).stats
    total = max(entry[3] for entry in stats.values())
    rows = [
        {
            "function": f"{_short(filename)}:{line}({name})",
            "cumulative_ms": cumulative / PROFILE_RUNS * 1000,
            "own_ms": own / PROFILE_RUNS * 1000,
            "calls": calls / PROFILE_RUNS,
        }
        for (filename, line, name), (_, calls, own, cumulative, _) in stats.items()
        if cumulative < 0.6 * total and not _wrapper(filename, name)
    ]
    return sorted(rows, key=lambda row: -row["cumulative_ms"])[:PROFILE_ROWS]


def _wrapper(filename: str, name: str) -> bool:
    """Frames that only pass time through (script bodies, this benchmark's wrappers, the
    inner steps of one Jinja compile), left out so that the rows say where time goes."""
    if "jinja2/" in filename:
        return name != "from_string"
    if filename.endswith(("benchmark_map.py", "app.py")) or name in ("<module>", "page", "wrapped_func"):
        return True
    return name == "<built-in method builtins.next>"


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(REPO) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def measure_server(data: Data) -> dict:
    """Every interaction, the cold loads, the harness baseline and profiles of slow steps."""
    recorder = Recorder()
    recorder.install()
    results: dict = {"harness_baseline": harness_baseline(recorder), "interactions": {}, "profiles": {}, "errors": {}}
    print("  cold first loads ...", flush=True)
    results["cold"], results["app_utrecht_args"] = {}, None
    for name, query in (
        ("first load of Utrecht, buurt (cold caches)", {"gemeente": UTRECHT}),
        ("first load of the national view (cold caches)", {}),
    ):
        try:
            results["cold"][name] = summary(cold_loads(recorder, query))
        except Exception as error:  # the app under test raised: report it, measure the rest
            results["errors"][name] = repr(error)
    try:
        reset_utrecht(recorder)
        results["app_utrecht_args"] = recorder.previous
    except Exception as error:
        results["errors"]["fidelity check"] = repr(error)
    for interaction in interactions(data, recorder):
        print(f"  {interaction.name} ...", flush=True)
        try:
            samples = run_interaction(interaction, recorder)
        except Exception as error:  # the app under test raised: report it, measure the rest
            results["errors"][interaction.name] = repr(error)
            continue
        results["interactions"][interaction.name] = summary(samples) | {"includes": interaction.includes}
    slow = [
        i
        for i in interactions(data, recorder)
        if results["interactions"].get(i.name, {}).get("median_s", 0) > SERVER_BUDGET_S
    ]
    for interaction in slow:
        print(f"  profiling {interaction.name} ...", flush=True)
        try:
            results["profiles"][interaction.name] = profile_interaction(interaction, recorder)
        except Exception as error:
            threading.setprofile(None)
            results["errors"][f"profile: {interaction.name}"] = repr(error)
    return results


def fidelity(cases: list[dict], app_args: dict | None) -> dict:
    """Whether the benchmark's map for Utrecht equals what the app itself sent."""
    if not app_args:
        return {"checked": False}
    mine = next(case["lean_args"] for case in cases if case["budget_kb"] == BUDGET_KB["utrecht_buurt"])
    same = {
        name: (mine.get(name) or "") == (app_args.get(name) or "") for name in (*CONTENT_ARGS, "css_links", "js_links")
    }
    return {
        "checked": True,
        "identical": all(same.values()),
        "per_argument": same,
        "app_wire_bytes": len(wire_json(app_args).encode()),
        "benchmark_wire_bytes": len(wire_json(mine).encode()),
    }


# --- 4. memory and machine ------------------------------------------------------------------


def rss_mb() -> dict:
    """Peak RSS of this process (getrusage) and its current RSS (/proc)."""
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    return {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "current_mb": current}


def websocket_compression() -> bool:
    """Whether the app's Streamlit config turns on permessage-deflate (default: off)."""
    config = REPO / ".streamlit" / "config.toml"
    settings = tomllib.loads(config.read_text()) if config.exists() else {}
    return bool(settings.get("server", {}).get("enableWebsocketCompression", False))


def machine_facts() -> dict:
    import folium
    import streamlit

    return {
        "nproc": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "streamlit": streamlit.__version__,
        "streamlit_folium": importlib.metadata.version("streamlit-folium"),
        "folium": folium.__version__,
        "load_average_at_start": os.getloadavg(),
    }


# --- reporting -----------------------------------------------------------------------------


def print_grid(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A titled table: the first column left-aligned, the rest right-aligned."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}\n{'-' * len(title)}")
    for row in [header, *rows]:
        cells = [str(row[0]).ljust(widths[0])] + [str(c).rjust(w) for c, w in zip(row[1:], widths[1:])]
        print("  " + "  ".join(cells))


def kb(value: float) -> str:
    return f"{value / KB:.1f}"


def ms(value: float) -> str:
    return f"{value * 1000:.0f}"


def report_payloads(results: dict) -> None:
    largest = results["largest"]
    print_grid(
        "1+2. Map payload sent to the browser (KB), lean (the app) vs naive (folium.GeoJson + Marker/Popup)",
        [
            "view",
            "areas",
            "recs",
            "script",
            "overlay",
            "rest",
            "lean",
            "gzip",
            "wire",
            "wire gz",
            "budget",
            "naive",
            "gzip",
            "naive/lean",
            "gz ratio",
        ],
        [
            [
                case["label"],
                case["areas"],
                case["records"],
                kb(case["lean"]["parts_bytes"]["script"]),
                kb(case["lean"]["parts_bytes"]["feature_group"]),
                kb(
                    case["lean"]["strings_bytes"]
                    - case["lean"]["parts_bytes"]["script"]
                    - case["lean"]["parts_bytes"]["feature_group"]
                ),
                kb(case["lean"]["strings_bytes"]),
                kb(case["lean"]["strings_gzip_bytes"]),
                kb(case["lean"]["wire_bytes"]),
                kb(case["lean"]["wire_gzip_bytes"]),
                (
                    f"{case['budget_kb']} {'ok' if case['lean']['strings_bytes'] / KB <= case['budget_kb'] and case['lean']['wire_bytes'] / KB <= case['budget_kb'] else 'OVER'}"
                    if case["budget_kb"]
                    else ""
                ),
                kb(case["naive"]["strings_bytes"]),
                kb(case["naive"]["strings_gzip_bytes"]),
                f"{case['naive']['strings_bytes'] / case['lean']['strings_bytes']:.1f}x",
                f"{case['naive']['strings_gzip_bytes'] / case['lean']['strings_gzip_bytes']:.1f}x",
            ]
            for case in results["cases"]
        ],
    )
    print(
        "  script = the map (basemap, choropleth GeoJSON, legend, attribution); overlay = streamlit-folium's\n"
        "  feature_group (records, service areas, selection), the part a filter change replaces in place;\n"
        "  rest = header + html + css/js links. lean/naive = sum of those strings, as the brief defines it;\n"
        "  budget ok = both that sum and the wire size are within the budget of issue #3.\n"
        "  wire = the JSON Streamlit puts in the websocket message (json.dumps of all component arguments:\n"
        "  quotes and non-ASCII escaped), i.e. the bytes actually sent. gzip = level 6 (DEFLATE, as\n"
        f"  permessage-deflate). Websocket compression in this app's config: "
        f"{'ON' if results['websocket_compression'] else 'OFF (Streamlit default): the uncompressed wire size is what travels'}.\n"
        f"  Views: indicator {INDICATOR}, its default year (indeling.default_year), default filters (all\n"
        f"  layers, sample shown), no selection. Largest gemeente by buurten in buurt_2015: "
        f"{largest['most_buurten']} ({largest['most_buurten_count']} buurten); largest lean buurt geometry:\n"
        f"  {largest['heaviest_geometry']} ({largest['heaviest_geometry_bytes'] / KB:.0f} KB, "
        f"{largest['heaviest_geometry_buurten']} buurten)."
    )
    check = results["fidelity"]
    if check["checked"]:
        print(
            f"  Check: the benchmark's Utrecht map equals what app.py sent under AppTest: "
            f"{'yes, byte for byte' if check['identical'] else 'NO: ' + str(check['per_argument'])}."
        )
    print_grid(
        "   Lean payload by layer (KB): the data each layer embeds; the rest is code, legend and styling",
        ["view", "choropleth", "surroundings", "service areas", "record rows", "rest", "lean total"],
        [
            [
                c["label"],
                *[kb(v) for v in c["layers_bytes"].values()],
                kb(c["lean"]["strings_bytes"] - sum(c["layers_bytes"].values())),
                kb(c["lean"]["strings_bytes"]),
            ]
            for c in results["cases"]
        ],
    )
    print(
        "  surroundings = the neighbouring gemeenten drawn under a gemeente (ui.surroundings);\n"
        "  service areas = the wijkteams' werkgebieden (shown with the 'professioneel' layer)."
    )
    print_grid(
        "   1b. National choropleth GeoJSON (KB) by simplification tolerance and decimals (* = current)",
        ["tolerance m", "decimals", "KB", "gzip KB"],
        [
            [
                f"{r['tolerance_m']:.0f}{' *' if r['current'] else ''}",
                r["decimals"],
                kb(r["bytes"]),
                kb(r["gzip_bytes"]),
            ]
            for r in results["national_tolerances"]
        ],
    )
    print_grid(
        "   1c. st_folium time (ms, median of 5): as is vs. without branca's re-parsing of layer output",
        ["view", "st_folium", "without re-parse", "same payload"],
        [
            [r["view"], ms(r["st_folium_s"]), ms(r["without_reparse_s"]), "yes" if r["same_payload"] else "NO"]
            for r in results["reparse"]
        ],
    )
    print(
        "  branca's MacroElement.render wraps each layer's rendered JS in Element(text), which compiles the\n"
        "  text as a Jinja template (and Figure.render then renders it): the cost grows with the GeoJSON."
    )
    print_grid(
        "   Time to build them (s, one run each)",
        ["view", "year", "layer", "prepare", "lean+st_folium", "naive+st_folium"],
        [
            [
                c["label"],
                c["jaar"],
                c["layer"],
                f"{c['prepare_s']:.2f}",
                f"{c['lean_map_and_st_folium_s']:.2f}",
                f"{c['naive_map_and_st_folium_s']:.2f}",
            ]
            for c in results["cases"]
        ],
    )


def report_server(server: dict) -> None:
    rows = []
    for name, item in [*server["cold"].items(), *server["interactions"].items()]:
        rows.append(
            [
                name,
                item["runs"],
                ms(item["median_s"]),
                ms(item["p90_s"]),
                ms(item["min_s"]),
                ms(item["max_s"]),
                ms(item["map_median_s"]),
                item["script_runs"],
                f"{item['wire_kb_median']:.1f}",
                f"{item['resent']}/{item['runs']}",
                f"{item['remounted']}/{item['runs']}",
                "OVER" if name.startswith("filter") and item["median_s"] > SERVER_BUDGET_S else "",
            ]
        )
    print_grid(
        f"3. Server time per interaction (ms; AppTest on app.py, {len(os.sched_getaffinity(0))} cores)",
        [
            "interaction",
            "runs",
            "median",
            "p90",
            "min",
            "max",
            "st_folium",
            "script runs",
            "map KB",
            "map re-sent",
            "remounted",
            "budget",
        ],
        rows,
    )
    baseline = server["harness_baseline"]["median_s"]
    print(
        f"  Each figure is the wall time of AppTest.run(): the whole script (app.py, navigation,\n"
        f"  the Kaart page (explorer/page.py): URL state, sidebar widgets, cached store reads, filtering, the map built and\n"
        f"  serialised by st_folium, profile or thin-spots table, records table and download buttons) plus\n"
        f"  AppTest's own cost: {ms(baseline)} ms for a one-line script, and {ms(server['harness_baseline']['compile_s'])} ms "
        f"compiling app.py and the page,\n  which AppTest does every run and a server once.\n"
        f"  Not included: the websocket transfer and the browser's work. st_folium = the part of it spent in\n"
        f"  st_folium (rendering the folium map to JS and the component call). script runs = runs of the\n"
        f"  script per interaction (a click reruns). map re-sent = runs whose map arguments differ from the\n"
        f"  run before (identical ones are, at >= 10 KB, replaced by a reference to the browser's message\n"
        f"  cache); remounted = runs where the component key changed, so the browser builds a new map.\n"
        f"  Budget (issue #3): a filter change within {ms(SERVER_BUDGET_S)} ms, median."
    )
    for name, item in server["interactions"].items():
        print(f"    {name}: {item['includes']}")
    for name, error in server["errors"].items():
        print(f"  ERROR in '{name}': {error}")
    for name, rows_ in server["profiles"].items():
        print_grid(
            f"   Profile of '{name}' (cProfile, mean of {PROFILE_RUNS} runs; profiler overhead included)",
            ["function", "cumulative ms", "own ms", "calls"],
            [
                [r["function"][-95:], f"{r['cumulative_ms']:.1f}", f"{r['own_ms']:.1f}", f"{r['calls']:.0f}"]
                for r in rows_
            ],
        )


def report(results: dict) -> None:
    machine = results["machine"]
    print_grid(
        "Machine",
        ["", ""],
        [
            ["nproc", machine["nproc"]],
            ["python", machine["python"]],
            [
                "versions",
                f"streamlit {machine['streamlit']}, streamlit-folium {machine['streamlit_folium']}, "
                f"folium {machine['folium']}",
            ],
            [
                "load average at start / end",
                f"{machine['load_average_at_start'][0]:.2f} / {results['load_average_at_end'][0]:.2f}",
            ],
            ["store build (subprocess)", f"{results['build']['seconds']:.1f} s"],
        ],
    )
    report_payloads(results)
    report_server(results["server"])
    memory = results["memory"]
    print_grid(
        "4. Memory of this process",
        ["when", "peak RSS MB", "current RSS MB"],
        [[label, f"{value['peak_mb']:.0f}", f"{value['current_mb']:.0f}"] for label, value in memory.items()],
    )
    print(
        "  The process holds what one app server holds: the national frames, the lean areas and choropleths\n"
        "  in Streamlit's caches (all views above), and AppTest sessions; the store was built in a subprocess."
    )
    print(f"\nTotal benchmark time {results['total_s']:.0f} s; figures written to {os.path.relpath(OUT, REPO)}")


def main() -> int:
    started = time.perf_counter()
    results: dict = {
        "command": f"cd {REPO} && {os.path.relpath(PYTHON, REPO)} {' '.join(sys.argv)}",
        "machine": machine_facts(),
        "websocket_compression": websocket_compression(),
    }
    print(f"wijkmap map benchmark: {results['command']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="wijkmap-bench-map-") as tmp:
        store_path = Path(tmp) / "wijkmap.gpkg"
        os.environ["WIJKMAP_STORE"] = str(store_path)
        os.environ.pop("WIJKMAP_TILES", None)  # the default basemap, as deployed
        print("building the national store ...", flush=True)
        results["build"] = build_store(store_path)
        data = read_data()
        print("payloads ...", flush=True)
        results["largest"] = largest_gemeenten(data)
        results["cases"] = [measure_case(*case, data) for case in payload_cases(results["largest"])]
        results["national_tolerances"] = national_tolerances(data)
        results["reparse"] = reparse_cost(data)
        results["memory"] = {"after the payloads": rss_mb()}
        print("server times ...", flush=True)
        results["server"] = measure_server(data)
        results["memory"]["after the app runs"] = rss_mb()
    results["fidelity"] = fidelity(results["cases"], results["server"].pop("app_utrecht_args"))
    for case in results["cases"]:
        case.pop("lean_args")
    results["total_s"] = time.perf_counter() - started
    results["load_average_at_end"] = os.getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Tiny Streamlit app for the browser tests: a folium map drawn with no CDN.

Run by tests/browser/conftest.py; by hand:
    streamlit run tests/browser/offline_demo_app.py   (from the project root)
Its static files are served from tests/browser/static/ (a generated copy).
"""

from pathlib import Path

import folium
import streamlit as st
from folium.plugins import MarkerCluster
from streamlit_folium import st_folium

from wijkmap.map.assets import ensure_static_assets, offline_map, serve_under

st.set_page_config(page_title="wijkmap offline demo", layout="wide")
ensure_static_assets(Path(__file__).resolve().parent / "static")
serve_under(st.get_option("server.baseUrlPath"))

st.title("Offline map demo")

m = offline_map(location=[52.0907, 5.1214], zoom_start=13)

buurt = {
    "type": "Feature",
    "properties": {"naam": "Demo-buurt"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[5.105, 52.083], [5.135, 52.083], [5.135, 52.098], [5.105, 52.098], [5.105, 52.083]]],
    },
}
folium.GeoJson(
    buurt,
    name="Buurt",
    style_function=lambda f: {"color": "#1b7837", "fillOpacity": 0.15},
    tooltip=folium.GeoJsonTooltip(fields=["naam"]),
).add_to(m)

# A tight group of markers: drawn as one cluster at the start zoom.
cluster = MarkerCluster(name="Voorzieningen (cluster)").add_to(m)
for i in range(30):
    lat = 52.0935 + (i % 6) * 0.0002
    lon = 5.1080 + (i // 6) * 0.0003
    folium.Marker([lat, lon], tooltip=f"#{i}").add_to(cluster)

# One marker on its own: default Leaflet icon (images/ served locally) and a
# Popup (folium renders its content with $(html), i.e. the folium shim).
single = folium.FeatureGroup(name="Losse voorziening").add_to(m)
folium.Marker([52.0880, 5.1300], popup=folium.Popup("Buurthuis De Demo"), tooltip="Buurthuis").add_to(single)

folium.LayerControl().add_to(m)

st_folium(m, height=450, use_container_width=True, returned_objects=[], key="map")

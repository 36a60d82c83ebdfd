"""How the maps colour things: palettes, class colours, category and soort symbols.

Plain data, shared by the models (which say which colour a class or a legend line has)
and the map layers (which draw them); nothing here knows of HTML or Leaflet.
"""

from __future__ import annotations

from dataclasses import dataclass

# Sequential ColorBrewer single-hue schemes (9 classes; fewer classes take an even
# spread) are safe for colour-blind readers; 'contrast' is viridis for projectors.
PALETTES: dict[str, list[str]] = {
    "blauw": ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
    "oranje": ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#a63603", "#7f2704"],
    "paars": ["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"],
    "groen": ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b"],
    "contrast": ["#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878"],
}
MISSING_COLOUR = "#d9d9d9"

# ColorBrewer PuOr (colour-blind safe, diverging): orange = fewer, purple = more.
DIVERGING = {
    6: ["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"],
    7: ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"],
}

# Okabe-Ito colours (distinguishable with every common colour-vision deficiency) and
# a shape per category, so a symbol reads even in grey on a washed-out projector.
CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "klassiek": ("#E69F00", "square"),
    "popup": ("#009E73", "circle"),
    "professioneel": ("#0072B2", "diamond"),
    "religieus": ("#CC79A7", "triangle"),
    "initiatief": ("#D55E00", "hexagon"),
}
SOORT_ABBREVIATIONS = {
    "buurthuis": "BH",
    "bibliotheek": "Bi",
    "bejaardenhuis": "BJ",
    "huis_van_de_wijk": "HW",
    "repair_cafe": "RC",
    "buurtrestaurant": "BR",
    "naaiatelier": "NA",
    "wijkwerkplaats": "WW",
    "kringloopwinkel": "KL",
    "voedselbank": "VB",
    "koffiehoek": "KH",
    "broedplaats": "BP",
    "wijkteam": "WT",
    "wijkagent": "WA",
    "wijkpastoraat": "WP",
    "kerk": "K",
    "moskee": "M",
    "religieuze_organisatie": "RO",
    "bewonersinitiatief": "BI",
    "community_art": "CA",
    "dementievriendelijk": "DV",
    "ontvangende_buurt": "OB",
}


@dataclass(frozen=True)
class LegendClass:
    """One line of a legend: a colour and what it stands for (plain text)."""

    colour: str
    label: str


def class_colours(palette: str, classes: int) -> list[str]:
    """`classes` colours spread evenly over the 9-step palette, light to dark."""
    steps = PALETTES[palette]
    if classes <= 1:
        return [steps[-3]]
    return [steps[round(i * (len(steps) - 1) / (classes - 1))] for i in range(classes)]

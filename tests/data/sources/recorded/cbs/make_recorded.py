"""Writes the recorded CBS OData answers the fetch tests serve (run from the repository root).

There is no internet here, so the answers are put together from real material:
TableInfos and DataProperties are CBS's own for 85984NED (cbsodata's saves in
/work/shared/data/cbs-kwb-2024-gemeente-wijk/, wrapped back into OData's
{"odata.metadata", "value"} envelope); the TypedDataSet rows of Deventer (GM0150) and
Schiermonnikoog (GM0088) carry the real 2024 values of the bundled national subset and
85984NED gemeente/wijk file under their 85984NED keys, every other variable null (not in
what we have). Codes and names are padded as CBS pads them, Deventer's rows come in two
pages joined by odata.nextLink (on CBS's own host, as CBS writes it; the rows come from
the feed, ODataFeed, as fetch.py asks for them), and two cells hold
"." (how CBS marks a secret value in its untyped answers).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

SHARED = Path("/work/shared/data/cbs-kwb-2024-gemeente-wijk")
SOURCES = Path("data/sources/cbs")
HERE = Path(__file__).parent
ROOT = "https://opendata.cbs.nl/ODataApi/odata/85984NED"
FEED = "https://opendata.cbs.nl/ODataFeed/odata/85984NED"

SUBSET_KEYS = {
    "AantalInwoners_5": "inwoners",
    "k_0Tot15Jaar_8": "inwoners0tot15",
    "k_65JaarOfOuder_12": "inwoners65plus",
    "HuishoudensTotaal_29": "huishoudens",
    "GemiddeldeHuishoudensgrootte_33": "huishoudensgrootte",
    "Bevolkingsdichtheid_34": "dichtheid",
    "GemiddeldeWOZWaardeVanWoningen_39": "wozWaarde",
    "PercentageEengezinswoning_40": "eengezinswoning",
    "Koopwoningen_47": "koopwoningen",
    "GemiddeldInkomenPerInwoner_83": "inkomenPerInwoner",
    "AfstandTotHuisartsenpraktijk_117": "afstandHuisarts",
    "AfstandTotGroteSupermarkt_118": "afstandSupermarkt",
    "AfstandTotSchool_120": "afstandSchool",
    "ScholenBinnen3Km_121": "scholenBinnen3km",
    "OppervlakteLand_123": "oppervlakteLandHa",
    "MeestVoorkomendePostcode_125": "postcode",
    "MateVanStedelijkheid_127": "stedelijkheid",
    "Omgevingsadressendichtheid_128": "adressendichtheid",
}
GEMEENTE_WIJK_KEYS = ["Mannen_6", "Vrouwen_7", "Woningvoorraad_35", "OppervlakteTotaal_122", "OppervlakteWater_124"]
SOORT = {"gemeente": "Gemeente", "wijk": "Wijk", "buurt": "Buurt"}


def envelope(entity: str, value: list, next_link: str | None = None, root: str = ROOT) -> dict:
    answer = {"odata.metadata": f"{root}/$metadata#Cbs.OData.WebAPI.{entity}", "value": value}
    if next_link:
        answer["odata.nextLink"] = next_link
    return answer


def number(text: str, key: str, properties: dict) -> object:
    if text == "":
        return None
    if properties[key]["Datatype"] == "String":
        return text
    value = float(text)
    return int(value) if properties[key]["Datatype"] == "Long" else value


def rows(gemeente: str, properties: dict) -> list[dict]:
    subset = pd.read_csv(SOURCES / "kwb-2024-buurt-national/kwb_2024_gwb_subset.csv", dtype=str, keep_default_na=False)
    gw = pd.read_csv(SOURCES / "kwb-2024-gemeente-wijk/kwb_2024_gemeente_wijk.csv", dtype=str, keep_default_na=False)
    gw = gw.set_index("code")
    topics = [key for key, item in properties.items() if item["Type"] == "Topic"]
    answer = []
    for number_, area in enumerate(subset[subset["gemeente_code"] == gemeente].sort_values("code").itertuples()):
        row = {"ID": 9000 + number_, "WijkenEnBuurten": area.code.ljust(10)}
        for key in topics:
            row[key] = None
        row["Gemeentenaam_1"] = area.gemeente_naam.ljust(40)
        row["SoortRegio_2"] = SOORT[area.level].ljust(10)
        row["Codering_3"] = area.code.ljust(10)
        row["IndelingswijzigingGemeenteWijkBuurt_4"] = "1"
        for key, column in SUBSET_KEYS.items():
            row[key] = number(getattr(area, column), key, properties)
        if area.code in gw.index:
            for key in GEMEENTE_WIJK_KEYS:
                row[key] = number(gw.loc[area.code, key], key, properties)
        answer.append(row)
    return answer


def main() -> None:
    infos = json.loads((SHARED / "TableInfos.json").read_text(encoding="utf-8"))
    listed = json.loads((SHARED / "DataProperties.json").read_text(encoding="utf-8"))
    properties = {item["Key"]: item for item in listed if item.get("Key")}
    write = lambda name, data: (HERE / name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")  # noqa: E731
    write("TableInfos.json", envelope("TableInfos", infos))
    write("DataProperties.json", envelope("DataProperties", listed))

    deventer = rows("GM0150", properties)
    # "." where CBS keeps a value secret: Bannink's koopwoningen and 0-14 count.
    bannink = next(row for row in deventer if row["WijkenEnBuurten"].strip() == "BU01501010")
    bannink["Koopwoningen_47"] = "."
    bannink["k_0Tot15Jaar_8"] = "."
    half = 50
    filter_ = "startswith(WijkenEnBuurten,'GM0150')%20or%20startswith(WijkenEnBuurten,'WK0150')%20or%20startswith(WijkenEnBuurten,'BU0150')"
    next_link = f"{FEED}/TypedDataSet?$format=json&$filter={filter_}&$skip={half}"
    write("TypedDataSet-GM0150-1.json", envelope("TypedDataSet", deventer[:half], next_link, FEED))
    write("TypedDataSet-GM0150-2.json", envelope("TypedDataSet", deventer[half:], root=FEED))
    write("TypedDataSet-GM0088.json", envelope("TypedDataSet", rows("GM0088", properties), root=FEED))


if __name__ == "__main__":
    main()

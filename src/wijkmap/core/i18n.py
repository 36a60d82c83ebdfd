"""All interface text, Dutch first, English second. Pages ask `t(key, lang)`.

Codes of the vocabulary have their labels in vocabulary.py; this holds the rest.
"""

from __future__ import annotations

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("wijkmap — de sociale basis per buurt", "wijkmap — the social infrastructure per neighbourhood"),
    "page_map": ("Kaart", "Map"),
    "page_data": ("Gegevens", "Data"),
    "language": ("Taal", "Language"),
    "count": ("Aantal", "Count"),
    "sources": ("Bronnen", "Sources"),
    "store_missing": (
        "Er is nog geen gegevensbestand. Maak het met `python -m wijkmap build-data`.",
        "There is no data store yet. Build it with `python -m wijkmap build-data`.",
    ),
    "store_unreachable": (
        "De database is even niet bereikbaar. De pagina probeert het elke paar seconden opnieuw en gaat"
        " vanzelf verder zodra de database er weer is; wat al is opgeslagen, blijft bewaard.",
        "The database cannot be reached right now. The page tries again every few seconds and carries on"
        " by itself once the database is back; what was saved stays saved.",
    ),
    "attribution": ("Bron: CBS, Kadaster", "Source: CBS, Kadaster"),
    # --- council: finding and comparing areas (council.search, council.compare) ---
    "search_label": ("Zoek een gebied", "Find an area"),
    "search_placeholder": (
        "naam, code of postcode (bv. Lombok, BU03440121, 3531)",
        "name, code or postcode (e.g. Lombok, BU03440121, 3531)",
    ),
    "search_help": (
        "Elke buurt, wijk en gemeente, op naam (accenten, hoofdletters en streepjes tellen niet), op CBS-code of op "
        "postcode (vier cijfers). Hoogstens {n} tekens.",
        "Every buurt, wijk and gemeente, by name (accents, capitals and hyphens do not matter), by CBS code or by "
        "postcode (four digits). At most {n} characters.",
    ),
    "search_none": ("Geen gebied gevonden voor ‘{q}’.", "No area found for ‘{q}’."),
    "search_too_long": (
        "De zoekterm is te lang: hoogstens {n} tekens.",
        "The search is too long: at most {n} characters.",
    ),
    "search_choose": ("Gevonden", "Found"),
    "search_open": ("Open op de kaart", "Open on the map"),
    "search_compare": ("Vergelijk", "Compare"),
    "search_postcode_note": (
        "Postcode: de meest voorkomende postcode van de buurt; bij benadering (CBS, KWB 2024).",
        "Postcode: the neighbourhood's most frequent postcode; approximate (CBS, KWB 2024).",
    ),
    "search_not_on_map": ("geen grenzen in het gegevensbestand", "no boundaries in the data store"),
    "compare_add": ("Vergelijk", "Compare"),
    "compare_add_help": (
        "Zet dit gebied in de vergelijking (2 tot 4 gebieden, ook uit andere gemeenten).",
        "Put this area in the comparison (2 to 4 areas, also from other municipalities).",
    ),
    "compare_full": (
        "De vergelijking heeft al {n} gebieden (hoogstens {n}).",
        "The comparison already has {n} areas (at most {n}).",
    ),
    "compare_pending": (
        "In de vergelijking: {namen}. Kies nog een gebied om te vergelijken.",
        "In the comparison: {namen}. Choose one more area to compare.",
    ),
    "compare_title": ("Vergelijking", "Comparison"),
    "compare_remove": ("Uit de vergelijking", "Remove from the comparison"),
    "compare_clear": ("Vergelijking sluiten", "Close the comparison"),
    "compare_refused": (
        "Niet begrepen in de link, genegeerd: vergelijk={waarde} ({reden}).",
        "Not understood in the link, ignored: vergelijk={waarde} ({reden}).",
    ),
    "compare_no_year": (
        "Deze gebieden hebben geen jaar met cijfers gemeen.",
        "These areas have no year with figures in common.",
    ),
    "compare_intro": (
        "Cijfers van {jaar}, het nieuwste jaar waarin alle gebieden cijfers hebben, naast de gemeente van elk gebied "
        "en Nederland (berekend uit de gemeenten). Een cijfer hoort bij de code in de indeling van dat jaar.",
        "Figures of {jaar}, the newest year in which every area has figures, beside each area's municipality and "
        "the Netherlands (computed from the municipalities). A figure belongs to the code in that year's division.",
    ),
    "compare_map_caption": ("{indicator}, {jaar}; omlijnd: het gebied", "{indicator}, {jaar}; outlined: the area"),
    "compare_no_map": (
        "Geen grenzen van dit gebied in het gegevensbestand.",
        "No boundaries of this area in the data store.",
    ),
    "compare_period": ("Periode voor wat er veranderde", "Period for what changed"),
    "compare_sample": (
        "Bij de voorzieningen tellen **fictieve voorbeelden** mee (bron ‘voorbeeld’); de regel ‘waarvan fictief "
        "voorbeeld’ zegt hoeveel.",
        "The provisions include **fictional examples** (source ‘voorbeeld’); the row ‘of which fictional example’ "
        "says how many.",
    ),
    "compare_unknown": (
        "Geen voorzieningen bekend in de gemeente van {gebieden}: daar staat ‘–’, geen 0.",
        "No provisions known in the municipality of {gebieden}: shown as ‘–’, not 0.",
    ),
    "compare_unplaced": (
        "Van {gebieden} heeft het gegevensbestand geen grenzen (een buurt van 2024), dus geen voorzieningen die er "
        "liggen: daar staat ‘–’. Importeer de grenzen met `python -m wijkmap import-gebieden`.",
        "The data store has no boundaries of {gebieden} (a buurt of 2024), so no provisions placed there: shown "
        "as ‘–’. Import the boundaries with `python -m wijkmap import-gebieden`.",
    ),
    "compare_download_csv": ("Vergelijking (CSV)", "Comparison (CSV)"),
    "compare_download_xlsx": ("Vergelijking (Excel)", "Comparison (Excel)"),
    "compare_download_gpkg": ("Vergelijking (GeoPackage)", "Comparison (GeoPackage)"),
    "cmp_section": ("Onderdeel", "Section"),
    "cmp_subject": ("Onderwerp", "Subject"),
    "cmp_unit": ("Eenheid", "Unit"),
    "cmp_figures": ("Cijfers (CBS)", "Figures (CBS)"),
    "cmp_provisions": ("Voorzieningen in {jaar}", "Provisions in {jaar}"),
    "cmp_total": ("Totaal", "Total"),
    "cmp_sample_part": ("waarvan fictief voorbeeld", "of which fictional example"),
    "cmp_matrix": ("Strategie × formaliteit", "Strategy × formality"),
    "cmp_matrix_help": (
        "Een voorziening die bindt én overbrugt (‘beide’) telt bij allebei; met actoren van meer soorten telt ze bij "
        "elke formaliteit.",
        "A provision that bonds and bridges (‘both’) counts in both; with actors of several kinds it counts in each "
        "formality.",
    ),
    "cmp_change": ("Veranderd {van}–{tot}", "Changed {van}–{tot}"),
    "cmp_change_open_begin": ("Open aan het begin", "Open at the start"),
    "cmp_change_open_eind": ("Open aan het eind", "Open at the end"),
    "cmp_change_verdwenen": ("Verdwenen", "Disappeared"),
    "cmp_change_teruggekeerd": ("Teruggekeerd in andere vorm (opvolger)", "Came back in another form (successor)"),
    "cmp_change_verhuisd_weg": ("Verhuisd (weg)", "Moved (away)"),
    "cmp_change_geopend": ("Geopend", "Opened"),
    "cmp_change_verhuisd_hier": ("Verhuisd (hierheen)", "Moved (here)"),
    "cmp_change_netto": ("Netto", "Net"),
    "cmp_sources": ("Bronnen", "Sources"),
    "strategy": ("Strategie", "Strategy"),
    "actors": ("Actoren", "Actors"),
    "target_groups": ("Doelgroepen", "Target groups"),
    "years": ("Jaren", "Years"),
    "source": ("Bron", "Source"),
    "website": ("Website", "Website"),
    "sample_banner": ("Fictief voorbeeld (illustratie)", "Fictional example (illustration)"),
    "sample_short": ("fictief", "fictional"),
    "last_confirmed": ("Laatst bevestigd", "Last confirmed"),
    "stale_record": (
        "Niet bevestigd in de laatste {maanden} maanden: misschien bestaat het niet meer.",
        "Not confirmed in the last {maanden} months: it may no longer exist.",
    ),
    "stale_short": ("niet recent bevestigd", "not confirmed recently"),
    "stale_on_map": (
        "{n} symbolen zijn vervaagd: niet bevestigd in de laatste {maanden} maanden.",
        "{n} symbols are faded: not confirmed in the last {maanden} months.",
    ),
    "scheme_quantiles": ("kwantielen", "quantiles"),
    "scheme_equal_interval": ("gelijke intervallen", "equal intervals"),
    "scheme_natural_breaks": ("natuurlijke grenzen", "natural breaks"),
    "geometry_source": ("kaart: CBS, Kadaster", "map: CBS, Kadaster"),
    "indicator": ("Indicator", "Indicator"),
    "year": ("Jaar", "Year"),
    "this_area": ("Dit gebied", "This area"),
    "gemeente": ("Gemeente", "Municipality"),
    "netherlands": ("Nederland", "Netherlands"),
    "choose_gemeente": ("Gemeente", "Municipality"),
    "choose_gemeente_help": (
        "Typ om te zoeken. Of klik op de kaart van Nederland op een gemeente.",
        "Type to search, or click a municipality on the map of the Netherlands.",
    ),
    "all_gemeenten": ("Nederland — alle gemeenten", "Netherlands — all municipalities"),
    "level": ("Niveau", "Level"),
    "colour_by": ("Kleur de kaart naar", "Colour the map by"),
    "best_year": ("Best gevuld jaar", "Best covered year"),
    "classification": ("Klassenindeling en kleuren", "Classes and colours"),
    "scheme": ("Indeling", "Classification"),
    "classes": ("Aantal klassen", "Number of classes"),
    "palette": ("Kleurenschema", "Colour scheme"),
    "palette_blauw": ("Blauw", "Blue"),
    "palette_oranje": ("Oranje", "Orange"),
    "palette_paars": ("Paars", "Purple"),
    "palette_groen": ("Groen", "Green"),
    "palette_contrast": ("Hoog contrast (viridis)", "High contrast (viridis)"),
    "layers": ("Lagen op de kaart", "Layers on the map"),
    "cluster_note": ("groep: aantal, de ring toont de soorten", "group: count, the ring shows the kinds"),
    "filters": ("Filters", "Filters"),
    "strategy_help": (
        "Bonding: binden binnen een groep. Bridging: contact tussen groepen. "
        "Een initiatief dat beide doet, telt bij allebei.",
        "Bonding: ties within a group. Bridging: contact across groups. An initiative that does both counts for each.",
    ),
    "formality": ("Formeel / informeel", "Formal / informal"),
    "actortype": ("Actortype", "Actor type"),
    "kind": ("Soort", "Kind"),
    "fee": ("Tarief", "Fee"),
    "temporary": ("Tijdelijk (pop-up)", "Temporary (pop-up)"),
    "all": ("Alle", "All"),
    "yes": ("Ja", "Yes"),
    "no": ("Nee", "No"),
    "map_year": ("Toon de situatie in", "Show the situation in"),
    "now": ("Nu", "Now"),
    "map_year_help": (
        "Wat er in dat jaar bestond. Zonder openingsjaar geldt een voorziening als al aanwezig.",
        "What existed in that year. A provision without an opening year counts as already there.",
    ),
    "show_sample": ("Toon fictieve voorbeelddata", "Show fictional sample data"),
    "show_sample_help": (
        "De voorbeelddata (bron ‘voorbeeld’) is verzonnen, om te laten zien wat de kaart kan.",
        "The sample (source ‘voorbeeld’) is made up, to show what the map can do.",
    ),
    "sample_credit": ("fictieve voorbeelddata", "fictional sample data"),
    "no_figures": (
        "Voor deze indicator zijn hier geen cijfers. Kies een andere indicator.",
        "There are no figures for this indicator here. Choose another indicator.",
    ),
    "no_areas": ("Voor deze keuze zijn geen gebieden beschikbaar.", "No areas are available for this choice."),
    # --- workshop mode (issue 6): presentation mode and the draaiboek -----------------
    "workshop": ("Workshop", "Workshop"),
    "presentation_mode": ("Presentatiemodus", "Presentation mode"),
    "presentation_help": (
        "Voor een beamer of groot scherm: de kaart vult het scherm, grote letters en symbolen, zijbalk weg. "
        "Verlaten met de knop rechtsboven. Een link in presentatiemodus opent meteen zo.",
        "For a projector or big screen: the map fills the screen, large type and symbols, no sidebar. "
        "Leave with the button at the top right. A link in presentation mode opens straight in it.",
    ),
    "presentation_exit": ("Presentatie verlaten", "Leave presentation"),
    "contrast_palette": ("Kleuren met hoog contrast", "High-contrast colours"),
    "contrast_palette_help": (
        "Het palet ‘contrast’ (geel tot paars) blijft leesbaar op een bleke beamer.",
        "The ‘contrast’ palette (yellow to purple) stays readable on a washed-out projector.",
    ),
    "draaiboek": ("Draaiboek voor een workshop", "Running order for a workshop"),
    "draaiboek_intro": (
        "Een draaiboek is een reeks voorbereide kaartbeelden. Zet de kaart zoals je hem wilt laten zien en voeg "
        "hem toe als stap, met een titel en een korte toelichting voor de zaal. Bewaar het draaiboek als bestand "
        "of deel het als link; in de workshop blader je erdoor met de knoppen of met ← → en PageUp/PageDown "
        "(zoals een presenter stuurt). Alles werkt zonder internet.",
        "A running order is a sequence of prepared map views. Set the map as you want to show it and add it as "
        "a step, with a title and a short note for the room. Save it as a file or share it as a link; in the "
        "workshop step through it with the buttons or with ← → and PageUp/PageDown (as a presenter's clicker "
        "sends). Everything works without internet.",
    ),
    "draaiboek_empty": ("Nog geen stappen.", "No steps yet."),
    "step_title": ("Titel van de stap", "Title of the step"),
    "step_note": ("Toelichting voor de zaal (kort)", "Note for the room (short)"),
    "add_step": ("Voeg de huidige kaart toe als stap", "Add the current map as a step"),
    "step_added": ("Stap {n} toegevoegd.", "Step {n} added."),
    "step_of": ("Stap {n} van {total}", "Step {n} of {total}"),
    "step_none": ("{total} stappen", "{total} steps"),
    "step_prev": ("◀ Vorige", "◀ Previous"),
    "step_next": ("Volgende ▶", "Next ▶"),
    "step_start": ("Begin ▶", "Start ▶"),
    "step_show": ("Toon", "Show"),
    "step_show_help": ("Toon deze stap op de kaart", "Show this step on the map"),
    "step_update": ("Bijwerken", "Update"),
    "step_update_help": (
        "Vervang de kaart van deze stap door de huidige kaart (titel en toelichting blijven)",
        "Replace this step's map by the current map (title and note stay)",
    ),
    "step_up": ("Eerder", "Earlier"),
    "step_down": ("Later", "Later"),
    "step_remove": ("Verwijder", "Remove"),
    "draaiboek_save": ("Bewaar als bestand (JSON)", "Save as a file (JSON)"),
    "draaiboek_load": ("Open een draaiboek (JSON-bestand)", "Open a running order (JSON file)"),
    "draaiboek_clear": ("Draaiboek leegmaken", "Clear the running order"),
    "draaiboek_link": (
        "Link naar dit draaiboek: opent stap 1 in presentatiemodus, op elke computer met wijkmap",
        "Link to this running order: opens step 1 in presentation mode, on any computer with wijkmap",
    ),
    "draaiboek_refused": ("Dit draaiboek is niet geopend:", "This running order was not opened:"),
    "draaiboek_link_refused": (
        "Het draaiboek in de link is niet geopend:",
        "The running order in the link was not opened:",
    ),
    "step_refused": ("De stap is niet toegevoegd:", "The step was not added:"),
    "step_missing": (
        "Deze stap verwijst naar iets dat niet (meer) in de gegevens staat:",
        "This step refers to something that is not (or no longer) in the data:",
    ),
    "keys_hint": (
        "Bladeren: ◀ ▶ hierboven, of de toetsen ← → en PageUp/PageDown (presenter).",
        "Step through: ◀ ▶ above, or the keys ← → and PageUp/PageDown (presenter's clicker).",
    ),
    "handout": ("Hand-out (HTML)", "Hand-out (HTML)"),
    "handout_help": (
        "Een losse HTML-pagina met deze kaart, legenda, titel, toelichting en bronnen. Opent ook zonder internet "
        "(zonder achtergrondkaart); afdrukken met Ctrl+P.",
        "A standalone HTML page with this map, legend, title, note and sources. Opens without internet too "
        "(without basemap); print with Ctrl+P.",
    ),
    "message_close": ("Melding sluiten", "Close this message"),
    "handout_made": ("Gemaakt met wijkmap op {date}.", "Made with wijkmap on {date}."),
    "handout_link": ("Deze kaart in wijkmap", "This map in wijkmap"),
    "handout_sources": ("Bronnen", "Sources"),
    "handout_sample": (
        "Symbolen met een gestippelde rand zijn fictieve voorbeelden (illustratie), geen echte voorzieningen.",
        "Symbols with a dashed outline are fictional examples (illustration), not real provisions.",
    ),
    "ignored_parameters": ("Niet begrepen in de link, genegeerd: ", "Not understood in the link, ignored: "),
    "sample_on_map": (
        "Op de kaart staan ook **fictieve voorbeelden** (gestippelde symbolen, bron ‘voorbeeld’). "
        "Zet ze uit onder Filters → ‘Toon fictieve voorbeelddata’.",
        "The map also shows **fictional examples** (dashed symbols, source ‘voorbeeld’). "
        "Switch them off under Filters → ‘Show fictional sample data’.",
    ),
    "shown": ("Voorzieningen getoond", "Provisions shown"),
    "bonding": ("Bonding", "Bonding"),
    "bridging": ("Bridging", "Bridging"),
    "areas_drawn": ("Gebieden op de kaart", "Areas on the map"),
    "national_level_help": (
        "Gemeente toont de gemeenten; Buurt of Wijk toont alle buurten of wijken van Nederland "
        "(als kaarttegels: alleen wat in beeld is wordt geladen).",
        "Municipality shows the municipalities; Neighbourhood or District shows every neighbourhood "
        "or district of the Netherlands (as map tiles: only what is in view is loaded).",
    ),
    "tiles_missing": (
        "De landelijke kaart van alle buurten en wijken heeft kaarttegels nodig die nog niet "
        "geïnstalleerd zijn: {wat}. Voer `scripts/vendor` uit (en `wijkmap build-data`).",
        "The national map of every neighbourhood and district needs map tiles that are not "
        "installed yet: {wat}. Run `scripts/vendor` (and `wijkmap build-data`).",
    ),
    "table_title": ("Wat de kaart toont", "What the map shows"),
    "table_first_rows": (
        "De eerste {getoond} van {totaal} voorzieningen; de downloads hieronder hebben ze allemaal.",
        "The first {getoond} of {totaal} provisions; the downloads below hold them all.",
    ),
    "share_hint": (
        "Deel deze weergave: de link hieronder (en in de adresbalk) opent precies deze kaart.",
        "Share this view: the link below (and in the address bar) opens exactly this map.",
    ),
    "click_area": (
        "Klik op een gebied op de kaart, of kies het hierboven, voor het profiel.",
        "Click an area on the map, or choose it above, for its profile.",
    ),
    "click_area_tiled": (
        "Klik op een gebied op de kaart voor het profiel.",
        "Click an area on the map for its profile.",
    ),
    "area_picker": ("Gebied op de kaart", "Area on the map"),
    "map_as_text": (
        "Wat de kaart toont, staat ook in tekst: de lijst ‘Gebied op de kaart’ en het profiel hiernaast, en"
        " onder ‘Wat de kaart toont’ de voorzieningen en de cijfers per gebied.",
        "What the map shows is also in text: the list ‘Area on the map’ and the profile beside it, and under"
        " ‘What the map shows’ the provisions and the figures per area.",
    ),
    "area_picker_placeholder": ("Kies of typ een naam", "Choose or type a name"),
    "area_picker_help": (
        "Dezelfde keuze als een klik op de kaart. Met het toetsenbord: typ een deel van de naam, Enter kiest.",
        "The same choice as a click on the map. With the keyboard: type part of the name, Enter selects.",
    ),
    "in_this_area": ("Voorzieningen in dit gebied", "Provisions in this area"),
    "download_csv": ("Download CSV", "Download CSV"),
    "download_geojson": ("Download GeoJSON", "Download GeoJSON"),
    "download_hsds": ("Download HSDS 3 (zip)", "Download HSDS 3 (zip)"),
    "download_hsds_help": (
        "De records in de open standaard Open Referral HSDS 3 (Human Services Data Specification):"
        " CSV-tabellen voor andere sociale kaarten. Fictieve voorbeeldrecords zijn als zodanig gemarkeerd.",
        "The records in the open standard Open Referral HSDS 3 (Human Services Data Specification):"
        " CSV tables for other service directories. Fictional sample records are marked as such.",
    ),
    "col_name": ("Naam", "Name"),
    "col_kind": ("Soort", "Kind"),
    "col_strategy": ("Strategie", "Strategy"),
    "col_actors": ("Actoren", "Actors"),
    "col_opened": ("Geopend", "Opened"),
    "col_closed": ("Gesloten", "Closed"),
    "col_source": ("Bron", "Source"),
    "col_sample": ("Fictief", "Fictional"),
    "col_buurt": ("Buurt", "Neighbourhood"),
    "area": ("Gebied", "Area"),
    "provisions": ("Voorzieningen", "Provisions"),
    "per_1000": ("per 1.000 inw.", "per 1,000 res."),
    "thin_spots": ("Hoge nood, dunne sociale basis", "High need, thin social basis"),
    "thin_spots_help": (
        "Gebieden in het kwart met de hoogste nood op deze indicator, gerangschikt naar het aantal "
        "getoonde voorzieningen per 1.000 inwoners (minste eerst). Filters en lagen tellen mee.",
        "Areas in the quarter with the highest need on this indicator, ranked by provisions shown per "
        "1,000 residents (fewest first). Filters and layers count.",
    ),
    # --- the Hoge nood ranking (council.ranking_view) ---
    "rank": ("Rang", "Rank"),
    "need_score": ("Nood-score", "Need score"),
    "reach_within": ("Bereik ≤ {afstand}", "Reach ≤ {afstand}"),
    "one_sided": ("Geen informeel bridging", "No informal bridging"),
    "one_sided_help": (
        "Ja: er zijn formele bonding-voorzieningen in dit gebied, maar geen enkele informele bridging-voorziening.",
        "Yes: there are formal bonding provisions in this area, but not a single informal bridging one.",
    ),
    "need_reach": ("Nood en bereik", "Need and reach"),
    "need_indicators": ("Indicatoren van nood", "Indicators of need"),
    "need_indicators_help": (
        "Kies tot {n} indicatoren. Elk wordt binnen de gemeente gestandaardiseerd (z-score over haar gebieden, "
        "hoger = meer nood); de nood-score is het gewogen gemiddelde. Leeg: de indicator waarmee de kaart "
        "gekleurd is.",
        "Choose up to {n} indicators. Each is standardised within the gemeente (z-score over its areas, higher "
        "= more need); the need score is the weighted mean. Empty: the indicator that colours the map.",
    ),
    "need_weight": ("Gewicht: {indicator}", "Weight: {indicator}"),
    "weight": ("Gewicht", "Weight"),
    "reach_category": ("Bereik van", "Reach of"),
    "reach_any": ("alle getoonde voorzieningen", "every provision shown"),
    "ranking_help": (
        "Het kwart van de gebieden met de hoogste nood-score, gerangschikt naar het aandeel inwoners binnen "
        "500 m hemelsbreed van een voorziening (minste eerst; dan 1 km, dan per 1.000 inwoners). Filters en "
        "lagen tellen mee. Klik een rij om het gebied op de kaart te kiezen.",
        "The quarter of the areas with the highest need score, ranked by the share of residents within 500 m "
        "in a straight line of a provision (fewest first; then 1 km, then per 1,000 residents). Filters and "
        "layers count. Click a row to select the area on the map.",
    ),
    "need_signal": (
        "Een signaal, geen oordeel. De nood-score zegt alleen hoe dit gebied er op de gekozen CBS-cijfers voor "
        "staat ten opzichte van de andere gebieden van de gemeente (landelijk: de andere gemeenten); wat er echt speelt, weten bewoners, "
        "wijkteams en professionals. Gebruik de lijst om het gesprek te beginnen, niet om het te beslissen.",
        "A signal, not a verdict. The need score only says how this area stands on the chosen CBS figures "
        "compared with the other areas of the gemeente (nationally: the other gemeenten); what is really going on is known to residents, "
        "neighbourhood teams and professionals. Use the list to start the conversation, not to settle it.",
    ),
    "reach_note": (
        "Bereik: inwoners zijn gelijk over de oppervlakte van hun buurt verspreid gedacht (CBS telt per buurt, "
        "niet per adres); gemeten is de afstand hemelsbreed, looproutes (straten, water, spoor) zijn niet "
        "meegerekend. Doelgroepen: 65+ voor ouderen, eenpersoonshuishoudens voor alleenstaanden, 0-14 jaar voor "
        "jongeren, met de voorzieningen voor die groep of voor iedereen.",
        "Reach: residents are taken to be spread evenly over the area of their buurt (CBS counts per buurt, not "
        "per address); distance is measured in a straight line, walking routes (streets, water, railways) are not "
        "modelled. Target groups: 65+ for older people, single-person households for people living alone, 0-14 "
        "for young people, with the provisions for that group or for everyone.",
    ),
    "reach_not_for_gemeenten": (
        "Bereik wordt per buurt en wijk berekend; gemeenten staan in volgorde van voorzieningen per 1.000 inwoners.",
        "Reach is computed per buurt and wijk; gemeenten are ordered by provisions per 1,000 residents.",
    ),
    "need_years": ("Cijfers van: {jaren}.", "Figures of: {jaren}."),
    "need_unknown_indicators": (
        "Niet in het nood-profiel opgenomen (onbekend of zonder richting van nood): ",
        "Left out of the need profile (unknown or without a direction of need): ",
    ),
    "ranking_none": (
        "Geen gebied met genoeg inwoners en een nood-score om te rangschikken.",
        "No area with enough residents and a need score to rank.",
    ),
    "ranking_not_covered": (
        "{n} gebieden liggen in een gemeente zonder bekende voorzieningen en zijn niet gerangschikt.",
        "{n} areas lie in a gemeente without known provisions and are not ranked.",
    ),
    "ranking_not_covered_one": (
        "1 gebied ligt in een gemeente zonder bekende voorzieningen en is niet gerangschikt.",
        "1 area lies in a gemeente without known provisions and is not ranked.",
    ),
    "ranking_sample": (
        "De voorzieningen zijn deels het fictieve voorbeeld: de rangorde is een illustratie.",
        "The provisions are partly the fictional sample: the ranking is an illustration.",
    ),
    "download_ranking": ("Rangorde downloaden (alle gebieden):", "Download the ranking (every area):"),
    "download_ranking_csv": ("CSV", "CSV"),
    "download_ranking_xlsx": ("Excel", "Excel"),
    "download_ranking_gpkg": ("GeoPackage", "GeoPackage"),
    "area_need": ("Nood en bereik hier", "Need and reach here"),
    "area_status": ("In de rangorde", "In the ranking"),
    "status_gerangschikt": ("plaats {rang}", "rank {rang}"),
    "status_minder_nood": ("niet bij het kwart met de hoogste nood", "not among the neediest quarter"),
    "status_geen_voorzieningsgegevens": (
        "niet gerangschikt: geen gegevens over voorzieningen in deze gemeente",
        "not ranked: no data on provisions in this gemeente",
    ),
    "status_te_weinig_inwoners": ("niet gerangschikt: te weinig inwoners", "not ranked: too few residents"),
    "status_geen_score": ("niet gerangschikt: geen cijfers", "not ranked: no figures"),
    "reach_group": ("Groep", "Group"),
    "reach_residents": ("Inwoners", "Residents"),
    "everyone": ("Alle inwoners", "All residents"),
    "matrix_title": ("Bonding/bridging × formeel/informeel", "Bonding/bridging × formal/informal"),
    "one_sided_here": (
        "Formele bonding-voorzieningen, maar geen informele bridging-voorziening.",
        "Formal bonding provisions, but no informal bridging one.",
    ),
    "no_need_indicator": (
        "Kies een indicator van nood (bv. 65+, eenpersoonshuishoudens, bijstand) om te zien waar de nood hoog "
        "en de sociale basis dun is: om de kaart mee te kleuren, of onder 'Nood en bereik' in de zijbalk.",
        "Choose an indicator of need (e.g. 65+, single-person households, social assistance) to see where need "
        "is high and the social basis thin: to colour the map by, or under 'Need and reach' in the sidebar.",
    ),
    "missing_value": ("geen gegevens of geheim (CBS)", "no data or confidential (CBS)"),
    # --- contributions (issue 5): send in, moderate, publish ---------------------------
    "page_contribute": ("Voorbeeld insturen", "Send in an example"),
    "page_examples": ("Voorbeelden", "Examples"),
    "page_moderation": ("Moderatie", "Moderation"),
    "contribute_intro": (
        "Hoe bouwt jouw wijk aan een ‘wij’? Stuur een voorbeeld in: een huiskamer van de wijk, een repair café, "
        "een buurtrestaurant, een kerk of moskee met een sociale rol, een initiatief van bewoners. "
        "Na controle door de redactie komt het op de kaart en bij de Voorbeelden. Het kost een paar minuten.",
        "How does your neighbourhood build a ‘we’? Send in an example: a neighbourhood living room, a repair café, "
        "a neighbourhood restaurant, a church or mosque with a social role, a residents' initiative. "
        "Once checked by the editors it appears on the map and among the Examples. It takes a few minutes.",
    ),
    "step_where": ("1. Waar is het?", "1. Where is it?"),
    "step_what": ("2. Wat is het?", "2. What is it?"),
    "step_who": ("3. Hoe bereiken we jou?", "3. How can we reach you?"),
    "location_how": ("Plaats aangeven met", "Give the place as"),
    "location_buurt": ("een buurt uit de lijst", "a neighbourhood from the list"),
    "location_coordinaten": ("coördinaten", "coordinates"),
    "buurt": ("Buurt", "Neighbourhood"),
    "choose_placeholder": ("Kies…", "Choose…"),
    "choose_buurt_first": ("Kies eerst een gemeente", "Choose a municipality first"),
    "choose_several": ("Kies een of meer", "Choose one or more"),
    "coordinates_help": (
        "Breedte- en lengtegraad (WGS84), bijvoorbeeld uit een kaartapp: in Nederland ligt de breedtegraad rond 52 "
        "en de lengtegraad rond 5. Een komma of een punt mag.",
        "Latitude and longitude (WGS84), e.g. from a map app: in the Netherlands latitude is about 52 and "
        "longitude about 5. A comma or a point will do.",
    ),
    "latitude": ("Breedtegraad (lat)", "Latitude (lat)"),
    "longitude": ("Lengtegraad (lon)", "Longitude (lon)"),
    "field_naam": ("Naam van het voorbeeld", "Name of the example"),
    "field_naam_placeholder": ("bv. Huiskamer De Linde", "e.g. Living room De Linde"),
    "field_omschrijving": ("Wat doet het, en voor wie?", "What does it do, and for whom?"),
    "field_omschrijving_placeholder": (
        "Een paar zinnen: wat er gebeurt, wie het organiseert, wie er komen en wat het de buurt brengt.",
        "A few sentences: what happens, who organises it, who comes and what it brings the neighbourhood.",
    ),
    "field_omschrijving_help": (
        "Dit verhaal verschijnt in de publicatie. Gebruik geen namen van buurtbewoners zonder hun toestemming.",
        "This story appears in the publication. Do not name residents without their consent.",
    ),
    "field_actortype_help": ("Wie organiseren het? Kies er gerust meer.", "Who runs it? Choose several if needed."),
    "field_geopend": ("Sinds (jaar of datum)", "Since (year or date)"),
    "field_gesloten": ("Gestopt in (leeg als het er nog is)", "Stopped in (empty if still running)"),
    "field_gesloten_placeholder": ("leeg = bestaat nog", "empty = still there"),
    "unknown": ("Weet ik niet", "Don't know"),
    "contact_help": (
        "Alleen voor de redactie, om je iets te kunnen vragen. Je naam en e-mailadres worden nooit getoond, "
        "gepubliceerd of geëxporteerd.",
        "For the editors only, so they can ask you something. Your name and e-mail address are never shown, "
        "published or exported.",
    ),
    "contact_naam": ("Je naam (optioneel)", "Your name (optional)"),
    "contact_email": ("Je e-mailadres", "Your e-mail address"),
    "consent": (
        "Ik ga akkoord dat dit voorbeeld na controle op de kaart en in de publicatie Voorbeelden verschijnt, "
        "en dat de redactie mij hierover mag mailen.",
        "I agree that this example appears on the map and in the Examples publication once checked, "
        "and that the editors may e-mail me about it.",
    ),
    "honeypot": ("Laat dit veld leeg", "Leave this field empty"),
    "send": ("Versturen", "Send"),
    "sent_thanks": (
        "Bedankt! Je voorbeeld is ontvangen. De redactie kijkt ernaar; na goedkeuring staat het op de kaart "
        "en bij de Voorbeelden.",
        "Thank you! Your example has been received. The editors will look at it; once approved it appears on the "
        "map and among the Examples.",
    ),
    "send_another": ("Je kunt hieronder nog een voorbeeld insturen.", "You can send in another example below."),
    "form_has_problems": (
        "Niet alles is goed ingevuld: kijk bij de rode meldingen. Wat je typte is bewaard.",
        "Not everything is filled in correctly: see the red messages. What you typed has been kept.",
    ),
    "rate_limited": (
        "Je hebt net al iets ingestuurd. Wacht nog {seconds} seconden en probeer het dan opnieuw; "
        "wat je typte is bewaard.",
        "You have just sent something. Please wait {seconds} seconds and try again; what you typed has been kept.",
    ),
    "client_rate_limited": (
        "Vanaf jouw internetadres zijn het afgelopen uur al {count} voorbeelden ingestuurd, het maximum per uur. "
        "Probeer het over {minutes} minuten opnieuw; wat je typte is bewaard.",
        "{count} examples have been sent from your internet address in the past hour, the maximum per hour. "
        "Please try again in {minutes} minutes; what you typed has been kept.",
    ),
    "client_queue_full": (
        "Van jouw internetadres wachten al {count} voorbeelden op controle, het maximum. Stuur dit in als de "
        "redactie er een paar heeft bekeken; wat je typte is bewaard.",
        "{count} examples from your internet address are already waiting to be checked, the maximum. Send this "
        "one once the editors have looked at some; what you typed has been kept.",
    ),
    "queue_full": (
        "De wachtrij is vol: er wachten {count} voorbeelden van iedereen samen op controle. Probeer het later "
        "nog eens; wat je typte is bewaard.",
        "The queue is full: {count} examples from everyone together are waiting to be checked. Please try again "
        "later; what you typed has been kept.",
    ),
    "err_missing_naam": ("Vul de naam van het voorbeeld in.", "Fill in the name of the example."),
    "err_missing_soort": (
        "Kies wat voor soort voorziening of initiatief het is.",
        "Choose what kind of provision or initiative it is.",
    ),
    "err_missing_omschrijving": (
        "Vertel in een paar zinnen wat het doet en voor wie.",
        "Tell in a few sentences what it does and for whom.",
    ),
    "err_story_short": (
        "Vertel iets meer: minstens {minimum} tekens.",
        "Tell a little more: at least {minimum} characters.",
    ),
    "err_too_long": ("Dit is te lang: maximaal {limit} tekens.", "This is too long: at most {limit} characters."),
    "err_date": (
        "Dit is geen datum: schrijf een jaar (2019) of een datum (2019-03-01).",
        "This is not a date: write a year (2019) or a date (2019-03-01).",
    ),
    "err_closed_before_opened": (
        "Het jaar van stoppen ligt vóór het begin.",
        "The year it stopped is before it started.",
    ),
    "err_url": (
        "Dit is geen webadres: het begint met https:// of http:// en heeft geen spaties, aanhalingstekens of < >.",
        "This is not a web address: it starts with https:// or http:// and has no spaces, quotes or < >.",
    ),
    "err_choice": ("Kies een waarde uit de lijst.", "Choose a value from the list."),
    "err_location_missing": (
        "Kies een gemeente en een buurt, of vul de coördinaten in.",
        "Choose a municipality and a neighbourhood, or fill in the coordinates.",
    ),
    "err_buurt_unknown": (
        "Deze buurt kennen we niet; kies er een uit de lijst.",
        "We do not know this neighbourhood; choose one from the list.",
    ),
    "err_missing_lat": ("Vul ook de breedtegraad in.", "Fill in the latitude too."),
    "err_missing_lon": ("Vul ook de lengtegraad in.", "Fill in the longitude too."),
    "err_number": ("Dit is geen getal; schrijf bijvoorbeeld 52,0907.", "This is not a number; write e.g. 52.0907."),
    "err_swapped": (
        "Breedte- en lengtegraad lijken verwisseld: in Nederland is de breedtegraad ongeveer 52 en de lengtegraad "
        "ongeveer 5.",
        "Latitude and longitude look swapped: in the Netherlands latitude is about 52 and longitude about 5.",
    ),
    "err_outside": (
        "Deze plek ligt niet in een buurt op de kaart. Controleer de coördinaten, of kies een buurt uit de lijst.",
        "This place is not in a neighbourhood on the map. Check the coordinates, or choose a neighbourhood.",
    ),
    "err_missing_contact_email": (
        "Vul je e-mailadres in, zodat de redactie je iets kan vragen.",
        "Fill in your e-mail address, so the editors can ask you something.",
    ),
    "err_email": (
        "Dit is geen e-mailadres; bijvoorbeeld naam@voorbeeld.nl.",
        "This is not an e-mail address; e.g. name@example.org.",
    ),
    "err_consent": (
        "Vink aan dat je akkoord gaat; anders kunnen we het niet publiceren.",
        "Tick the box to agree; otherwise we cannot publish it.",
    ),
    "err_moderator": ("Vul je naam als moderator in.", "Fill in your name as moderator."),
    "err_reason": ("Geef een reden voor de afwijzing.", "Give a reason for the rejection."),
    "err_unknown_submission": ("Bijdrage {id} bestaat niet.", "Submission {id} does not exist."),
    "moderation_off": (
        "Moderatie staat uit: er is geen moderatorgeheim ingesteld (WIJKMAP_MODERATOR_SECRET, in de omgeving"
        " of in .streamlit/secrets.toml).",
        "Moderation is off: no moderator secret is set (WIJKMAP_MODERATOR_SECRET, in the environment or in"
        " .streamlit/secrets.toml).",
    ),
    "moderation_login": ("Inloggen als moderator", "Log in as moderator"),
    "moderator_secret": ("Moderatorgeheim", "Moderator secret"),
    "moderator_name": ("Je naam (komt in het logboek)", "Your name (goes into the log)"),
    "log_in": ("Inloggen", "Log in"),
    "log_out": ("Uitloggen", "Log out"),
    "wrong_secret": ("Dat geheim klopt niet.", "That secret is not right."),
    "login_blocked": (
        "Te veel pogingen. Probeer het over {seconds} seconden opnieuw.",
        "Too many attempts. Try again in {seconds} seconds.",
    ),
    "logged_in_as": ("Ingelogd als moderator:", "Logged in as moderator:"),
    # Named accounts (accounts/login.py).
    "account_login": ("Inloggen", "Log in"),
    "account_name": ("Accountnaam", "Account name"),
    "account_password": ("Wachtwoord", "Password"),
    "wrong_login": ("Die accountnaam of dat wachtwoord klopt niet.", "That account name or password is not right."),
    "no_permission": (
        "Dit account mag hier niet komen (rol: {role}).",
        "This account may not come here (role: {role}).",
    ),
    "logged_in_account": ("Ingelogd als {role}:", "Logged in as {role}:"),
    "users_file_broken": (
        "Het gebruikersbestand kan niet gelezen worden; vraag de beheerder van de server.",
        "The users file cannot be read; ask the server's administrator.",
    ),
    # OpenID Connect (accounts/oidc.py).
    "oidc_log_in": ("Inloggen met {provider}", "Log in with {provider}"),
    "oidc_no_role": (
        "Je bent bij {provider} ingelogd als {name}, maar dat account heeft hier geen rol. "
        "Vraag de beheerder van wijkmap om je een rol te geven.",
        "You are logged in at {provider} as {name}, but that account has no role here. "
        "Ask wijkmap's administrator to give you one.",
    ),
    "col_login": ("Aanmelding", "Login"),
    "status_filter": ("Toon", "Show"),
    "status_wachtend": ("Wachtend", "Pending"),
    "status_goedgekeurd": ("Gepubliceerd", "Published"),
    "status_afgewezen": ("Afgewezen", "Rejected"),
    "queue_empty": ("Hier zijn geen bijdragen.", "There are no submissions here."),
    "choose_submission": ("Bijdrage", "Submission"),
    "submitted_at": ("Ingestuurd", "Sent in"),
    "status": ("Status", "Status"),
    "contact_private": ("Contact (alleen voor moderatie)", "Contact (moderation only)"),
    "save_changes": ("Wijzigingen opslaan", "Save changes"),
    "approve": ("Goedkeuren en publiceren", "Approve and publish"),
    "reject": ("Afwijzen", "Reject"),
    "withdraw": ("Van de kaart halen (afwijzen)", "Take off the map (reject)"),
    "reject_reason": ("Reden van afwijzing (komt in het logboek)", "Reason for rejection (goes into the log)"),
    "saved": ("Opgeslagen: {fields}.", "Saved: {fields}."),
    "nothing_changed": ("Er was niets veranderd.", "Nothing had changed."),
    "approved_msg": (
        "Gepubliceerd: bijdrage {id} staat nu op de kaart en bij de Voorbeelden.",
        "Published: submission {id} is now on the map and among the Examples.",
    ),
    "rejected_msg": ("Bijdrage {id} is afgewezen.", "Submission {id} was rejected."),
    "moderation_log": ("Logboek", "Log"),
    "col_time": ("Tijd", "Time"),
    "col_moderator": ("Moderator", "Moderator"),
    "col_action": ("Actie", "Action"),
    "col_submission": ("Bijdrage", "Submission"),
    "col_note": ("Toelichting", "Note"),
    "col_reason": ("Reden", "Reason"),
    "col_gemeente": ("Gemeente", "Municipality"),
    "col_email": ("E-mail", "E-mail"),
    "col_contact": ("Contact", "Contact"),
    "examples_title": ("Voorbeelden van de sociale basis", "Examples of the social infrastructure"),
    "examples_intro": (
        "Voorbeelden die mensen uit de praktijk instuurden van hoe een wijk een ‘wij’ bouwt, bonding (binden) of "
        "bridging (overbruggen). Elk voorbeeld is door de redactie gecontroleerd en staat ook op de kaart.",
        "Examples sent in by practitioners of how a neighbourhood builds a ‘we’, bonding or bridging. "
        "Every example was checked by the editors and is also on the map.",
    ),
    "examples_none": (
        "Er zijn nog geen gepubliceerde voorbeelden. Stuur het eerste in!",
        "There are no published examples yet. Send in the first one!",
    ),
    "examples_none_filtered": ("Geen voorbeelden bij deze filters.", "No examples match these filters."),
    "examples_count": ("{shown} van {total} voorbeelden", "{shown} of {total} examples"),
    "examples_print_hint": (
        "Afdrukken: gebruik Afdrukken in je browser (Ctrl+P); de zijbalk en knoppen worden niet meegedrukt. "
        "Of download de voorbeelden als HTML-bestand.",
        "Printing: use your browser's Print (Ctrl+P); the sidebar and buttons are left out. "
        "Or download the examples as an HTML file.",
    ),
    "examples_download": ("Download als HTML (om te printen of te delen)", "Download as HTML (to print or share)"),
    "examples_document_intro": (
        "Voorbeelden ingestuurd door mensen uit de praktijk en gecontroleerd door de redactie van wijkmap. Stand van",
        "Examples sent in by practitioners and checked by the wijkmap editors. As of",
    ),
    "examples_filtered_by": ("Gefilterd op:", "Filtered by:"),
    "popup_badge": ("tijdelijk (pop-up)", "temporary (pop-up)"),
    "send_in_link": ("Stuur een voorbeeld in", "Send in an example"),
    # --- change over time (issue 4): page Verandering ---------------------------------
    "page_change": ("Verandering", "Change"),
    "change_title": ("Verandering: wat verdween en wat terugkwam", "Change: what disappeared and what came back"),
    "change_summary": ("Samenvatting", "Summary"),
    "change_gemeente_help": (
        "Gemeenten met voorzieningen staan bovenaan, met hun aantal.",
        "Municipalities with provisions come first, with their number.",
    ),
    "period": ("Periode", "Period"),
    "period_help": (
        "Van 1 januari van het eerste tot 31 december van het laatste jaar. "
        "Elke voorziening krijgt een status voor deze periode: verdwenen (gesloten, niets kwam ervoor in de plaats), "
        "teruggekeerd (gesloten, en een opvolger opende), verhuisd, nieuw (geopend in de periode) of blijvend. "
        "Zonder openingsdatum geldt een voorziening als al aanwezig.",
        "From 1 January of the first to 31 December of the last year. "
        "Every provision gets a status for this period: disappeared (closed, nothing replaced it), came back "
        "(closed, and a successor opened), moved, new (opened in the period) or lasting. A provision without an "
        "opening date counts as already there.",
    ),
    "end_year_back": ("eindjaar −1", "end year −1"),
    "end_year_on": ("eindjaar +1", "end year +1"),
    "change_categories": ("Soorten voorzieningen", "Kinds of provision"),
    "change_categories_help": (
        "Tel alleen deze categorieën (leeg = alle). Een opvolger van een andere categorie blijft zichtbaar.",
        "Count only these categories (empty = all). A successor of another category stays visible.",
    ),
    "change_statuses": ("Toon op de kaart", "Show on the map"),
    "change_lines": ("Lijnen naar de opvolger", "Lines to the successor"),
    "change_colour_areas": ("Kleur de gebieden naar", "Colour the areas by"),
    "kleuring_balans": ("netto verandering van voorzieningen", "net change in provisions"),
    "kleuring_statistiek": ("verandering van een statistiek (CBS)", "change in a statistic (CBS)"),
    "compare_van": ("Vergelijk jaar", "Compare year"),
    "compare_tot": ("met jaar", "with year"),
    "automatic": ("Automatisch", "Automatic"),
    "all_categories": ("alle soorten", "all kinds"),
    "change_net_title": ("Netto verandering", "Net change"),
    "change_no_provisions": ("geen voorzieningen in deze periode", "no provisions in this period"),
    "change_area_tooltip": (
        "netto {netto} ({a}: {begin} → {b}: {eind})<br>verdwenen {verdwenen} · teruggekeerd {teruggekeerd} · "
        "geopend {geopend} · verhuisd {verhuisd}",
        "net {netto} ({a}: {begin} → {b}: {eind})<br>disappeared {verdwenen} · came back {teruggekeerd} · "
        "opened {geopend} · moved {verhuisd}",
    ),
    "or_less": ("of minder", "or less"),
    "or_more": ("of meer", "or more"),
    "to": ("tot", "to"),
    "until": ("tot", "until"),
    "since": ("sinds", "since"),
    "change_followed_by": ("opgevolgd door", "followed by"),
    "change_successor_of": ("opvolger van", "successor of"),
    "change_moved_to": ("verhuisd naar", "moved to"),
    "change_moved_from": ("verhuisd van", "moved from"),
    "change_later_followed_by": ("na deze periode opgevolgd door", "after this period followed by"),
    "change_eventually": ("daarna", "then"),
    "change_opened_and_closed": ("Geopend én gesloten binnen deze periode.", "Opened and closed within this period."),
    "change_same_place": (
        "Op dezelfde plek als de voorganger of opvolger.",
        "At the same place as its predecessor or successor.",
    ),
    "change_line_successor": ("opgevolgd door (lijn met pijl)", "followed by (line with arrow)"),
    "change_line_move": ("verhuisd (stippellijn)", "moved (dashed line)"),
    "change_area_empty": (
        "Hier stond in deze periode geen voorziening van de gekozen soorten.",
        "No provision of the chosen kinds stood here in this period.",
    ),
    "change_click_area": (
        "Klik op een gebied op de kaart, of kies het hierboven: wat er verdween, terugkwam en bijkwam.",
        "Click an area on the map, or choose it above: what disappeared, came back and was added.",
    ),
    "change_sample_note": (
        "Bij de voorzieningen zit **fictieve voorbeelddata** (gestippelde symbolen, bron ‘voorbeeld’): de sluitingen "
        "van buurthuizen en hun opvolgers zijn verzonnen om te laten zien wat deze weergave kan. "
        "Zet ze uit met ‘Toon fictieve voorbeelddata’.",
        "The provisions include **fictional sample data** (dashed symbols, source ‘voorbeeld’): the closures of "
        "community centres and their successors are made up to show what this view can do. "
        "Switch them off with ‘Show fictional sample data’.",
    ),
    "caveat_repair_cafes": (
        "**Repair cafés in Amsterdam: de eerste maanden zijn het vullen van de lijst.** De agenda ‘Repair Cafés in "
        "Amsterdam’ begon in april 2024 en was tot juli 2024 nog in opbouw (17 cafés in de eerste momentopname, "
        "38 in juni). Wie toen al op de lijst stond, heeft geen openingsdatum en telt hier als al aanwezig, niet "
        "als nieuw. ‘Gesloten’ is de laatste keer dat een adres op de lijst stond: meestal gestopt, niet altijd. "
        "Een verhuizing (dezelfde naam op een nieuw adres) telt als verhuisd, niet als sluiting.",
        "**Repair cafés in Amsterdam: the first months are the list being filled in.** The ‘Repair Cafés in "
        "Amsterdam’ agenda started in April 2024 and was still being built until July 2024 (17 cafés in the first "
        "snapshot, 38 in June). Cafés already listed then have no opening date and count as already there, not "
        "as new. ‘Closed’ is the last time an address was listed: usually stopped, not always. A move (the same "
        "name at a new address) counts as moved, not as a closure.",
    ),
    "change_cycle": ("De cyclus: open, geopend en gesloten per jaar", "The cycle: open, opened and closed per year"),
    "change_cycle_caption": (
        "Boven: hoeveel voorzieningen per categorie open waren op 31 december. Onder: openingen (omhoog) en "
        "sluitingen (omlaag) per jaar; een verhuizing is geen van beide. Grijs: de gekozen periode. Zonder "
        "openingsdatum telt een voorziening vanaf het begin van de grafiek.",
        "Top: how many provisions per category were open on 31 December. Bottom: openings (up) and closings "
        "(down) per year; a move is neither. Grey: the chosen period. A provision without an opening date "
        "counts from the start of the chart.",
    ),
    # The council report (council/report): rapport on the command line and Kaart's button.
    "report_title": ("De sociale basis van {naam}", "The social basis of {naam}"),
    "report_subtitle": ("{niveau} {code} in {gemeente}", "{niveau} {code} in {gemeente}"),
    "report_subtitle_gemeente": ("Gemeente {code}", "Municipality {code}"),
    "report_page": ("Pagina", "Page"),
    "report_sample_warning": (
        "Let op: dit rapport bevat fictieve voorbeelddata (bron ‘voorbeeld’). Dat zijn illustraties, geen echte "
        "voorzieningen; ze zijn overal als fictief gemarkeerd.",
        "Note: this report contains fictional sample data (source ‘voorbeeld’). These are illustrations, not real "
        "provisions; they are marked as fictional wherever they appear.",
    ),
    "map_frame_name": (
        "Kaart; met Tab langs de gebieden en voorzieningen, Enter kiest, Escape sluit, pijltjestoetsen verschuiven de kaart",
        "Map; Tab goes through the areas and provisions, Enter selects, Escape closes, the arrow keys pan the map",
    ),
    "legend_name": ("Legenda", "Legend"),
    "loading": ("De kaart en de gegevens worden geladen…", "Loading the map and the data…"),
    "map_loading": ("De kaart wordt getekend…", "Drawing the map…"),
    "rest_follows": (
        "Zodra de kaart er staat, volgen hier de buurten met hoge nood, de tabel en de downloads…",
        "Once the map is drawn, the areas in high need, the table and the downloads follow here…",
    ),
    "report_map_alt": ("Kaart van het gebied met de voorzieningen", "Map of the area with the provisions"),
    "report_map_year_note": (
        "Van {indicator} zijn er hier geen cijfers van {gevraagd}: de kaart toont {jaar}, het nieuwste jaar. "
        "Het profiel toont de cijfers van {gevraagd}.",
        "There are no figures of {indicator} here for {gevraagd}: the map shows {jaar}, the newest year. "
        "The profile shows the figures of {gevraagd}.",
    ),
    "report_map_caption": (
        "De kaart kleurt de {niveaus} naar {indicator} ({jaar}); de symbolen zijn de getoonde voorzieningen, een "
        "vorm per categorie. {bron}",
        "The map colours the {niveaus} by {indicator} ({jaar}); the symbols are the provisions shown, one shape "
        "per category. {bron}",
    ),
    "report_map_sample": (
        "symbool met gestippelde rand: fictief voorbeeld",
        "symbol with a dashed outline: fictional example",
    ),
    "report_map_credit": (
        "Bron: CBS, Kadaster; voorzieningen: zie Bronnen",
        "Source: CBS, Kadaster; provisions: see Sources",
    ),
    "report_made": ("Gemaakt op", "Made on"),
    "report_link": ("Deze weergave opnieuw openen", "Reopen this view"),
    "report_profile": ("Profiel tegen gemeente en Nederland", "Profile against the municipality and the country"),
    "report_profile_caption": (
        "Per indicator het nieuwste jaar met een cijfer voor dit gebied; gemeente en Nederland van hetzelfde jaar. "
        "Bron: CBS.",
        "For each indicator the newest year with a figure for this area; municipality and country of the same "
        "year. Source: CBS.",
    ),
    "report_comparison": ("Vergelijking", "Comparison"),
    "report_comparison_caption": (
        "{gebieden}: cijfers van het nieuwste gemeenschappelijke jaar ({jaar}), met gemeente en Nederland als "
        "referentie.",
        "{gebieden}: figures of the newest common year ({jaar}), with municipality and country for reference.",
    ),
    "report_provisions": ("Voorzieningen in dit gebied", "Provisions in this area"),
    "report_sample_rows": (
        "Namen met ‘(fictief)’ zijn fictieve voorbeelden, geen echte voorzieningen.",
        "Names marked ‘(fictional)’ are fictional examples, not real provisions.",
    ),
    "report_no_provisions": (
        "Voor dit gebied zijn geen voorzieningen bekend (met de filters van deze weergave).",
        "No provisions are known for this area (with this view's filters).",
    ),
    "report_more_provisions": (
        "Nog {n} voorzieningen staan niet in deze lijst (een rapport noemt er hoogstens {max}); de download op "
        "Kaart heeft ze allemaal.",
        "{n} more provisions are not in this list (a report names at most {max}); the download on the Map page "
        "has them all.",
    ),
    "report_change": ("Verandering", "Change"),
    "report_change_sample": (
        "Fictieve voorbeelden tellen mee in deze samenvatting en de grafiek.",
        "Fictional examples are counted in this summary and the chart.",
    ),
    "report_no_change": (
        "Hier zijn geen voorzieningen met gegevens over openen of sluiten.",
        "There are no provisions with opening or closing data here.",
    ),
    "report_ranking_note": (
        "De eerste gebieden van de lijst op Kaart: het kwart met de hoogste nood, wie het minst binnen bereik "
        "heeft eerst. Dit gebied staat vet als het erbij is.",
        "The first areas of the list on the Map page: the neediest quarter, those with least within reach "
        "first. This area is in bold when it is among them.",
    ),
    "report_sources_profile": (
        "Profiel: {bron}; gebiedsgrenzen: CBS, Kadaster",
        "Profile: {bron}; boundaries: CBS, Kadaster",
    ),
    "report_sources_records": ("Voorzieningen: {bron} ({n})", "Provisions: {bron} ({n})"),
    "report_sample_sources": (
        "Fictieve voorbeelddata (bron ‘voorbeeld’) maakt wijkmap zelf, ter illustratie van wat een register laat "
        "zien; het zijn geen echte voorzieningen.",
        "Fictional sample data (source ‘voorbeeld’) is made by wijkmap itself, to illustrate what a register "
        "shows; these are not real provisions.",
    ),
    "report_button": ("Rapport (PDF)", "Report (PDF)"),
    "report_making": ("Rapport maken…", "Making the report…"),
    "report_download": ("Download rapport (PDF)", "Download report (PDF)"),
    "report_failed": (
        "Het rapport over {code} kon niet worden gemaakt; de fout staat in het logboek. Probeer het opnieuw of kies een ander gebied.",
        "The report on {code} could not be made; the error is in the log. Try again or choose another area.",
    ),
    "report_button_help": (
        "Een A4-rapport van deze weergave: kaart, profiel, voorzieningen, verandering, hoge nood en bronnen.",
        "An A4 report of this view: map, profile, provisions, change, high need and sources.",
    ),
    "change_no_records": ("Hier zijn geen voorzieningen met data.", "There are no provisions with dates here."),
    "chart_open": ("Open", "Open"),
    "chart_opened": ("geopend", "opened"),
    "chart_closed": ("gesloten", "closed"),
    "chart_events": ("+ / − per jaar", "+ / − per year"),
    "change_tab_records": ("Voorzieningen en hun status", "Provisions and their status"),
    "change_tab_balance": ("Balans per gebied", "Balance per area"),
    "change_tab_statistics": ("Statistiek vergelijken", "Compare statistics"),
    "col_area": ("Gebied", "Area"),
    "col_code": ("Code", "Code"),
    "col_flag": ("Niet vergeleken omdat", "Not compared because"),
    "col_begin": ("Begin periode", "Start of period"),
    "col_end": ("Eind periode", "End of period"),
    "col_opened_in_period": ("Geopend", "Opened"),
    "col_moved": ("Verhuisd weg / hier", "Moved away / here"),
    "col_net": ("Netto", "Net"),
    "col_status": ("Status", "Status"),
    "col_category": ("Categorie", "Category"),
    "difference": ("Verschil", "Difference"),
    "percentage_points": ("procentpunt", "percentage points"),
    "not_compared": ("niet vergeleken", "not compared"),
    "flag_code_missing": (
        "deze code bestaat niet in {jaar} (andere gebiedsindeling)",
        "this code does not exist in {jaar} (other division of areas)",
    ),
    "flag_boundary": (
        "inwoners {pct} ({a} → {b}), meer dan {drempel}: waarschijnlijk een andere grens of veel nieuwbouw",
        "residents {pct} ({a} → {b}), more than {drempel}: probably another boundary or much new-build",
    ),
    "newly_inhabited": ("eerst onbewoond", "first uninhabited"),
    "flag_geometry": (
        "volgens de grenzen van beide jaren een ander gebied: {pct} van de oppervlakte ligt in maar één van "
        "beide (meer dan {drempel})",
        "by the boundaries of both years another area: {pct} of the surface lies in only one of them "
        "(more than {drempel})",
    ),
    "compare_rule_geometry": (
        "Waar de grenzen van beide jaren bekend zijn, beslist de grens, niet het aantal inwoners: niet vergeleken "
        "wordt een gebied waarvan meer dan {drempel} van de oppervlakte in maar één van beide jaren ligt "
        "(smalle randen, minder dan {rand} m breed, niet meegeteld: anders getekend is niet verschoven).",
        "Where the boundaries of both years are known, the boundary decides, not the population: not compared is "
        "an area of which more than {drempel} of the surface lies in only one of the years (narrow edges, under "
        "{rand} m wide, not counted: drawn differently is not moved).",
    ),
    "layer_no_comparable": ("geen vergelijkbaar cijfer", "no comparable figure"),
    "layer_changed_since": (
        "geen vergelijkbaar cijfer: code of grens veranderd sinds {jaar}",
        "no comparable figure: code or boundary changed since {jaar}",
    ),
    "layer_grey_no_figure": ("{n} zonder cijfer", "{n} without a figure"),
    "layer_grey_changed": (
        "{n} met een code of grens die veranderde sinds {jaar}",
        "{n} whose code or boundary changed since {jaar}",
    ),
    "flag_no_value": (
        "geen waarde in een van beide jaren (onbekend of geheim bij CBS)",
        "no value in one of the years (unknown or confidential at CBS)",
    ),
    "compare_rule": (
        "Niet vergeleken worden gebieden waarvan de code in een van beide jaren niet bestaat, en gebieden waarvan "
        "het aantal inwoners meer dan {drempel} (en minstens {mensen} mensen) veranderde: dezelfde code is dan "
        "waarschijnlijk niet meer hetzelfde gebied.",
        "Not compared: areas whose code does not exist in one of the years, and areas whose population changed by "
        "more than {drempel} (and at least {mensen} people): the same code then probably no longer means the "
        "same area.",
    ),
    "compare_hint": (
        "Kies in de zijbalk ‘verandering van een statistiek’ om een CBS-cijfer tussen twee jaren te vergelijken.",
        "Choose ‘change in a statistic’ in the sidebar to compare a CBS figure between two years.",
    ),
    "compare_one_year": (
        "Deze statistiek heeft hier maar één jaar: er valt niets te vergelijken. De kaart toont de netto "
        "verandering van voorzieningen.",
        "This statistic has only one year here: there is nothing to compare. The map shows the net change in "
        "provisions.",
    ),
    # --- what is there (issue 11): coverage, the Gegevens page, the areas export ---------
    "other_year_boundaries": (
        "Cijfers van {jaar} op de grenzen van {grensjaar}: grenzen van {jaar} zijn er (nog) niet. Gebieden "
        "waarvan code of grens sindsdien veranderde, zijn grijs; de download *Cijfers per gebied* heeft alle "
        "gebieden van {jaar}. Grenzen van {jaar} komen erin met `python -m wijkmap import-gebieden`.",
        "Figures of {jaar} on the boundaries of {grensjaar}: there are no boundaries of {jaar} (yet). Areas "
        "whose code or boundary changed since are grey; the *Figures per area* download holds every area of "
        "{jaar}. Boundaries of {jaar} come in with `python -m wijkmap import-gebieden`.",
    ),
    "no_provisions_known": (
        "Geen voorzieningen bekend voor {plaats}. De kaart toont alleen de cijfers van CBS.",
        "No provisions known for {plaats}. The map shows only the CBS figures.",
    ),
    "no_provisions_sample_off": (
        "Voor {plaats} is alleen het fictieve voorbeeld bekend, en dat staat uit. De kaart toont alleen de "
        "cijfers van CBS.",
        "For {plaats} only the fictional sample is known, and it is switched off. The map shows only the CBS figures.",
    ),
    "no_thin_spots": (
        "Zonder gegevens over voorzieningen is niet te zeggen waar de sociale basis dun is, dus staat hier "
        "geen rangorde. Zo komen de voorzieningen van {plaats} in wijkmap:",
        "Without data on provisions nobody can tell where the social basis is thin, so nothing is ranked "
        "here. This is how the provisions of {plaats} get into wijkmap:",
    ),
    "ways_in": (
        "- **Een register van de gemeente** (een lijst van buurthuizen, initiatieven en andere voorzieningen, "
        "in Excel of CSV): wie wijkmap beheert, importeert het met `python -m wijkmap import BESTAND`.\n"
        "- **OpenStreetMap**: buurthuizen, bibliotheken, kerken, moskeeën, voedselbanken, kringloopwinkels en "
        "repair cafés die vrijwilligers in kaart brachten. Wie wijkmap beheert, importeert een uittreksel van de "
        "provincie met `python -m wijkmap import-osm BESTAND`.\n"
        "- **Bijdragen van bewoners en organisaties**: stuur een voorziening of initiatief in via de pagina "
        "*Voorbeeld insturen*; de redactie bekijkt het voordat het op de kaart komt.",
        "- **A register of the municipality** (a list of community centres, initiatives and other provisions, "
        "in Excel or CSV): whoever runs wijkmap imports it with `python -m wijkmap import FILE`.\n"
        "- **OpenStreetMap**: community centres, libraries, churches, mosques, food banks, charity shops and "
        "repair cafés mapped by volunteers. Whoever runs wijkmap imports an extract of the province with "
        "`python -m wijkmap import-osm FILE`.\n"
        "- **Contributions from residents and organisations**: send in a provision or initiative on the "
        "*Send in an example* page; the editors check it before it goes on the map.",
    ),
    "thin_spots_counted": (
        "Geteld zijn de getoonde voorzieningen uit: {bronnen}. Wat daar niet in staat, telt niet mee.",
        "Counted are the provisions shown from: {bronnen}. What is not in these does not count.",
    ),
    "areas_download_title": ("Cijfers per gebied", "Figures per area"),
    "areas_download_help": (
        "De gebieden op de kaart met alle cijfers van {jaar}, de bron van elk cijfer en het aantal getoonde "
        "voorzieningen; ook de gebieden van {jaar} die de kaart niet kan tekenen (op_de_kaart = nee).",
        "The areas on the map with every figure of {jaar}, the source of each figure and the number of "
        "provisions shown; also the areas of {jaar} the map cannot draw (op_de_kaart = nee).",
    ),
    "download_areas_csv": ("Download cijfers (CSV)", "Download figures (CSV)"),
    "download_areas_xlsx": ("Download cijfers (Excel)", "Download figures (Excel)"),
    "download_areas_gpkg": (
        "Download cijfers met grenzen (GeoPackage)",
        "Download figures with boundaries (GeoPackage)",
    ),
    "cov_intro": (
        "Welke gegevens wijkmap heeft, en welke niet: cijfers van CBS per buurt, wijk en gemeente, de grenzen "
        "waarop ze getekend worden, en de voorzieningen met hun herkomst. Kies een gemeente om te zien wat er "
        "voor die gemeente is.",
        "Which data wijkmap has, and which it lacks: CBS figures per neighbourhood, district and municipality, "
        "the boundaries they are drawn on, and the provisions with where they come from. Choose a municipality "
        "to see what there is for it.",
    ),
    "cov_choose": ("Gemeente", "Municipality"),
    "cov_heading": ("Wat er is voor {plaats}", "What there is for {plaats}"),
    "cov_figures": ("Cijfers", "Figures"),
    "cov_figures_line": ("{niveau}: {jaren}", "{niveau}: {jaren}"),
    "cov_no_figures": ("Geen cijfers op {niveau}niveau.", "No figures at {niveau} level."),
    "cov_boundaries": ("Grenzen", "Boundaries"),
    "cov_boundaries_missing": (
        "Cijfers zonder grenzen van hetzelfde jaar: {lijst}. De kaart tekent ze op de grenzen van een ander jaar "
        "waar de gebieden dezelfde code hebben, en kleurt de rest grijs.",
        "Figures without boundaries of the same year: {lijst}. The map draws them on the boundaries of another "
        "year where the areas have the same code, and colours the rest grey.",
    ),
    "cov_figures_matrix": (
        "Per cijfer: voor hoeveel gebieden er een waarde is, per niveau en jaar.",
        "Per figure: for how many areas there is a value, per level and year.",
    ),
    "cov_provisions": ("Voorzieningen", "Provisions"),
    "cov_no_provisions": ("Geen voorzieningen bekend voor {plaats}.", "No provisions known for {plaats}."),
    "cov_only_sample": (
        "Voor {plaats} is alleen het fictieve voorbeeld bekend: verzonnen voorzieningen die laten zien wat de "
        "kaart kan. Echte voorzieningen komen er zo in:",
        "For {plaats} only the fictional sample is known: made-up provisions that show what the map can do. "
        "Real provisions get in like this:",
    ),
    "cov_ways_in": ("Zo komen de voorzieningen erin:", "This is how provisions get in:"),
    "cov_col_level": ("Niveau", "Level"),
    "cov_col_year": ("Jaar", "Year"),
    "cov_col_areas": ("Gebieden", "Areas"),
    "cov_col_indicators": ("Cijfers", "Figures"),
    "cov_col_source": ("Bron", "Source"),
    "cov_col_count": ("Aantal", "Number"),
    "cov_col_open": ("Nu open", "Open now"),
    "cov_col_dates": ("Data uit", "Dates from"),
    "cov_col_terms": ("Licentie", "Licence"),
    "cov_sample_source": (
        "Fictief voorbeeld (verzonnen, alleen ter illustratie)",
        "Fictional sample (made up, for illustration only)",
    ),
    "cov_contributions_source": (
        "Bijdragen van bewoners en organisaties (bekeken door de redactie)",
        "Contributions from residents and organisations (checked by the editors)",
    ),
    "cov_indicators": ("Wat de cijfers betekenen", "What the figures mean"),
    "cov_col_indicator": ("Cijfer", "Figure"),
    "cov_col_unit": ("Eenheid", "Unit"),
    "cov_col_years": ("Jaren", "Years"),
    "cov_col_note": ("Toelichting", "Note"),
    "cov_notes_in_dutch": (
        "Hoe elk cijfer is gemaakt, staat in de kolom Toelichting.",
        "A note on how each figure was made is given in the Dutch interface.",
    ),
    "cov_sources": ("Bronnen en licenties", "Sources and licences"),
    "cov_sources_text": (
        "- **Cijfers**: CBS, Kerncijfers wijken en buurten en Nabijheid voorzieningen (CC BY 4.0). Vermeld bij "
        "hergebruik: *Bron: CBS*.\n"
        "- **Grenzen** van buurten, wijken en gemeenten: CBS en Kadaster, Wijk- en Buurtkaart (CC BY 4.0).\n"
        "- **Achtergrondkaart**: Kadaster / PDOK, BRT-Achtergrondkaart.\n"
        "- **Repair Cafés in Amsterdam**: de agenda van de vrijwilligers achter repaircafes-in-amsterdam "
        "(GPL-3.0).\n"
        "- **OpenStreetMap**, als het is geïmporteerd: © OpenStreetMap-bijdragers (ODbL).\n"
        "- **Registers van gemeenten**: onder de voorwaarden van de gemeente die ze levert.\n"
        "- **Bijdragen** van bewoners en organisaties: ingestuurd op de pagina *Voorbeeld insturen* en "
        "bekeken door de redactie.\n"
        "- **Fictief voorbeeld**: verzonnen voor Utrecht en Rotterdam, om te laten zien wat de kaart kan. Het "
        "is overal gemarkeerd en met één schakelaar uit te zetten.",
        "- **Figures**: CBS (Statistics Netherlands), Key figures for districts and neighbourhoods and "
        "Proximity to facilities (CC BY 4.0). When re-using, credit: *Source: CBS*.\n"
        "- **Boundaries** of neighbourhoods, districts and municipalities: CBS and Kadaster, District and "
        "Neighbourhood Map (CC BY 4.0).\n"
        "- **Base map**: Kadaster / PDOK, BRT base map.\n"
        "- **Repair Cafés in Amsterdam**: the agenda kept by the volunteers of repaircafes-in-amsterdam "
        "(GPL-3.0).\n"
        "- **OpenStreetMap**, when imported: © OpenStreetMap contributors (ODbL).\n"
        "- **Municipal registers**: under the terms of the municipality that supplies them.\n"
        "- **Contributions** from residents and organisations: sent in on the *Send in an example* page and "
        "checked by the editors.\n"
        "- **Fictional sample**: made up for Utrecht and Rotterdam, to show what the map can do. It is marked "
        "everywhere and can be switched off with one switch.",
    ),
    "cov_provenance": (
        "Voor technische lezers: waar elk bestand vandaan komt, welke versie en wat eraan bewerkt is, staat "
        "in het bestand README.md in de map data van de repository van wijkmap (in het Engels).",
        "For technical readers: where each file comes from, which version and what was changed in it, is "
        "described in the file README.md in the data folder of the wijkmap repository (in English).",
    ),
    # Beheer (wijkmap.beheer): the gemeente's own register, kept in the app.
    "page_beheer": ("Beheer", "Management"),
    "beheer_closed": (
        "Beheer staat uit: er is nog geen account. Maak er een op de server met `python -m wijkmap gebruiker "
        "toevoegen NAAM --rol beheerder --wachtwoord-stdin`, of stel een OpenID Connect-provider in (README, "
        "Accounts).",
        "Management is off: there is no account yet. Create one on the server with `python -m wijkmap gebruiker "
        "toevoegen NAAM --rol beheerder --wachtwoord-stdin`, or configure an OpenID Connect provider (README, "
        "Accounts).",
    ),
    "field_naam_record": ("Naam", "Name"),
    "oidc_welcome": ("Ingelogd als {name} ({role}).", "Logged in as {name} ({role})."),
    "preview_elsewhere": (
        "{n} van de {totaal} rijen liggen in een andere gemeente; kies die hierboven om ze te zien.",
        "{n} of the {totaal} rows lie in another gemeente; choose it above to see them.",
    ),
    "edit_conflict": (
        "Iemand anders heeft dit record opgeslagen terwijl u het bewerkte; uw wijzigingen zijn niet opgeslagen. "
        "Het formulier toont nu het record zoals het is; wat u had ingevuld staat hieronder.",
        "Someone else saved this record while you were editing it; your changes were not saved. The form now "
        "shows the record as it is; what you had entered is below.",
    ),
    "batch_kind_import": ("import", "import"),
    "batch_kind_bewerking": ("bewerking", "edit"),
    "batch_kind_bevestiging": ("bevestiging", "confirmation"),
    "batch_kind_sluiting": ("sluiting", "closing"),
    "beheer_part": ("Onderdeel", "Section"),
    "beheer_upload": ("Register inlezen", "Read a register"),
    "beheer_history": ("Geschiedenis", "History"),
    "beheer_edit": ("Record bewerken", "Edit a record"),
    "beheer_fresh": ("Actualiteit", "Freshness"),
    "template_title": ("Sjabloon", "Template"),
    "template_help": (
        "Het sjabloon heeft de kolommen die een register kan hebben, een blad met de toegestane codes en "
        "keuzelijsten in Excel.",
        "The template has the columns a register can have, a sheet with the allowed codes and drop-down lists "
        "in Excel.",
    ),
    "template_xlsx": ("Sjabloon (Excel)", "Template (Excel)"),
    "template_csv": ("Sjabloon (CSV)", "Template (CSV)"),
    "upload_file": ("Registerbestand", "Register file"),
    "upload_help": (
        "CSV, Excel (.xlsx, .xls), OpenDocument (.ods), GeoJSON of GeoPackage; hoogstens {mb} MB. Er wordt "
        "niets opgeslagen voordat u op Importeren klikt.",
        "CSV, Excel (.xlsx, .xls), OpenDocument (.ods), GeoJSON or GeoPackage; at most {mb} MB. Nothing is "
        "stored before you click Import.",
    ),
    "upload_bron": ("Bron (leeg: uit het bestand)", "Source (empty: from the file)"),
    "upload_bron_help": (
        "Geef elk register een vaste bron, zoals ‘register gemeente Deventer’: dan werkt een nieuwe versie "
        "van het bestand dezelfde records bij, ook onder een andere bestandsnaam.",
        "Give each register a fixed source, such as ‘register gemeente Deventer’: a new version of the file then "
        "updates the same records, also under another file name.",
    ),
    "upload_problem": (
        "1 probleem in {file}; er kan niets worden geïmporteerd tot het is opgelost:",
        "1 problem in {file}; nothing can be imported until it is fixed:",
    ),
    "upload_problems": (
        "{n} problemen in {file}; er kan niets worden geïmporteerd tot ze zijn opgelost:",
        "{n} problems in {file}; nothing can be imported until they are fixed:",
    ),
    "upload_more_problems": (
        "… en nog {n}; de tabel hieronder heeft ze allemaal.",
        "… and {n} more; the table below has them all.",
    ),
    "upload_warning": ("Let op", "Note"),
    "col_row": ("Rij", "Row"),
    "col_column": ("Kolom", "Column"),
    "col_value": ("Waarde", "Value"),
    "col_problem": ("Probleem", "Problem"),
    "col_suggestions": ("Bedoelde u", "Did you mean"),
    "mapping_title": ("Onbekende kolommen", "Unknown columns"),
    "mapping_help": (
        "Deze kolommen kent het sjabloon niet. Kies bij elke kolom welke kolom van het sjabloon het is (of "
        "negeer hem); de koppeling wordt onthouden voor het volgende bestand met dezelfde kolommen.",
        "The template does not know these columns. Choose for each which template column it is (or ignore it); "
        "the mapping is remembered for the next file with the same columns.",
    ),
    "mapping_ignore": ("(negeren)", "(ignore)"),
    "mapping_apply": ("Koppeling toepassen", "Apply mapping"),
    "mapping_used": ("Gekoppelde kolommen: {pairs}", "Mapped columns: {pairs}"),
    "preview_title": ("Voorbeeld: wat het bestand bevat", "Preview: what the file holds"),
    "preview_gemeente": ("Gemeente op de kaart", "Municipality on the map"),
    "preview_none": ("Het bestand heeft geen rijen die in orde zijn.", "The file has no rows that are in order."),
    "plan_title": ("Wat een import doet", "What an import does"),
    "plan_new": ("Nieuw", "New"),
    "plan_updated": ("Bijgewerkt", "Updated"),
    "plan_unchanged": ("Ongewijzigd", "Unchanged"),
    "plan_missing": ("Niet meer in het bestand", "No longer in the file"),
    "plan_missing_help": (
        "Records van deze bron die het bestand niet meer heeft. Ze worden nooit stil verwijderd; sluit ze "
        "hier met een datum, of laat ze open.",
        "Records of this source that the file no longer has. They are never deleted silently; close them here "
        "with a date, or leave them open.",
    ),
    "plan_close_missing": ("Markeer als gesloten per", "Mark as closed on"),
    "import_button": ("Importeren", "Import"),
    "import_done": (
        "Geïmporteerd uit {file} (batch {batch}): {nieuw} nieuw, {bijgewerkt} bijgewerkt, {ongewijzigd} "
        "ongewijzigd, {gesloten} gesloten.",
        "Imported from {file} (batch {batch}): {nieuw} new, {bijgewerkt} updated, {ongewijzigd} unchanged, "
        "{gesloten} closed.",
    ),
    "see_on_map": ("Bekijk {plaats} op de kaart", "See {plaats} on the map"),
    "history_empty": ("Er zijn nog geen batches.", "There are no batches yet."),
    "col_batch": ("Batch", "Batch"),
    "col_account": ("Account", "Account"),
    "col_kind_batch": ("Soort", "Kind"),
    "col_file": ("Bestand", "File"),
    "col_undone": ("Ongedaan", "Undone"),
    "undo_choose": ("Batch om ongedaan te maken", "Batch to undo"),
    "undo_button": ("Ongedaan maken", "Undo"),
    "undo_confirm": (
        "Batch {batch} ongedaan maken? De records komen terug zoals ze vóór deze batch waren; records die de "
        "batch toevoegde verdwijnen.",
        "Undo batch {batch}? The records return to how they were before this batch; records it added disappear.",
    ),
    "undo_yes": ("Ja, maak ongedaan", "Yes, undo"),
    "undo_no": ("Nee", "No"),
    "undo_done": ("Batch {batch} is ongedaan gemaakt.", "Batch {batch} has been undone."),
    "edit_search": ("Zoek op naam", "Search by name"),
    "edit_choose": ("Record", "Record"),
    "edit_none": ("Geen records gevonden.", "No records found."),
    "edit_save": ("Opslaan", "Save"),
    "edit_saved": ("Opgeslagen (batch {batch}).", "Saved (batch {batch})."),
    "close_on": ("Sluiten per", "Close on"),
    "close_button": ("Record sluiten", "Close record"),
    "closed_done": ("Gesloten per {date} (batch {batch}).", "Closed on {date} (batch {batch})."),
    "fresh_intro": (
        "Records die langer dan {months} maanden niet zijn bevestigd. Bevestig wat nog bestaat: de kaart "
        "toont ze dan weer vol.",
        "Records not confirmed for more than {months} months. Confirm what still exists: the map then shows them "
        "in full again.",
    ),
    "fresh_none": (
        "Alles in {plaats} is bevestigd in de afgelopen {months} maanden.",
        "Everything in {plaats} was confirmed in the past {months} months.",
    ),
    "col_checked": ("Laatst gecontroleerd", "Last checked"),
    "fresh_choose": ("Te bevestigen", "To confirm"),
    "fresh_all": ("Alle {n} kiezen", "Choose all {n}"),
    "fresh_confirm": ("Bevestigen dat ze nog bestaan", "Confirm they still exist"),
    "fresh_done": ("{n} record(s) bevestigd (batch {batch}).", "{n} record(s) confirmed (batch {batch})."),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    dutch, english = TEXT[key]
    return english if lang == "en" else dutch


# The catalogue's units are Dutch; their English form.
UNITS_EN = {
    "aantal": "count",
    "per 1.000 inwoners": "per 1,000 residents",
    "x 1.000 euro": "x 1,000 euro",
}


def unit_label(unit: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


def format_value(value: float, unit: str, lang: str = DEFAULT_LANGUAGE, with_unit: bool = True) -> str:
    """A number as people read it: Dutch separators by default, a sensible precision
    for the unit ('12,5%', '1.035', '0,8 km'). Without `with_unit` only '%' stays, for
    places where the unit is said once (a legend's subtitle)."""
    whole = unit in ("aantal", "per km²")
    text = f"{value:,.0f}" if whole else f"{value:,.1f}"
    if lang != "en":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if unit == "%":
        return f"{text}%"
    if unit in ("aantal", "") or not with_unit:
        return text
    return f"{text} {unit_label(unit, lang)}"

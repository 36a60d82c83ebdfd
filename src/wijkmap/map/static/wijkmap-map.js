/* wijkmap: the code of the map layers (wijkmap.map.layers, wijkmap.change.layers).
 *
 * Each layer's script in the map is one call of a function here with its data; the
 * data arrives as JSON, its user text already HTML-escaped by the Python layer, except
 * the area names and texts inside GeoJSON, which escape() makes safe here. */
(function () {
  "use strict";
  var wm = window.wijkmap = window.wijkmap || {};

  var ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"};

  /* Plain text made safe to put in HTML. */
  function escape(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (c) {
      return ENTITIES[c];
    });
  }
  wm.escape = escape;

  /* Let the map fill the screen below it, and follow it: in presentation mode the map's
   * frame (streamlit-folium's, same origin) is sized from its top down to the bottom of
   * the window, and kept so when the window or the caption above it changes. */
  wm.fillFrame = function (map) {
    var box = document.getElementById("map_div"), last = 0;
    function fit() {
      var frame = null, height = window.innerHeight;
      try { frame = window.frameElement; } catch (e) { frame = null; }
      if (frame && window.parent && window.parent !== window) {
        height = Math.max(320, Math.floor(window.parent.innerHeight - frame.getBoundingClientRect().top - 10));
        if (Math.abs(height - last) > 2) { frame.style.setProperty("height", height + "px", "important"); }
      }
      if (Math.abs(height - last) > 2 && box) {
        last = height;
        box.style.height = height + "px";
        map.invalidateSize();
      }
    }
    // At once, before streamlit-folium moves the map to the position asked: resizing
    // during its pan animation would shift the map.
    fit();
    setInterval(fit, 500);  // the caption above may grow or shrink from step to step
  };

  /* A scale bar in metres only, and a map that takes focus without scrolling the page:
   * Leaflet focuses the map on mousedown, and from inside streamlit-folium's frame that
   * scrolled a map partly out of view, so the first click missed the marker's popup. */
  wm.metricScale = function (map) {
    L.control.scale({imperial: false}).addTo(map);
    map.getContainer().focus = function () { HTMLElement.prototype.focus.call(this, {preventScroll: true}); };
  };

  /* Credit for the data drawn on the map, beside the basemap's own (escaped text). */
  wm.attribution = function (map, text) {
    map.attributionControl.addAttribution(text);
  };

  /* The map frame's language and the map's name: streamlit-folium's page says lang="en"
   * around Dutch content, and assistive software reads the text by that language. */
  wm.documentLanguage = function (map, lang, name) {
    document.documentElement.lang = lang;
    // Leaflet's container takes focus (arrow keys pan it) but has no name.
    map.getContainer().setAttribute("role", "region");
    map.getContainer().setAttribute("aria-label", name);
    closeOnEscape(map);
  };

  /* Leaflet makes a keyboard marker a button; its name is what its tooltip says
   * (a title attribute would show a second, native tooltip). */
  function named(marker, name) {
    marker.on("add", function () { if (this._icon) this._icon.setAttribute("aria-label", name); });
    return marker;
  }

  /* Escaped text (as the server sends names) back to plain text, for attributes. */
  function plain(escaped) {
    var box = document.createElement("div");
    box.innerHTML = escaped;
    return box.textContent;
  }

  /* GeoJSON (or another table) given in the map, or {url} of a file the app serves, so a
   * rerun does not send it again: `draw` gets it when it is there. A served file's name is
   * its digest, so it is fetched once for the page's life, however many runs name it. */
  var served = {};  // address -> promise of the parsed file
  function geometry(data, draw) {
    if (!data || !data.url) { draw(data); return; }
    var url = data.url;
    if (!served[url]) {
      served[url] = fetch(url).then(function (answer) {
        if (!answer.ok) { throw new Error(url + ": HTTP " + answer.status); }
        return answer.json();
      });
      served[url].catch(function () { delete served[url]; });  // the next run tries again
    }
    var drawn = served[url].then(draw).catch(function (error) { console.error("wijkmap:", error); });
    if (window.wijkmapReported === false) { firstDrawing.push(drawn); }
  }

  /* The map's first report (streamlit-folium sends its position as soon as the map has
   * started) waits until the layers that fetch their data have drawn, at most
   * FIRST_REPORT_WAIT_MS. That report runs the page again, and a page shows the rest of
   * itself only then (wijkmap.shell.map_widget.first_report_pending): the browser renders
   * it on the thread that draws this map, so sent at once it held the map back.
   * window.wijkmapReported is false while it is held (the presenter's keys wait for it,
   * workshop-keys.js); a hand-out, with no app to report to, never holds it. No report
   * goes once the person is on their way to another page. */
  var FIRST_REPORT_WAIT_MS = 3000;
  var firstDrawing = [];  // a promise per layer drawn while the report is held
  (function guardReports() {
    var lib = window.Streamlit, parent = window.parent, page;
    if (!lib || !lib.setComponentValue) { return; }
    try { page = parent.location.pathname; } catch (e) { return; }  // an app page of another origin
    var post = lib.setComponentValue, latest = null, waiting = false;
    window.wijkmapReported = false;
    function release() {
      if (window.wijkmapReported) { return; }
      window.wijkmapReported = true;
      lib.setComponentValue = send;
      if (latest) { send.apply(lib, latest); }
    }
    // Streamlit sends a widget's value with the page it drew last: a report that came
    // after a click on another page (this map still starting) brought the person back
    // (page-leaving.js, in the app's page, notes such a click).
    function send() {
      var leaving = parent.wijkmapLeaving;
      if (parent.location.pathname === page && !(leaving && leaving.from === page)) { post.apply(lib, arguments); }
    }
    // The overlay's layers start after the map's first report (streamlit-folium adds the
    // overlay once the map script has run): look again until no layer has been added.
    function whenDrawn() {
      var count = firstDrawing.length;
      Promise.all(firstDrawing).then(function () {
        setTimeout(function () { if (firstDrawing.length > count) { whenDrawn(); } else { release(); } }, 0);
      });
    }
    // Held only while the page waits for it (its note, loading.rest_follows): a later map
    // (another language, gemeente, step) has the page whole already, and its report held
    // back could arrive after the person went on (a click on another page in between).
    function pageWaits() {
      return !!parent.document.querySelector(".wm-rest-follows");
    }
    lib.setComponentValue = function () {
      latest = arguments;  // each report holds the whole state: the last one is enough
      if (waiting) { return; }
      waiting = true;
      if (!pageWaits()) { release(); return; }
      setTimeout(whenDrawn, 0);
      setTimeout(release, FIRST_REPORT_WAIT_MS);
    };
  })();

  /* Areas as a choropleth: each feature carries its code c and name n; areaValues (in the
   * overlay) gives each its class k (-1 = no value) and value text t, so another indicator
   * or year sends those only. One style per class is sent, not one per feature. */
  wm.areas = function (map, data, o) {
    var layer = L.geoJson(null, {
      style: function (f) {
        var k = f.properties.k === undefined ? -1 : f.properties.k, chosen = f.properties.c === o.selected;
        var values = window.wijkmapAreaValues;
        return {
          fillColor: k < 0 || !values ? o.missing : values.colours[k],
          fillOpacity: values ? o.opacity : 0.2,
          color: chosen ? "#000000" : "#4d4d4d",
          weight: chosen ? 4 : o.weight,
          dashArray: k < 0 && values ? "4 3" : null
        };
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(tip(f.properties), {sticky: true, className: "wm-tip"});
        focusable(l, f.properties);
      }
    });
    // On the map before its data arrives: streamlit-folium listens to the layers the map
    // has when it starts, and hears the clicks of the areas added to this one later.
    layer.addTo(map);
    window.wijkmapAreas = layer;
    geometry(data, function (collection) {
      layer.addData(collection);
      areaValues();
    });
  };

  function tip(props) { return "<b>" + escape(props.n) + "</b><br>" + escape(props.t); }

  /* The class k and value text t of every area of wm.areas (wherever its layer is;
   * `overlay` is where the call sits). o: c (codes), k (classes, -1 = no value) and t
   * (texts), in the same order; colours per class, missing for no value. */
  wm.areaValues = function (overlay, o) {
    window.wijkmapAreaValues = o;
    areaValues();
  };

  function areaValues() {
    var layer = window.wijkmapAreas, o = window.wijkmapAreaValues;
    if (!layer || !o || !layer.getLayers().length) { return; }
    var at = {};
    o.c.forEach(function (code, i) { at[code] = i; });
    layer.eachLayer(function (l) {
      var p = l.feature.properties, i = at[p.c];
      p.k = i === undefined ? -1 : o.k[i];
      p.t = i === undefined ? "" : o.t[i];
      l.setStyle(layer.options.style(l.feature));
      l.setTooltipContent(tip(p));
      if (l._path) { l._path.setAttribute("aria-label", label(p)); }
    });
  }

  function label(props) { return props.t ? props.n + ": " + props.t : props.n; }

  /* An area reached with Tab: a button named by its name n and value text t (plain text,
   * set as an attribute, never parsed as HTML; Leaflet shows its tooltip on focus), and
   * Enter or Space selects it as a click does (streamlit-folium hears the click on the
   * layer). The paths come in the order of the areas' codes. */
  function focusable(l, props) {
    l.on("add", function () {
      var path = l._path;
      if (!path) return;
      path.setAttribute("tabindex", "0");
      path.setAttribute("role", "button");
      path.setAttribute("aria-label", label(props));
      L.DomEvent.on(path, "keydown", function (e) {
        if (e.key !== "Enter" && e.key !== " ") return;
        L.DomEvent.preventDefault(e);
        l.fire("click", {latlng: l.getCenter(), originalEvent: e}, true);
      });
    });
  }

  /* Escape closes the popup a key opened and gives the focus back to its marker.
   * Leaflet's own Escape only works while the map itself, not a marker in it, has focus. */
  function closeOnEscape(map) {
    L.DomEvent.on(map.getContainer(), "keydown", function (e) {
      var popup = map._popup, source = popup && popup._source;
      if (e.key !== "Escape" || !popup || !map.hasLayer(popup)) return;
      map.closePopup();
      if (source && source._icon) { source._icon.focus(); }
    });
  }

  /* --- all areas of an indeling, from vector tiles ------------------------------------ */

  /* Every area of an indeling as vector tiles (a PMTiles file served by the app, drawn on
   * canvas by protomaps-leaflet): the tiles hold each area's code, tileAreaColours (in the
   * overlay) says its class, so another indicator repaints the tiles and fetches none.
   * o: url, layer (inside the file), maxDataZoom, codesUrl (a file of every area's code,
   * joined by ",", in the order of the classes; fetched once), opacity, weight,
   * attribution (escaped). */
  wm.tileAreas = function (map, o) {
    var pane = map.getPane("wm-tiles") || map.createPane("wm-tiles");
    pane.style.zIndex = 350; // above the basemap (200), below outlines and records (400+)
    pane.style.pointerEvents = "none"; // a click goes to the map, which reports its point
    function colour(z, f) {
      var state = window.wijkmapTileState, k = state ? state.lookup[f.props.code] : undefined;
      if (!state) { return "rgba(0,0,0,0)"; }
      return k === undefined || k < 0 ? state.missing : state.colours[k];
    }
    function width(z, f) { return z < 8 ? 0 : z < 11 ? 0.4 : o.weight; }
    var layer = protomapsL.leafletLayer({
      url: o.url,
      pane: "wm-tiles",
      maxDataZoom: o.maxDataZoom,
      attribution: o.attribution,
      labelRules: [],
      paintRules: [{
        dataLayer: o.layer,
        symbolizer: new protomapsL.PolygonSymbolizer({fill: colour, opacity: o.opacity, stroke: "#4d4d4d", width: width})
      }]
    });
    layer.addTo(map);
    window.wijkmapTileAreas = layer;
    fetch(o.codesUrl).then(function (answer) { return answer.text(); }).then(function (text) {
      window.wijkmapTileCodes = text ? text.split(",") : [];
      tileState();
    });
  };

  /* The class of every area of the tiles (wherever they are; `overlay` is where the call
   * sits). o.classes: one character per area in the order of tileAreas' codes, its class
   * as a digit or "." for no value; o.colours per class, o.missing for no value. */
  wm.tileAreaColours = function (overlay, o) {
    window.wijkmapTileClasses = o;
    tileState();
  };

  /* Once both the codes and the classes are there: the lookup the tiles paint by, and a
   * repaint of the tiles drawn, from their cache. */
  function tileState() {
    var codes = window.wijkmapTileCodes, o = window.wijkmapTileClasses, layer = window.wijkmapTileAreas;
    if (!codes || !o) { return; }
    var lookup = {};
    for (var i = 0; i < codes.length && i < o.classes.length; i++) {
      if (o.classes[i] !== ".") { lookup[codes[i]] = +o.classes[i]; }
    }
    window.wijkmapTileState = {lookup: lookup, colours: o.colours, missing: o.missing};
    if (layer) { layer.rerenderTiles(); }
  }

  /* Plain outlines (neighbouring gemeenten, service areas), named by their property n. */
  wm.outlines = function (map, data, o) {
    var layer = L.geoJson(null, {
      interactive: o.interactive,
      style: o.style,
      onEachFeature: function (f, l) {
        if (f.properties.n) { l.bindTooltip(escape(f.properties.n)); }
        // Context, not a choice: the neighbours and service areas stay out of the Tab order
        // (Chromium lets Tab reach a path that has a tooltip's aria-describedby).
        l.on("add", function () { if (l._path) { l._path.setAttribute("tabindex", "-1"); } });
      }
    }).addTo(map);
    geometry(data, function (collection) { layer.addData(collection); });
  };

  function shapeOf(kind, size) {
    var h = size / 2;
    if (kind === "square") return '<rect x="3" y="3" width="' + (size - 6) + '" height="' + (size - 6) + '" rx="3"/>';
    if (kind === "diamond") return '<polygon points="' + h + ',1 ' + (size - 1) + ',' + h + ' ' + h + ',' + (size - 1) + ' 1,' + h + '"/>';
    if (kind === "triangle") return '<polygon points="' + h + ',1 ' + (size - 1) + ',' + (size - 2) + ' 1,' + (size - 2) + '"/>';
    if (kind === "hexagon") {
      return '<polygon points="' + [[0.25, 0.05], [0.75, 0.05], [1, 0.5], [0.75, 0.95], [0.25, 0.95], [0, 0.5]].map(function (p) {
        return (p[0] * (size - 2) + 1) + ',' + (p[1] * (size - 2) + 1);
      }).join(' ') + '"/>';
    }
    return '<circle cx="' + h + '" cy="' + h + '" r="' + (h - 2) + '"/>';
  }

  /* Rows of a table sent as {fields: [...], rows: [[...], ...]}, read by field name. */
  function byName(table) {
    var at = {};
    table.fields.forEach(function (name, i) { at[name] = i; });
    return table.rows.map(function (row) {
      var record = {};
      Object.keys(at).forEach(function (name) { record[name] = row[at[name]]; });
      return record;
    });
  }

  /* Provisions and initiatives as clustered symbols with a popup. d: soorten (per soort
   * [code, label, abbreviation, colour, shape, category index]), labels, records (the
   * RecordTable of map.layers: inside the map, or {url} of its served file), shown (which
   * records to draw: a base64 bit per record, or null for all), size, clusterSize,
   * clusterRadius, attribution. The records shown go into a supercluster index, once per
   * run; only the clusters and symbols in view are markers, made as the map moves. A
   * symbol gets its name, tooltip and popup when it is first shown, from its chunk of
   * details (fetched then when served): 100,000 records cost no marker and no popup each.
   * Leaflet.markercluster, before, made a marker per record and clustered them all on
   * each filter click: 0.4 s for 77,000 records, against 0.06 s for the index. */
  var lastDrawn = null;  // {key, layer, group}: the symbols of the last run, kept for the next
  wm.records = function (map, d) {
    // A run that shows what the last one showed (the map's report of its position reruns
    // the page) puts the same layer back, with the markers it made.
    var key = d.records.url && JSON.stringify([d.records.url, d.shown, d.size, d.clusterSize, d.clusterRadius,
                                               d.attribution, d.labels]);
    if (key && lastDrawn && lastDrawn.key === key) {
      // Out of the overlay it was in (which may still be on the map), into this one.
      if (lastDrawn.group.hasLayer(lastDrawn.layer)) lastDrawn.group.removeLayer(lastDrawn.layer);
      lastDrawn.layer.addTo(map);
      lastDrawn.group = map;
      window.wijkmapRecords = lastDrawn.layer;
      return;
    }
    var soorten = d.soorten, labels = d.labels, icons = {};
    function icon(s, sample, stale) {
      var key = s + "/" + sample + "/" + stale;
      if (icons[key]) return icons[key];
      var kind = soorten[s], size = d.size, h = size / 2;
      var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '">' +
        '<g fill="' + kind[3] + '" stroke="' + (sample ? '#000' : '#fff') + '" stroke-width="2"' +
        (sample ? ' stroke-dasharray="3 2"' : '') + '>' + shapeOf(kind[4], size) + '</g>' +
        '<text x="50%" y="' + (kind[4] === "triangle" ? '64%' : '54%') + '" dominant-baseline="middle" text-anchor="middle" ' +
        'font-family="sans-serif" font-weight="700" font-size="' + Math.round(size * 0.38) + '" fill="#fff">' + kind[2] + '</text></svg>';
      return (icons[key] = L.divIcon({html: svg, className: "wm-symbol" + (sample ? " wm-sample" : "") + (stale ? " wm-stale" : ""),
                                      iconSize: [size, size], iconAnchor: [h, h], popupAnchor: [0, -h]}));
    }
    function popup(r) {
      var parts = [];
      if (r.voorbeeld) parts.push('<div class="wm-sample-banner">' + labels.sample + '</div>');
      parts.push('<b class="wm-name">' + r.naam + '</b><br><span>' + soorten[r.soort][1] + '</span>');
      var fields = [[labels.strategie, r.strategie], [labels.actoren, r.actoren], [labels.doelgroep, r.doelgroep],
                    [labels.jaren, r.jaren], [labels.bron, r.bron], [labels.checked, r.gecontroleerd]];
      parts.push('<table class="wm-fields">' + fields.filter(function (f) { return f[1]; }).map(function (f) {
        return '<tr><th>' + f[0] + '</th><td>' + f[1] + '</td></tr>';
      }).join('') + '</table>');
      if (r.verouderd) parts.push('<div class="wm-stale-note">' + labels.stale + '</div>');
      if (r.url) parts.push('<a href="' + r.url + '" target="_blank" rel="noopener noreferrer">' + labels.website + '</a>');
      return parts.join('');
    }
    /* The details of record i of table t, to `use` (at once when they are in the map; a
     * served chunk is fetched once, by geometry). */
    function details(t, i, use) {
      var c = Math.floor(i / t.chunk);
      geometry(t.details[c], function (chunk) {
        if (!chunk.read) chunk.read = byName(chunk);
        use(chunk.read[i - c * t.chunk]);
      });
    }
    /* Record i's symbol, with its name, tooltip and popup once it is on the map. */
    function symbol(t, i) {
      var s = t.soort[i], m = L.marker([(t.lat0 + t.lat[i]) / 1e5, (t.lon0 + t.lon[i]) / 1e5],
                                       {icon: icon(s, t.flags[i] & 1, t.flags[i] & 2), keyboard: true, wmRecord: i});
      m.on("add", function () {
        if (m._wmDressed) { if (m._icon && m._wmName) m._icon.setAttribute("aria-label", m._wmName); return; }
        m._wmDressed = true;
        details(t, i, function (r) {
          r.soort = s; r.voorbeeld = t.flags[i] & 1; r.verouderd = t.flags[i] & 2;
          m._wmName = plain(r.naam);
          if (m._icon) m._icon.setAttribute("aria-label", m._wmName);
          m.bindPopup(popup(r), {maxWidth: 340});
          // The sample's names end in "(fictief)" already: said once, in the language of the page.
          var sample = ' (' + labels.sample_short + ')', named = r.naam.slice(-sample.length) === sample;
          m.bindTooltip(r.naam + (r.voorbeeld && !named ? sample : '') + (r.verouderd ? ' (' + labels.stale_short + ')' : ''),
                        {direction: "top"});
        });
      });
      return m;
    }
    /* A cluster is a ring in the colours of its categories, with the count inside: which
     * kinds are there shows before zooming in. White with a dark edge reads over every
     * palette. A click, or Enter or Space (Leaflet makes it a button, named by its
     * title), zooms to where it falls apart. */
    function cluster(f, index) {
      var props = f.properties, n = props.point_count;
      var size = d.clusterSize, h = size / 2, w = Math.max(5, Math.round(size * 0.17)), r = h - w / 2 - 1.5;
      var length = 2 * Math.PI * r, done = 0, rings = "", parts = [];
      labels.categories.forEach(function (category, k) {
        var count = props[k];
        if (!count) return;
        var arc = length * count / n;
        rings += '<circle class="wm-cluster-part" cx="' + h + '" cy="' + h + '" r="' + r + '" fill="none" stroke="' +
                 category[1] + '" stroke-width="' + w + '" stroke-dasharray="' + arc + ' ' + (length - arc) +
                 '" stroke-dashoffset="' + (-done) + '" transform="rotate(-90 ' + h + ' ' + h + ')"/>';
        done += arc;
        parts.push(count + ' ' + category[0]);
      });
      var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '"><title>' + parts.join(', ') +
        '</title><circle cx="' + h + '" cy="' + h + '" r="' + (h - 1) + '" fill="#fff" stroke="#222" stroke-width="1.5"/>' +
        rings + '<text x="50%" y="54%" dominant-baseline="middle" text-anchor="middle" font-family="sans-serif" ' +
        'font-weight="700" font-size="' + Math.round(size * 0.34) + '" fill="#111">' + n + '</text></svg>';
      var at = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
      var m = L.marker(at, {icon: L.divIcon({html: svg, className: "wm-cluster", iconSize: L.point(size, size)}),
                            keyboard: true, title: n + ': ' + plain(parts.join(', '))});
      m.wmCluster = true;
      // Leaflet makes a keyboard marker's Enter a keypress, not a click (a popup opens on it).
      m.on("click keypress", function (e) {
        var key = e.originalEvent && e.originalEvent.key, to = m._map;
        if (e.type === "keypress" && key !== "Enter" && key !== " ") return;
        if (key === " ") L.DomEvent.preventDefault(e.originalEvent);  // no scroll of the frame
        if (!to) return;
        to.setView(at, Math.min(index.getClusterExpansionZoom(props.cluster_id), to.getMaxZoom()));
        // The zoom takes this cluster off the map: the keyboard goes on from the map, as
        // with markercluster, not from the top of the frame.
        if (e.type === "keypress") to.getContainer().focus();
      });
      return m;
    }
    var layer = new RecordClusters({attribution: d.attribution});
    window.wijkmapRecords = layer;
    // Served, the table is kept for the page's life (geometry): the next run (a filter
    // click) sends only its mask.
    var gone = false;  // the overlay was swapped out (another run) before the table came
    layer.on("remove", function () { gone = true; });
    geometry(d.records, function (t) {
      if (gone) return;
      layer.load(t, shownRecords(t.n, d.shown), {
        symbol: function (i) { return symbol(t, i); }, cluster: cluster, radius: d.clusterRadius,
        categories: labels.categories.length, category: function (i) { return soorten[t.soort[i]][5]; },
      });
      if (key) lastDrawn = {key: key, layer: layer, group: map};  // drawn: the next run may reuse it
    });
    layer.addTo(map);
  };

  /* The records a run shows: from its mask (a base64 bit per record), or all n. */
  function shownRecords(n, mask) {
    var shown = [];
    if (!mask) { for (var i = 0; i < n; i++) shown.push(i); return shown; }
    var text = atob(mask);
    for (var j = 0; j < n; j++) { if (text.charCodeAt(j >> 3) & (1 << (j & 7))) shown.push(j); }
    return shown;
  }

  // From this zoom on every record is drawn on its own (markercluster's disableClusteringAtZoom).
  var UNCLUSTERED_ZOOM = 16;

  /* The markers of the records in view: clusters of a supercluster index below
   * UNCLUSTERED_ZOOM, each record's own symbol from there. A marker stays while it is in
   * view (a record's symbol keeps its popup), and the markers are made again after each
   * move or zoom. For tests and the benchmarks: wmTable, shown() (the records drawn) and
   * showRecord(i, done) (zoom in to record i's symbol and hand it to done). */
  var RecordClusters = L.FeatureGroup.extend({
    initialize: function (options) { L.FeatureGroup.prototype.initialize.call(this, [], options); },
    /* Index the records `shown` of `table`. make: symbol(i) makes record i's marker,
     * cluster(f, index) a cluster's, category(i) is the category (0 .. categories - 1)
     * record i counts in, radius the cluster radius in pixels. */
    load: function (table, shown, make) {
      // A cluster counts its records per category (its ring), by supercluster's reduce.
      // Each record's properties are its category's counts, one object per category:
      // 100,000 objects made for each index took as long as the index itself.
      var counts = [];
      for (var k = 0; k < make.categories; k++) {
        counts.push({});
        for (var j = 0; j < make.categories; j++) counts[k][j] = k === j ? 1 : 0;
      }
      var points = shown.map(function (i) {
        return {type: "Feature", id: i, properties: counts[make.category(i)],
                geometry: {type: "Point", coordinates: [(table.lon0 + table.lon[i]) / 1e5, (table.lat0 + table.lat[i]) / 1e5]}};
      });
      this.wmTable = table;
      this._shown = shown;
      this._make = make;
      this._symbols = {};  // record -> its marker, made once
      this._index = new Supercluster({
        radius: make.radius, extent: 256, maxZoom: UNCLUSTERED_ZOOM - 1,
        reduce: function (sum, more) { for (var k = 0; k < make.categories; k++) sum[k] += more[k]; },
      }).load(points);
      this._inView = {};
      this._update();
    },
    shown: function () { return this._shown || []; },
    showRecord: function (i, done) {
      var table = this.wmTable;
      if (!this._map || this._shown.indexOf(i) < 0) throw new Error("record " + i + " is not drawn on a map");
      this._map.setView([(table.lat0 + table.lat[i]) / 1e5, (table.lon0 + table.lon[i]) / 1e5], UNCLUSTERED_ZOOM,
                        {animate: false});
      done(this._symbols[i]);  // setView without animation has drawn it
    },
    onAdd: function (map) {
      L.FeatureGroup.prototype.onAdd.call(this, map);
      map.on("moveend", this._update, this);
      this._update();
    },
    onRemove: function (map) {
      map.off("moveend", this._update, this);
      L.FeatureGroup.prototype.onRemove.call(this, map);
    },
    _update: function () {
      var map = this._map;
      if (!map || !this._index) return;
      var b = map.getBounds().pad(0.25), next = {}, self = this;
      // Rounded, as markercluster did (supercluster floors): the map zooms in quarters.
      var zoom = Math.round(map.getZoom());
      this._index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom).forEach(function (f) {
        var p = f.properties, id = p.cluster ? "c" + p.cluster_id : "r" + f.id;
        next[id] = self._inView[id] ||
          (p.cluster ? self._make.cluster(f, self._index) : (self._symbols[f.id] = self._symbols[f.id] || self._make.symbol(f.id)));
      });
      Object.keys(this._inView).forEach(function (id) { if (!next[id]) self.removeLayer(self._inView[id]); });
      Object.keys(next).forEach(function (id) { if (!self._inView[id]) self.addLayer(next[id]); });
      this._inView = next;
      setTimeout(function () { spreadApart(self); }, 0);
    },
  });

  /* Clusters sit at the mean of their records, so two can overlap on screen, the one
   * hiding the other's count. After each drawing the symbols shown are pushed apart
   * (by their margins: Leaflet positions them by transform, and sets the margins only
   * when it makes an icon) until none covers another;
   * a cluster moves before a single provision, which stays on its place where it can. */
  // Above SPREAD_MOST symbols in view (street level in a dense register) the pairs to
  // compare would hold the page for seconds: they stay on their places.
  var SPREAD_GAP = 2, SPREAD_ROUNDS = 40, SPREAD_MOST = 400;
  function spreadApart(layer) {
    var map = layer._map, shown = [];
    if (!map) return;
    var view = map.getBounds(), inView = 0;
    layer.eachLayer(function (l) {
      var el = l._icon;
      if (!el) return;
      if (el._wmMargin === undefined) { el._wmMargin = [parseFloat(el.style.marginLeft) || 0, parseFloat(el.style.marginTop) || 0]; }
      var p = map.latLngToLayerPoint(l.getLatLng()), size = el.offsetWidth || 0;
      shown.push({el: el, x: p.x, y: p.y, dx: 0, dy: 0, r: size / 2, weight: l.wmCluster ? 1 : 0.25});
      if (view.contains(l.getLatLng())) inView += 1;
    });
    for (var round = inView > SPREAD_MOST ? SPREAD_ROUNDS : 0; round < SPREAD_ROUNDS; round++) {
      var moved = false;
      for (var i = 0; i < shown.length; i++) {
        for (var j = i + 1; j < shown.length; j++) {
          var a = shown[i], b = shown[j];
          var vx = (b.x + b.dx) - (a.x + a.dx), vy = (b.y + b.dy) - (a.y + a.dy);
          var d = Math.sqrt(vx * vx + vy * vy), need = a.r + b.r + SPREAD_GAP;
          if (d >= need) continue;
          if (d < 0.01) { vx = 1; vy = 0; d = 1; }
          var push = need - d, share = a.weight / (a.weight + b.weight);
          a.dx -= vx / d * push * share; a.dy -= vy / d * push * share;
          b.dx += vx / d * push * (1 - share); b.dy += vy / d * push * (1 - share);
          moved = true;
        }
      }
      if (!moved) break;
    }
    shown.forEach(function (s) {
      s.el.style.marginLeft = (s.el._wmMargin[0] + s.dx) + "px";
      s.el.style.marginTop = (s.el._wmMargin[1] + s.dy) + "px";
    });
  }

  /* Where the legend goes: beside the map when the frame leaves the map MIN_MAP pixels
   * next to it, else folded to one line in the map's corner. Opened or folded there by
   * the reader, it stays so for the browser session (sessionStorage), on every map and
   * page. Printed, it is beside the map and open. Runs before the map is fitted, so the
   * fit sees the map's own width. o: width (px of the legend beside the map), name (of
   * the legend's region). */
  var MIN_MAP = 560, GAP = 8, OPEN_KEY = "wijkmap-legend-open";
  function remembered() {
    try { return window.sessionStorage.getItem(OPEN_KEY); } catch (e) { return null; }
  }
  /* The map's bottom-right corner, above the attribution, as a Leaflet control sits. */
  function intoCorner(map, div) {
    var corner = map._controlCorners.bottomright;
    corner.insertBefore(div, corner.firstChild);
  }
  wm.legendPlace = function (map, o) {
    var container = map.getContainer(), frame = L.DomUtil.create("div", "wm-frame");
    container.parentNode.insertBefore(frame, container);
    frame.appendChild(container);
    var dock = L.DomUtil.create("aside", "wm-legend-dock", frame);
    dock.setAttribute("aria-label", o.name);
    // The layout in the elements' own style: streamlit-folium may add the map's style
    // sheets only after this runs, and the map must be fitted at its final width.
    frame.style.cssText = "display: flex; gap: " + GAP + "px; height: 100%;";
    container.style.cssText += "; flex: 1 1 0; min-width: 0; width: auto !important;";
    dock.style.cssText = "flex: 0 0 auto; overflow-y: auto; box-sizing: border-box; width: " + o.width + "px;";
    var place = map._wmLegendPlace = {frame: frame, dock: dock, docked: null, legend: null};
    place.update = function (printing) {
      var docked = printing || frame.clientWidth - o.width - GAP >= MIN_MAP;
      if (docked === place.docked) return;
      place.docked = docked;
      dock.hidden = !docked;
      if (place.legend) { place.put(place.legend); }
      map.invalidateSize({pan: false});
    };
    place.put = function (div) {
      var details = div.querySelector("details");
      if (place.docked) { dock.appendChild(div); } else { intoCorner(map, div); }
      if (details) { details.open = place.docked || remembered() === "1"; }
    };
    place.update(false);
    // The printed page is narrower than the screen: it shows what the screen showed,
    // fitted to the paper, and the screen gets its own view back afterwards.
    var print = window.matchMedia("print"), screenView = null;
    function printing(e) {
      if (e.matches) {
        var seen = map.getBounds();
        screenView = {center: map.getCenter(), zoom: map.getZoom()};
        place.update(true);
        map.invalidateSize({pan: false});
        map.fitBounds(seen, {animate: false});
      } else {
        place.update(false);
        if (screenView) { map.invalidateSize({pan: false}); map.setView(screenView.center, screenView.zoom, {animate: false}); }
      }
    }
    if (print.addEventListener) { print.addEventListener("change", printing); }
    window.addEventListener("beforeprint", function () { place.update(true); });
    window.addEventListener("afterprint", function () { place.update(print.matches); });
    window.addEventListener("resize", function () { place.update(print.matches); });
  };

  /* A legend, its content HTML made (and escaped) by the Python layer, placed as
   * legendPlace says (without it: in the map's corner, open). o: className, sizes (CSS
   * variables of its type and swatches), scaled (the map's other text grows with it),
   * replace (the window property holding the legend it replaces: the overlay swap that
   * redraws it would leave the old one). */
  wm.legend = function (map, content, o) {
    var place = map._wmLegendPlace, container = map.getContainer();
    var root = place ? place.frame : container;
    Object.keys(o.sizes || {}).forEach(function (name) { root.style.setProperty(name, o.sizes[name]); });
    if (o.scaled) { L.DomUtil.addClass(container, "wm-scaled"); }
    if (o.replace && window[o.replace]) { L.DomUtil.remove(window[o.replace]); }
    var div = L.DomUtil.create("div", (o.className || "wm-legend") + " leaflet-control");
    div.innerHTML = content;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    var details = div.querySelector("details");
    if (details) {
      details.querySelector("summary").addEventListener("click", function (e) {
        if (place && place.docked) { e.preventDefault(); }  // beside the map it covers nothing
      });
      details.addEventListener("toggle", function () {
        if (place && place.docked) return;  // beside the map it is always open
        try { window.sessionStorage.setItem(OPEN_KEY, details.open ? "1" : "0"); } catch (e) { /* private mode */ }
      });
    }
    if (place) {
      place.legend = div;
      place.put(div);
    } else {
      intoCorner(map, div);
    }
    if (o.replace) { window[o.replace] = div; }
  };

  /* --- the change map ----------------------------------------------------------------- */

  /* The areas of the change map, drawn once in a neutral colour; changeAreaColours (in
   * the overlay) colours them for the chosen period. `data`: GeoJSON or {url} (geometry). */
  wm.changeAreas = function (map, data) {
    var layer = L.geoJson(null, {
      style: function () { return {fillColor: "#eeeeee", fillOpacity: 0.4, color: "#4d4d4d", weight: 1}; },
      onEachFeature: function (f, l) {
        l.bindTooltip(function () {
          var info = ((window.wijkmapChangeColours || {}).info || {})[f.properties.c];
          return "<b>" + escape(f.properties.n) + "</b>" + (info ? "<br>" + info[1] : "");
        }, {sticky: true, className: "wm-tip"});
        focusable(l, f.properties);
      }
    });
    // On the map before its data arrives, as wm.areas: streamlit-folium hears its clicks.
    layer.addTo(map);
    window.wijkmapChangeAreas = layer;
    geometry(data, function (collection) {
      layer.addData(collection);
      changeAreaColours();
    });
  };

  /* Colours the changeAreas (wherever they are; `overlay` is where the call sits). o.info
   * maps an area code to [class, escaped tooltip text]; class -1 is grey, dashed. */
  wm.changeAreaColours = function (overlay, o) {
    window.wijkmapChangeColours = o;
    changeAreaColours();
  };

  function changeAreaColours() {
    var layer = window.wijkmapChangeAreas, o = window.wijkmapChangeColours;
    if (!layer || !o) { return; }
    layer.eachLayer(function (l) {
      var code = l.feature.properties.c, item = o.info[code], k = item ? item[0] : -1, chosen = code === o.selected;
      l.setStyle({fillColor: k < 0 ? o.missing : o.colours[k], fillOpacity: o.opacity,
                  color: chosen ? "#000000" : "#4d4d4d", weight: chosen ? 4 : 1, dashArray: k < 0 ? "4 3" : null});
    });
  }

  function arrowHead(colour, angle, size) {
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '" style="transform:rotate(' + angle + 'deg)">' +
      '<polygon points="' + (size - 1) + ',' + (size / 2) + ' 2,2 ' + (size * 0.3) + ',' + (size / 2) + ' 2,' + (size - 2) +
      '" fill="' + colour + '" stroke="#fff" stroke-width="1"/></svg>';
    return L.divIcon({html: svg, className: "wm-arrow", iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
  }

  /* Lines from a closed provision to its successor, an arrowhead halfway; a link within
   * one building is only an arrow between the two symbols. o: colour, moveColour, lines
   * (a table for byName). */
  wm.successions = function (target, o) {
    byName(o.lines).forEach(function (r) {
      var colour = r.verhuizing ? o.moveColour : o.colour;
      if (r.zelfde_plek) {
        L.marker([r.lat1, r.lon1], {icon: arrowHead(colour, 0, 11), interactive: false, keyboard: false,
                                    zIndexOffset: 1000}).addTo(target);
        return;
      }
      var line = L.polyline([[r.lat1, r.lon1], [r.lat2, r.lon2]], {
        color: colour, weight: 3, opacity: 0.9, dashArray: r.verhuizing ? "7 5" : null,
        className: "wm-succession" + (r.verhuizing ? " wm-move" : "")
      });
      line.bindTooltip(r.tekst, {sticky: true});
      line.addTo(target);
      var mid = [r.lat1 + (r.lat2 - r.lat1) * 0.55, r.lon1 + (r.lon2 - r.lon1) * 0.55];
      L.marker(mid, {icon: arrowHead(colour, r.hoek, 16), interactive: false, keyboard: false}).addTo(target);
    });
  };

  /* Provisions as symbols of their status, each with a popup. o: icons (per status
   * [svg, svg of a sample]), labels, soorten (labels), quiet (the status drawn small),
   * size, small, z (per status), markers (a table for byName). */
  wm.statuses = function (target, o) {
    var labels = o.labels;
    byName(o.markers).forEach(function (r) {
      var status = labels.statuses[r.status], size = r.status === o.quiet ? o.small : o.size;
      var h = size / 2, shift = r.verschuiving * (size * 0.8);
      var icon = L.divIcon({html: o.icons[r.status][r.voorbeeld], iconSize: [size, size], iconAnchor: [h - shift, h],
                            className: "wm-status wm-status-" + status[0] + (r.voorbeeld ? " wm-sample" : ""),
                            popupAnchor: [shift, -h]});
      var parts = [];
      if (r.voorbeeld) parts.push('<div class="wm-sample-banner">' + labels.sample + '</div>');
      parts.push('<b class="wm-name">' + r.naam + '</b><br><span>' + o.soorten[r.soort] + (r.jaren ? ' · ' + r.jaren : '') + '</span>');
      parts.push('<div class="wm-rel"><b>' + status[1] + '</b> ' + labels.period + '</div>');
      r.relaties.forEach(function (x) {
        parts.push('<div class="wm-rel">' + labels.relations[x[0]] + ' <b>' + x[1] + '</b>' + (x[2] ? ' (' + x[2] + ')' : '') + '</div>');
      });
      r.notities.forEach(function (note) { parts.push('<div class="wm-note">' + note + '</div>'); });
      if (r.bron) parts.push('<div class="wm-note">' + labels.bron + ': ' + r.bron + '</div>');
      var m = named(L.marker([r.lat, r.lon], {icon: icon, keyboard: true, zIndexOffset: o.z[r.status]}),
                    plain(r.naam + ' — ' + status[1]));
      m.bindPopup(parts.join(''), {maxWidth: 340});
      m.bindTooltip(r.naam + ' — ' + status[1], {direction: "top"});
      m.addTo(target);
    });
  };
})();

/* wijkmap: what folium's CDN extras provided, for a map served offline.
 *
 * Loaded right after leaflet.js, in the slot of folium's jQuery link. It does two
 * things a CDN setup gets for free:
 * 1. L.Icon.Default.imagePath. Leaflet finds its default marker icon through
 *    leaflet.css; streamlit-folium appends the CSS links without waiting for
 *    them and runs the map script at once, so Leaflet may look before the CSS
 *    applies and fall back to "<dir of leaflet.css>" without "/images/" (Leaflet
 *    issue #4968): broken marker icons, depending on timing. Set it explicitly,
 *    relative to this script's own URL (so it follows server.baseUrlPath).
 * 2. jQuery: folium templates call it only as `$(htmlString)[0]` (Popup
 *    content) and `$(document).ready(fn)` (Map.objects_to_stay_in_front).
 *    This covers exactly that, so no 90 kB jQuery from a CDN. $.ajax (used by
 *    GeoJson(embed=False), which make_offline rejects) throws.
 */
(function () {
  "use strict";
  var me = document.currentScript && document.currentScript.src;
  if (me && window.L && L.Icon && L.Icon.Default) {
    // .../vendor/wijkmap/folium-shim.js -> .../vendor/leaflet/images/
    L.Icon.Default.imagePath = me.slice(0, me.lastIndexOf("/wijkmap/")) + "/leaflet/images/";
  }
  if (window.jQuery || window.$) { return; }
  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }
  function $(arg) {
    if (typeof arg === "function") { ready(arg); return; }
    if (arg === document || arg === window) { return { ready: ready }; }
    if (typeof arg === "string") {
      var start = arg.indexOf("<"), end = arg.lastIndexOf(">");
      if (start !== -1 && end > start) {
        var t = document.createElement("template");
        t.innerHTML = arg.slice(start, end + 1);
        return Array.prototype.slice.call(t.content.childNodes);
      }
      return Array.prototype.slice.call(document.querySelectorAll(arg));
    }
    return [arg];
  }
  $.ajax = function () {
    throw new Error("wijkmap: jQuery.ajax is not available offline; embed the data");
  };
  window.$ = window.jQuery = $;
})();

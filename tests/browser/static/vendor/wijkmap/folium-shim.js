/* wijkmap: what folium's CDN extras provided, for a map served offline. */
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

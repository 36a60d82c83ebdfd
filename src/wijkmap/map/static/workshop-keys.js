/* wijkmap: the presenter's keys (wijkmap.workshop.presentation). ArrowLeft/ArrowRight and
   PageUp/PageDown (what a clicker sends) click the step bar's buttons. Installed once per
   page (a flag on the window), however often Streamlit redraws it; the buttons are looked
   up at each key press, so redrawn buttons keep working. */
(function () {
  if (window.__wijkmapStepKeys) { return; }
  window.__wijkmapStepKeys = true;
  var keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev"};
  var typing = 'input, textarea, select, [contenteditable="true"], [contenteditable=""], [role="slider"], ' +
               '[role="combobox"], [role="listbox"], [role="radiogroup"], [role="radio"], [role="tablist"], ' +
               '[role="menu"], [role="toolbar"]';
  // One step at a time: a key pressed while the app still runs (drawing the last step, or
  // answering the new map, which reports its position once its layers are drawn) waits
  // until the app has been quiet for a moment and no map still holds its first report
  // (wijkmap-map.js). So a double press of a clicker moves two steps, and a step is never
  // asked while the page still carries the previous one.
  var queue = [], busy = false, quietSince = 0;
  function mapReporting() {
    return Array.prototype.some.call(document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]'), function (f) {
      try { return f.contentWindow && f.contentWindow.wijkmapReported === false; } catch (e) { return false; }
    });
  }
  function quiet() {
    var app = document.querySelector('[data-testid="stApp"]');
    var idle = (!app || app.getAttribute("data-test-script-state") === "notRunning") && !mapReporting();
    var now = Date.now();
    if (!idle) { quietSince = 0; return false; }
    if (!quietSince) { quietSince = now; }
    return now - quietSince >= 600;
  }
  function next() {
    if (busy || !queue.length) { return; }
    if (!quiet()) { setTimeout(next, 100); return; }
    var which = queue.shift();
    var button = document.querySelector(".st-key-wm_step_" + which + " button");
    if (button && !button.disabled) {
      busy = true;
      quietSince = 0;
      button.click();
      setTimeout(function () { busy = false; next(); }, 300);  // let the run start before looking again
    } else {
      next();
    }
  }
  setInterval(quiet, 100);  // keep track of quiet time between key presses too
  function onKey(event) {
    var which = keys[event.key];
    if (!which || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    if (target && target.closest && target.closest(typing)) { return; }
    if (!document.querySelector(".st-key-wm_step_" + which + " button")) { return; }
    event.preventDefault();
    event.stopPropagation();
    if (queue.length < 5) { queue.push(which); }
    next();
  }
  document.addEventListener("keydown", onKey, true);
  // After a click on the map, keys go to the map's frame (same origin): listen there too.
  function watch(frame) {
    var doc = null;
    try { doc = frame.contentDocument; } catch (e) { return; }
    if (!doc || doc.__wijkmapStepKeys) { return; }
    doc.__wijkmapStepKeys = true;
    doc.addEventListener("keydown", onKey, true);
  }
  // Map frames come and go (a new map is a new frame, its document loads later): hook each
  // new frame as it appears, and listen in its document as soon as that has loaded.
  function hook(frame) {
    if (!frame.__wijkmapHooked) {
      frame.__wijkmapHooked = true;
      frame.addEventListener("load", function () { watch(frame); });
    }
    watch(frame);
  }
  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]'), hook);
  }
  scan();
  new MutationObserver(scan).observe(document.body, {childList: true, subtree: true});
})();

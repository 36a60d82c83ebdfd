/* Runs in the app's page (not in a map's frame): notes a click on a link to another of
 * the app's pages until the app has run that page. A map's report sent in between would
 * take the person back (Streamlit sends a widget's value with the page it drew last):
 * wijkmap-map.js sends none while window.wijkmapLeaving names the map's page. */
(function () {
  if (window.wijkmapLeaving !== undefined) { return; }
  window.wijkmapLeaving = null;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey
        || link.target === "_blank" || link.hasAttribute("download")) { return; }
    var to = new URL(link.href, location.href);
    if (to.origin === location.origin && to.pathname !== location.pathname) {
      window.wijkmapLeaving = {from: location.pathname, ran: false};
    }
  }, true);
  window.addEventListener("popstate", function () { window.wijkmapLeaving = null; });
  // Streamlit writes the new page's address with pushState once it has the page; it may
  // handle a whole run's messages at once, so that the run's state shows no change.
  function arrived() {
    if (window.wijkmapLeaving && location.pathname !== window.wijkmapLeaving.from) { window.wijkmapLeaving = null; }
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var write = history[name];
    history[name] = function () { var result = write.apply(this, arguments); arrived(); return result; };
  });
  var app = document.querySelector('[data-testid="stApp"]');
  if (!app) { return; }
  // Arrived once the address is another page's, or once a run that began after the click
  // has ended (a run under way at the click ending says nothing). The states a change
  // went to: each change's old value is the state before it.
  new MutationObserver(function (changes) {
    var leaving = window.wijkmapLeaving, state = app.getAttribute("data-test-script-state");
    if (!leaving) { return; }
    var reached = changes.slice(1).map(function (change) { return change.oldValue; }).concat([state]);
    if (reached.indexOf("running") >= 0) { leaving.ran = true; }
    if (leaving.ran && state === "notRunning") { window.wijkmapLeaving = null; } else { arrived(); }
  }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ["data-test-script-state"]});
})();

/* Briefing keys inside a map: ← and → step the slides wherever the focus is, the map included.
 *
 * A click in the map moves the focus into the map's own frame (the st_folium iframe), so the page's own
 * shortcuts no longer hear the arrow keys. This forwards them to the page that holds the frame; the map
 * neither pans nor keeps them. Escape closes an open popup. Where the map is the page itself (a standalone
 * file), there is nothing to forward to and the keys are left alone.
 */
window.briefingKeys = function (map) {
  "use strict";
  var STEP = { ArrowLeft: 37, ArrowRight: 39 };
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  window.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { map.closePopup(); return; }
    if (!(event.key in STEP) || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var top;
    try { top = window.parent; if (top === window || !top.document) return; } catch (err) { return; }
    event.preventDefault();
    event.stopPropagation();  /* capture phase: Leaflet's keyboard panning never sees it */
    var init = { key: event.key, code: event.key, keyCode: STEP[event.key], which: STEP[event.key],
                 bubbles: true, cancelable: true };
    top.document.dispatchEvent(new top.KeyboardEvent("keydown", init));
    top.document.dispatchEvent(new top.KeyboardEvent("keyup", init));
  }, true);
};

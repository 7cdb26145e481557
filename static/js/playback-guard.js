/* The Time page: a playing month map is paused before anything outside it can rerun the page.
 *
 * The animated map plays in the browser (Plotly frames, one full redraw every 500 ms). Any widget outside
 * it (the mode, the window, a sidebar filter) reruns the script, and Streamlit then replaces or removes the
 * chart while a frame's redraw is still under way: Plotly goes on drawing into a chart it has already torn
 * down and throws ("Cannot read properties of undefined (reading '_rangeSliderData')"), and the new chart
 * could end blank. Pressing a pointer or a key outside a playing map first presses that map's own Pause
 * button (Plotly's public control), in the capture phase, so the animation has stopped before the rerun.
 * Plotly also rejects an interrupted animation's promise, with no reason, whenever Pause (or a new Play)
 * stops it, and Streamlit's chart does not catch it: an uncaught "undefined" error on every pause. Those
 * rejections, and only those (a rejection without a reason), are marked handled here.
 * A component (st.components.v2) of the Time page.
 */
export default function () {
  "use strict";
  if (window.__playbackGuardInstalled) return;
  window.__playbackGuardInstalled = true;
  var PAUSE = "\u275a\u275a Pause";

  function playing(plot) {
    var state = plot._transitionData;
    return Boolean(state && (state._animationRaf || (state._frameQueue && state._frameQueue.length)));
  }

  function pause(plot) {
    var buttons = plot.querySelectorAll(".updatemenu-button");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].textContent.trim() === PAUSE) {
        buttons[i].dispatchEvent(new MouseEvent("click", { bubbles: true }));
        return;
      }
    }
  }

  function guard(event) {
    var plots = document.querySelectorAll(".js-plotly-plot");
    for (var i = 0; i < plots.length; i++) {
      if (!plots[i].contains(event.target) && playing(plots[i])) pause(plots[i]);
    }
  }

  window.addEventListener("unhandledrejection", function (event) {
    if (event.reason === undefined) event.preventDefault();
  });
  document.addEventListener("pointerdown", guard, true);
  document.addEventListener("keydown", guard, true);
}

/* The sidebar's date range: typed dates apply on Enter and Tab, and a reversed range is reported.
 *
 * Streamlit's st.date_input (React Aria segments) buffers typed digits and commits them only when the focus
 * leaves the whole widget, the calendar closes, or a date is pasted: Enter does nothing, and Tab from the
 * start date moves to the end date inside the same widget, so nothing applies. Here Enter, and Tab or
 * Shift+Tab that leaves one date for the other (or for the calendar button), paste the two typed dates into
 * the start field as one range ("start – end"), which Streamlit commits at once; the focus stays where the
 * key sends it. (Moving the focus out and back instead works once: the calendar reopens on the way back and
 * the field then ignores its next blur.) Tab is left alone while the typed dates are reversed: the user is
 * still typing a new range (a later start, its end next), and committing would put the old end first.
 *
 * Streamlit also puts an end-before-start range in order without a word. When the typed dates are committed
 * reversed, this reports them as the trigger `reversed` ({start, end}), so the app can say so.
 * A component (st.components.v2) of the app page, mounted once in the sidebar.
 */
export default function (component) {
  "use strict";
  window.__dateKeysReport = component.setTriggerValue;  /* the latest mounted sidebar reports */
  if (window.__dateKeysInstalled) return;
  window.__dateKeysInstalled = true;
  var FIELD = '[data-testid="stDateInputField"]';
  var STOPS = '[role="spinbutton"][contenteditable="true"], [data-testid="stDateInputCalendarButton"]';
  var BIDI_MARKS = /[\u200e\u200f\u2066-\u2069]/g;

  function typedDays(field) {
    return Array.prototype.map.call(field.querySelectorAll('input[type="date"]'), function (input) {
      return input.value;
    });
  }

  function reversed(days) {
    return days.length === 2 && Boolean(days[0]) && Boolean(days[1]) && days[1] < days[0];
  }

  function report(field) {
    var days = typedDays(field);
    if (reversed(days) && window.__dateKeysReport) {
      window.__dateKeysReport("reversed", { start: days[0], end: days[1] });
    }
  }

  /* Pastes "start – end", as shown in the widget's own format, into its start date: Streamlit commits it. */
  function commit(field) {
    var dates = field.querySelectorAll('[role="group"]');
    if (dates.length !== 2) return;
    var shown = Array.prototype.map.call(dates, function (date) {
      return date.textContent.replace(BIDI_MARKS, "").trim();
    });
    var clipboard = new DataTransfer();
    clipboard.setData("text/plain", shown[0] + " \u2013 " + shown[1]);
    report(field);
    var first = dates[0].querySelector('[role="spinbutton"]');
    first.dispatchEvent(new ClipboardEvent("paste", { clipboardData: clipboard, bubbles: true, cancelable: true }));
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement) || target.getAttribute("role") !== "spinbutton") return;
    var field = target.closest(FIELD);
    if (!field || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter") {
      event.preventDefault();
      commit(field);
      return;
    }
    if (event.key !== "Tab") return;
    var stops = Array.prototype.slice.call(field.querySelectorAll(STOPS));
    var next = stops[stops.indexOf(target) + (event.shiftKey ? -1 : 1)];
    /* Within one date, Tab moves between its parts; leaving the widget commits by itself. */
    if (!next || next.closest('[role="group"]') === target.closest('[role="group"]')) return;
    if (!reversed(typedDays(field))) commit(field);
  }, true);

  /* The focus leaving the widget commits the typed dates too (Streamlit's own way): report them reversed.
     Capture phase: runs before Streamlit puts them in order. */
  document.addEventListener("focusout", function (event) {
    var field = event.target instanceof HTMLElement && event.target.closest(FIELD);
    if (field && !field.contains(event.relatedTarget)) report(field);
  }, true);
}

"""A whole briefing as one HTML file that opens from disk with no network: every slide's map, stepped with
the arrow keys, with slide numbers, a notes panel and a page title.

Each slide is its own Leaflet map (its own filters, layers, highlights and caption), built as for the
Briefing page and made standalone (src/standalone.py); the scripts and styles the maps share are kept once,
so the file grows by the slide's own data only. Every map is laid out from the start (hidden slides are
`visibility: hidden`, not `display: none`), so each draws at its real size.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from src.briefing import Briefing, Slide
from src.dataset import Dataset
from src.drawing.templates import script_json
from src.filters import filter_incidents
from src.mapview import build_map
from src.sources import citation
from src.standalone import standalone_html
from src.text import esc

HEAD_BLOCK = re.compile(r"<script>.*?</script>|<style>.*?</style>", re.DOTALL)
BODY = re.compile(r"<body>(.*?)</body>(.*?)</html>", re.DOTALL)

DECK_CSS = """
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; color: #111; background: #fff; }
.deck-bar { position: fixed; top: 0; left: 0; right: 0; height: 48px; display: flex; align-items: center;
  gap: 12px; padding: 0 14px; background: #1b3a5c; color: #fff; z-index: 2000; box-sizing: border-box; }
.deck-bar h1 { font-size: 17px; margin: 0; font-weight: 700; flex: 1; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.deck-bar button { font: inherit; font-size: 15px; padding: 4px 12px; border-radius: 5px; border: 1px solid #fff;
  background: transparent; color: #fff; cursor: pointer; }
.deck-bar button:disabled { opacity: 0.4; cursor: default; }
.deck-bar button:focus-visible { outline: 3px solid #ffcc00; outline-offset: 1px; }
#slide-number { font-weight: 700; font-size: 16px; min-width: 9ch; text-align: center; }
.deck-slides { position: fixed; top: 48px; left: 0; right: 0; bottom: 0; }
.slide { position: absolute; inset: 0; visibility: hidden; }
.slide.current { visibility: visible; }
.slide-map { position: absolute; inset: 0; }
.slide-notes { display: none; position: absolute; right: 12px; bottom: 34px; width: min(460px, 40vw);
  max-height: 45%; overflow-y: auto; background: rgba(255,255,255,0.97); border: 1px solid #1b3a5c;
  border-radius: 6px; padding: 10px 14px; z-index: 1500; font-size: 15px; line-height: 1.4;
  box-shadow: 0 2px 8px rgba(0,0,0,0.3); }
.show-notes .slide-notes { display: block; }
.slide-notes h2 { font-size: 16px; margin: 0 0 6px; }
.slide-notes .sources { font-size: 13px; color: #333; }
.deck-hint { font-size: 13px; opacity: 0.85; }
@media print {
  @page { size: A4 landscape; margin: 8mm; }
  .deck-bar, .slide-notes { display: none !important; }
  .deck-slides { position: static; }
  .slide { position: relative; visibility: visible; height: 190mm; break-after: page; overflow: hidden; }
  .slide:last-child { break-after: auto; }
}
"""

DECK_JS = """
(function () {
  "use strict";
  var slides = document.querySelectorAll(".slide"), count = slides.length, current = 0;
  var views = JSON.parse(document.getElementById("deck-views").textContent);
  function show(index) {
    index = Math.max(0, Math.min(count - 1, index));
    slides[current].classList.remove("current");
    slides[current].setAttribute("aria-hidden", "true");
    current = index;
    slides[current].classList.add("current");
    slides[current].removeAttribute("aria-hidden");
    var map = window[views[current].map];
    if (map) { map.closePopup(); map.invalidateSize(false); }
    document.getElementById("slide-number").textContent = "Slide " + (current + 1) + " of " + count;
    document.getElementById("prev").disabled = current === 0;
    document.getElementById("next").disabled = current === count - 1;
    document.body.setAttribute("data-slide", String(current + 1));
    document.title = views[current].title + " · " + views[current].deck;
    if (location.hash !== "#" + (current + 1)) history.replaceState(null, "", "#" + (current + 1));
  }
  function notes() {
    var on = document.body.classList.toggle("show-notes");
    document.getElementById("notes").setAttribute("aria-pressed", on ? "true" : "false");
  }
  document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  document.getElementById("notes").addEventListener("click", notes);
  /* Capture phase: the arrows step slides wherever the focus is, a map included (Leaflet would pan). */
  window.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var step = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (step) { event.preventDefault(); event.stopPropagation(); show(current + step); }
    else if (event.key === "Home") { event.preventDefault(); show(0); }
    else if (event.key === "End") { event.preventDefault(); show(count - 1); }
    else if (event.key === "n" || event.key === "N") { notes(); }
    else if (event.key === "Escape") { var map = window[views[current].map]; if (map) map.closePopup(); }
  }, true);
  var start = parseInt(location.hash.slice(1), 10);
  show(start >= 1 && start <= count ? start - 1 : 0);
})();
"""


def _range_text(slide: Slide) -> str:
    if slide.view.start and slide.view.end:
        return f"{slide.view.start:%-d %b %Y} – {slide.view.end:%-d %b %Y}"
    return "all dates"


def slide_stamp(slide: Slide, verb: str, day: dt.date) -> str:
    """The date stamp on a slide's map: the dates it shows, and when it was shown or exported."""
    return f"{_range_text(slide)} · {verb} {day:%-d %B %Y}"


def _notes_html(data: Dataset, slide: Slide) -> str:
    parts = [f"<h2>{esc(slide.title)}</h2>"]
    if slide.notes:
        parts.append(f"<p>{esc(slide.notes)}</p>")
    if slide.sources:
        cited = "; ".join(esc(citation(data.sources, s)) for s in slide.sources)
        parts.append(f'<p class="sources"><strong>Sources:</strong> {cited}</p>')
    return "".join(parts)


def deck_html(data: Dataset, briefing: Briefing, language: str, day: dt.date | None = None) -> str:
    """Every slide of `briefing` in one self-contained HTML document."""
    day = day or dt.date.today()
    shared: dict[str, None] = {}
    sections, scripts, views = [], [], []
    count = len(briefing.slides)
    for number, slide in enumerate(briefing.slides, start=1):
        view = replace(slide.view, language=language)
        incidents = filter_incidents(data.incidents, view)
        caption = (slide.title, briefing.title, slide_stamp(slide, "exported", day))
        fmap = build_map(data, view, incidents, caption=caption, highlight=slide.highlight, key=f"slide{number}")
        html = standalone_html(fmap)
        head = html[html.index("<head>") + len("<head>") : html.index("</head>")]
        for block in HEAD_BLOCK.findall(head):
            shared.setdefault(block)
        body = BODY.search(html)
        if body is None:  # folium's page layout changed; better to fail loudly than ship a broken deck
            raise ValueError("unexpected map page layout")
        sections.append(
            f'<section class="slide" id="slide-{number}" data-slide="{number}" aria-hidden="true" '
            f'aria-label="Slide {number} of {count}: {esc(slide.title)}">'
            f'<div class="slide-map">{body.group(1)}</div>'
            f'<aside class="slide-notes">{_notes_html(data, slide)}</aside></section>'
        )
        scripts.append(body.group(2))
        views.append({"map": fmap.get_name(), "title": slide.title, "deck": briefing.title})

    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(briefing.title)}</title>",
            *shared,
            f"<style>{DECK_CSS}</style>",
            "</head>",
            "<body>",
            '<header class="deck-bar">',
            f"<h1>{esc(briefing.title)}{' · ' + esc(briefing.subtitle) if briefing.subtitle else ''}</h1>",
            '<span class="deck-hint">← → to step · N for notes</span>',
            '<button type="button" id="prev" aria-label="Previous slide">← Previous</button>',
            '<span id="slide-number" aria-live="polite"></span>',
            '<button type="button" id="next" aria-label="Next slide">Next →</button>',
            '<button type="button" id="notes" aria-pressed="false">Notes</button>',
            "</header>",
            '<main class="deck-slides">',
            *sections,
            "</main>",
            f'<script type="application/json" id="deck-views">{script_json(views)}</script>',
            *scripts,
            f"<script>{DECK_JS}</script>",
            "</body>",
            "</html>",
        ]
    )

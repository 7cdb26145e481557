/* Incidents of a store too large to send to the browser (src/drawing/store_view.py): for each view the page
 * sends either the matching incidents themselves, drawn by the incident layer (static/js/incident-layer.js,
 * so they look and open exactly as on a small store), or their counts per grid cell, merged where close on
 * screen and drawn as discs with the count.
 *
 * A view arrives through the incident bridge (static/components/incident_bridge), which calls setFilter()
 * with it, so a filter change never rebuilds the map. After every draw the map container carries
 * data-store-view ("points" or "cells") and data-incidents-drawn (the incidents shown, one by one or
 * counted in cells); tests and benchmarks read them.
 */
(function () {
  "use strict";
  var MERGE = 56;  // px: cells closer than this on screen are one disc

  function typed(b64, Type) {
    var text = atob(b64 || ""), raw = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) raw[i] = text.charCodeAt(i);
    return new Type(raw.buffer, 0, raw.length / Type.BYTES_PER_ELEMENT);
  }
  function label(count) {
    if (count >= 1e6) return (count / 1e6).toFixed(count >= 1e7 ? 0 : 1) + "M";
    if (count >= 1e4) return Math.round(count / 1e3) + "k";
    if (count >= 1e3) return (count / 1e3).toFixed(1) + "k";
    return String(count);
  }

  L.StoreViewLayer = L.Layer.extend({
    initialize: function (options) {
      L.setOptions(this, options);
      this._view = null;
      this._points = null;
      this._cells = null;
      window.__incidentLayers = window.__incidentLayers || {};
      window.__incidentLayers[options.key] = this;
      var pending = window.__pageIncidentFilter && window.__pageIncidentFilter(options.key);
      if (pending) this._view = pending;
    },

    /* Called by the bridge with the view's incidents: {n, points: {draw, texts}} or {n, cells: {...}};
       texts are the popup texts, or the URL of a file holding them. */
    setFilter: function (view) {
      this._view = view;
      this._show();
    },

    frames: function () { return []; },  // no playback: the browser does not hold the incidents

    onAdd: function (map) {
      this._map = map;
      var pane = map.getPane("incidents") || map.createPane("incidents");
      pane.style.zIndex = 450;
      this._canvas = L.DomUtil.create("canvas", "store-cells-canvas leaflet-zoom-hide", pane);
      this._canvas.style.position = "absolute";
      this._canvas.style.pointerEvents = "none";
      map.on("moveend zoomend resize viewreset", this._drawCells, this);
      this._show();
    },

    onRemove: function (map) {
      if (this._points) map.removeLayer(this._points);
      this._points = null;
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset", this._drawCells, this);
    },

    _show: function () {
      var map = this._map, view = this._view;
      if (!map || !view) return;
      if (this._points) map.removeLayer(this._points);
      this._points = null;
      this._cells = null;
      if (view.points) {
        var texts = view.points.texts;
        this._points = L.incidentLayer(
          view.points.draw,
          { name: this.options.name, key: this.options.key + ":points", highlight: [], recordUrl: this.options.recordUrl },
          typeof texts === "string" ? texts : function () { return texts; }  /* a URL: fetched on the first click */
        ).addTo(map);
      } else {
        this._cells = {
          n: view.cells.n,
          lat: typed(view.cells.lat, Int32Array),
          lon: typed(view.cells.lon, Int32Array),
          count: typed(view.cells.count, Uint32Array),
        };
      }
      this._drawCells();
      var container = map.getContainer();
      container.dataset.storeView = view.points ? "points" : "cells";
      container.dataset.storeMatching = String(view.n);
    },

    _drawCells: function () {
      var map = this._map;
      if (!map) return;
      var size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this._canvas;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      var cells = this._cells;
      if (!cells) return;
      var merged = {}, drawn = 0, discs = 0;
      for (var i = 0; i < cells.n; i++) {
        var point = map.latLngToContainerPoint([cells.lat[i] / 1e5, cells.lon[i] / 1e5]);
        var key = Math.floor(point.x / MERGE) + ":" + Math.floor(point.y / MERGE);
        var disc = merged[key] || (merged[key] = { x: 0, y: 0, count: 0 });
        disc.x += point.x * cells.count[i];
        disc.y += point.y * cells.count[i];
        disc.count += cells.count[i];
        drawn += cells.count[i];
      }
      ctx.font = "bold 12px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (var k in merged) {
        var d = merged[k], x = d.x / d.count, y = d.y / d.count;
        var r = 10 + Math.min(12, Math.log(d.count) * 1.3);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = "rgba(31, 41, 51, 0.82)";
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = "#ffffff";
        ctx.stroke();
        ctx.fillStyle = "#ffffff";
        ctx.fillText(label(d.count), x, y);
        discs++;
      }
      var container = map.getContainer();
      container.dataset.incidentsDrawn = String(drawn);
      container.dataset.storeDiscs = String(discs);
    },
  });

  L.storeViewLayer = function (options) { return new L.StoreViewLayer(options); };
})();

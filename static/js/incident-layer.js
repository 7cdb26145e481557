/* Incident layer: draws many points on one canvas and builds popups with textContent (never innerHTML).
 * Data arrive column-wise from src/layers/incidents.py: what drawing needs (lat, lon, cat, prec), and a
 * function returning the popup texts (id, title, date, place, cas, desc, src), called on the first click. After each draw the map container carries data-incidents-drawn (points in the
 * layer) and data-incidents-visible (points inside the current view), which tests and benchmarks read. */
(function () {
  "use strict";
  var RADIUS = 5;
  var HIT_RADIUS = 8;
  var MAX_LISTED = 12;

  function mercatorY(lat) {
    var s = Math.sin((lat * Math.PI) / 180);
    return 128 - (64 / Math.PI) * Math.log((1 + s) / (1 - s));
  }

  function decoded(column, i) {
    return column.values[column.codes[i]];
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  L.IncidentLayer = L.Layer.extend({
    initialize: function (data, options, texts) {
      L.setOptions(this, options);
      this._data = data;
      this._textSource = texts;
      this._texts = null;
      var n = data.lat.length;
      this._n = n;
      this._wx = new Float64Array(n);
      this._wy = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        this._wx[i] = ((data.lon[i] + 180) / 360) * 256;
        this._wy[i] = mercatorY(data.lat[i]);
      }
      this._sx = new Float32Array(n);
      this._sy = new Float32Array(n);
      this._highlighted = [];
      var wanted = {};
      (options.highlight || []).forEach(function (id) { wanted[id] = true; });
      if (options.highlight && options.highlight.length) {
        var ids = this.texts().id;
        for (var h = 0; h < n; h++) if (wanted[ids[h]]) this._highlighted.push(h);
      }
    },

    texts: function () {
      if (!this._texts) this._texts = this._textSource ? this._textSource() : { id: [] };
      return this._texts;
    },

    onAdd: function (map) {
      this._map = map;
      // Own pane above the polygons and settlement dots, below crossing and base markers.
      var pane = map.getPane("incidents") || map.createPane("incidents");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
      this._canvas = L.DomUtil.create("canvas", "incident-canvas leaflet-zoom-hide", pane);
      this._canvas.style.position = "absolute";
      map.on("moveend zoomend resize viewreset", this._draw, this);
      // Capture phase: an incident under the pointer wins over the polygon or settlement beneath it,
      // whose own popups would otherwise stop the click before the map sees it.
      this._clickListener = L.bind(this._onClick, this);
      map.getContainer().addEventListener("click", this._clickListener, true);
      this._draw();
    },

    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset", this._draw, this);
      map.getContainer().removeEventListener("click", this._clickListener, true);
      map.getContainer().dataset.incidentsVisible = "0";
    },

    _draw: function () {
      var map = this._map;
      if (!map) return;
      var size = map.getSize();
      var ratio = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);

      var scale = Math.pow(2, map.getZoom());
      var origin = map.getPixelOrigin();
      var offX = -origin.x - topLeft.x;
      var offY = -origin.y - topLeft.y;
      var data = this._data;
      var cats = data.categories;
      var n = this._n;
      var visible = 0;
      var buckets = [];
      for (var c = 0; c < cats.length; c++) buckets.push([[], [], []]);
      for (var i = 0; i < n; i++) {
        var x = this._wx[i] * scale + offX;
        var y = this._wy[i] * scale + offY;
        this._sx[i] = x;
        this._sy[i] = y;
        if (x < -RADIUS * 3 || y < -RADIUS * 3 || x > size.x + RADIUS * 3 || y > size.y + RADIUS * 3) continue;
        visible++;
        buckets[data.cat[i]][data.prec[i]].push(i);
      }
      for (c = 0; c < cats.length; c++) {
        var color = cats[c].color;
        var exact = buckets[c][0], settlement = buckets[c][1], municipality = buckets[c][2];
        if (municipality.length) {
          ctx.beginPath();
          for (var m = 0; m < municipality.length; m++) {
            var k = municipality[m];
            ctx.moveTo(this._sx[k] + RADIUS * 1.8, this._sy[k]);
            ctx.arc(this._sx[k], this._sy[k], RADIUS * 1.8, 0, 2 * Math.PI);
          }
          ctx.setLineDash([3, 3]);
          ctx.lineWidth = 2;
          ctx.strokeStyle = color;
          ctx.stroke();
          ctx.setLineDash([]);
        }
        if (settlement.length) {
          ctx.beginPath();
          for (var s = 0; s < settlement.length; s++) {
            var q = settlement[s];
            ctx.moveTo(this._sx[q] + RADIUS, this._sy[q]);
            ctx.arc(this._sx[q], this._sy[q], RADIUS, 0, 2 * Math.PI);
          }
          ctx.fillStyle = "rgba(255,255,255,0.85)";
          ctx.fill();
          ctx.lineWidth = 2.5;
          ctx.strokeStyle = color;
          ctx.stroke();
        }
        if (exact.length) {
          ctx.beginPath();
          for (var e = 0; e < exact.length; e++) {
            var p = exact[e];
            ctx.moveTo(this._sx[p] + RADIUS, this._sy[p]);
            ctx.arc(this._sx[p], this._sy[p], RADIUS, 0, 2 * Math.PI);
          }
          ctx.fillStyle = color;
          ctx.fill();
          ctx.lineWidth = 1;
          ctx.strokeStyle = "#ffffff";
          ctx.stroke();
        }
      }
      for (var k2 = 0; k2 < this._highlighted.length; k2++) {
        i = this._highlighted[k2];
        ctx.beginPath();
        ctx.arc(this._sx[i], this._sy[i], RADIUS * 2.6, 0, 2 * Math.PI);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "#d55e00";
        ctx.stroke();
      }
      var container = map.getContainer();
      container.dataset.incidentsDrawn = String(n);
      container.dataset.incidentsVisible = String(visible);
      this.fire("drawn", { drawn: n, visible: visible });
    },

    _onClick: function (event) {
      if (event.target.closest && event.target.closest(".leaflet-popup, .leaflet-control, .leaflet-marker-icon")) return;
      var pt = this._map.mouseEventToContainerPoint(event);
      var hits = [];
      var r2 = HIT_RADIUS * HIT_RADIUS;
      for (var i = 0; i < this._n; i++) {
        var dx = this._sx[i] - pt.x, dy = this._sy[i] - pt.y;
        if (dx * dx + dy * dy <= r2) hits.push(i);
      }
      if (!hits.length) return;
      event.stopPropagation();
      L.popup({ maxWidth: 360, maxHeight: 380 })
        .setLatLng([this._data.lat[hits[0]], this._data.lon[hits[0]]])
        .setContent(this._popup(hits))
        .openOn(this._map);
    },

    _popup: function (hits) {
      var data = this._data;
      var texts = this.texts();
      var root = el("div", null, "map-popup incident-popup");
      if (hits.length > 1) root.appendChild(el("div", hits.length + " incidents here", "popup-count"));
      hits.slice(0, MAX_LISTED).forEach(function (i) {
        var item = el("div", null, "incident");
        var cat = data.categories[data.cat[i]];
        var title = el("h4", texts.title[i]);
        var swatch = el("span", null, "swatch");
        swatch.style.background = cat.color;
        title.insertBefore(swatch, title.firstChild);
        item.appendChild(title);
        item.appendChild(el("div", decoded(texts.date, i) + " · " + cat.label + " · " + decoded(texts.place, i), "meta"));
        item.appendChild(el("div", decoded(texts.cas, i), "casualties"));
        var desc = decoded(texts.desc, i);
        if (desc) item.appendChild(el("p", desc, "desc"));
        item.appendChild(el("div", "Location: " + data.precisions[data.prec[i]], "precision"));
        var list = el("ol", null, "sources");
        decoded(texts.src, i).forEach(function (s) {
          var source = texts.sources[s];
          var li = el("li");
          if (/^https?:\/\//i.test(source[1])) {
            var a = el("a", source[0]);
            a.href = source[1];
            a.target = "_blank";
            a.rel = "noopener noreferrer";
            li.appendChild(a);
          } else {
            li.textContent = source[0];
          }
          list.appendChild(li);
        });
        item.appendChild(list);
        if (this.options.recordUrl) {
          var link = el("a", "Open record", "record-link");
          link.href = this.options.recordUrl + encodeURIComponent(texts.id[i]);
          link.target = "_blank";
          link.rel = "noopener";
          item.appendChild(link);
        }
        root.appendChild(item);
      }, this);
      if (hits.length > MAX_LISTED) root.appendChild(el("div", "and " + (hits.length - MAX_LISTED) + " more; zoom in or filter", "more"));
      return root;
    }
  });

  L.incidentLayer = function (data, options, texts) {
    return new L.IncidentLayer(data, options || {}, texts);
  };
})();

/* Incident layer: every incident of the session sent once, drawn on one canvas, filtered in the browser.
 *
 * Data arrive as typed columns (base64, src/drawing/incidents.py): lat/lon (Int32, 1e-5 degrees), day and
 * span (Int32 days since 1970, Uint16 days it lasts), cat/prec/muni (Uint8 codes). Popup texts come on the
 * first click, from a function in the map or a file the live app publishes (fetched once), and are put in
 * the page with textContent only, never as HTML.
 *
 * A filter is {mask: base64 bitset of the incidents the server's non-date filters keep, start, end (days)}:
 * setFilter() redraws with it, so the match count the server shows and what is drawn agree. Incidents at
 * one point, or too close to tell apart at this zoom, are one mark with a count; those known only to their
 * municipality are a count badge by its name (where it covers no other mark), never a point at a place. After every draw the map container carries data-incidents-drawn (incidents drawn
 * after the filter) and data-incidents-visible (inside the view); tests and benchmarks read them.
 */
(function () {
  "use strict";
  var SIZE = 6;           // half-size of a single mark, px
  var CELL = 22;          // incidents closer than this on screen share one mark
  var HIT = 10;           // click tolerance, px
  var PAGE = 100;         // incidents listed per page in a popup
  var UNCERTAINTY_M = 1000; // a settlement-precision place: somewhere within about a kilometre
  var UNCERTAINTY_ZOOM = 13;
  var BADGE_OFFSET = 4;     // px below the municipality's name label

  function bytes(b64) {
    var text = atob(b64 || ""), out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  /* The latest filter the page's bridge gave this layer's key (static/components/incident_bridge), kept on the
     page: a layer created after it (a map still loading, or built again for another language or layers)
     starts from it. None in a standalone file. */
  function pageFilter(key) {
    try { return (window.parent.__incidentFilters || {})[key] || null; } catch (err) { return null; }
  }
  window.__pageIncidentFilter = pageFilter;
  function typed(b64, Type) { var raw = bytes(b64); return new Type(raw.buffer, 0, raw.length / Type.BYTES_PER_ELEMENT); }
  function decoded(column, i) { return column.values[column.codes[i]]; }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function mercatorY(lat) {
    var s = Math.sin((lat * Math.PI) / 180);
    return 128 - (64 / Math.PI) * Math.log((1 + s) / (1 - s));
  }

  /* One mark: the category's shape (a second cue beside colour), solid for an exact site, a ring for a
   * settlement. The legend calls this same function, so it shows exactly what the map draws. */
  function drawMark(ctx, x, y, shape, color, hollow, size) {
    var r = size || SIZE;
    ctx.beginPath();
    if (shape === "square") ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
    else if (shape === "diamond") { ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r * 1.15); ctx.lineTo(x - r, y); ctx.closePath(); }
    else if (shape === "triangle") { ctx.moveTo(x, y - r * 1.1); ctx.lineTo(x + r * 1.05, y + r * 0.8); ctx.lineTo(x - r * 1.05, y + r * 0.8); ctx.closePath(); }
    else if (shape === "star" || shape === "burst") {
      var points = shape === "star" ? 5 : 8, inner = shape === "star" ? 0.45 : 0.6;
      for (var k = 0; k < points * 2; k++) {
        var a = (Math.PI * k) / points - Math.PI / 2, rr = k % 2 ? r * 1.2 * inner : r * 1.2;
        if (k) ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); else ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
      }
      ctx.closePath();
    } else if (shape === "hexagon") {
      for (var h = 0; h < 6; h++) {
        var b = (Math.PI * h) / 3;
        if (h) ctx.lineTo(x + r * 1.05 * Math.cos(b), y + r * 1.05 * Math.sin(b)); else ctx.moveTo(x + r * 1.05, y);
      }
      ctx.closePath();
    } else if (shape === "bar") ctx.rect(x - r * 1.15, y - r * 0.5, r * 2.3, r);
    else ctx.arc(x, y, r, 0, 2 * Math.PI);
    if (hollow) {
      ctx.fillStyle = "#ffffff"; ctx.fill();
      ctx.lineWidth = 2.5; ctx.strokeStyle = color; ctx.stroke();
    } else {
      ctx.fillStyle = color; ctx.fill();
      ctx.lineWidth = 1.2; ctx.strokeStyle = "#ffffff"; ctx.stroke();
    }
  }

  /* Several incidents as one mark: a dark disc with their count. */
  function drawStack(ctx, x, y, count) {
    var r = 9 + Math.min(9, Math.log(count) * 2.2);
    ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = "#1f2933"; ctx.fill();
    ctx.lineWidth = 2; ctx.strokeStyle = "#ffffff"; ctx.stroke();
    ctx.fillStyle = "#ffffff"; ctx.font = "bold 11px system-ui, sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.fillText(count > 999 ? Math.round(count / 1000) + "k" : String(count), x, y + 0.5);
    return r;
  }

  /* Incidents known only to their municipality: a dashed badge with their count. */
  function drawBadge(ctx, x, y, count) {
    var text = count + " in municipality";
    ctx.font = "bold 11px system-ui, sans-serif";
    var w = ctx.measureText(text).width + 14, h = 20;
    ctx.beginPath(); ctx.rect(x - w / 2, y - h / 2, w, h);
    ctx.fillStyle = "rgba(255,255,255,0.95)"; ctx.fill();
    ctx.setLineDash([4, 3]); ctx.lineWidth = 1.6; ctx.strokeStyle = "#1f2933"; ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = "#1f2933"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.fillText(text, x, y + 0.5);
    return { w: w, h: h };
  }

  L.IncidentLayer = L.Layer.extend({
    initialize: function (data, options, texts) {
      L.setOptions(this, options);
      this._data = data;
      this._textSource = texts;
      this._texts = null;
      var n = data.n;
      this._n = n;
      this._lat = typed(data.lat, Int32Array);
      this._lon = typed(data.lon, Int32Array);
      this._day = typed(data.day, Int32Array);
      this._span = typed(data.span, Uint16Array);
      this._cat = typed(data.cat, Uint8Array);
      this._prec = typed(data.prec, Uint8Array);
      this._muni = typed(data.muni, Uint8Array);
      this._wx = new Float64Array(n);
      this._wy = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        this._wx[i] = ((this._lon[i] / 1e5 + 180) / 360) * 256;
        this._wy[i] = mercatorY(this._lat[i] / 1e5);
      }
      this._vague = data.precisions.indexOf("municipality");
      this._settlement = data.precisions.indexOf("settlement");
      this._keep = new Uint8Array(n).fill(1);
      this._marks = [];
      this._fanned = null;
      var wanted = {};
      (options.highlight || []).forEach(function (id) { wanted[id] = true; });
      this._highlighted = {};
      if (options.highlight && options.highlight.length) {
        var self = this;
        this.withTexts(function (texts) {
          for (var h = 0; h < n; h++) if (wanted[texts.id[h]]) self._highlighted[h] = true;
          if (self._map) self._draw();
        });
      }
      window.__incidentLayers = window.__incidentLayers || {};
      window.__incidentLayers[options.key || options.name] = this;
      var pending = pageFilter(options.key || options.name);
      if (pending) this._applyFilter(pending);
      else if (options.filter) this._applyFilter(options.filter);
    },

    /* Calls `use` with the popup texts: kept inside the map (a function), or fetched once from their URL
       (the live app publishes them as a file, fetched on the first click). */
    withTexts: function (use) {
      var self = this, source = this._textSource;
      if (this._texts) return use(this._texts);
      if (typeof source !== "string") {
        this._texts = source ? source() : { id: [] };
        return use(this._texts);
      }
      if (!this._textsLoading) {
        this._textsLoading = fetch(source).then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + source);
          return response.json();
        });
        this._textsLoading.catch(function () { self._textsLoading = null; });  /* the next click tries again */
      }
      this._textsLoading.then(function (texts) { self._texts = texts; use(texts); }, function (error) {
        if (window.console) console.error("incident texts not loaded:", error);
      });
    },

    /* Which incidents to draw: the server's mask (non-date filters) and a date window, both optional. */
    setFilter: function (filter) {
      this._applyFilter(filter || {});
      this._fanned = null;
      this._draw();
    },

    _applyFilter: function (filter) {
      var n = this._n, keep = this._keep, day = this._day, span = this._span;
      var mask = filter.mask ? bytes(filter.mask) : null;
      var start = filter.start === null || filter.start === undefined ? -Infinity : filter.start;
      var end = filter.end === null || filter.end === undefined ? Infinity : filter.end;
      for (var i = 0; i < n; i++) {
        var ok = !mask || (mask[i >> 3] >> (i & 7)) & 1;
        keep[i] = ok && day[i] <= end && day[i] + span[i] >= start ? 1 : 0;
      }
      this._filter = filter;
    },

    onAdd: function (map) {
      this._map = map;
      var pane = map.getPane("incidents") || map.createPane("incidents");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
      this._canvas = L.DomUtil.create("canvas", "incident-canvas leaflet-zoom-hide", pane);
      this._canvas.style.position = "absolute";
      map.on("moveend zoomend resize viewreset", this._onMove, this);
      // Capture phase: the incidents under the pointer win over any polygon, settlement or marker beneath,
      // whose own handlers would otherwise take the click; a marker there is shown in the same popup.
      this._clickListener = L.bind(this._onClick, this);
      map.getContainer().addEventListener("click", this._clickListener, true);
      this._keyListener = L.bind(function (event) { if (event.key === "Escape") map.closePopup(); }, this);
      document.addEventListener("keydown", this._keyListener);
      this._draw();
    },

    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset", this._onMove, this);
      map.getContainer().removeEventListener("click", this._clickListener, true);
      document.removeEventListener("keydown", this._keyListener);
      map.getContainer().dataset.incidentsVisible = "0";
    },

    _onMove: function (event) {
      if (event && event.type === "zoomend") this._fanned = null;
      this._draw();
    },

    _screen: function (i, scale, offX, offY) {
      return [this._wx[i] * scale + offX, this._wy[i] * scale + offY];
    },

    _draw: function () {
      var map = this._map;
      if (!map) return;
      var size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this._canvas;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      var zoom = map.getZoom(), scale = Math.pow(2, zoom), origin = map.getPixelOrigin();
      var offX = -origin.x - topLeft.x, offY = -origin.y - topLeft.y;
      var cats = this._data.categories, n = this._n, keep = this._keep;
      var badges = {}, drawn = 0, visible = 0, margin = CELL * 2;
      var fanned = this._fanned ? this._fanned.members : null, fannedSet = {};
      if (fanned) fanned.forEach(function (i) { fannedSet[i] = true; });
      // Incidents grouped by screen cell with numbered cells and typed arrays (a string key per incident
      // cost most of a redraw at 100,000): cells in the order their first incident comes, members in order.
      var wx = this._wx, wy = this._wy, prec = this._prec, vague = this._vague, muni = this._muni;
      var cols = Math.ceil((size.x + 2 * margin) / CELL) + 1, rows = Math.ceil((size.y + 2 * margin) / CELL) + 1;
      var count = new Int32Array(cols * rows), sumX = new Float64Array(cols * rows), sumY = new Float64Array(cols * rows);
      var cellOf = this._cellOf && this._cellOf.length === n ? this._cellOf : (this._cellOf = new Int32Array(n));
      var order = [];
      for (var i = 0; i < n; i++) {
        cellOf[i] = -1;
        if (!keep[i]) continue;
        drawn++;
        if (prec[i] === vague) {
          (badges[muni[i]] = badges[muni[i]] || []).push(i);
          continue;
        }
        if (fanned && fannedSet[i]) continue;
        var x = wx[i] * scale + offX, y = wy[i] * scale + offY;
        if (x < -margin || y < -margin || x > size.x + margin || y > size.y + margin) continue;
        visible++;
        var cell = Math.floor((x + margin) / CELL) + cols * Math.floor((y + margin) / CELL);
        if (!count[cell]++) order.push(cell);
        sumX[cell] += x; sumY[cell] += y;
        cellOf[i] = cell;
      }
      var first = new Int32Array(cols * rows), filled = new Int32Array(cols * rows), at = 0;
      for (var c = 0; c < order.length; c++) { first[order[c]] = at; at += count[order[c]]; }
      var sorted = new Int32Array(at);
      for (var k = 0; k < n; k++) if (cellOf[k] >= 0) sorted[first[cellOf[k]] + filled[cellOf[k]]++] = k;
      var cells = order.map(function (cell) { return Array.from(sorted.subarray(first[cell], first[cell] + count[cell])); });
      var marks = [];
      if (zoom >= UNCERTAINTY_ZOOM) this._drawUncertainty(ctx, cells, scale, offX, offY, zoom);
      for (var g = 0; g < cells.length; g++) {
        var members = cells[g], sx = sumX[order[g]] / members.length, sy = sumY[order[g]] / members.length;
        if (members.length === 1) {
          var j = members[0], cat = cats[this._cat[j]];
          drawMark(ctx, sx, sy, cat.shape, cat.color, this._prec[j] === this._settlement);
          marks.push({ x: sx, y: sy, r: SIZE + 2, members: members, kind: "single" });
        } else {
          var r = drawStack(ctx, sx, sy, members.length);
          marks.push({ x: sx, y: sy, r: r, members: members, kind: "stack" });
        }
      }
      if (fanned) marks = marks.concat(this._drawFan(ctx, scale, offX, offY));
      var municipalities = this._data.municipalities, taken = this._occupied(marks);
      this._badgeAt = {};
      for (var code in badges) {
        var base = map.latLngToContainerPoint(municipalities[code].anchor);
        if (base.x < -120 || base.y < -60 || base.x > size.x + 120 || base.y > size.y + 60) continue;
        ctx.font = "bold 11px system-ui, sans-serif";
        var w = ctx.measureText(badges[code].length + " in municipality").width + 14;
        var point = this._freeSpot(base, w, 20, taken);
        if (Math.abs(point.y - base.y - BADGE_OFFSET) > 1 || Math.abs(point.x - base.x) > 1) {
          // moved off the name to stay clear of other marks: a leader line says whose count it is
          ctx.beginPath(); ctx.moveTo(base.x, base.y - 10); ctx.lineTo(point.x, point.y);
          ctx.lineWidth = 1.2; ctx.strokeStyle = "#1f2933"; ctx.setLineDash([2, 2]); ctx.stroke(); ctx.setLineDash([]);
        }
        var box = drawBadge(ctx, point.x, point.y, badges[code].length);
        taken.push({ x: point.x, y: point.y, w: box.w, h: box.h });
        this._badgeAt[code] = point;
        marks.push({ x: point.x, y: point.y, w: box.w, h: box.h, members: badges[code], kind: "municipality", municipality: municipalities[code] });
      }
      for (var h in this._highlighted) {
        if (!keep[h]) continue;
        var p = this._prec[h] === this._vague ? this._badgeAt[this._muni[h]] : { x: this._wx[h] * scale + offX, y: this._wy[h] * scale + offY };
        if (!p) continue;
        ctx.beginPath(); ctx.arc(p.x, p.y, 17, 0, 2 * Math.PI);
        ctx.lineWidth = 3; ctx.strokeStyle = "#d55e00"; ctx.stroke();
      }
      this._marks = marks;
      this._drawLegend();
      var container = map.getContainer();
      container.dataset.incidentsDrawn = String(drawn);
      container.dataset.incidentsVisible = String(visible);
      container.dataset.incidentMarks = String(marks.length);
      this.fire("drawn", { drawn: drawn, visible: visible });
    },

    /* Boxes already used on screen: incident marks, the point layers' markers and the municipality labels. */
    _occupied: function (marks) {
      var taken = marks.map(function (m) { return { x: m.x, y: m.y, w: m.r * 2 + 2, h: m.r * 2 + 2 }; });
      var map = this._map;
      map.eachLayer(function (layer) {
        if (!(layer instanceof L.Marker)) return;
        var p = map.latLngToContainerPoint(layer.getLatLng());
        if (layer.options.recordId) taken.push({ x: p.x, y: p.y, w: 20, h: 20 });
        else if (layer.options.icon && layer.options.icon.options.className === "north-label-icon") taken.push({ x: p.x, y: p.y - 20, w: 130, h: 22 });
      });
      return taken;
    },

    /* The first place near a municipality's name where its badge covers nothing else. */
    _freeSpot: function (base, w, h, taken) {
      var offsets = [[0, BADGE_OFFSET], [0, BADGE_OFFSET + 24], [0, -46], [0, BADGE_OFFSET + 48], [0, -70],
        [w / 2 + 70, -20], [-w / 2 - 70, -20], [w / 2 + 70, 10], [-w / 2 - 70, 10], [0, BADGE_OFFSET + 72]];
      for (var k = 0; k < offsets.length; k++) {
        var x = base.x + offsets[k][0], y = base.y + offsets[k][1], clear = true;
        for (var t = 0; t < taken.length && clear; t++) {
          var o = taken[t];
          if (Math.abs(x - o.x) * 2 < w + o.w && Math.abs(y - o.y) * 2 < h + o.h) clear = false;
        }
        if (clear) return { x: x, y: y };
      }
      return { x: base.x, y: base.y + BADGE_OFFSET };
    },

    /* At close zoom a settlement-precision place is drawn with a faint circle: it happened somewhere there. */
    _drawUncertainty: function (ctx, cells, scale, offX, offY, zoom) {
      var done = {};
      for (var g = 0; g < cells.length; g++) {
        var i = cells[g][0];
        if (this._prec[i] !== this._settlement || done[this._lat[i] + ":" + this._lon[i]]) continue;
        done[this._lat[i] + ":" + this._lon[i]] = true;
        var lat = this._lat[i] / 1e5;
        var metresPerPixel = (156543.03 * Math.cos((lat * Math.PI) / 180)) / Math.pow(2, zoom);
        var radius = UNCERTAINTY_M / metresPerPixel;
        ctx.beginPath(); ctx.arc(this._wx[i] * scale + offX, this._wy[i] * scale + offY, radius, 0, 2 * Math.PI);
        ctx.fillStyle = "rgba(31,41,51,0.06)"; ctx.fill();
        ctx.setLineDash([5, 4]); ctx.lineWidth = 1; ctx.strokeStyle = "rgba(31,41,51,0.45)"; ctx.stroke(); ctx.setLineDash([]);
      }
    },

    /* A stack fanned out: its incidents on a ring around it, each clickable on its own. */
    _drawFan: function (ctx, scale, offX, offY) {
      var members = this._fanned.members, cats = this._data.categories, marks = [];
      var cx = this._wx[members[0]] * scale + offX, cy = this._wy[members[0]] * scale + offY;
      var radius = Math.max(28, (members.length * (SIZE * 2 + 6)) / (2 * Math.PI));
      ctx.beginPath(); ctx.arc(cx, cy, 3, 0, 2 * Math.PI); ctx.fillStyle = "#1f2933"; ctx.fill();
      for (var k = 0; k < members.length; k++) {
        var a = (2 * Math.PI * k) / members.length - Math.PI / 2;
        var x = cx + radius * Math.cos(a), y = cy + radius * Math.sin(a), i = members[k], cat = cats[this._cat[i]];
        ctx.beginPath(); ctx.moveTo(cx, cy); ctx.lineTo(x, y); ctx.lineWidth = 1; ctx.strokeStyle = "rgba(31,41,51,0.5)"; ctx.stroke();
        drawMark(ctx, x, y, cat.shape, cat.color, this._prec[i] === this._settlement);
        marks.push({ x: x, y: y, r: SIZE + 2, members: [i], kind: "single" });
      }
      return marks;
    },

    /* The layer's legend entries (the legend holds canvases naming what they show). */
    _drawLegend: function () {
      var container = this._map.getContainer(), cats = this._data.categories;
      var byId = {};
      cats.forEach(function (c) { byId[c.id] = c; });
      container.querySelectorAll("canvas[data-legend-mark]:not([data-drawn])").forEach(function (canvas) {
        var parts = canvas.dataset.legendMark.split(":"), ctx = canvas.getContext("2d");
        var ratio = window.devicePixelRatio || 1, w = canvas.width, h = canvas.height;
        canvas.width = w * ratio; canvas.height = h * ratio; canvas.style.width = w + "px"; canvas.style.height = h + "px";
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        if (parts[0] === "category") drawMark(ctx, w / 2, h / 2, byId[parts[1]].shape, byId[parts[1]].color, false, 5);
        else if (parts[1] === "exact") drawMark(ctx, w / 2, h / 2, "circle", "#1f2933", false, 5);
        else if (parts[1] === "settlement") drawMark(ctx, w / 2, h / 2, "circle", "#1f2933", true, 5);
        else if (parts[1] === "stack") drawStack(ctx, w / 2, h / 2, 3);
        else if (parts[1] === "municipality") {
          ctx.beginPath(); ctx.rect(2, 3, w - 4, h - 6); ctx.fillStyle = "#fff"; ctx.fill();
          ctx.setLineDash([3, 2]); ctx.lineWidth = 1.4; ctx.strokeStyle = "#1f2933"; ctx.stroke();
        }
        canvas.dataset.drawn = "1";
      });
    },

    _hits: function (pt) {
      var hits = [];
      for (var k = 0; k < this._marks.length; k++) {
        var mark = this._marks[k];
        var inside = mark.kind === "municipality"
          ? Math.abs(pt.x - mark.x) <= mark.w / 2 + 2 && Math.abs(pt.y - mark.y) <= mark.h / 2 + 2
          : (pt.x - mark.x) * (pt.x - mark.x) + (pt.y - mark.y) * (pt.y - mark.y) <= (mark.r + HIT / 2) * (mark.r + HIT / 2);
        if (inside) hits.push(mark);
      }
      return hits;
    },

    /* Markers of the point layers (bases, crossings) under the pointer, so one popup can show them too. */
    _markersAt: function (pt) {
      var found = [], map = this._map;
      map.eachLayer(function (layer) {
        if (!(layer instanceof L.Marker) || !layer.options.recordId || !layer.getPopup()) return;
        var p = map.latLngToContainerPoint(layer.getLatLng());
        if (Math.abs(p.x - pt.x) <= 12 && Math.abs(p.y - pt.y) <= 12) found.push(layer);
      });
      return found;
    },

    _onClick: function (event) {
      if (event.target.closest && event.target.closest(".leaflet-popup, .leaflet-control")) return;
      var pt = this._map.mouseEventToContainerPoint(event);
      var hits = this._hits(pt);
      if (!hits.length) return;
      event.stopPropagation();
      event.preventDefault();
      var members = [];
      hits.forEach(function (mark) { members = members.concat(mark.members); });
      var stack = hits.length === 1 && hits[0].kind === "stack" ? hits[0] : null;
      var where = this._map.containerPointToLatLng([hits[0].x, hits[0].y]);
      var markers = this._markersAt(pt), self = this;
      this.withTexts(function (texts) {
        L.popup({ maxWidth: 380, className: "incident-popup-wrap" })
          .setLatLng(where)
          .setContent(self._popup(members, markers, stack, hits[0], texts))
          .openOn(self._map);
      });
    },

    _popup: function (members, markers, stack, mark, texts) {
      var data = this._data, day = this._day, self = this;
      var root = el("div", null, "map-popup incident-popup");
      markers.forEach(function (marker) {
        var part = el("div", null, "shared-marker");
        part.innerHTML = marker.getPopup().getContent(); // built and escaped on the server (src/drawing/markers.py)
        root.appendChild(part);
      });
      members = members.slice().sort(function (a, b) { return day[b] - day[a]; });
      var head = members.length === 1 ? "1 incident" : members.length + " incidents";
      if (mark.kind === "municipality") head += " known only to " + mark.municipality.name + " (no place given)";
      else if (members.length > 1) head += " here, newest first";
      root.appendChild(el("div", head, "popup-count"));
      if (stack && this._sameSpot(members)) {
        var fan = el("button", "Fan out", "fan-out");
        fan.type = "button";
        fan.addEventListener("click", function () { self._map.closePopup(); self._fanned = { members: members }; self._draw(); });
        root.appendChild(fan);
      }
      var list = el("div", null, "incident-list");
      root.appendChild(list);
      var shown = 0;
      function more() {
        members.slice(shown, shown + PAGE).forEach(function (i) { list.appendChild(self._item(i, texts, data)); });
        shown = Math.min(members.length, shown + PAGE);
        if (button) button.remove();
        if (shown < members.length) {
          button = el("button", "Show " + Math.min(PAGE, members.length - shown) + " more of " + (members.length - shown), "more");
          button.type = "button";
          button.addEventListener("click", more);
          root.appendChild(button);
        }
      }
      var button = null;
      more();
      return root;
    },

    _sameSpot: function (members) {
      for (var k = 1; k < members.length; k++) {
        if (Math.abs(this._lat[members[k]] - this._lat[members[0]]) > 20 || Math.abs(this._lon[members[k]] - this._lon[members[0]]) > 20) return false;
      }
      return members.length > 1;
    },

    _item: function (i, texts, data) {
      var item = el("div", null, "incident");
      item.dataset.incidentId = texts.id[i];
      var cat = data.categories[this._cat[i]];
      var title = el("h4", texts.title[i]);
      var swatch = el("span", null, "swatch");
      swatch.style.background = cat.color;
      title.insertBefore(swatch, title.firstChild);
      item.appendChild(title);
      item.appendChild(el("div", decoded(texts.date, i) + " · " + cat.label + " · " + decoded(texts.place, i), "meta"));
      item.appendChild(el("div", decoded(texts.cas, i), "casualties"));
      var desc = decoded(texts.desc, i);
      if (desc) item.appendChild(el("p", desc, "desc"));
      item.appendChild(el("div", "Location: " + data.precisionText[this._prec[i]], "precision"));
      var list = el("ol", null, "sources");
      decoded(texts.src, i).forEach(function (s) {
        var source = texts.sources[s], li = el("li");
        if (/^https?:\/\//i.test(source[1])) {
          var a = el("a", source[0]);
          a.href = source[1]; a.target = "_blank"; a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else li.textContent = source[0];
        list.appendChild(li);
      });
      item.appendChild(list);
      if (this.options.recordUrl) {
        var link = el("a", "Open the record", "record-link");
        link.href = this.options.recordUrl + encodeURIComponent(texts.id[i]);
        link.target = "_blank"; link.rel = "noopener";
        item.appendChild(link);
      }
      return item;
    },

    /* Play the dates: a window of `months` (or weeks) stepped through the data's range in the browser. */
    frames: function (unit) {
      var first = Infinity, last = -Infinity;
      for (var i = 0; i < this._n; i++) {
        if (this._day[i] < first) first = this._day[i];
        if (this._day[i] + this._span[i] > last) last = this._day[i] + this._span[i];
      }
      var out = [];
      if (!isFinite(first)) return out;
      var d = new Date(first * 864e5);
      var cursor = unit === "week" ? first - ((d.getUTCDay() + 6) % 7) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 864e5;
      while (cursor <= last) {
        var next;
        if (unit === "week") next = cursor + 7;
        else { var c = new Date(cursor * 864e5); next = Date.UTC(c.getUTCFullYear(), c.getUTCMonth() + 1, 1) / 864e5; }
        out.push([cursor, next - 1]);
        cursor = next;
      }
      return out;
    }
  });

  L.incidentLayer = function (data, options, texts) {
    return new L.IncidentLayer(data, options || {}, texts);
  };

})();

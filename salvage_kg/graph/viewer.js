/* salvage-kg graph viewer: a layered, force-relaxed drawing on a canvas; no libraries, nothing fetched.
   Data: the JSON in #kg-data (nodes, statements, edges, sources, categories, predicates).
   Page API for scripts and tests: window.salvageKG. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var canvas = document.getElementById("kg-canvas");
  var ctx = canvas.getContext("2d");
  var panel = document.getElementById("kg-panel");
  var status = document.getElementById("kg-status");

  var categories = {};
  data.categories.forEach(function (c) { categories[c.key] = c; });
  var predicates = data.predicates;
  var nodes = data.nodes.map(function (n, i) {
    return { i: i, id: n.id, label: n.label, type: n.type, category: n.category, synonyms: n.synonyms || [],
             definition: n.definition || "", x: 0, y: 0, deg: 0, visible: false };
  });
  var edges = data.edges.map(function (e, i) {
    return { i: i, s: e.s, t: e.t, p: e.p, st: e.st, src: e.src, visible: false };
  });
  var byId = {};
  nodes.forEach(function (n) { byId[n.id] = n; });

  var enabledCats = {};
  data.categories.forEach(function (c) { enabledCats[c.key] = !!c.visible; });
  var enabledSources = {};
  data.sources.forEach(function (s, i) { enabledSources[i] = true; });
  var enabledPreds = predicates.map(function (p) { return p.visible !== false; });
  var AFTER = predicates.map(function (p) { return p.key; }).indexOf("indicated_after");
  // first view: the therapies given after a failed treatment, and what they connect to
  var focusSalvage = edges.some(function (e) { return e.p === AFTER; });

  var view = { x: 0, y: 0, k: 1 };
  var selection = null;  // {kind: "node", node} or {kind: "bundle", bundle}
  var matches = {};
  var bundles = [];      // visible edges grouped by (source, predicate, target)
  var width = 0, height = 0, ratio = 1;

  // ---- filtering -------------------------------------------------------------------------------

  function edgeSourceOn(e) {
    if (!e.src.length) return true;  // terminology edges (is a kind of) belong to no document
    for (var j = 0; j < e.src.length; j++) if (enabledSources[e.src[j]]) return true;
    return false;
  }

  function applyFilters(relayout) {
    var allSources = data.sources.every(function (s, i) { return enabledSources[i]; });
    nodes.forEach(function (n) { n.deg = 0; n.anyEdge = false; });
    edges.forEach(function (e) {
      var a = nodes[e.s], b = nodes[e.t];
      a.anyEdge = b.anyEdge = true;
      e.visible = enabledPreds[e.p] && enabledCats[a.category] && enabledCats[b.category] && edgeSourceOn(e);
    });
    if (focusSalvage) {
      var keep = {};
      edges.forEach(function (e) { if (e.visible && e.p === AFTER) keep[e.s] = true; });
      var near = {};
      edges.forEach(function (e) {
        if (!e.visible) return;
        if (keep[e.s]) near[e.t] = true;
        if (keep[e.t]) near[e.s] = true;
      });
      Object.keys(keep).forEach(function (i) { near[i] = true; });
      edges.forEach(function (e) { e.visible = e.visible && near[e.s] && near[e.t]; });
    }
    edges.forEach(function (e) { if (e.visible) { nodes[e.s].deg++; nodes[e.t].deg++; } });
    nodes.forEach(function (n) {
      n.visible = enabledCats[n.category] && (n.deg > 0 || (!n.anyEdge && allSources && !focusSalvage));
    });
    var groups = {};
    bundles = [];
    edges.forEach(function (e) {
      if (!e.visible) return;
      var key = e.s + "|" + e.p + "|" + e.t;
      if (!groups[key]) { groups[key] = { s: e.s, t: e.t, p: e.p, edges: [] }; bundles.push(groups[key]); }
      groups[key].edges.push(e);
    });
    // a second bundle between the same two nodes bends to the other side
    var pairs = {};
    bundles.forEach(function (b) {
      var key = Math.min(b.s, b.t) + "|" + Math.max(b.s, b.t);
      b.lane = pairs[key] = (pairs[key] === undefined ? 0 : pairs[key] + 1);
    });
    if (selection && selection.kind === "node" && !selection.node.visible) selection = null;
    if (relayout !== false) { layout(); fit(); }
    updateLegend();
    draw();
  }

  // ---- layout ------------------------------------------------------------------------------------
  // Columns by node type, so the picture reads left to right: what failed before and for which
  // condition | the salvage option | what it costs (complications, outcomes) | criteria and the rest.
  // Within a column, nodes settle by forces: springs pull each node level with its neighbours, and
  // a minimum gap keeps labels apart. A few ordering sweeps first (median of the neighbours' ranks)
  // untangle most crossings.

  var COLUMN = { prior: 0, condition: 0, therapy: 1, approach: 1, complication: 2, outcome: 2,
                 criterion: 3, parameter: 3, diagnostic: 3, concept: 3 };
  var GAP = 26, MAX_GAP = 2.5 * GAP;

  function layout() {
    var vis = nodes.filter(function (n) { return n.visible; });
    if (!vis.length) return;
    var adj = {};
    vis.forEach(function (n) { adj[n.i] = []; });
    bundles.forEach(function (b) {
      if (b.s !== b.t && adj[b.s] && adj[b.t]) { adj[b.s].push(b.t); adj[b.t].push(b.s); }
    });
    var used = [];
    vis.forEach(function (n) { if (used.indexOf(COLUMN[n.category]) < 0) used.push(COLUMN[n.category]); });
    used.sort(function (a, b) { return a - b; });
    var columns = used.map(function () { return []; });
    vis.forEach(function (n) { columns[used.indexOf(COLUMN[n.category])].push(n); });
    var widths = columns.map(function (col) {
      var widest = 0;
      col.forEach(function (n) { widest = Math.max(widest, textWidth(n)); });
      return widest + 110;
    });
    // each connected part is laid out on its own, then the parts are stacked, largest first
    var top = 0;
    components(vis, adj).forEach(function (part) {
      var cols = columns.map(function (col) { return col.filter(function (n) { return part.has(n.i); }); })
        .filter(function (col) { return col.length; });
      arrange(cols, adj);
      var y0 = Infinity, y1 = -Infinity;
      part.forEach(function (i) { y0 = Math.min(y0, nodes[i].y); y1 = Math.max(y1, nodes[i].y); });
      part.forEach(function (i) { nodes[i].y += top - y0; });
      top += y1 - y0 + GAP * 2;
    });
    // a column much taller than the screen is wide is folded into side-by-side sub-columns
    var rows = foldRows(columns, widths, top);
    var x = 0;
    columns.forEach(function (col, c) {
      var folds = rows ? Math.ceil(col.length / rows) : 1;
      if (rows) {
        var per = Math.ceil(col.length / folds);  // balanced: no lone node in the last sub-column
        col.sort(function (a, b) { return a.y - b.y; });
        col.forEach(function (n, r) { n.y = (r % per) * GAP; n.x = x + Math.floor(r / per) * widths[c]; });
      } else {
        col.forEach(function (n) { n.x = x; });
      }
      x += folds * widths[c];
    });
  }

  function foldRows(columns, widths, height) {
    var aspect = Math.max(0.3, (canvas.clientHeight || 740) / (canvas.clientWidth || 960));
    var wide = widths.reduce(function (a, b) { return a + b; }, 0);
    if (height <= 60 * GAP || height <= 1.5 * aspect * wide) return 0;  // readable as it is
    var tallest = Math.max.apply(null, columns.map(function (c) { return c.length; }));
    var best = 0, bestErr = Infinity;
    for (var r = 4; r <= tallest; r++) {
      var w = 0;
      columns.forEach(function (col, c) { w += Math.ceil(col.length / r) * widths[c]; });
      var err = Math.abs(Math.log((r * GAP) / w / aspect));
      if (err < bestErr) { bestErr = err; best = r; }
    }
    return best;
  }

  function components(vis, adj) {
    var seen = {}, parts = [];
    vis.forEach(function (n) {
      if (seen[n.i]) return;
      var part = new Set(), stack = [n.i];
      seen[n.i] = true;
      while (stack.length) {
        var i = stack.pop();
        part.add(i);
        adj[i].forEach(function (j) { if (!seen[j]) { seen[j] = true; stack.push(j); } });
      }
      parts.push(part);
    });
    return parts.sort(function (a, b) { return b.size - a.size; });
  }

  function arrange(columns, adj) {
    // start: by type, then by name (deterministic); then sweeps order each column by its neighbours
    columns.forEach(function (col) {
      col.sort(function (a, b) {
        return (a.category < b.category ? -1 : a.category > b.category ? 1 : 0) || (a.label < b.label ? -1 : 1);
      });
      col.forEach(function (n, r) { n.y = r * GAP; });
    });
    for (var sweep = 0; sweep < 8; sweep++) {
      var order = sweep % 2 ? columns.slice().reverse() : columns;
      order.forEach(function (col) {
        col.forEach(function (n) { n.key = median(adj[n.i].map(function (j) { return nodes[j].y; }), n.y); });
        col.sort(function (a, b) { return a.key - b.key || a.y - b.y; });
        col.forEach(function (n, r) { n.y = r * GAP; });
      });
    }
    for (var it = 0; it < 120; it++) {
      columns.forEach(function (col) {
        col.forEach(function (n) {
          var nb = adj[n.i];
          if (!nb.length) return;
          var sum = 0;
          nb.forEach(function (j) { sum += nodes[j].y; });
          n.y += (sum / nb.length - n.y) * 0.15;  // spring towards the neighbours' level
        });
      });
      columns.forEach(function (col) {
        var before = meanY(col);
        col.sort(function (a, b) { return a.y - b.y; });
        for (var r = 1; r < col.length; r++) {  // keep the gap, pushing down, and close holes
          if (col[r].y < col[r - 1].y + GAP) col[r].y = col[r - 1].y + GAP;
          else if (col[r].y > col[r - 1].y + MAX_GAP) col[r].y = col[r - 1].y + MAX_GAP;
        }
        var shift = meanY(col) - before;  // ...then move the column back to where the springs put it
        col.forEach(function (n) { n.y -= shift; });
      });
    }
  }

  function meanY(col) {
    var sum = 0;
    col.forEach(function (n) { sum += n.y; });
    return sum / col.length;
  }

  function median(values, fallback) {
    if (!values.length) return fallback;
    values.sort(function (a, b) { return a - b; });
    var m = values.length >> 1;
    return values.length % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
  }

  function fit() {
    var w = width;
    var vis = nodes.filter(function (n) { return n.visible; });
    if (!vis.length) { view = { x: width / 2, y: height / 2, k: 1 }; return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    vis.forEach(function (n) {
      x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y);
    });
    var label = 0;  // labels keep their size on screen: room for the right-most ones
    vis.forEach(function (n) { if (n.x >= x1 - 1) label = Math.max(label, textWidth(n) + 30); });
    var pad = 30;
    var k = Math.min((w - 2 * pad - label) / Math.max(1, x1 - x0), (height - 2 * pad) / Math.max(1, y1 - y0), 1.6);
    view.k = Math.max(0.05, k);
    view.x = pad + (w - 2 * pad - label - (x1 - x0) * view.k) / 2 - x0 * view.k;
    view.y = pad + ((height - 2 * pad) - (y1 - y0) * view.k) / 2 - y0 * view.k;
  }

  // ---- drawing -----------------------------------------------------------------------------------

  var FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
  var FONT = "12px " + FAMILY;
  // labels shrink a little when the whole graph is zoomed out, never below 9px
  function fontScale() { return Math.max(0.75, Math.min(1.1, view.k)); }

  function radius(n) { return Math.min(14, 5 + 2 * Math.sqrt(n.deg)) * Math.max(0.5, Math.min(1, view.k)); }
  function sx(n) { return n.x * view.k + view.x; }
  function sy(n) { return n.y * view.k + view.y; }
  function short(label) { return label.length > 42 ? label.slice(0, 40) + "\u2026" : label; }

  function neighbours(node) {
    var out = {};
    out[node.i] = true;
    bundles.forEach(function (b) { if (b.s === node.i) out[b.t] = true; if (b.t === node.i) out[b.s] = true; });
    return out;
  }

  function labelEnd(n) { return sx(n) + radius(n) + 8 + textWidth(n) * fontScale(); }

  function textWidth(n) {
    if (n.tw === undefined) { ctx.font = FONT; n.tw = ctx.measureText(short(n.label)).width; }
    return n.tw;
  }

  function curve(b) {
    // a line leaving to the right starts after the label, one arriving from the right ends there
    var a = nodes[b.s], c = nodes[b.t];
    var x1 = sx(a), y1 = sy(a), x2 = sx(c), y2 = sy(c);
    if (x2 > labelEnd(a) + 10) x1 = labelEnd(a);
    else if (x1 > labelEnd(c) + 10) x2 = labelEnd(c);
    var mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
    var bend = b.lane ? (b.lane % 2 ? 1 : -1) * Math.ceil(b.lane / 2) * 22 : 0;
    var len = Math.hypot(x2 - x1, y2 - y1) || 1;
    return { x1: x1, y1: y1, x2: x2, y2: y2, cx: mx - ((y2 - y1) / len) * bend, cy: my + ((x2 - x1) / len) * bend };
  }

  function draw() {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    var focus = selection && selection.kind === "node" ? neighbours(selection.node) : null;
    var chosen = selection && selection.kind === "bundle" ? selection.bundle : null;
    bundles.forEach(function (b) {
      var pr = predicates[b.p];
      var dim = (focus && !(focus[b.s] && focus[b.t] && (b.s === selection.node.i || b.t === selection.node.i))) ||
                (chosen && chosen !== b);
      var c = curve(b);
      var strong = pr.key === "indicated_after" || pr.key === "has_adverse_effect";
      ctx.globalAlpha = dim ? 0.1 : strong || chosen === b ? 0.9 : 0.5;  // the salvage story stands out
      ctx.strokeStyle = pr.color;
      ctx.lineWidth = (chosen === b ? 3.5 : strong ? 1.6 : 1.1) + Math.log(b.edges.length) * 0.8;
      ctx.setLineDash(pr.dashed ? [5, 4] : []);
      ctx.beginPath();
      ctx.moveTo(c.x1, c.y1);
      ctx.quadraticCurveTo(c.cx, c.cy, c.x2, c.y2);
      ctx.stroke();
      ctx.setLineDash([]);
      arrow(c, c.x2 === sx(nodes[b.t]) ? radius(nodes[b.t]) : 0, pr.color);
    });
    ctx.globalAlpha = 1;
    bundles.forEach(function (b) {
      var mine = focus && (b.s === selection.node.i || b.t === selection.node.i);
      if (mine || b === chosen || b === hovered) edgeLabel(b);
    });
    var drawn = 0;
    nodes.forEach(function (n) {
      if (!n.visible) return;
      var x = sx(n), y = sy(n), r = radius(n);
      if (x < -20 || y < -20 || x > width + 20 || y > height + 20) return;
      drawn++;
      ctx.globalAlpha = focus && !focus[n.i] ? 0.15 : 1;
      if (matches[n.i]) {
        ctx.fillStyle = "#ffd84d";
        ctx.beginPath(); ctx.arc(x, y, r + 5, 0, 2 * Math.PI); ctx.fill();
      }
      ctx.fillStyle = categories[n.category].color;
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill();
      ctx.lineWidth = selection && selection.node === n ? 3 : 1.5;
      ctx.strokeStyle = selection && selection.node === n ? "#1d2329" : "#ffffff";
      ctx.stroke();
    });
    drawLabels(focus);
    ctx.globalAlpha = 1;
    status.dataset.nodes = String(countVisible());
    status.dataset.edges = String(edges.filter(function (e) { return e.visible; }).length);
    status.dataset.drawn = String(drawn);
    status.dataset.selected = selection ? (selection.kind === "node" ? selection.node.id : "statement") : "";
    status.textContent = status.dataset.nodes + " nodes, " + status.dataset.edges + " edges";
  }

  function edgeLabel(b) {
    var c = curve(b), pr = predicates[b.p];
    var x = 0.25 * c.x1 + 0.5 * c.cx + 0.25 * c.x2, y = 0.25 * c.y1 + 0.5 * c.cy + 0.25 * c.y2;
    var text = pr.label + (b.edges.length > 1 ? " (" + b.edges.length + ")" : "");
    ctx.font = "11px " + FAMILY;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineWidth = 4;
    ctx.strokeStyle = "rgba(255,255,255,0.95)";
    ctx.strokeText(text, x, y);
    ctx.fillStyle = pr.color;
    ctx.fillText(text, x, y);
    ctx.textAlign = "left";
  }

  function arrow(c, r, color) {
    var ang = Math.atan2(c.y2 - c.cy, c.x2 - c.cx);
    var x = c.x2 - Math.cos(ang) * (r + 2), y = c.y2 - Math.sin(ang) * (r + 2);
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x - 9 * Math.cos(ang - 0.4), y - 9 * Math.sin(ang - 0.4));
    ctx.lineTo(x - 9 * Math.cos(ang + 0.4), y - 9 * Math.sin(ang + 0.4));
    ctx.closePath();
    ctx.fill();
  }

  function drawLabels(focus) {
    // most connected first; a label that would cover one already drawn is left out until zoomed in
    var order = nodes.filter(function (n) { return n.visible; }).sort(function (a, b) {
      return priority(b, focus) - priority(a, focus) || (a.label < b.label ? -1 : 1);
    });
    var placed = [], scale = fontScale();
    ctx.font = (12 * scale).toFixed(1) + "px " + FAMILY;
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    order.forEach(function (n) {
      var text = short(n.label);
      var w = textWidth(n) * scale;
      var x = sx(n) + radius(n) + 4, y = sy(n);
      var box = [x - 2, y - 7 * scale, x + w + 2, y + 7 * scale];
      var forced = priority(n, focus) >= 1000;
      if (!forced && placed.some(function (p) { return box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1]; })) return;
      placed.push(box);
      ctx.globalAlpha = focus && !focus[n.i] ? 0.2 : 1;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.lineWidth = 4;
      ctx.strokeText(text, x, y);
      ctx.fillStyle = "#1d2329";
      ctx.fillText(text, x, y);
    });
  }

  function priority(n, focus) {
    if (selection && selection.node === n) return 2000;
    if (matches[n.i]) return 1500;
    if (focus && focus[n.i]) return 1000;
    var boost = { therapy: 3, prior: 3, complication: 2, condition: 2 }[n.category] || 0;
    return n.deg + boost;
  }

  function countVisible() { return nodes.filter(function (n) { return n.visible; }).length; }

  // ---- details panel ----------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else if (k === "onclick") e.onclick = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  function openPanel(children) {
    panel.innerHTML = "";
    panel.appendChild(el("button", { "class": "close", type: "button", "aria-label": "close", text: "\u00d7",
                                     onclick: function () { select(null); } }));
    children.forEach(function (c) { panel.appendChild(c); });
    panel.classList.add("open");
  }

  var ATTR_LABELS = { intent: "intent", strength: "recommendation", duration: "duration", severity: "severity",
    timing: "timing", frequency: "frequency", odds_ratio: "odds ratio", comparator: "compared with",
    p_value: "p-value", value: "value", value_max: "up to", unit: "unit", ci_lower: "CI lower", ci_upper: "CI upper",
    ci_level: "CI level (%)", time_point: "time point", cohort_size: "cohort size", significant: "significant",
    negated: "negated", comparator_symbol: "comparator" };

  function statementView(si) {
    var st = data.statements[si];
    var rows = Object.keys(ATTR_LABELS).filter(function (k) { return st.attrs[k] !== undefined && st.attrs[k] !== ""; })
      .map(function (k) { return el("tr", {}, [el("td", { text: ATTR_LABELS[k] }), el("td", { text: String(st.attrs[k]) })]); });
    var quotes = st.evidence.map(function (ev) {
      var src = data.sources[ev.source] || { title: "unknown source", kind: "" };
      var where = src.title + (src.kind ? " (" + src.kind + ")" : "") +
        (ev.start !== null && ev.start !== undefined ? ", characters " + ev.start + "\u2013" + ev.end : "") +
        (ev.section ? ", section \u201c" + ev.section + "\u201d" : "");
      return el("blockquote", {}, ["\u201c" + ev.quote + "\u201d",
        ev.negated ? el("span", { "class": "flag", text: "negated" }) : null,
        ev.hedged ? el("span", { "class": "flag", text: "hedged" }) : null,
        el("span", { "class": "src", text: where })]);
    });
    return el("div", { "class": "stmt" }, [
      el("div", { "class": "what", text: st.label || st.type }),
      st.summary ? el("div", { "class": "summary", text: st.summary }) : null,
      rows.length ? el("table", {}, rows) : null,
      el("div", { "class": "small", text: st.type + " \u00b7 " + st.id })
    ].concat(quotes.length ? quotes : [el("div", { "class": "small", text: "from the terminology (no quote)" })]));
  }

  function showBundle(b) {
    var s = nodes[b.s], t = nodes[b.t], pr = predicates[b.p];
    var seen = {}, items = [];
    b.edges.forEach(function (e) { if (e.st >= 0 && !seen[e.st]) { seen[e.st] = true; items.push(statementView(e.st)); } });
    if (!items.length) items.push(el("div", { "class": "small", text: "from the terminology (skos:broader)" }));
    openPanel([el("h3", {}, [nodeLink(s), " " + pr.label + " ", nodeLink(t)]),
               el("div", { "class": "type", text: items.length + (items.length === 1 ? " statement" : " statements") })]
              .concat(items));
  }

  function nodeLink(n) {
    return el("span", { "class": "link", text: n.label, onclick: function () { select(n.id); } });
  }

  function showNode(n) {
    var out = [], inc = [];
    bundles.forEach(function (b) { if (b.s === n.i) out.push(b); else if (b.t === n.i) inc.push(b); });
    var list = function (items, outgoing) {
      return items.map(function (b) {
        var other = nodes[outgoing ? b.t : b.s];
        return el("div", { "class": "row" }, [
          el("span", { "class": "line" + (predicates[b.p].dashed ? " dashed" : ""), style: "border-color:" + predicates[b.p].color }),
          el("span", { "class": "link", text: (outgoing ? "" : other.label + " ") + predicates[b.p].label +
                       (outgoing ? " " + other.label : " this"), onclick: function () { selectBundle(b); } }),
          b.edges.length > 1 ? el("span", { "class": "count", text: "\u00d7" + b.edges.length }) : null]);
      });
    };
    openPanel([el("h3", { text: n.label }),
               el("div", { "class": "type", text: categories[n.category].label + " \u00b7 " + n.type }),
               n.synonyms.length ? el("div", { "class": "small", text: "also: " + n.synonyms.join(", ") }) : null,
               n.definition ? el("p", { text: n.definition }) : null,
               el("div", { "class": "small", text: n.id })]
              .filter(Boolean).concat(out.length ? [el("h2", { text: "Statements" })] : [], list(out, true),
                                      inc.length ? [el("h2", { text: "Referred to by" })] : [], list(inc, false)));
  }

  // ---- selection and search ---------------------------------------------------------------------

  function select(id) {
    if (id === null || id === undefined) { selection = null; panel.classList.remove("open"); draw(); return true; }
    var n = byId[id];
    if (n) {
      if (!enabledCats[n.category]) { enabledCats[n.category] = true; applyFilters(); }
      if (!n.visible) return false;
      selection = { kind: "node", node: n };
      showNode(n);
      center(n);
      draw();
      return true;
    }
    var b = bundles.filter(function (b) { return b.edges.some(function (e) { return e.st >= 0 && data.statements[e.st].id === id; }); })[0];
    if (b) { selectBundle(b); return true; }
    return false;
  }

  function selectBundle(b) {
    var ends = {};
    ends[b.s] = ends[b.t] = true;
    selection = { kind: "bundle", bundle: b };
    showBundle(b);
    reveal(ends);
    draw();
  }

  function center(n) {
    // keep the node and its neighbours clear of the details panel on the right
    var x = sx(n), y = sy(n), room = width - 370;
    if (x < 40 || y < 40 || x > room || y > height - 40) {
      view.x += room / 2 - x; view.y += height / 2 - y;
    }
    reveal(neighbours(n));
  }

  function reveal(set) {
    // slide the drawing left, as far as the left-most of these nodes allows, to clear the panel
    var room = width - 370, right = -Infinity, left = Infinity;
    nodes.forEach(function (m) { if (set[m.i] && m.visible) { right = Math.max(right, labelEnd(m)); left = Math.min(left, sx(m)); } });
    if (right > room) view.x -= Math.min(right - room, Math.max(0, left - 20));
  }

  function search(text) {
    var q = (text || "").trim().toLowerCase();
    matches = {};
    if (!q) { draw(); return []; }
    var found = nodes.filter(function (n) {
      return n.label.toLowerCase().indexOf(q) >= 0 || n.synonyms.some(function (s) { return s.toLowerCase().indexOf(q) >= 0; });
    });
    found.sort(function (a, b) {
      return (a.label.toLowerCase().indexOf(q) === 0 ? 0 : 1) - (b.label.toLowerCase().indexOf(q) === 0 ? 0 : 1) ||
             b.deg - a.deg || (a.label < b.label ? -1 : 1);
    });
    found.forEach(function (n) { if (n.visible) matches[n.i] = true; });
    draw();
    return found.map(function (n) { return n.id; });
  }

  var searchBox = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  searchBox.addEventListener("input", function () {
    var ids = search(searchBox.value).slice(0, 12);
    results.innerHTML = "";
    ids.forEach(function (id) {
      var n = byId[id];
      results.appendChild(el("li", { onclick: function () { select(id); } }, [
        el("span", { "class": "swatch", style: "display:inline-block;margin-right:6px;background:" + categories[n.category].color }),
        n.label]));
    });
  });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var first = search(searchBox.value)[0]; if (first) select(first); }
    if (ev.key === "Escape") { searchBox.value = ""; results.innerHTML = ""; search(""); }
  });

  // ---- legend and filters -----------------------------------------------------------------------

  function checkboxRow(checked, swatch, label, count, onchange) {
    var box = el("input", { type: "checkbox" });
    box.checked = checked;
    box.onchange = function () { onchange(box.checked); };
    return el("label", { "class": "row" }, [box, swatch, el("span", { text: label }), el("span", { "class": "count", text: count })]);
  }

  function updateLegend() {
    var types = document.getElementById("kg-types");
    types.innerHTML = "";
    data.categories.forEach(function (c) {
      var total = nodes.filter(function (n) { return n.category === c.key; }).length;
      if (!total) return;
      var shown = nodes.filter(function (n) { return n.category === c.key && n.visible; }).length;
      types.appendChild(checkboxRow(enabledCats[c.key], el("span", { "class": "swatch", style: "background:" + c.color }),
        c.label, shown + "/" + total, function (on) { enabledCats[c.key] = on; applyFilters(); }));
    });
    var preds = document.getElementById("kg-predicates");
    preds.innerHTML = "";
    predicates.forEach(function (p, i) {
      var total = edges.filter(function (e) { return e.p === i; }).length;
      if (!total) return;
      var n = edges.filter(function (e) { return e.p === i && e.visible; }).length;
      preds.appendChild(checkboxRow(enabledPreds[i],
        el("span", { "class": "line" + (p.dashed ? " dashed" : ""), style: "border-color:" + p.color }),
        p.label, n + "/" + total, function (on) { enabledPreds[i] = on; applyFilters(); }));
    });
    document.getElementById("kg-focus").checked = focusSalvage;
    document.getElementById("kg-everything").checked = !focusSalvage;
    var sources = document.getElementById("kg-sources");
    sources.innerHTML = "";
    data.sources.forEach(function (s, i) {
      var n = edges.filter(function (e) { return e.src.indexOf(i) >= 0; }).length;
      var row = checkboxRow(enabledSources[i], null, s.title, String(n), function (on) { enabledSources[i] = on; applyFilters(); });
      row.title = [s.kind, s.publisher].concat(s.references || []).filter(Boolean).join(" \u00b7 ");
      sources.appendChild(row);
    });
    var statements = {};
    edges.forEach(function (e) { if (e.visible && e.st >= 0) statements[e.st] = true; });
    document.getElementById("kg-stats").textContent = countVisible() + " of " + nodes.length + " nodes \u00b7 " +
      Object.keys(statements).length + " of " + data.statements.length + " statements \u00b7 " +
      data.sources.length + " sources";
  }

  document.getElementById("kg-focus").onchange = function () { focusSalvage = true; applyFilters(); };
  document.getElementById("kg-everything").onchange = function () { focusSalvage = false; applyFilters(); };

  function setAll(target, keys, on) { keys.forEach(function (k) { target[k] = on; }); applyFilters(); }
  document.getElementById("kg-types-all").onclick = function () { setAll(enabledCats, Object.keys(categories), true); };
  document.getElementById("kg-types-default").onclick = function () {
    data.categories.forEach(function (c) { enabledCats[c.key] = !!c.visible; }); applyFilters();
  };
  document.getElementById("kg-sources-all").onclick = function () { setAll(enabledSources, Object.keys(enabledSources), true); };
  document.getElementById("kg-sources-none").onclick = function () { setAll(enabledSources, Object.keys(enabledSources), false); };

  // ---- pointer: pan, zoom, drag, click ----------------------------------------------------------

  function nodeAt(x, y) {
    var best = null, bestD = Infinity;
    nodes.forEach(function (n) {
      if (!n.visible) return;
      var d = Math.hypot(sx(n) - x, sy(n) - y);
      if (d <= radius(n) + 4 && d < bestD) { best = n; bestD = d; }
    });
    return best;
  }

  function bundleAt(x, y) {
    var best = null, bestD = 6;
    bundles.forEach(function (b) {
      var c = curve(b);
      for (var s = 0; s <= 20; s++) {  // distance to the drawn curve, sampled
        var t = s / 20, u = 1 - t;
        var px = u * u * c.x1 + 2 * u * t * c.cx + t * t * c.x2, py = u * u * c.y1 + 2 * u * t * c.cy + t * t * c.y2;
        var d = Math.hypot(px - x, py - y);
        if (d < bestD) { bestD = d; best = b; }
      }
    });
    return best;
  }

  var drag = null, hovered = null;
  function pos(ev) { var r = canvas.getBoundingClientRect(); return { x: ev.clientX - r.left, y: ev.clientY - r.top }; }
  canvas.addEventListener("mousedown", function (ev) {
    var p = pos(ev), n = nodeAt(p.x, p.y);
    drag = { x: p.x, y: p.y, node: n, vx: view.x, vy: view.y, moved: false };
    canvas.style.cursor = "grabbing";
  });
  window.addEventListener("mousemove", function (ev) {
    var p = pos(ev);
    if (!drag) {
      if (ev.target !== canvas) return;
      var n = nodeAt(p.x, p.y), b = n ? null : bundleAt(p.x, p.y);
      canvas.style.cursor = n || b ? "pointer" : "grab";
      if (b !== hovered) { hovered = b; draw(); }
      return;
    }
    if (Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) > 3) drag.moved = true;
    if (drag.node) { drag.node.x = (p.x - view.x) / view.k; drag.node.y = (p.y - view.y) / view.k; }
    else { view.x = drag.vx + p.x - drag.x; view.y = drag.vy + p.y - drag.y; }
    draw();
  });
  window.addEventListener("mouseup", function (ev) {
    if (!drag) return;
    var p = pos(ev), wasClick = !drag.moved, n = drag.node;
    drag = null;
    canvas.style.cursor = "grab";
    if (!wasClick) return;
    if (n) { select(n.id); return; }
    var b = bundleAt(p.x, p.y);
    if (b) selectBundle(b); else select(null);
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = pos(ev), f = Math.exp(-ev.deltaY * 0.0015);
    var k = Math.max(0.1, Math.min(8, view.k * f));
    view.x = p.x - (p.x - view.x) * (k / view.k);
    view.y = p.y - (p.y - view.y) * (k / view.k);
    view.k = k;
    draw();
  }, { passive: false });
  window.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && ev.target === document.body) select(null); });

  function resize() {
    var r = canvas.parentElement.getBoundingClientRect();
    ratio = window.devicePixelRatio || 1;
    width = Math.max(100, r.width); height = Math.max(100, r.height);
    canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
    fit();
    if (selection && selection.kind === "node") center(selection.node);
    else if (selection) reveal((function (b) { var o = {}; o[b.s] = o[b.t] = true; return o; })(selection.bundle));
    draw();
  }
  window.addEventListener("resize", resize);

  // ---- page API ---------------------------------------------------------------------------------

  window.salvageKG = {
    nodeCount: countVisible,
    edgeCount: function () { return edges.filter(function (e) { return e.visible; }).length; },
    totalNodes: function () { return nodes.length; },
    totalEdges: function () { return edges.length; },
    drawnNodes: function () { return Number(status.dataset.drawn || 0); },
    nodes: function () {
      return nodes.filter(function (n) { return n.visible; }).map(function (n) {
        return { id: n.id, label: n.label, category: n.category, x: sx(n), y: sy(n) };
      });
    },
    categories: function () { return Object.keys(enabledCats).filter(function (k) { return enabledCats[k]; }); },
    focus: function (on) { if (on !== undefined) { focusSalvage = !!on; applyFilters(); } return focusSalvage; },
    setPredicates: function (keys) {
      predicates.forEach(function (p, i) { enabledPreds[i] = keys.indexOf(p.key) >= 0; }); applyFilters();
    },
    setCategories: function (keys) {
      Object.keys(enabledCats).forEach(function (k) { enabledCats[k] = keys.indexOf(k) >= 0; }); applyFilters();
    },
    sources: function () { return data.sources.filter(function (s, i) { return enabledSources[i]; }).map(function (s) { return s.id; }); },
    setSources: function (ids) {
      data.sources.forEach(function (s, i) { enabledSources[i] = ids.indexOf(s.id) >= 0; }); applyFilters();
    },
    search: search,
    select: select,
    selection: function () {
      if (!selection) return null;
      if (selection.kind === "node") return { kind: "node", id: selection.node.id };
      return { kind: "statements", ids: selection.bundle.edges.filter(function (e) { return e.st >= 0; })
        .map(function (e) { return data.statements[e.st].id; }) };
    },
    details: function () { return panel.classList.contains("open") ? panel.innerText : ""; },
    fit: function () { fit(); draw(); }
  };

  applyFilters(false);
  resize();
  layout();
  fit();
  draw();
  document.body.dataset.ready = "true";
})();

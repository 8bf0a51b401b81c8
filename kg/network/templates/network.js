// kg network page: builds the vis-network from the JSON in #kg-data.
// Positions are computed by kg before the page opens, so nothing is simulated here.
// Labels: the most central nodes always (kept legible at any zoom), the others on
// hover, selection or zoom; edge labels on hover, on a selected node, or when zoomed in.
// Tooltips and panels are DOM elements filled with textContent, never HTML strings.
// Keeps `network`, `nodes` and `edges` on window (as pyvis' own template does),
// and `kgStatus` for tests and benchmarks.
(function () {
  "use strict";
  var status = {
    ready: false,
    stabilized: false,
    stabilizedMs: null,
    focused: null,
    cspViolations: []
  };
  window.kgStatus = status;
  document.addEventListener("securitypolicyviolation", function (event) {
    status.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
  });

  var payload = JSON.parse(document.getElementById("kg-data").textContent);
  var settings = payload.settings || {};
  var statusLine = document.getElementById("kg-status");
  var summary = statusLine.textContent;
  var LABEL_PX = 14;          // on-screen size of the central nodes' labels, at least
  var ALL_LABELS_SCALE = 1.3; // zoomed in this far, every node shows its label
  var EDGE_LABELS_SCALE = 1.6;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Turn [[key, value], ...] rows into a tooltip element; the first row is the heading.
  function tooltip(rows) {
    var box = el("div", "kg-tip");
    rows.forEach(function (row, index) {
      var line = el("div");
      if (row[0]) { line.appendChild(el("span", "kg-tip-key", row[0] + ": ")); }
      line.appendChild(el(index === 0 ? "strong" : "span", "", row[1]));
      box.appendChild(line);
    });
    return box;
  }

  var byId = {};
  payload.nodes.forEach(function (node) {
    node.fullLabel = node.label;
    node.typeColor = node.color;
    node.title = tooltip(node.tip);
    node.label = node.labelled ? node.fullLabel : "";
    byId[node.id] = node;
  });
  payload.edges.forEach(function (edge) {
    edge.title = tooltip(edge.tip);
    edge.fullLabel = edge.label;
    edge.label = "";
  });

  // --- filters (legend buttons, relation checkboxes, the quote toggle) ----------------

  var filters = { types: {}, kinds: {}, communities: {}, relations: {}, quotes: !!settings.quoteNodes };
  function nodeVisible(node) {
    if (node.quote && !filters.quotes) { return false; }
    return !filters.types[node.type] && !filters.communities[String(node.community)];
  }
  function edgeVisible(edge) {
    if (edge.quote && !filters.quotes) { return false; }
    return !filters.relations[edge.relation] && !filters.kinds[edge.open ? "open" : "ontology"];
  }

  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var nodeView = new vis.DataView(nodes, { filter: nodeVisible });
  var edgeView = new vis.DataView(edges, { filter: edgeVisible });
  var container = $("mynetwork");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, payload.options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;

  function showCounts() {
    var text = nodeView.length + " of " + payload.nodes.length + " nodes, " + edgeView.length + " edges shown";
    statusLine.textContent = text;
    summary = text;
  }

  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    showCounts();
  }

  document.querySelectorAll("#kg-legend button").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      if (button.dataset.type) { filters.types[button.dataset.type] = !on; }
      if (button.dataset.kind) { filters.kinds[button.dataset.kind] = !on; }
      if (button.dataset.community) { filters.communities[button.dataset.community] = !on; }
      refresh();
    });
  });
  var relationBoxes = document.querySelectorAll("#kg-relations input[data-relation]");
  relationBoxes.forEach(function (box) {
    box.addEventListener("change", function () {
      filters.relations[box.dataset.relation] = !box.checked;
      refresh();
    });
  });
  function setRelations(checked) {
    relationBoxes.forEach(function (box) {
      box.checked = checked;
      filters.relations[box.dataset.relation] = !checked;
    });
    refresh();
  }
  if ($("kg-relations-all")) {
    $("kg-relations-all").addEventListener("click", function () { setRelations(true); });
    $("kg-relations-none").addEventListener("click", function () { setRelations(false); });
  }
  var quoteToggle = $("kg-quote-nodes");
  if (quoteToggle) {
    quoteToggle.addEventListener("change", function () {
      filters.quotes = quoteToggle.checked;
      refresh();
    });
  }
  $("kg-colour").addEventListener("change", function () {
    var byCommunity = $("kg-colour").value === "community";
    var colours = settings.communityColors || {};
    nodes.update(payload.nodes.map(function (node) {
      var colour = byCommunity ? (colours[String(node.community)] || settings.otherCommunityColor) : node.typeColor;
      return { id: node.id, color: colour };
    }));
  });

  // --- labels -------------------------------------------------------------------------

  var selected = null;
  var hovered = null;
  var labelsAll = false;
  var edgeLabelsAll = false;

  function fontFor(node, scale) {
    // Central labels keep at least LABEL_PX on screen, however far out the view is.
    var size = node.labelled ? Math.max(LABEL_PX, LABEL_PX / Math.max(scale, 0.05)) : Math.max(LABEL_PX, 12 / Math.max(scale, 0.05));
    return { size: Math.round(size * 10) / 10 };
  }

  function nodeLabel(node) {
    var show = node.labelled || labelsAll || node.id === selected || node.id === hovered;
    return show ? node.fullLabel : "";
  }

  function relabel(ids) {
    var scale = network.getScale();
    nodes.update(ids.map(function (id) {
      var node = byId[id];
      return { id: id, label: nodeLabel(node), font: fontFor(node, scale) };
    }));
  }

  function edgeLabel(edge) {
    var touchesSelected = selected && (edge.from === selected || edge.to === selected);
    return edgeLabelsAll || touchesSelected || edge.id === hoveredEdge ? edge.fullLabel : "";
  }

  var hoveredEdge = null;
  function relabelEdges(ids) {
    edges.update(ids.map(function (id) {
      return { id: id, label: edgeLabel(edges.get(id)) };
    }));
  }

  function edgesOf(id) {
    return network.getConnectedEdges(id);
  }

  function onZoom() {
    var scale = network.getScale();
    var wantAll = scale >= ALL_LABELS_SCALE;
    var wantEdges = scale >= EDGE_LABELS_SCALE;
    var ids = payload.nodes.map(function (node) { return node.id; });
    labelsAll = wantAll;
    relabel(ids);
    if (wantEdges !== edgeLabelsAll) {
      edgeLabelsAll = wantEdges;
      relabelEdges(edges.getIds());
    }
  }
  var zoomTimer = null;
  network.on("zoom", function () {
    clearTimeout(zoomTimer);
    zoomTimer = setTimeout(onZoom, 60);
  });

  network.on("hoverNode", function (params) {
    var before = hovered;
    hovered = params.node;
    relabel([hovered].concat(before && before !== hovered ? [before] : []));
  });
  network.on("blurNode", function (params) {
    if (hovered === params.node) {
      hovered = null;
      relabel([params.node]);
    }
  });
  network.on("hoverEdge", function (params) {
    hoveredEdge = params.edge;
    relabelEdges([params.edge]);
  });
  network.on("blurEdge", function (params) {
    if (hoveredEdge === params.edge) {
      hoveredEdge = null;
      relabelEdges([params.edge]);
    }
  });

  // Nudge the labelled nodes apart until their labels do not overlap on screen.
  function spreadLabels() {
    var canvas = document.createElement("canvas").getContext("2d");
    var labelled = payload.nodes.filter(function (node) { return node.labelled && nodeView.get(node.id); });
    if (labelled.length < 2) { return; }
    for (var round = 0; round < 3; round += 1) {
      var scale = network.getScale();
      var px = Math.max(LABEL_PX, LABEL_PX / Math.max(scale, 0.05));
      canvas.font = px + "px arial";
      var positions = network.getPositions(labelled.map(function (node) { return node.id; }));
      var boxes = labelled.map(function (node) {
        var p = positions[node.id];
        var width = canvas.measureText(node.fullLabel).width + px * 0.4;
        var height = px * 1.25;
        var top = p.y + (node.size || 10) + 2;
        return { id: node.id, x: p.x, y: p.y, cx: p.x, cy: top + height / 2, w: width, h: height + (node.size || 10) };
      });
      var moved = false;
      for (var pass = 0; pass < 60; pass += 1) {
        var any = false;
        for (var i = 0; i < boxes.length; i += 1) {
          for (var j = i + 1; j < boxes.length; j += 1) {
            var a = boxes[i];
            var b = boxes[j];
            var overlapX = (a.w + b.w) / 2 - Math.abs(a.cx - b.cx);
            var overlapY = (a.h + b.h) / 2 - Math.abs(a.cy - b.cy);
            if (overlapX <= 0 || overlapY <= 0) { continue; }
            any = true;
            // Move apart along the axis that needs the smaller move.
            if (overlapY / b.h <= overlapX / b.w) {
              var dy = (overlapY / 2 + 1) * (a.cy <= b.cy ? -1 : 1);
              a.cy += dy; a.y += dy; b.cy -= dy; b.y -= dy;
            } else {
              var dx = (overlapX / 2 + 1) * (a.cx <= b.cx ? -1 : 1);
              a.cx += dx; a.x += dx; b.cx -= dx; b.x -= dx;
            }
          }
        }
        if (!any) { break; }
        moved = true;
      }
      if (!moved) { break; }
      boxes.forEach(function (box) { network.moveNode(box.id, box.x, box.y); });
      network.fit({ animation: false });
    }
  }

  // --- details panel ------------------------------------------------------------------

  function showDetails(id) {
    var panel = $("kg-details");
    var node = byId[id];
    panel.textContent = "";
    if (!node) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    panel.dataset.id = id;
    panel.appendChild(el("h2", "", node.tip[0][1]));
    var facts = el("div");
    node.tip.slice(1).forEach(function (row) {
      if (row[0] !== "quotes") {
        var line = el("div");
        line.appendChild(el("span", "kg-tip-key", row[0] + ": "));
        line.appendChild(el("span", "", row[1]));
        facts.appendChild(line);
      }
    });
    panel.appendChild(facts);
    if (node.quotes && node.quotes.length) {
      panel.appendChild(el("h3", "", "Quotes (" + node.quotes.length + ")"));
      var quotes = el("ol", "kg-quotes");
      node.quotes.forEach(function (quote) {
        var item = el("li");
        item.appendChild(el("blockquote", "", quote[0]));
        if (quote[1] && quote[1] !== quote[0]) { item.appendChild(el("div", "kg-evidence", quote[1])); }
        quotes.appendChild(item);
      });
      panel.appendChild(quotes);
    }
    var linked = edgesOf(id).map(function (edgeId) { return edges.get(edgeId); })
      .filter(function (edge) { return edge && !edge.quote; });
    if (linked.length) {
      panel.appendChild(el("h3", "", "Facts (" + linked.length + ")"));
      var list = el("ul", "kg-facts");
      linked.forEach(function (edge) {
        var item = el("li");
        var other = byId[edge.from === id ? edge.to : edge.from];
        var text = edge.from === id ? edge.relation + " \u2192 " : "\u2190 " + edge.relation + " ";
        item.appendChild(el("span", "kg-kind", text));
        var link = el("button", "", other ? other.tip[0][1] : "");
        link.type = "button";
        link.addEventListener("click", function () { focusNode(other.id); });
        item.appendChild(link);
        var evidence = edge.tip.filter(function (row) { return row[0] === "evidence"; })[0];
        if (evidence) { item.appendChild(el("div", "kg-evidence", evidence[1])); }
        list.appendChild(item);
      });
      panel.appendChild(list);
    }
  }

  function select(id) {
    var before = selected;
    selected = id;
    var ids = [id].concat(before && before !== id ? [before] : []).filter(function (x) { return x && byId[x]; });
    relabel(ids);
    var touched = [];
    ids.forEach(function (x) { touched = touched.concat(edgesOf(x)); });
    relabelEdges(touched);
    showDetails(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0]);
    } else if (!params.edges.length) {
      select(null);
    }
  });

  // --- search -------------------------------------------------------------------------

  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var index = payload.nodes.map(function (node) {
    var names = [node.tip[0][1]].concat(node.aliases || []);
    return { id: node.id, names: names.map(fold), quote: node.quote, rank: node.rank };
  });

  function matchRank(query, name, isLabel) {
    if (!name) { return null; }
    if (name === query) { return isLabel ? 0 : 1; }
    if (name.indexOf(query) === 0) { return isLabel ? 2 : 3; }
    if (name.split(" ").slice(1).some(function (word) { return word.indexOf(query) === 0; })) { return 4; }
    if (name.indexOf(query) >= 0) { return 5; }
    return null;
  }

  // Entities by name, entities before quotes, then by centrality.
  function search(text) {
    var query = fold(text);
    if (!query) { return []; }
    var found = [];
    index.forEach(function (item) {
      var best = null;
      item.names.forEach(function (name, position) {
        var rank = matchRank(query, name, position === 0);
        if (rank !== null && (best === null || rank < best)) { best = rank; }
      });
      if (best !== null) { found.push({ id: item.id, score: (item.quote ? 10 : 0) + best, rank: item.rank }); }
    });
    found.sort(function (a, b) { return a.score - b.score || a.rank - b.rank; });
    return found.slice(0, 12);
  }
  window.kgSearch = search;

  // Show a node (un-hiding its type, community or quotes if needed), centre and select it.
  function focusNode(id) {
    var node = byId[id];
    if (!node) { return false; }
    if (node.quote && !filters.quotes) {
      filters.quotes = true;
      if (quoteToggle) { quoteToggle.checked = true; }
    }
    if (filters.types[node.type] || filters.communities[String(node.community)]) {
      filters.types[node.type] = false;
      filters.communities[String(node.community)] = false;
      document.querySelectorAll("#kg-legend button").forEach(function (button) {
        if (button.dataset.type === node.type || button.dataset.community === String(node.community)) {
          button.setAttribute("aria-pressed", "true");
        }
      });
    }
    refresh();
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    network.selectNodes([id]);
    select(id);
    onZoom();
    status.focused = id;
    return true;
  }
  window.kgFocus = focusNode;

  var searchBox = $("kg-search");
  var results = $("kg-results");
  function showResults() {
    results.textContent = "";
    search(searchBox.value).forEach(function (hit) {
      var node = byId[hit.id];
      var item = el("li");
      var button = el("button");
      button.type = "button";
      button.dataset.id = hit.id;
      button.appendChild(el("span", "", node.tip[0][1]));
      button.appendChild(el("span", "kg-kind", " " + node.type));
      button.addEventListener("click", function () {
        results.textContent = "";
        focusNode(hit.id);
      });
      item.appendChild(button);
      results.appendChild(item);
    });
  }
  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var hits = search(searchBox.value);
      results.textContent = "";
      if (hits.length) { focusNode(hits[0].id); }
    } else if (event.key === "Escape") {
      results.textContent = "";
    }
  });

  // --- start --------------------------------------------------------------------------

  function markStabilized() {
    if (status.stabilized) { return; }
    status.stabilized = true;
    status.stabilizedMs = performance.now();
    showCounts();
  }

  network.once("afterDrawing", function () {
    network.fit({ animation: false });
    relabel(payload.nodes.map(function (node) { return node.id; }));
    spreadLabels();
    relabel(payload.nodes.map(function (node) { return node.id; }));
    markStabilized();
  });
  if (payload.nodes.length === 0) { markStabilized(); }
  showCounts();
  status.ready = true;
})();

// kg explorer: search, a neighbourhood network that grows as you click, filters,
// and a side panel with an entity's names, roles, relations and evidence.
// Data comes from this server's /api/*; every text goes into the page with
// textContent. `window.kgExplorer` tells tests and benchmarks what the page is doing.
(function () {
  "use strict";
  var kg = window.kg;
  var el = kg.el;
  var state = {
    ready: false,
    busy: 0,
    stable: false,
    selected: null,
    loads: 0,
    errors: [],
    cspViolations: []
  };
  window.kgExplorer = state;
  document.addEventListener("securitypolicyviolation", function (event) {
    state.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
  });

  function $(id) { return document.getElementById(id); }

  // --- the network --------------------------------------------------------------------

  var filters = { hiddenTypes: {}, hiddenRelations: {}, from: null, to: null, quotes: false };
  var LABELLED = 30;          // the most connected shown nodes keep their label
  var EDGE_LABEL_SCALE = 1.5; // zoomed in this far, facts show their relation
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var nodeView = new vis.DataView(nodes, { filter: nodeVisible });
  var edgeView = new vis.DataView(edges, { filter: function (edge) { return !filters.hiddenRelations[edge.relation]; } });
  var options = {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: false },
    nodes: { font: { size: 14, strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.6 } },
      font: { size: 10, align: "middle", strokeWidth: 3, strokeColor: "#ffffff" },
      smooth: false,
      width: 1.2,
      selfReference: { size: 18 }
    },
    interaction: { hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: false },
    physics: {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -50, centralGravity: 0.01, springLength: 100, springConstant: 0.08, damping: 0.4 },
      minVelocity: 0.75,
      stabilization: { enabled: true, iterations: 300, updateInterval: 50, fit: true }
    }
  };
  var network = new vis.Network($("kg-network"), { nodes: nodeView, edges: edgeView }, options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;

  // Lay out in the background after each change, then stop, so the page holds still.
  var fitAfterLayout = false;
  function layout(iterations, fit) {
    state.stable = false;
    fitAfterLayout = fitAfterLayout || fit;
    network.stabilize(iterations);
  }
  network.on("stabilizationIterationsDone", function () {
    network.stopSimulation();
    if (fitAfterLayout) {
      network.fit({ animation: false });
      fitAfterLayout = false;
    }
    state.stable = true;
    updateStatus();
  });
  network.on("stabilized", function () { state.stable = true; updateStatus(); });
  network.on("click", function (params) {
    if (params.nodes.length > 0) {
      select(params.nodes[0], { expand: true });
    }
  });

  // Add what a /api/overview or /api/neighbourhood answer holds; new nodes start near `around`.
  function apply(data, replace, around) {
    if (replace) {
      edges.clear();
      nodes.clear();
    }
    var fresh = data.nodes.filter(function (node) { return nodes.get(node.id) === null; });
    fresh.forEach(function (node, index) {
      node.title = kg.tooltip(node.tip);
      if (around) {
        var angle = (2 * Math.PI * index) / Math.max(fresh.length, 1);
        node.x = around.x + 120 * Math.cos(angle);
        node.y = around.y + 120 * Math.sin(angle);
      }
    });
    var newEdges = data.edges.filter(function (edge) { return edges.get(edge.id) === null; });
    newEdges.forEach(function (edge) {
      edge.title = kg.tooltip(edge.tip);
      edge.fullLabel = edge.label;
      edge.label = "";
    });
    fresh.forEach(function (node) { node.fullLabel = node.label; });
    nodes.add(fresh);
    edges.add(newEdges);
    relabel();
    if (nodeView.length === 0) {
      state.stable = true;
    } else if (fresh.length || newEdges.length) {
      layout(replace ? 300 : 120, replace);
    }
    setNote(data.note);
    updateStatus();
    return fresh.length;
  }

  function withQuotes(url) {
    return filters.quotes ? url + (url.indexOf("?") >= 0 ? "&" : "?") + "quotes=1" : url;
  }

  // Labels: the LABELLED best-connected nodes shown, the selected one and the hovered
  // one; the others on hover. Facts show their relation on hover, zoom or selection.
  var hoveredNode = null;
  var hoveredEdge = null;
  function relabel() {
    var degree = {};
    edges.forEach(function (edge) {
      degree[edge.from] = (degree[edge.from] || 0) + 1;
      degree[edge.to] = (degree[edge.to] || 0) + 1;
    });
    var ranked = nodes.getIds().sort(function (a, b) { return (degree[b] || 0) - (degree[a] || 0); });
    var keep = {};
    ranked.slice(0, LABELLED).forEach(function (id) { keep[id] = true; });
    nodes.update(nodes.get().map(function (node) {
      var show = keep[node.id] || node.id === state.selected || node.id === hoveredNode;
      return { id: node.id, label: show ? node.fullLabel : "" };
    }));
    relabelEdges();
  }
  function relabelEdges() {
    var zoomed = network.getScale() >= EDGE_LABEL_SCALE;
    edges.update(edges.get().map(function (edge) {
      var show = zoomed || edge.id === hoveredEdge || edge.from === state.selected || edge.to === state.selected;
      return { id: edge.id, label: show ? edge.fullLabel : "" };
    }));
  }
  network.on("hoverNode", function (params) { hoveredNode = params.node; relabel(); });
  network.on("blurNode", function () { hoveredNode = null; relabel(); });
  network.on("hoverEdge", function (params) { hoveredEdge = params.edge; relabelEdges(); });
  network.on("blurEdge", function () { hoveredEdge = null; relabelEdges(); });
  var zoomTimer = null;
  network.on("zoom", function () { clearTimeout(zoomTimer); zoomTimer = setTimeout(relabelEdges, 80); });

  function load(url, replace, around) {
    url = withQuotes(url);
    state.busy += 1;
    return kg.getJSON(url)
      .then(function (data) { state.loads += 1; return apply(data, replace, around); })
      .catch(showError)
      .finally(function () { state.busy -= 1; });
  }

  function setNote(text) {
    var note = $("kg-note");
    note.textContent = text || "";
    note.hidden = !text;
  }

  function updateStatus() {
    var shown = nodeView.length;
    var text = shown + " of " + nodes.length + " entities and " + edgeView.length + " facts shown";
    if (!state.stable && nodes.length) {
      text += " \u2014 laying out\u2026";
    }
    $("kg-status").textContent = text;
  }

  function showError(error) {
    state.errors.push(String(error && error.message ? error.message : error));
    $("kg-status").textContent = "Error: " + state.errors[state.errors.length - 1];
  }

  // --- selecting and expanding --------------------------------------------------------

  function select(iri, how) {
    how = how || {};
    state.selected = iri;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", kg.explorerHref(iri));
    }
    var url = "/api/neighbourhood?hops=1&iri=" + encodeURIComponent(iri);
    var jobs = [];
    if (how.replace) {
      jobs.push(load(url, true));
    } else if (how.expand) {
      var positions = nodes.get(iri) ? network.getPositions([iri]) : {};
      jobs.push(load(url, false, positions[iri]));
    }
    jobs.push(showEntity(iri));
    return Promise.all(jobs).then(function () {
      if (nodes.get(iri) !== null && state.selected === iri) {
        network.selectNodes([iri]);
        relabel();
      }
    });
  }

  function showEntity(iri) {
    state.busy += 1;
    return kg.getJSON("/api/entity?iri=" + encodeURIComponent(iri))
      .then(function (card) {
        if (state.selected === iri) {
          renderCard(card);
        }
      })
      .catch(showError)
      .finally(function () { state.busy -= 1; });
  }

  function renderCard(card) {
    var panel = $("kg-panel");
    panel.textContent = "";
    panel.scrollTop = 0;
    panel.dataset.iri = card.iri;
    panel.appendChild(el("h2", { id: "kg-entity-label" }, card.label));
    panel.appendChild(el("p", { className: "kg-type-line", id: "kg-entity-type" },
      card.type + (card.subtype && card.subtype !== card.type ? " (" + card.subtype + ")" : "")));
    var facts = el("dl", { className: "kg-card-facts" });
    addFact(facts, "Aliases", card.aliases.join("; "), "kg-entity-aliases");
    addFact(facts, "Roles", card.roles.join("; "), "kg-entity-roles");
    addFact(facts, "Date", card.when || card.value || "", "kg-entity-date");
    addFact(facts, "IRI", card.iri, "kg-entity-iri");
    panel.appendChild(facts);

    if (card.quotes && card.quotes.length) {
      var more = card.quotes_total > card.quotes.length ? card.quotes.length + " of " : "";
      panel.appendChild(el("h3", {}, "Quotes (" + more + card.quotes_total + ")"));
      var quotes = el("ol", { className: "kg-quotes", id: "kg-entity-quotes" });
      card.quotes.forEach(function (quote) {
        var li = el("li", { dataset: { iri: quote.iri } });
        li.appendChild(el("blockquote", { className: "kg-quote" }, quote.text));
        quote.evidence.slice(0, 3).forEach(function (place) {
          li.appendChild(documentLink(place.document));
          li.appendChild(document.createTextNode(" "));
        });
        quotes.appendChild(li);
      });
      panel.appendChild(quotes);
    }

    var shown = card.evidence.length;
    panel.appendChild(el("h3", {}, "Evidence (" + (shown < card.evidence_total ? shown + " of " : "") + card.evidence_total + ")"));
    var evidence = el("ol", { className: "kg-evidence", id: "kg-entity-evidence" });
    card.evidence.forEach(function (item) {
      var li = el("li");
      li.appendChild(el("blockquote", { className: "kg-sentence" }, item.sentence));
      var said = item.facts.map(function (f) { return f.subject + " \u00b7 " + f.relation + " \u00b7 " + f.object; });
      li.appendChild(el("div", { className: "kg-evidence-facts" }, said.join("; ")));
      if (item.document) {
        var at = item.start === null || item.start === undefined ? null : item.start;
        li.appendChild(documentLink(item.document, at));
      }
      evidence.appendChild(li);
    });
    panel.appendChild(evidence);

    panel.appendChild(el("h3", {}, "Relations (" + card.relations.length + ")"));
    var relations = el("ul", { className: "kg-relations", id: "kg-entity-relations" });
    card.relations.forEach(function (rel) {
      var item = el("li");
      item.appendChild(el("span", { className: "kg-relation" + (rel.open ? " kg-open" : "") },
        rel.direction === "out" ? rel.relation + " \u2192" : "\u2190 " + rel.relation));
      var other = el("span", { className: "kg-other" });
      var button = el("button", { type: "button", className: "kg-link", dataset: { iri: rel.iri } }, rel.label);
      button.addEventListener("click", function () { select(rel.iri, { expand: true }); });
      other.appendChild(button);
      other.appendChild(el("span", { className: "kg-type" }, " " + rel.type));
      item.appendChild(other);
      relations.appendChild(item);
    });
    panel.appendChild(relations);

    panel.appendChild(el("h3", {}, "Documents (" + card.documents.length + ")"));
    var documents = el("ul", { className: "kg-documents", id: "kg-entity-documents" });
    card.documents.forEach(function (doc) {
      var li = el("li");
      li.appendChild(documentLink(doc));
      documents.appendChild(li);
    });
    panel.appendChild(documents);
  }

  function addFact(list, name, value, id) {
    if (!value) {
      return;
    }
    list.appendChild(el("dt", {}, name));
    list.appendChild(el("dd", { id: id }, value));
  }

  // A link to the document page; with `at`, the page marks the sentence at that offset.
  function documentLink(doc, at) {
    var href = String(doc.href || "");
    if (href.indexOf("/document/") !== 0) {
      return el("span", { className: "kg-doc" }, doc.title);
    }
    if (at !== null && at !== undefined && href.indexOf("?") < 0) {
      href += "?at=" + encodeURIComponent(at) + "#kg-at";
    }
    return el("a", { className: "kg-doc-link", href: href }, doc.title);
  }

  // --- search -------------------------------------------------------------------------

  var searchSeq = 0;
  var searchTimer = null;
  var lastResults = [];

  function search(text) {
    var seq = ++searchSeq;
    if (!text.trim()) {
      renderResults([]);
      return Promise.resolve();
    }
    state.busy += 1;
    return kg.getJSON("/api/search?q=" + encodeURIComponent(text))
      .then(function (data) {
        if (seq === searchSeq) {
          renderResults(data.results);
        }
      })
      .catch(showError)
      .finally(function () { state.busy -= 1; });
  }

  function renderResults(results) {
    lastResults = results;
    var list = $("kg-results");
    list.textContent = "";
    results.forEach(function (result) {
      var button = el("button", { type: "button", className: "kg-result", dataset: { iri: result.iri } });
      button.appendChild(el("span", { className: "kg-result-label" }, result.label));
      button.appendChild(el("span", { className: "kg-type" }, " " + result.type));
      var extra = result.roles.concat(result.aliases.slice(0, 3)).join("; ");
      if (extra) {
        button.appendChild(el("span", { className: "kg-result-extra" }, extra));
      }
      button.addEventListener("click", function () { select(result.iri, { replace: true }); });
      var li = el("li");
      li.appendChild(button);
      list.appendChild(li);
    });
    if (!results.length && $("kg-search").value.trim()) {
      list.appendChild(el("li", { className: "kg-hint" }, "No entity with that name."));
    }
  }

  $("kg-search").addEventListener("input", function (event) {
    clearTimeout(searchTimer);
    var text = event.target.value;
    searchTimer = setTimeout(function () { search(text); }, 150);
  });
  $("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(searchTimer);
    search($("kg-search").value).then(function () {
      if (lastResults.length) {
        select(lastResults[0].iri, { replace: true });
      }
    });
  });
  $("kg-overview").addEventListener("click", function () {
    state.selected = null;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "/");
    }
    load("/api/overview", true);
  });

  // --- filters ------------------------------------------------------------------------

  function nodeVisible(node) {
    return !filters.hiddenTypes[node.type] && inDateRange(node.when);
  }

  // A date bound typed as YYYY, YYYY-MM or YYYY-MM-DD, as a full date (start or end of it).
  function bound(text, end) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text.trim());
    if (!m) {
      return null;
    }
    return m[1] + "-" + (m[2] || (end ? "12" : "01")) + "-" + (m[3] || (end ? "31" : "01"));
  }

  function inDateRange(when) {
    if (!when || (!filters.from && !filters.to)) {
      return true;
    }
    var from = filters.from || "0000-01-01";
    var to = filters.to || "9999-12-31";
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(when);
    if (m) {
      var start = m[1] + "-" + (m[2] || "01") + "-" + (m[3] || "01");
      var stop = m[1] + "-" + (m[2] || "12") + "-" + (m[3] || "31");
      return stop >= from && start <= to;
    }
    var md = /^--(\d{2})-(\d{2})$/.exec(when);
    if (!md) {
      return true;
    }
    // A day of a year not known: shown when it falls in the range in some year of it.
    var first = Number(from.slice(0, 4));
    var last = Number(to.slice(0, 4));
    if (last - first >= 2) {
      return true;
    }
    for (var year = first; year <= last; year += 1) {
      var day = String(year).padStart(4, "0") + "-" + md[1] + "-" + md[2];
      if (day >= from && day <= to) {
        return true;
      }
    }
    return false;
  }

  function refreshFilters() {
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
  }

  function buildFilters(facets) {
    var typeBox = $("kg-type-filter");
    facets.types.forEach(function (type) {
      if (type.name === "Quote") {
        $("kg-quote-count").textContent = " " + type.count;
        return;
      }
      var style = facets.styles.types[type.name] || facets.styles.other;
      var label = el("label", { className: "kg-check" });
      var box = el("input", { type: "checkbox", checked: true, value: type.name, dataset: { type: type.name } });
      box.addEventListener("change", function () {
        filters.hiddenTypes[type.name] = !box.checked;
        refreshFilters();
      });
      var swatch = el("span", { className: "kg-swatch" });
      swatch.style.backgroundColor = style.color;
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(el("span", {}, type.name));
      label.appendChild(el("span", { className: "kg-count" }, " " + type.count));
      typeBox.appendChild(label);
    });
    var relationBox = $("kg-relation-filter");
    facets.relations.forEach(function (relation) {
      var label = el("label", { className: "kg-check" });
      var box = el("input", { type: "checkbox", checked: true, value: relation.name, dataset: { relation: relation.name } });
      box.addEventListener("change", function () {
        filters.hiddenRelations[relation.name] = !box.checked;
        refreshFilters();
      });
      label.appendChild(box);
      label.appendChild(el("span", {}, relation.name));
      label.appendChild(el("span", { className: "kg-count" }, " " + relation.count));
      relationBox.appendChild(label);
    });
    function setAll(checked) {
      relationBox.querySelectorAll("input").forEach(function (box) {
        box.checked = checked;
        filters.hiddenRelations[box.value] = !checked;
      });
      refreshFilters();
    }
    $("kg-relations-all").addEventListener("click", function () { setAll(true); });
    $("kg-relations-none").addEventListener("click", function () { setAll(false); });
    ["kg-date-from", "kg-date-to"].forEach(function (id) {
      $(id).addEventListener("input", function () {
        var input = $(id);
        var value = input.value.trim() ? bound(input.value, id === "kg-date-to") : null;
        input.setAttribute("aria-invalid", input.value.trim() && !value ? "true" : "false");
        filters[id === "kg-date-to" ? "to" : "from"] = value;
        refreshFilters();
      });
    });
  }

  $("kg-quote-nodes").addEventListener("change", function () {
    filters.quotes = $("kg-quote-nodes").checked;
    if (state.selected) {
      select(state.selected, { replace: true });
    } else {
      load("/api/overview", true);
    }
  });

  // For the timeline (timeline.js): select an entity, set the date range.
  window.kgExplorerApi = {
    select: function (iri) { return select(iri, { replace: true }); },
    setDates: function (from, to) {
      $("kg-date-from").value = from || "";
      $("kg-date-to").value = to || "";
      ["kg-date-from", "kg-date-to"].forEach(function (id) {
        $(id).dispatchEvent(new Event("input"));
      });
    },
    inDateRange: function (when) { return inDateRange(when); }
  };

  // --- start --------------------------------------------------------------------------

  function start() {
    var focus = new URLSearchParams(window.location.search).get("focus");
    state.busy += 1;
    kg.getJSON("/api/facets")
      .then(function (facets) {
        buildFilters(facets);
        return focus ? select(focus, { replace: true }) : load("/api/overview", true);
      })
      .catch(showError)
      .finally(function () {
        state.busy -= 1;
        state.ready = true;
      });
  }

  start();
})();

// kg network page: builds the vis-network from the JSON in #kg-data.
// Tooltips are DOM elements filled with textContent, never HTML strings.
// Keeps `network`, `nodes` and `edges` on window (as pyvis' own template does),
// and `kgStatus` for tests and benchmarks.
(function () {
  "use strict";
  var status = {
    ready: false,
    stabilized: false,
    stabilizedMs: null,
    cspViolations: []
  };
  window.kgStatus = status;
  document.addEventListener("securitypolicyviolation", function (event) {
    status.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
  });

  var payload = JSON.parse(document.getElementById("kg-data").textContent);
  var statusLine = document.getElementById("kg-status");
  var summary = statusLine.textContent;

  // Turn [[key, value], ...] rows into a tooltip element; the first row is the heading.
  function tooltip(rows) {
    var box = document.createElement("div");
    box.className = "kg-tip";
    rows.forEach(function (row, index) {
      var line = document.createElement("div");
      if (row[0]) {
        var key = document.createElement("span");
        key.className = "kg-tip-key";
        key.textContent = row[0] + ": ";
        line.appendChild(key);
      }
      var value = document.createElement(index === 0 ? "strong" : "span");
      value.textContent = row[1];
      line.appendChild(value);
      box.appendChild(line);
    });
    return box;
  }

  function withTooltip(item) {
    item.title = tooltip(item.tip);
    return item;
  }

  function markStabilized() {
    if (status.stabilized) {
      return;
    }
    status.stabilized = true;
    status.stabilizedMs = performance.now();
    statusLine.textContent = summary;
  }

  var nodes = new vis.DataSet(payload.nodes.map(withTooltip));
  var edges = new vis.DataSet(payload.edges.map(withTooltip));
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, payload.options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;

  var physics = payload.options.physics && payload.options.physics.enabled;
  if (physics && payload.nodes.length > 0) {
    network.on("stabilizationProgress", function (params) {
      var percent = Math.round((100 * params.iterations) / params.total);
      statusLine.textContent = summary + " \u2014 laying out " + percent + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      // Stop the simulation so the page stops moving; dragging still works.
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      markStabilized();
    });
  } else {
    markStabilized();
  }
  status.ready = true;
})();

// kg query page: example queries, a SPARQL editor, results as a table.
// Queries go to this server's /sparql; cells are written with textContent.
(function () {
  "use strict";
  var kg = window.kg;
  var el = kg.el;
  var state = { ready: false, busy: 0, rows: null, error: null, ms: null, cspViolations: [] };
  window.kgQuery = state;
  document.addEventListener("securitypolicyviolation", function (event) {
    state.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
  });
  var prefixes = {};
  var examples = [];

  function $(id) { return document.getElementById(id); }

  function chooseExample(index) {
    var example = examples[index];
    if (!example) {
      return;
    }
    $("kg-sparql").value = example.query;
    $("kg-example-summary").textContent = example.summary;
  }

  function downloads(query) {
    ["csv", "tsv", "json"].forEach(function (format) {
      $("kg-download-" + format).setAttribute(
        "href", "/sparql?format=" + format + "&query=" + encodeURIComponent(query));
    });
    $("kg-downloads").hidden = false;
  }

  function run() {
    var query = $("kg-sparql").value;
    var started = performance.now();
    state.busy += 1;
    state.error = null;
    $("kg-query-error").hidden = true;
    $("kg-query-status").textContent = "Running\u2026";
    return fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: query }).toString()
    })
      .then(function (response) {
        return response.text().then(function (body) {
          state.ms = Math.round(performance.now() - started);
          if (!response.ok) {
            throw new Error(body.trim() || "HTTP " + response.status);
          }
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("json") >= 0) {
            showTable(JSON.parse(body));
          } else {
            showText(body);
          }
          downloads(query);
        });
      })
      .catch(function (error) {
        state.error = String(error.message || error);
        state.rows = null;
        $("kg-query-error").textContent = state.error;
        $("kg-query-error").hidden = false;
        $("kg-query-status").textContent = "";
      })
      .finally(function () { state.busy -= 1; });
  }

  function showTable(data) {
    var table = $("kg-results-table");
    table.textContent = "";
    $("kg-results-text").hidden = true;
    if (data.boolean !== undefined) {
      state.rows = 1;
      table.appendChild(el("caption", {}, "ASK"));
      var row = el("tr");
      row.appendChild(el("td", {}, String(data.boolean)));
      table.appendChild(row);
      $("kg-query-status").textContent = String(data.boolean) + " in " + state.ms + " ms";
      return;
    }
    var vars = data.head.vars;
    var head = el("thead");
    var headRow = el("tr");
    vars.forEach(function (name) { headRow.appendChild(el("th", { scope: "col" }, name)); });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = el("tbody");
    data.results.bindings.forEach(function (binding) {
      var tr = el("tr");
      vars.forEach(function (name) { tr.appendChild(cell(binding[name])); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    state.rows = data.results.bindings.length;
    $("kg-query-status").textContent = state.rows + " row" + (state.rows === 1 ? "" : "s") + " in " + state.ms + " ms";
  }

  function cell(term) {
    var td = el("td");
    if (!term) {
      return td;
    }
    if (term.type === "uri") {
      var text = kg.shortIri(term.value, prefixes);
      if (term.value.indexOf("https://example.org/kg/entity/") === 0) {
        td.appendChild(el("a", { href: kg.explorerHref(term.value), title: term.value }, text));
      } else {
        td.appendChild(el("span", { className: "kg-iri", title: term.value }, text));
      }
      return td;
    }
    td.textContent = term.value;
    if (term.datatype) {
      td.title = kg.shortIri(term.datatype, prefixes);
    }
    return td;
  }

  function showText(text) {
    $("kg-results-table").textContent = "";
    var pre = $("kg-results-text");
    pre.textContent = text;
    pre.hidden = false;
    state.rows = text.split("\n").filter(function (line) { return line.trim(); }).length;
    $("kg-query-status").textContent = "graph in " + state.ms + " ms";
  }

  $("kg-run").addEventListener("click", run);
  $("kg-sparql").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  $("kg-example").addEventListener("change", function (event) { chooseExample(Number(event.target.value)); });

  kg.getJSON("/api/examples")
    .then(function (data) {
      prefixes = data.prefixes;
      examples = data.examples;
      var select = $("kg-example");
      examples.forEach(function (example, index) {
        select.appendChild(el("option", { value: index }, example.name));
      });
      chooseExample(0);
    })
    .catch(function (error) {
      $("kg-query-error").textContent = String(error.message || error);
      $("kg-query-error").hidden = false;
    })
    .finally(function () { state.ready = true; });
})();

// Helpers shared by the kg serve pages. Text always goes in with textContent,
// never as HTML; URLs are built with encodeURIComponent.
(function () {
  "use strict";

  // Create an element with attributes (set as properties or attributes) and text.
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "className") {
        node.className = value;
      } else if (name === "dataset") {
        Object.keys(value).forEach(function (key) { node.dataset[key] = value[key]; });
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  // Fetch JSON from this server; errors carry the server's message.
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (body) {
          var data = null;
          try { data = JSON.parse(body); } catch (ignored) { data = null; }
          if (!response.ok) {
            throw new Error((data && data.error) || body || ("HTTP " + response.status));
          }
          return data;
        });
      });
  }

  // A tooltip element from [[key, value], ...] rows; the first row is the heading.
  function tooltip(rows) {
    var box = el("div", { className: "kg-tip" });
    (rows || []).forEach(function (row, index) {
      var line = el("div");
      if (row[0]) {
        line.appendChild(el("span", { className: "kg-tip-key" }, row[0] + ": "));
      }
      line.appendChild(el(index === 0 ? "strong" : "span", {}, row[1]));
      box.appendChild(line);
    });
    return box;
  }

  // An IRI shortened with the given prefixes (prefix -> namespace).
  function shortIri(iri, prefixes) {
    var best = null;
    Object.keys(prefixes || {}).forEach(function (prefix) {
      var ns = prefixes[prefix];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length && (!best || ns.length > prefixes[best].length)) {
        best = prefix;
      }
    });
    return best ? best + ":" + iri.slice(prefixes[best].length) : iri;
  }

  function explorerHref(iri) {
    return "/?focus=" + encodeURIComponent(iri);
  }

  window.kg = { el: el, getJSON: getJSON, tooltip: tooltip, shortIri: shortIri, explorerHref: explorerHref };
})();

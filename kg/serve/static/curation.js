// kg explorer, edit mode (kg serve --edit): curation buttons on the entity card and on
// each fact of its evidence, a history of decisions with undo. Loaded only in edit mode.
// Every text goes into the page with textContent; decisions are JSON POSTs to
// /api/curation/*. `window.kgCuration` tells tests what the script is doing.
(function () {
  "use strict";
  var kg = window.kg;
  var el = kg.el;
  var TYPES = ["Person", "Organization", "Location", "Event"];
  var state = { busy: 0, errors: [], done: 0, last: null };
  window.kgCuration = state;

  function $(id) { return document.getElementById(id); }

  function postJSON(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(data)
    }).then(function (response) {
      return response.text().then(function (body) {
        var parsed = null;
        try { parsed = JSON.parse(body); } catch (ignored) { parsed = null; }
        if (!response.ok) {
          throw new Error((parsed && parsed.error) || body || ("HTTP " + response.status));
        }
        return parsed;
      });
    });
  }

  function track(promise) {
    state.busy += 1;
    return promise.finally(function () { state.busy -= 1; });
  }

  // --- after a decision: the history and the network again -------------------------------

  function settle(result) {
    state.done += 1;
    state.last = result.decision;
    refreshHistory();
    var explorer = window.kgExplorer;
    if (result.focus) {
      return explorer.select(result.focus, { replace: true });
    }
    $("kg-overview").click();
    $("kg-panel").textContent = "";
    return Promise.resolve();
  }

  function fail(box, error) {
    var message = String(error && error.message ? error.message : error);
    state.errors.push(message);
    box.textContent = message;
    box.hidden = false;
  }

  // --- forms ------------------------------------------------------------------------------

  // A small form: the fields, a "why" box, a submit and a cancel button.
  function openForm(host, title, fields, submitText, payload) {
    closeForms();
    var form = el("form", { className: "kg-curate-form", id: "kg-curate-form" });
    form.appendChild(el("p", { className: "kg-curate-title" }, title));
    fields.forEach(function (field) { form.appendChild(field); });
    var why = el("input", { id: "kg-curate-why", type: "text", placeholder: "Why (kept with the decision)", autocomplete: "off" });
    form.appendChild(labelled("Why", why));
    var error = el("p", { className: "kg-curate-error", id: "kg-curate-error", role: "alert" });
    error.hidden = true;
    form.appendChild(error);
    var actions = el("div", { className: "kg-curate-actions" });
    var submit = el("button", { type: "submit", id: "kg-curate-submit" }, submitText);
    var cancel = el("button", { type: "button", id: "kg-curate-cancel" }, "Cancel");
    cancel.addEventListener("click", closeForms);
    actions.appendChild(submit);
    actions.appendChild(cancel);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = payload();
      if (!data) {
        return;
      }
      data.why = why.value;
      submit.disabled = true;
      track(postJSON("/api/curation/decide", data).then(settle).catch(function (e) {
        submit.disabled = false;
        fail(error, e);
      }));
    });
    host.appendChild(form);
    var first = form.querySelector("input, select");
    if (first) {
      first.focus();
    }
    return form;
  }

  function closeForms() {
    document.querySelectorAll(".kg-curate-form").forEach(function (form) { form.remove(); });
  }

  function labelled(text, input) {
    var label = el("label", { className: "kg-curate-field" });
    label.appendChild(el("span", {}, text));
    label.appendChild(input);
    return label;
  }

  function typeSelect(id, current) {
    var select = el("select", { id: id });
    TYPES.forEach(function (type) {
      select.appendChild(el("option", { value: type, selected: type === current }, type));
    });
    return select;
  }

  function checkboxes(className, items) {
    var box = el("fieldset", { className: "kg-curate-choices" });
    items.forEach(function (item) {
      var label = el("label", { className: "kg-check" });
      label.appendChild(el("input", { type: "checkbox", className: className, value: item.value }));
      label.appendChild(el("span", {}, item.text));
      box.appendChild(label);
    });
    return box;
  }

  function checked(form, className) {
    return Array.prototype.map.call(form.querySelectorAll("input." + className + ":checked"), function (box) { return box.value; });
  }

  // --- the card -----------------------------------------------------------------------------

  function decorate(card) {
    var panel = $("kg-panel");
    if (panel.dataset.iri !== card.iri || $("kg-curate")) {
      return;
    }
    var section = el("section", { id: "kg-curate", className: "kg-curate", "aria-label": "Curate" });
    section.appendChild(el("h3", {}, "Curate"));
    var buttons = el("div", { className: "kg-curate-buttons" });
    var area = el("div", { id: "kg-curate-area" });
    var named = TYPES.indexOf(card.type) >= 0;
    if (named) {
      buttons.appendChild(button("kg-curate-merge", "Merge into\u2026", function () { mergeForm(area, card); }));
      buttons.appendChild(button("kg-curate-rename", "Rename\u2026", function () { renameForm(area, card); }));
      buttons.appendChild(button("kg-curate-retype", "Retype\u2026", function () { retypeForm(area, card); }));
      buttons.appendChild(button("kg-curate-split", "Split\u2026", function () { splitForm(area, card); }));
    }
    buttons.appendChild(button("kg-curate-delete", "Delete\u2026", function () { deleteForm(area, card); }));
    section.appendChild(buttons);
    section.appendChild(area);
    section.appendChild(el("h3", {}, "History"));
    section.appendChild(el("ul", { id: "kg-entity-history", className: "kg-history" }));
    var facts = panel.querySelector(".kg-card-facts");
    if (facts) {
      facts.insertAdjacentElement("afterend", section);
    } else {
      panel.appendChild(section);
    }
    decorateEvidence(card);
    loadHistory(card.iri, $("kg-entity-history"));
  }

  function button(id, text, action) {
    var b = el("button", { type: "button", id: id, className: "kg-curate-button" }, text);
    b.addEventListener("click", action);
    return b;
  }

  function mergeForm(area, card) {
    var chosen = null;
    var search = el("input", { id: "kg-curate-target", type: "search", placeholder: "The entity it is the same as", autocomplete: "off" });
    var results = el("ul", { id: "kg-curate-targets", className: "kg-curate-targets" });
    var picked = el("p", { id: "kg-curate-chosen", className: "kg-hint" }, "Pick the entity that stays.");
    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        track(kg.getJSON("/api/search?q=" + encodeURIComponent(search.value)).then(function (data) {
          results.textContent = "";
          data.results.filter(function (r) { return r.iri !== card.iri; }).forEach(function (r) {
            var li = el("li");
            var pick = el("button", { type: "button", className: "kg-result", dataset: { iri: r.iri } });
            pick.appendChild(el("span", { className: "kg-result-label" }, r.label));
            pick.appendChild(el("span", { className: "kg-type" }, " " + r.type));
            pick.addEventListener("click", function () {
              chosen = r;
              picked.textContent = "Merge " + card.label + " into " + r.label + " (" + r.type + ")";
              results.textContent = "";
            });
            li.appendChild(pick);
            results.appendChild(li);
          });
        }).catch(function (e) { state.errors.push(String(e.message || e)); }));
      }, 120);
    });
    openForm(area, "Merge " + card.label + " into another entity: its facts and names move there.",
      [labelled("Same as", search), results, picked], "Merge", function () {
        if (!chosen) {
          fail($("kg-curate-error"), "pick the entity that stays first");
          return null;
        }
        return { kind: "merge", survivor: chosen.iri, merged: [card.iri] };
      });
  }

  function renameForm(area, card) {
    var input = el("input", { id: "kg-curate-label", type: "text", value: card.label });
    openForm(area, "The canonical name of " + card.label + " (the old one stays an alias).",
      [labelled("Name", input)], "Rename", function () {
        return { kind: "rename", entity: card.iri, label: input.value };
      });
  }

  function retypeForm(area, card) {
    var select = typeSelect("kg-curate-type", card.type);
    openForm(area, "What " + card.label + " is.", [labelled("Type", select)], "Retype", function () {
      return { kind: "retype", entity: card.iri, type: select.value };
    });
  }

  function splitForm(area, card) {
    var label = el("input", { id: "kg-curate-label", type: "text", placeholder: "The other one's name" });
    var type = typeSelect("kg-curate-type", card.type);
    var documents = checkboxes("kg-curate-document", card.documents.map(function (d) { return { value: d.id, text: d.title }; }));
    var aliases = checkboxes("kg-curate-alias", card.aliases.map(function (a) { return { value: a, text: a }; }));
    var fields = [labelled("Name", label), labelled("Type", type)];
    if (card.documents.length) {
      fields.push(el("p", { className: "kg-hint" }, "Documents about the other one:"), documents);
    }
    if (card.aliases.length) {
      fields.push(el("p", { className: "kg-hint" }, "Names that are the other one's:"), aliases);
    }
    var form = openForm(area, "Part of " + card.label + " is another entity.", fields, "Split", function () {
      return {
        kind: "split", entity: card.iri, label: label.value, type: type.value,
        documents: checked(form, "kg-curate-document"), aliases: checked(form, "kg-curate-alias")
      };
    });
  }

  function deleteForm(area, card) {
    openForm(area, "Delete " + card.label + " and its facts (their evidence is kept, marked rejected).", [],
      "Delete", function () { return { kind: "delete", entity: card.iri }; });
  }

  // A reject button for each fact an evidence sentence supports.
  function decorateEvidence(card) {
    var items = document.querySelectorAll("#kg-entity-evidence > li");
    card.evidence.forEach(function (item, index) {
      var li = items[index];
      if (!li) {
        return;
      }
      var box = el("div", { className: "kg-curate-facts" });
      item.facts.forEach(function (fact) {
        if (!fact.iris || fact.relation === "mentions") {
          return;
        }
        var text = fact.subject + " \u00b7 " + fact.relation + " \u00b7 " + fact.object;
        var reject = el("button", { type: "button", className: "kg-curate-reject", title: "Reject: " + text }, "Reject " + fact.relation + "\u2026");
        reject.addEventListener("click", function () {
          var literal = !/^https?:\/\//.test(fact.iris[2]);
          openForm(box, "Reject " + text + ": out of the graph, this evidence kept and marked rejected.", [], "Reject",
            function () {
              return { kind: "reject", subject: fact.iris[0], predicate: fact.iris[1], object: fact.iris[2], literal: literal };
            });
        });
        box.appendChild(reject);
      });
      if (box.childNodes.length) {
        li.appendChild(box);
      }
    });
  }

  // --- history ------------------------------------------------------------------------------

  function loadHistory(iri, list) {
    if (!list) {
      return Promise.resolve();
    }
    var url = "/api/curation/decisions" + (iri ? "?iri=" + encodeURIComponent(iri) : "");
    return track(kg.getJSON(url).then(function (data) {
      list.textContent = "";
      data.decisions.forEach(function (d) { list.appendChild(historyItem(d)); });
      if (!data.decisions.length) {
        list.appendChild(el("li", { className: "kg-hint" }, "No decisions yet."));
      }
    }).catch(function (e) { state.errors.push(String(e.message || e)); }));
  }

  function historyItem(d) {
    var li = el("li", { className: "kg-history-item" + (d.active ? "" : " kg-undone"), dataset: { id: d.id, kind: d.kind } });
    li.appendChild(el("span", { className: "kg-history-summary" }, d.summary));
    var status = d.active ? (d.problem ? "no longer applies: " + d.problem : "") : "undone";
    var meta = d.curator + ", " + d.created.slice(0, 16).replace("T", " ") + (status ? " \u2014 " + status : "");
    li.appendChild(el("span", { className: "kg-history-meta" }, meta));
    if (d.reason) {
      li.appendChild(el("span", { className: "kg-history-why" }, d.reason));
    }
    if (d.active) {
      var undo = el("button", { type: "button", className: "kg-curate-undo", dataset: { id: d.id } }, "Undo");
      undo.addEventListener("click", function () {
        undo.disabled = true;
        track(postJSON("/api/curation/undo", { decision: d.id, why: "undone in the explorer" })
          .then(settle)
          .catch(function (e) {
            undo.disabled = false;
            state.errors.push(String(e.message || e));
            li.appendChild(el("span", { className: "kg-curate-error", role: "alert" }, String(e.message || e)));
          }));
      });
      li.appendChild(undo);
    }
    return li;
  }

  function refreshHistory() {
    var panel = $("kg-panel");
    loadHistory(null, $("kg-history-list"));
    if (panel.dataset.iri && $("kg-entity-history")) {
      loadHistory(panel.dataset.iri, $("kg-entity-history"));
    }
  }

  function start() {
    var sidebar = $("kg-sidebar");
    var section = el("section", { id: "kg-history", "aria-label": "Decisions" });
    section.appendChild(el("h2", { className: "kg-history-title" }, "Decisions"));
    section.appendChild(el("p", { className: "kg-hint" }, "Edit mode: corrections are kept with who, when and why, and survive rebuilds."));
    section.appendChild(el("ul", { id: "kg-history-list", className: "kg-history" }));
    sidebar.appendChild(section);
    loadHistory(null, $("kg-history-list"));
    document.addEventListener("kg:card", function (event) { decorate(event.detail); });
  }

  start();
})();

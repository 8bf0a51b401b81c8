// kg explorer timeline: the dates the documents mention and the facts that carry a date,
// on one axis under the network. Drag across the axis to set the date filter, click a
// mark to select that date. What has no year is counted, never placed at a made-up year.
// Text goes in with textContent; `window.kgTimeline` tells tests what it shows.
(function () {
  "use strict";
  var kg = window.kg;
  var el = kg.el;
  var SVG = "http://www.w3.org/2000/svg";
  var state = { ready: false, items: 0, range: null, selected: null };
  window.kgTimeline = state;
  var svg = document.getElementById("kg-timeline-axis");
  var info = document.getElementById("kg-timeline-info");
  var detail = document.getElementById("kg-timeline-detail");
  var data = null;
  var scale = null;

  function node(tag, attrs) {
    var item = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (name) { item.setAttribute(name, String(attrs[name])); });
    return item;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function describe(timeline) {
    var docs = timeline.documents;
    var parts = [];
    if (timeline.items.length) {
      parts.push(plural(timeline.items.length, "date") + " on the axis, " + timeline.span.min + " to " + timeline.span.max);
    } else {
      parts.push("No date with a year");
    }
    if (timeline.without_year) {
      parts.push(plural(timeline.without_year, "date") + " without a year (e.g. " +
        timeline.without_year_examples.slice(0, 3).join(", ") + ") not placed");
    }
    if (docs.total && docs.undated === docs.total) {
      parts.push(docs.total === 1 ? "the document has no publication date" : "none of the " + docs.total + " documents has a publication date");
    } else if (docs.total) {
      parts.push("documents published " + docs.first + " to " + docs.last +
        (docs.undated ? " (" + docs.undated + " without a date)" : ""));
    }
    return parts.join("; ") + ".";
  }

  function yearText(value) {
    var year = Math.floor(value);
    return year < 0 ? String(-year) + " BC" : String(year);
  }

  function draw() {
    svg.textContent = "";
    var items = data.items;
    var width = svg.clientWidth || 600;
    var height = svg.clientHeight || 150;
    var pad = 24;
    if (!items.length) {
      var empty = node("text", { x: pad, y: height / 2 });
      empty.textContent = "Nothing to place on a time axis.";
      svg.appendChild(empty);
      return;
    }
    var low = Math.floor(items[0].start);
    var high = Math.ceil(items[items.length - 1].end);
    if (high - low < 1) { high = low + 1; }
    // Long spans (a 13th-century charter among this year's news) get a scale that
    // gives recent years more room: distance from the latest year, logarithmic.
    var stretched = high - low > 80;
    var span = Math.log(1 + (high - low));
    scale = function (year) {
      var share = stretched ? 1 - Math.log(1 + (high - year)) / span : (year - low) / (high - low);
      return pad + share * (width - 2 * pad);
    };
    scale.invert = function (x) {
      var share = (x - pad) / (width - 2 * pad);
      return stretched ? high + 1 - Math.exp((1 - share) * span) : low + share * (high - low);
    };
    var axisY = height - 22;
    svg.appendChild(node("line", { x1: pad, x2: width - pad, y1: axisY, y2: axisY, stroke: "#999" }));
    var ticks = [];
    if (stretched) {
      var top = Math.floor(high / 10) * 10;
      [0, 10, 20, 50, 100, 200, 500, 1000, 2000].forEach(function (back) {
        var year = back ? Math.round((top - back) / 10) * 10 : top;
        if (year >= low) { ticks.push(year); }
      });
      ticks.push(low);
    } else {
      var step = Math.max(1, Math.ceil((high - low) / 8));
      [1, 2, 5, 10, 20, 25, 50].some(function (nice) {
        if (nice >= step) { step = nice; return true; }
        return false;
      });
      for (var year = Math.ceil(low / step) * step; year <= high; year += step) { ticks.push(year); }
    }
    var lastX = -100;
    ticks.sort(function (a, b) { return a - b; }).forEach(function (year) {
      var x = scale(year);
      if (x - lastX < 28) { return; }
      lastX = x;
      svg.appendChild(node("line", { x1: x, x2: x, y1: axisY, y2: axisY + 4, stroke: "#999" }));
      var label = node("text", { x: x, y: axisY + 15, "text-anchor": "middle" });
      label.textContent = yearText(year);
      svg.appendChild(label);
    });
    var brush = node("rect", { class: "kg-tl-brush", x: 0, y: 0, width: 0, height: axisY });
    svg.appendChild(brush);
    // Marks stack upwards where they would overlap.
    var lanes = [];
    items.forEach(function (item) {
      var x = scale((item.start + item.end) / 2);
      var lane = 0;
      while (lanes[lane] !== undefined && x - lanes[lane] < 9) { lane += 1; }
      lanes[lane] = x;
      var y = axisY - 8 - lane * 10;
      if (y < 6) { y = 6; }
      var hasFacts = item.facts.length > 0;
      var radius = Math.min(7, 3 + Math.sqrt(item.documents || 1));
      var mark = hasFacts
        ? node("rect", { x: x - radius, y: y - radius, width: 2 * radius, height: 2 * radius, fill: "#CC79A7", transform: "rotate(45 " + x + " " + y + ")" })
        : node("circle", { cx: x, cy: y, r: radius, fill: "#56B4E9", stroke: "#2a7fb0" });
      mark.setAttribute("class", "kg-tl-item");
      mark.dataset.iri = item.iri;
      mark.dataset.when = item.when;
      var title = node("title");
      title.textContent = item.label + " (" + item.when + "): " + plural(item.documents, "document") +
        (hasFacts ? ", " + plural(item.facts.length, "fact") : "");
      mark.appendChild(title);
      mark.addEventListener("click", function (event) {
        event.stopPropagation();
        choose(item);
      });
      svg.appendChild(mark);
    });
    brushing(brush, axisY);
    shade();
  }

  function brushing(brush, axisY) {
    var start = null;
    svg.addEventListener("mousedown", function (event) {
      if (event.target.classList && event.target.classList.contains("kg-tl-item")) { return; }
      start = event.offsetX;
      brush.setAttribute("x", start);
      brush.setAttribute("width", 0);
    });
    svg.addEventListener("mousemove", function (event) {
      if (start === null) { return; }
      brush.setAttribute("x", Math.min(start, event.offsetX));
      brush.setAttribute("width", Math.abs(event.offsetX - start));
    });
    svg.addEventListener("mouseup", function (event) {
      if (start === null) { return; }
      var a = Math.min(start, event.offsetX);
      var b = Math.max(start, event.offsetX);
      start = null;
      if (b - a < 4) {
        brush.setAttribute("width", 0);
        setRange(null, null);
        return;
      }
      setRange(scale.invert(a), scale.invert(b));
      brush.setAttribute("height", axisY);
    });
  }

  // A range in fractional years as the explorer's date filter (YYYY, or YYYY-MM when short).
  function bound(value, end) {
    var year = Math.floor(value);
    var month = Math.min(12, Math.max(1, Math.floor((value - year) * 12) + 1));
    return { year: String(year).padStart(4, "0"), month: String(month).padStart(2, "0"), end: end };
  }

  function setRange(from, to) {
    if (from === null) {
      state.range = null;
      window.kgExplorerApi.setDates("", "");
    } else {
      var a = bound(from, false);
      var b = bound(to, true);
      var short = to - from < 3;
      var fromText = short ? a.year + "-" + a.month : a.year;
      var toText = short ? b.year + "-" + b.month : b.year;
      state.range = [fromText, toText];
      window.kgExplorerApi.setDates(fromText, toText);
    }
    shade();
  }

  function shade() {
    svg.querySelectorAll(".kg-tl-item").forEach(function (mark) {
      var inside = window.kgExplorerApi.inDateRange(mark.dataset.when);
      mark.classList.toggle("kg-tl-out", !inside);
    });
  }

  function choose(item) {
    state.selected = item.iri;
    detail.textContent = "";
    detail.appendChild(el("strong", {}, item.label));
    detail.appendChild(el("span", { className: "kg-hint" }, " " + item.when + " \u00b7 " + plural(item.documents, "document")));
    var list = el("ul", { className: "kg-evidence" });
    item.facts.forEach(function (fact) {
      list.appendChild(el("li", {}, fact.label + " \u00b7 " + fact.relation + " \u00b7 " + item.label));
    });
    item.sentences.forEach(function (row) {
      var li = el("li");
      li.appendChild(el("span", {}, row.sentence + " "));
      li.appendChild(el("a", { className: "kg-doc-link", href: row.document.href }, row.document.title));
      list.appendChild(li);
    });
    detail.appendChild(list);
    window.kgExplorerApi.select(item.iri);
  }

  ["kg-date-from", "kg-date-to"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", function () { if (data) { shade(); } });
  });
  window.addEventListener("resize", function () { if (data) { draw(); } });

  kg.getJSON("/api/timeline")
    .then(function (timeline) {
      data = timeline;
      state.items = timeline.items.length;
      var text = describe(timeline);
      info.textContent = text;
      document.getElementById("kg-timeline-summary").textContent = "(" + plural(timeline.items.length, "date") + ")";
      document.getElementById("kg-date-hint").textContent = text + " The range hides dates and events outside it; undated entities stay.";
      draw();
    })
    .catch(function (error) { info.textContent = "Timeline: " + error.message; })
    .finally(function () { state.ready = true; });
})();

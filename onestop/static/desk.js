// The reception desk: search procedures as you type (diacritics optional), show documents and the due time.
(function () {
  "use strict";
  var script = document.currentScript;
  var search = document.getElementById("procedure_search");
  var results = document.getElementById("procedure_results");
  var select = document.getElementById("procedure_code");
  var documents = document.getElementById("documents");
  var preview = document.getElementById("preview");
  var kinds = JSON.parse(script.dataset.kinds || "{}");
  var timer = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function choose(code) {
    select.value = code;
    results.innerHTML = "";
    load(code);
  }

  function load(code) {
    if (!code) return;
    fetch(script.dataset.preview + "?procedure=" + encodeURIComponent(code), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.error) { preview.textContent = data.error; return; }
        preview.innerHTML = "";
        var p = el("p");
        p.append("Thời hạn: ", el("b", {}, data.time_text), " · Hẹn trả nếu lưu bây giờ: ", el("b", {id: "due-at"}, data.due_at));
        preview.append(p);
        documents.innerHTML = "";
        data.documents.forEach(function (doc, index) {
          var row = el("div", {"class": "row doc"});
          var label = el("label", {"class": "check", style: "flex:3 1 260px"});
          var box = el("input", {type: "checkbox", name: "doc_received", value: String(index), checked: ""});
          label.append(box, " " + doc.name);
          var kind = el("select", {name: "doc_kind", "aria-label": "Loại"});
          Object.keys(kinds).forEach(function (key) {
            var option = el("option", {value: key}, kinds[key]);
            if (key === doc.kind) option.selected = true;
            kind.append(option);
          });
          row.append(label, el("input", {type: "hidden", name: "doc_name", value: doc.name}), kind,
            el("input", {type: "number", name: "doc_copies", value: String(doc.copies), min: "1", max: "99",
              "aria-label": "Số bản", style: "max-width:5rem"}));
          documents.append(row);
        });
        var sets = document.getElementById("sets");
        if (sets && !sets.value) sets.value = data.sets;
      });
  }

  function lookUp(delay) {
    clearTimeout(timer);
    var q = search.value.trim();
    if (q.length < 2) { results.innerHTML = ""; return; }
    timer = setTimeout(function () {
      fetch(script.dataset.search + "?per_page=8&q=" + encodeURIComponent(q))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          results.innerHTML = "";
          data.items.forEach(function (item) {
            var li = el("li", {role: "option", tabindex: "0"}, item.code + " – " + item.name);
            li.addEventListener("click", function () { choose(item.code); search.value = item.name; });
            li.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); li.click(); } });
            results.append(li);
          });
          if (!data.items.length) results.append(el("li", {"class": "muted"}, "Không tìm thấy thủ tục."));
        });
    }, delay);
  }
  if (search) {
    search.addEventListener("input", function () { lookUp(200); });
    // Typed before this script arrived (a slow network, a fast clerk) or restored by the browser: search now.
    if (search.value.trim()) lookUp(0);
  }
  if (select) select.addEventListener("change", function () { load(select.value); });
  var form = document.getElementById("desk-form");
  if (form) form.addEventListener("submit", function (e) {
    // one click, one application: the submission key also guards the server, this spares the wait
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () { delete form.dataset.sent; }, 4000);
  });
})();

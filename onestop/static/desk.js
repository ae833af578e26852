// The reception desk at keyboard speed: search procedures as you type (diacritics optional), arrows and Enter pick
// one, Enter in a field moves to the next required field still empty and saves when none is left; after saving,
// the receipt opens in the print dialog and the desk is empty again with the search focused.
(function () {
  "use strict";
  var script = document.currentScript;
  var search = document.getElementById("procedure_search");
  var results = document.getElementById("procedure_results");
  var select = document.getElementById("procedure_code");
  var documents = document.getElementById("documents");
  var preview = document.getElementById("preview");
  var form = document.getElementById("desk-form");
  var kinds = JSON.parse(script.dataset.kinds || "{}");
  var words = JSON.parse(script.dataset.messages || "{}");
  var timer = null;
  var active = -1;  // the highlighted suggestion

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function visible(node) { return node && node.offsetParent !== null; }

  // ------------------------------------------------------------ required fields and Enter

  function requiredFields() {
    var fields = Array.prototype.slice.call(form.querySelectorAll("[data-required]"));
    var paper = document.getElementById("applicant_id_paper");
    if (visible(paper)) fields.splice(fields.indexOf(document.getElementById("applicant_id_number")) + 1, 0, paper);
    return fields;
  }

  function firstEmpty() {
    var fields = requiredFields();
    for (var i = 0; i < fields.length; i++) {
      if (!fields[i].value.trim()) return fields[i] === select ? search : fields[i];
    }
    return null;
  }

  function onFieldEnter(e) {
    var target = e.target;
    if (e.key !== "Enter" || e.isComposing || target.tagName !== "INPUT" || target === search) return;
    if (["checkbox", "radio", "submit", "button"].indexOf(target.type) >= 0) return;
    if (target.closest("#slip-section")) { e.preventDefault(); return; }  // slips have their own buttons
    var next = firstEmpty();
    if (next) {
      e.preventDefault();
      next.focus();
      if (next === search && preview) preview.textContent = words.choose_procedure || "";
    }
    // nothing left empty: Enter saves, as in any form
  }

  // ------------------------------------------------------------ the procedure and its documents

  function choose(code, name) {
    select.value = code;
    if (name) search.value = name;
    closeList();
    load(code);
    var next = firstEmpty();
    (next && next !== search ? next : document.getElementById("applicant_name")).focus();
  }

  function load(code) {
    if (!code) return;
    fetch(script.dataset.preview + "?procedure=" + encodeURIComponent(code), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.error) { preview.textContent = data.error; return; }
        preview.innerHTML = "";
        var p = el("p");
        p.append(words.time_limit + ": ", el("b", {}, data.time_text), " · " + words.due_if_saved + ": ",
          el("b", {id: "due-at"}, data.due_at));
        preview.append(p);
        if (data.time_note) preview.append(el("p", {id: "time-note", "class": "time-note"}, words.time_note + ": " + data.time_note));
        documents.innerHTML = "";
        data.documents.forEach(function (doc, index) {
          var row = el("div", {"class": "row doc"});
          var label = el("label", {"class": "check", style: "flex:3 1 260px"});
          var box = el("input", {type: "checkbox", name: "doc_received", value: String(index), checked: ""});
          label.append(box, " " + doc.name);
          var kind = el("select", {name: "doc_kind", "aria-label": words.kind});
          Object.keys(kinds).forEach(function (key) {
            var option = el("option", {value: key}, kinds[key]);
            if (key === doc.kind) option.selected = true;
            kind.append(option);
          });
          row.append(label, el("input", {type: "hidden", name: "doc_name", value: doc.name}), kind,
            el("input", {type: "number", name: "doc_copies", value: String(doc.copies), min: "1", max: "99",
              "aria-label": words.copies, style: "max-width:5rem"}));
          documents.append(row);
        });
        var sets = document.getElementById("sets");
        if (sets && !sets.value) sets.value = data.sets;
      });
  }

  // ------------------------------------------------------------ suggestions: a listbox driven from the search

  function options() { return results.querySelectorAll("li[role=option]"); }

  function highlight(index) {
    var items = options();
    if (!items.length) { active = -1; return; }
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
    search.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({block: "nearest"});
  }

  function closeList() {
    results.innerHTML = "";
    active = -1;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
  }

  function lookUp(delay) {
    clearTimeout(timer);
    var q = search.value.trim();
    if (q.length < 2) { closeList(); return; }
    timer = setTimeout(function () {
      fetch(script.dataset.search + "?per_page=8&q=" + encodeURIComponent(q))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (search.value.trim() !== q) return;  // typed on meanwhile: a newer search is coming
          closeList();
          data.items.forEach(function (item, index) {
            var li = el("li", {role: "option", id: "procedure-option-" + index, "aria-selected": "false",
              "data-code": item.code}, item.code + " – " + item.name);
            li.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep focus in the search
            li.addEventListener("click", function () { choose(item.code, item.name); });
            results.append(li);
          });
          if (!data.items.length) results.append(el("li", {"class": "muted"}, words.not_found));
          search.setAttribute("aria-expanded", data.items.length ? "true" : "false");
          if (data.items.length) highlight(0);  // Enter takes the best match
        });
    }, delay);
  }

  function onSearchKey(e) {
    var items = options();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (items.length) highlight(active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      e.preventDefault();  // never submits the application
      if (active >= 0 && items[active]) items[active].click();
      else lookUp(0);
    } else if (e.key === "Escape") {
      closeList();
    }
  }

  // ------------------------------------------------------------ ID papers: the kind decides what is asked

  function papers() {
    document.querySelectorAll(".id-paper").forEach(function (row) {
      var kind = row.querySelector(".id-kind select");
      var name = row.querySelector(".id-name");
      var numberLabel = row.querySelector(".id-number label");
      var owner = row.dataset.kindFrom ? document.getElementById(row.dataset.kindFrom) : null;
      var plainLabel = numberLabel.firstChild.textContent;
      function sync() {
        var organisation = owner && owner.value === "organisation";
        row.querySelector(".id-kind").hidden = organisation;
        name.hidden = organisation || kind.value !== "other";
        numberLabel.firstChild.textContent = (organisation ? words.tax_code : (words.id_number || plainLabel)) + " ";
      }
      kind.addEventListener("change", sync);
      if (owner) owner.addEventListener("change", sync);
      sync();
    });
  }

  // ------------------------------------------------------------ after saving: the receipt, then the next person

  function printReceipt() {
    var banner = document.getElementById("received");
    var toggle = document.getElementById("auto_print");
    if (toggle) {
      toggle.closest("label").hidden = false;
      toggle.checked = localStorage.getItem("onestop.autoPrint") !== "off";
      toggle.addEventListener("change", function () {
        localStorage.setItem("onestop.autoPrint", toggle.checked ? "on" : "off");
      });
    }
    if (!banner || !toggle || !toggle.checked) return;
    var done = "onestop.printed." + banner.dataset.code;
    if (sessionStorage.getItem(done)) return;  // a reload does not print it twice
    sessionStorage.setItem(done, "1");
    var frame = el("iframe", {id: "receipt-frame", title: words.printing, "aria-hidden": "true", tabindex: "-1",
      style: "position:fixed;right:0;bottom:0;width:1px;height:1px;border:0;opacity:0"});
    frame.addEventListener("load", function () {
      try {
        frame.contentWindow.print();
        frame.dataset.print = "requested";
      } catch (error) {
        frame.dataset.print = "failed";  // the button beside stays: one click
      }
      search.focus();
    });
    frame.src = banner.dataset.receipt;
    document.body.append(frame);
  }

  if (search) {
    search.addEventListener("input", function () { lookUp(200); });
    search.addEventListener("keydown", onSearchKey);
    search.addEventListener("blur", function () { setTimeout(closeList, 150); });
    // Typed before this script arrived (a slow network, a fast clerk) or restored by the browser: search now.
    if (search.value.trim() && !select.value) lookUp(0);
  }
  if (select) select.addEventListener("change", function () { load(select.value); });
  if (form) {
    form.addEventListener("keydown", onFieldEnter);
    form.addEventListener("submit", function (e) {
      // one click, one application: the submission key also guards the server, this spares the wait
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = "1";
      setTimeout(function () { delete form.dataset.sent; }, 4000);
    });
    papers();
    var invalid = form.querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus();  // a refused save: straight to what needs fixing
    else if (search && !select.value) search.focus();
  }
  printReceipt();
})();

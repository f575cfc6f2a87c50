/* ddgen: filter and sort the supplier table. Progressive enhancement: without JavaScript the whole
   table is shown, in the order of the data. */
(function () {
  "use strict";

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value");
    var text = raw !== null && raw !== "" ? raw : cell.textContent.trim();
    if (!numeric) return text.toLocaleLowerCase();
    var n = parseFloat(text.replace(/[^0-9.,-]/g, "").replace(",", "."));
    return isNaN(n) ? -Infinity : n;
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function makeFilter(form) {
    var table = document.getElementById(form.getAttribute("data-ddgen-filter"));
    if (!table) return;
    var status = form.querySelector("[data-count-template]");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    function apply() {
      var text = form.querySelector("[data-filter=text]").value.trim().toLocaleLowerCase();
      var country = form.querySelector("[data-filter=country]").value;
      var tier = form.querySelector("[data-filter=tier]").value;
      var product = form.querySelector("[data-filter=product]").value;
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!text || row.textContent.toLocaleLowerCase().indexOf(text) !== -1) &&
          (!country || row.getAttribute("data-country") === country) &&
          (!tier || row.getAttribute("data-tier") === tier) &&
          (!product || row.getAttribute("data-product").split("|").indexOf(product) !== -1);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      if (status) {
        status.textContent = status.getAttribute("data-count-template")
          .replace("{shown}", shown).replace("{total}", rows.length);
      }
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.ddgen-sortable"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-ddgen-filter]"), makeFilter);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* algoattr: click (or press Enter on) a column header of a table marked "sortable" to sort
   its rows by that column; again to reverse. Cells sort by their data-sort key (numbers as
   numbers in columns marked data-type="num"); empty keys go last. No network, no state. */
(function () {
  "use strict";
  function key(cell, num) {
    var k = cell.getAttribute("data-sort");
    if (k === null) { k = cell.textContent.trim(); }
    if (k === "") { return null; }
    if (num) { var x = parseFloat(k); return isNaN(x) ? null : x; }
    return k;
  }
  function sortBy(table, th, col) {
    var heads = table.tHead.rows[0].cells;
    var asc = th.getAttribute("aria-sort") !== "ascending";
    for (var h = 0; h < heads.length; h++) { heads[h].setAttribute("aria-sort", "none"); }
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var num = th.getAttribute("data-type") === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (r, i) {
      return { row: r, key: key(r.cells[col], num), index: i };
    });
    rows.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        return a.key === b.key ? a.index - b.index : (a.key === null ? 1 : -1);
      }
      var c = num ? a.key - b.key : String(a.key).localeCompare(String(b.key));
      return (asc ? c : -c) || a.index - b.index;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      th.title = "Sort by this column";
      th.addEventListener("click", function () { sortBy(table, th, col); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, col); }
      });
    });
  });
})();

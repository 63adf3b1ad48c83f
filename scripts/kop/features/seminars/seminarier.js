// KÖP seminars: keep "upcoming" and "past" true by the reader's clock, not the build's.
// The site is rebuilt nightly, but a page can be read days after it was built. Without this
// script the page still states every date and deadline; with it, items move between the
// upcoming and past lists, a finished seminar says so, and a closed registration is hidden.
// It only moves existing elements and toggles `hidden`; it never inserts text or HTML.
(function () {
  "use strict";
  var now = Date.now();

  function at(node, name) {
    var value = Date.parse(node.getAttribute(name) || "");
    return isNaN(value) ? null : value;
  }

  function byStart(a, b) { return at(a, "data-kop-start") - at(b, "data-kop-start"); }

  document.querySelectorAll("[data-kop-seminar-split]").forEach(function (split) {
    var parts = {};
    split.querySelectorAll("[data-kop-part]").forEach(function (part) {
      parts[part.getAttribute("data-kop-part")] = part;
    });
    if (!parts.upcoming || !parts.past) return;
    var items = Array.prototype.slice.call(split.querySelectorAll("li[data-kop-end]"));
    var upcoming = items.filter(function (li) { var end = at(li, "data-kop-end"); return end === null || end > now; });
    var past = items.filter(function (li) { return upcoming.indexOf(li) < 0; });
    upcoming.sort(byStart);
    past.sort(byStart).reverse();
    [["upcoming", upcoming], ["past", past]].forEach(function (pair) {
      var part = parts[pair[0]], list = part.querySelector("ul"), empty = part.querySelector(".kop-seminar-empty");
      pair[1].forEach(function (li) { list.appendChild(li); });
      list.hidden = pair[1].length === 0;
      if (empty) empty.hidden = pair[1].length > 0;
      if (!part.hasAttribute("data-kop-keep")) part.hidden = pair[1].length === 0;
    });
  });

  document.querySelectorAll("[data-kop-ended]").forEach(function (note) {
    var end = at(note, "data-kop-ended");
    note.hidden = !(end !== null && end <= now);
  });

  document.querySelectorAll("[data-kop-closes]").forEach(function (field) {
    var closes = at(field, "data-kop-closes");
    var closed = closes !== null && closes <= now;
    var open = field.querySelector(".kop-registration-open"), shut = field.querySelector(".kop-registration-closed");
    if (open) open.hidden = closed;
    if (shut) shut.hidden = !closed;
  });
})();

// KÖP: "Menade du …?" for a search without hits, from sok/forslag.json (kop.site.search_suggest).
// The build ranks the site's words (one form per stem, the most used first, without the
// content's own misspellings); here only the distance to the query word is measured, so the
// nearest spelling wins and, among equally near ones, the most used word.
// Exposes window.kopSuggest(word, max, limit) -> Promise of up to `limit` words within `max`
// edits (optimal string alignment: a swapped pair of letters is one edit). Nothing is written
// to the page here; the caller inserts the words with textContent. window.kopSuggest.distance(a, b, max)
// is the distance itself, which kop.js uses too.
(function () {
  "use strict";

  function siteRoot() {  // as in kop.js: Material writes the relative base into __config
    var base = ".";
    var node = document.getElementById("__config");
    if (node) {
      try { base = JSON.parse(node.textContent).base || "."; } catch (e) { /* keep "." */ }
    }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  var listPromise = null;
  function ranked() {
    if (!listPromise) {
      listPromise = fetch(new URL("sok/forslag.json", siteRoot()).href).then(function (r) {
        if (!r.ok) throw new Error("forslag.json " + r.status);
        return r.json();
      }).then(function (data) {
        return data && data.v === 1 && Array.isArray(data.words) ? data.words : [];
      });
    }
    return listPromise;
  }

  function distance(a, b, max) {  // optimal string alignment distance, capped at max + 1
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        }
        if (cur[j] < best) best = cur[j];
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  function nearest(words, word, max, limit) {
    var found = [];
    words.forEach(function (w, rank) {
      if (w === word) return;
      var d = distance(word, w, max);
      if (d <= max) found.push([d, rank, w]);
    });
    found.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });  // nearest, then most used
    return found.slice(0, limit).map(function (f) { return f[2]; });
  }

  window.kopSuggest = function (word, max, limit) {
    var w = String(word || "").toLowerCase();
    return ranked().then(function (words) { return nearest(words, w, max, limit); }, function () { return []; });
  };
  window.kopSuggest.distance = distance;  // kop.js measures its own spellings with the same distance
})();

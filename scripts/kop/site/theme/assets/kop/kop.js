// KÖP: progressive enhancements. Every page works without this file: the header search is a
// plain form to the search page, the catalogue is a plain table and citations are plain links.
// With it: live Pagefind search (header and search page, filter state in the URL), citation
// tooltips on hover and keyboard focus, and a sortable, filterable catalogue.
// All text from the index or the page is inserted with textContent, never as HTML.
(function () {
  "use strict";

  // ---- Site root (works under any sub-path): Material writes the relative base into __config.
  function siteRoot() {
    var base = ".";
    var node = document.getElementById("__config");
    if (node) {
      try { base = JSON.parse(node.textContent).base || "."; } catch (e) { /* keep "." */ }
    }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }
  var ROOT = siteRoot();

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // ---- Pagefind, loaded once on first use from this site only.
  var pagefindPromise = null;
  function pagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: ROOT.pathname })).then(function () {
          // filters() loads every filter's counts, so that each search reports counts for all facets.
          return Promise.resolve(pf.init()).then(function () { return pf.filters(); }).then(function () { return pf; });
        });
      });
    }
    return pagefindPromise;
  }

  var FACETS = ["area", "method", "certainty", "year", "status"];
  var OVERVIEWS = { typ: { any: ["oversikt"] } };  // the two scopes (kop.features.search / kop.site.search_index)
  var HELP = { typ: { any: ["hjalp"] } };
  var ANY_SCOPE = { typ: { any: ["oversikt", "hjalp"] } };  // the whole site: whether a word is one of its own

  // ---- Snowball's Swedish stemmer (3.x, as pystemmer), for the query check; tests compare the two.
  var SV_VOWELS = "aeiouyäåö";
  var SV_STEP1 = ("a arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er heter or s as " +
    "arnas ernas ornas es ades andes ens arens hetens erns at et andet het ast").split(" ")
    .sort(function (a, b) { return b.length - a.length; });
  var SV_NOT_BEFORE_ET = "fab h pak rak stak kom iet cit dit alit ilit mit nit pit rit sit tit uit ivit kvit xit".split(" ");
  function isVowel(c) { return c !== undefined && SV_VOWELS.indexOf(c) !== -1; }
  function endsWith(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  function etCondition(w, end) {  // w.slice(0, end) is what stands before "et"
    if (end < 3 || isVowel(w[end - 1]) || !isVowel(w[end - 2])) return false;
    var before = w.slice(0, end);
    return !SV_NOT_BEFORE_ET.some(function (s) { return endsWith(before, s); });
  }
  function svStem(word) {
    var w = word.toLowerCase();
    var p1 = w.length;
    if (w.length >= 3) {
      for (var i = 1; i < w.length; i++) {
        if (isVowel(w[i - 1]) && !isVowel(w[i])) { p1 = i + 1; break; }
      }
      p1 = Math.max(p1, 3);
    }
    var suf = null;
    for (var j = 0; j < SV_STEP1.length; j++) {
      if (w.length - SV_STEP1[j].length >= p1 && endsWith(w, SV_STEP1[j])) { suf = SV_STEP1[j]; break; }
    }
    if (suf === "s") {
      if (endsWith(w, "ets") && etCondition(w, w.length - 3)) w = w.slice(0, -3);
      else if ("bcdfghjklmnoprtvy".indexOf(w[w.length - 2]) !== -1 && w.length >= 2) w = w.slice(0, -1);
    } else if (suf === "et") {
      if (etCondition(w, w.length - 2)) w = w.slice(0, -2);
    } else if (suf) {
      w = w.slice(0, -suf.length);
    }
    if (w.length - 2 >= p1 && ["dd", "gd", "nn", "dt", "gt", "kt", "tt"].indexOf(w.slice(-2)) !== -1) w = w.slice(0, -1);
    if (w.length - 5 >= p1 && endsWith(w, "fullt")) w = w.slice(0, -1);
    else if (w.length - 3 >= p1 && endsWith(w, "öst")) { if ("iklnprtuv".indexOf(w[w.length - 4]) !== -1) w = w.slice(0, -1); }
    else if (w.length - 3 >= p1 && (endsWith(w, "lig") || endsWith(w, "els"))) w = w.slice(0, -3);
    else if (w.length - 2 >= p1 && endsWith(w, "ig")) w = w.slice(0, -2);
    return w;
  }
  window.kopSvStem = svStem;  // the tests compare it with pystemmer over the site's words

  // ---- The site's words (sok/ord.json, kop.site.search_words): Pagefind answers an unknown word with
  // the longest known prefix ("försäkringskassan" -> "för": every page), so each word is checked first.
  var vocabPromise = null;
  function vocabulary() {
    if (!vocabPromise) {
      vocabPromise = fetch(new URL("sok/ord.json", ROOT).href).then(function (r) {
        if (!r.ok) throw new Error("ord.json " + r.status);
        return r.json();
      }).then(function (data) {
        var stems = {};
        data.words.forEach(function (w) { stems[svStem(w)] = true; });
        var words = {};
        data.words.forEach(function (w) { words[w] = true; });
        return { words: data.words, wordSet: words, stems: Object.keys(stems).sort(), areas: data.areas || [] };
      });
    }
    return vocabPromise;
  }

  function hasPrefix(sorted, prefix) {
    var lo = 0, hi = sorted.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (sorted[mid] < prefix) lo = mid + 1; else hi = mid; }
    return lo < sorted.length && sorted[lo].slice(0, prefix.length) === prefix;
  }
  // A word of a page really matches a query word when it starts with the query word less at most two
  // letters, three for long words (its inflections: "demensen" – demens, "tilliten" – tillit,
  // "familjehemmen" – familjehem; typing: "samverk" – samverkan).
  // Pagefind's own matching is looser: Snowball stems "demens" to "dem", which also matches "dem" and
  // "demonstration…"; an unknown word falls back to its longest known prefix ("försäkringskassan" – "för").
  function core(word) { return word.slice(0, Math.max(3, word.length - (word.length >= 10 ? 3 : 2))); }
  function matches(queryWord, word) { return word.slice(0, core(queryWord).length) === core(queryWord); }
  function isKnown(vocab, word) { return hasPrefix(vocab.words, core(word)); }
  // The word itself, or its stem, begins a word of the site: no spelling correction is offered.
  function isExact(vocab, word) { return hasPrefix(vocab.words, word) || hasPrefix(vocab.stems, svStem(word)); }

  // A result's data (its words, the words Pagefind marked, meta). Pagefind keeps one object per page and
  // rewrites its marked words and excerpt on every data() call, so two searches that load the same page at
  // once can read each other's marks ("offentlig sektor" then looked like a page without "offentlig"). The
  // loads of one page therefore wait for each other, and each caller gets its own copy.
  var loading = {};
  function dataOf(r) {
    var next = (loading[r.id] || Promise.resolve()).then(function () { return r.data(); }).then(function (d) {
      var copy = {};
      Object.keys(d || {}).forEach(function (k) { copy[k] = Array.isArray(d[k]) ? d[k].slice() : d[k]; });
      return copy;
    });
    loading[r.id] = next.catch(function () { /* the caller reports it */ });
    return next;
  }

  // Pagefind also returns pages where only a different word with the same first letters occurs
  // ("demens" matches "dem" and "demonstration…", with a low score). Results far below the best
  // are checked against the words Pagefind marked in them; a result is kept only if every query
  // word really occurs. Checking loads the result's fragment, so at most MAX_CHECK are checked.
  var SURE_SCORE = 0.5;
  var MAX_CHECK = 40;
  function genuine(data, terms) {
    var words = (data.content || "").split(/\s+/);
    var found = (data.locations || []).map(function (i) {
      return (words[i] || "").toLowerCase().replace(/[^\p{L}\d]+/gu, "");
    });
    return terms.every(function (t) {
      return /^\d+$/.test(t) || found.some(function (w) { return matches(t, w); });
    });
  }
  function checked(list, terms) {
    if (!list.length) return Promise.resolve([]);
    var best = list[0].score;
    var sure = list.filter(function (r) { return r.score >= best * SURE_SCORE; });
    var rest = list.filter(function (r) { return r.score < best * SURE_SCORE; });
    function keep(candidates) {
      return Promise.all(candidates.map(function (r) {
        return dataOf(r).then(function (d) { return genuine(d, terms) ? r : null; });
      })).then(function (kept) { return kept.filter(Boolean); });
    }
    return keep([list[0]]).then(function (top) {
      if (!top.length) return keep(list.slice(1, MAX_CHECK));  // the best is not a real match: check them all
      return keep(rest.slice(0, MAX_CHECK)).then(function (more) { return sure.concat(more); });
    });
  }

  var MIN_PART = 4;  // as kop.site.search_words.MIN_PART
  function splitCompound(vocab, word) {
    for (var cut = word.length - MIN_PART; cut >= MIN_PART; cut--) {
      var head = word.slice(0, cut), tail = word.slice(cut);
      if (!(vocab.wordSet[tail] || isKnownStem(vocab, svStem(tail)))) continue;
      if (vocab.wordSet[head]) return [head, tail];
      if ("seauo".indexOf(head.slice(-1)) !== -1 && head.length - 1 >= MIN_PART && vocab.wordSet[head.slice(0, -1)]) {
        return [head.slice(0, -1), tail];
      }
    }
    return null;
  }
  // The longest word of the site (at least 6 letters, perhaps with a linking letter) that begins a compound.
  function headOf(vocab, word) {
    for (var cut = word.length - MIN_PART; cut >= 6; cut--) {
      var head = word.slice(0, cut);
      if (vocab.wordSet[head]) return head;
      if ("seauo".indexOf(head.slice(-1)) !== -1 && cut - 1 >= 6 && vocab.wordSet[head.slice(0, -1)]) return head.slice(0, -1);
    }
    return null;
  }
  function isKnownStem(vocab, s) {
    var lo = 0, hi = vocab.stems.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (vocab.stems[mid] < s) lo = mid + 1; else hi = mid; }
    return vocab.stems[lo] === s;
  }

  // Optimal string alignment distance, capped at max + 1: the one in suggest.js (loaded first, main.html).
  function distance(a, b, max) {
    return window.kopSuggest && window.kopSuggest.distance ? window.kopSuggest.distance(a, b, max) : max + 1;
  }
  // Close spellings from the site's own words, nearest (then most alike in length, then alphabetical) first.
  function spellings(vocab, word, max, limit) {
    var found = [];
    vocab.words.forEach(function (w) {
      if (w.length < 3) return;
      var d = distance(word, w, max);
      if (d <= max) found.push([d, Math.abs(w.length - word.length), w]);
    });
    found.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : 1); });
    return found.slice(0, limit).map(function (f) { return f[2]; });
  }
  function typoLimit(word) { return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0; }

  // The query as Pagefind should see it: unknown words corrected or reported, compounds split.
  function analyse(vocab, query) {
    var words = (query.toLowerCase().match(/[^\s\d\p{P}\p{S}]+|\d+/gu) || []);
    var out = { terms: [], unknown: [], corrected: [], variants: [] };
    words.forEach(function (w) {
      var near0 = /^\d+$/.test(w) || isExact(vocab, w) ? [] : spellings(vocab, w, typoLimit(w), 1);
      if (near0.length) { out.terms.push(near0[0]); out.corrected.push([w, near0[0]]); return; }
      if (/^\d+$/.test(w) || isKnown(vocab, w)) {
        out.terms.push(w);
        var split = w.length >= 2 * MIN_PART ? splitCompound(vocab, w) : null;
        if (split) out.variants.push([w, split]);
        return;
      }
      var split2 = w.length >= 2 * MIN_PART ? splitCompound(vocab, w) : null;
      if (split2) { out.terms.push(split2.join(" ")); return; }
      var near = spellings(vocab, w, typoLimit(w), 1);
      if (near.length) { out.terms.push(near[0]); out.corrected.push([w, near[0]]); return; }
      var head = headOf(vocab, w);  // "samverkansprojekten" on a site that has samverkan but no projekt
      if (head) { out.terms.push(head); out.corrected.push([w, head]); return; }
      out.unknown.push(w);
    });
    return out;
  }

  // For the tests: how a query is read (known words, corrections, compound parts).
  window.kopAnalyse = function (query) { return vocabulary().then(function (vocab) { return analyse(vocab, query); }); };

  var publishedIds = null;  // ids of published overviews: they rank first
  function published(pf) {
    if (!publishedIds) {
      publishedIds = Promise.resolve(pf.search(null, { filters: { typ: { any: ["oversikt"] }, status: { any: ["publicerad"] } } }))
        .then(function (s) { var ids = {}; s.results.forEach(function (r) { ids[r.id] = true; }); return ids; });
    }
    return publishedIds;
  }

  function merge(a, b) {
    var out = {};
    Object.keys(a).forEach(function (k) { out[k] = a[k]; });
    Object.keys(b || {}).forEach(function (k) { out[k] = b[k]; });
    return out;
  }

  // Whether a word finds a page as itself (or its inflections), in either scope and whatever the filters.
  // Only a word that finds nothing anywhere is read as the parts of a compound: "fältreferens" is the
  // title of a help page, so it must not become "fält referens", which an overview has ("forskningsfält",
  // "referens"); "missbruksvården" is on no page, so its parts are searched. Memoised per word (the
  // search page asks for both scopes at once).
  var wholeWords = {};
  function foundWhole(pf, word) {
    if (!wholeWords[word]) {
      wholeWords[word] = Promise.resolve(pf.search(word, { filters: ANY_SCOPE })).then(function (found) {
        return checked(found.results, [word]).then(function (kept) { return kept.length > 0; });
      });
    }
    return wholeWords[word];
  }
  // The words of `words` that find nothing as themselves on the whole site: {word: true}.
  function notFoundWhole(pf, words) {
    return Promise.all(words.map(function (w) { return foundWhole(pf, w); })).then(function (found) {
      var out = {};
      words.forEach(function (w, i) { if (!found[i]) out[w] = true; });
      return out;
    });
  }

  // One search: {results, filters (counts), info}; results ranked: exact query, then compound parts;
  // published overviews first within the whole list. Never lists pages for words the site does not have,
  // and never searches the parts of a word that the site has as a whole word (on an overview or a help page).
  function kopSearch(query, filters, scope, retry) {
    return Promise.all([pagefind(), vocabulary()]).then(function (loaded) {
      var pf = loaded[0], vocab = loaded[1];
      var allFilters = merge(filters || {}, scope);
      if (!query) {
        return Promise.resolve(pf.search(null, { filters: allFilters })).then(function (s) {
          return rank(pf, [s.results], scope).then(function (results) {
            return { results: results, counts: s.filters, info: { terms: [], unknown: [], corrected: [], variants: [] }, vocab: vocab };
          });
        });
      }
      var info = analyse(vocab, query);
      if (info.unknown.length || !info.terms.length) {
        return { results: [], counts: null, info: info, vocab: vocab };
      }
      return notFoundWhole(pf, info.variants.map(function (v) { return v[0]; })).then(function (splittable) {
        // A known compound is searched as its parts too only when the word itself finds nothing on the site.
        info.variants = info.variants.filter(function (v) { return splittable[v[0]]; });
        var queries = [info.terms.join(" ")];
        info.variants.forEach(function (v) {
          queries.push(info.terms.join(" ").replace(v[0], v[1].join(" ")));
          // The head alone ("samverkan" for "samverkansprojekten") only when it is a word of its own weight.
          if (v[1][0].length >= 6) queries.push(info.terms.join(" ").replace(v[0], v[1][0]));
        });
        return Promise.all(queries.map(function (q) {
          return Promise.resolve(pf.search(q, { filters: allFilters })).then(function (found) {
            return checked(found.results, q.split(" ")).then(function (results) { return { results: results, filters: found.filters }; });
          });
        }));
      }).then(function (all) {
        return rank(pf, all.map(function (s) { return s.results; }), scope).then(function (results) {
          if (!results.length && !retry) {
            // Nothing in this scope: the first part of a compound instead ("samverkansprojekten" → samverkan),
            // and the reader is told (info.corrected), so no page is passed off as a match for the word.
            var heads = info.terms.map(function (t) { return headOf(vocab, t) || t; });
            if (heads.join(" ") !== info.terms.join(" ")) {
              return kopSearch(heads.join(" "), filters, scope, true).then(function (second) {
                info.terms.forEach(function (t, i) { if (heads[i] !== t) info.corrected.push([t, heads[i]]); });
                second.info = info;
                return second;
              });
            }
          }
          return countsOf(results, all[0].filters).then(function (counts) {
            return { results: results, counts: counts, info: info, vocab: vocab };
          });
        });
      });
    });
  }

  // Facet counts of the results shown: counted from the results themselves when there are few
  // (Pagefind's own counts include the near matches removed above), else Pagefind's counts.
  function countsOf(results, pagefindCounts) {
    if (results.length > MAX_CHECK || !pagefindCounts) return Promise.resolve(pagefindCounts);
    return Promise.all(results.map(dataOf)).then(function (data) {
      var counts = {};
      Object.keys(pagefindCounts).forEach(function (key) {
        counts[key] = {};
        Object.keys(pagefindCounts[key]).forEach(function (value) { counts[key][value] = 0; });
      });
      data.forEach(function (d) {
        Object.keys(d.filters || {}).forEach(function (key) {
          counts[key] = counts[key] || {};
          d.filters[key].forEach(function (value) { counts[key][value] = (counts[key][value] || 0) + 1; });
        });
      });
      return counts;
    });
  }

  function rank(pf, lists, scope) {
    var seen = {}, merged = [];
    lists.forEach(function (list) {
      list.forEach(function (r) { if (!seen[r.id]) { seen[r.id] = true; merged.push(r); } });
    });
    if (scope !== OVERVIEWS) return Promise.resolve(merged);
    return published(pf).then(function (ids) {
      return merged.filter(function (r) { return ids[r.id]; }).concat(merged.filter(function (r) { return !ids[r.id]; }));
    });
  }

  function plainText(html) {
    // Pagefind excerpts are HTML with <mark>; keep only the text (DOMParser runs no scripts).
    return new DOMParser().parseFromString(html || "", "text/html").body.textContent || "";
  }

  function shorten(text, max) {
    text = (text || "").replace(/\s+/g, " ").trim();
    return text.length > max ? text.slice(0, max - 1).replace(/\s+\S*$/, "") + " …" : text;
  }

  function resultItem(data, summaryLength) {
    var li = el("li", "kop-result");
    var heading = el("p", "kop-result__heading");
    var meta0 = data.meta || {};
    if (meta0.status) {
      var published = meta0.published === "1";
      heading.appendChild(el("span", "kop-result__status kop-result__status--" + (published ? "publicerad" : "annan"), meta0.status));
      heading.appendChild(document.createTextNode(" "));
    }
    if (meta0.example) {
      heading.appendChild(el("span", "kop-result__example", meta0.example));
      heading.appendChild(document.createTextNode(" "));
    }
    var link = el("a", "kop-result__title", meta0.title || data.url);
    link.href = data.url;
    heading.appendChild(link);
    li.appendChild(heading);
    var summary = meta0.summary || plainText(data.excerpt);
    li.appendChild(el("p", "kop-result__summary", shorten(summary, summaryLength)));
    var meta = [];
    if (meta0.area) meta.push("Område: " + meta0.area);
    if (meta0.certainty) meta.push("Evidensstyrka: " + meta0.certainty);
    if (meta.length) li.appendChild(el("p", "kop-result__meta", meta.join(" · ")));
    return li;
  }

  function hits(n) { return n === 0 ? "Inga träffar" : n === 1 ? "1 träff" : n + " träffar"; }

  // "Inga träffar": close spellings from the site's words (as links to a new search) and the areas.
  function suggestions(found, searchUrl) {
    var box = el("div", "kop-search-suggestions");
    var words = [];
    found.info.unknown.forEach(function (w) {
      spellings(found.vocab, w, Math.max(2, typoLimit(w)), 3).forEach(function (s) { if (words.indexOf(s) === -1) words.push(s); });
    });
    function didYouMean(list) {
      var p = el("p", "kop-search-didyoumean", "Menade du: ");
      list.forEach(function (w, i) {
        var a = el("a", null, w);
        a.href = searchUrl(w);
        if (i) p.appendChild(document.createTextNode(", "));
        p.appendChild(a);
      });
      p.appendChild(document.createTextNode("?"));
      return p;
    }
    var shown = words.length ? didYouMean(words) : null;
    if (shown) box.appendChild(shown);
    // The build's ranked list (sok/forslag.json, suggest.js): the most used of the nearest spellings,
    // without the content's own misspellings. It replaces the vocabulary's guesses when it has any.
    if (window.kopSuggest && found.info.unknown.length) {
      Promise.all(found.info.unknown.map(function (w) {
        return window.kopSuggest(w, Math.max(2, typoLimit(w)), 3).catch(function () { return []; });
      })).then(function (lists) {
        var better = [];
        lists.forEach(function (l) { l.forEach(function (s) { if (better.indexOf(s) === -1) better.push(s); }); });
        if (!better.length) return;
        var p = didYouMean(better.slice(0, 3));
        if (shown) box.replaceChild(p, shown); else box.insertBefore(p, box.firstChild);
        shown = p;
      });
    }
    if (found.vocab.areas.length) {
      box.appendChild(el("p", null, "Eller bläddra bland områdena:"));
      var ul = el("ul", "kop-search-areas");
      found.vocab.areas.forEach(function (area) {
        var li = el("li");
        var a = el("a", null, area.name.slice(0, 1).toUpperCase() + area.name.slice(1));
        a.href = new URL(area.url, ROOT).href;
        li.appendChild(a);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    return box;
  }

  function explain(found, query) {
    var text = "";
    if (found.info.unknown.length) {
      text = (found.info.unknown.length === 1 ? "Ordet " : "Orden ") +
        found.info.unknown.map(function (w) { return "”" + w + "”"; }).join(", ") + " finns inte på webbplatsen.";
    }
    if (found.info.corrected.length) {
      text += " Visar träffar för " + found.info.corrected.map(function (c) { return "”" + c[1] + "” i stället för ”" + c[0] + "”"; }).join(", ") + ".";
    }
    return text.trim();
  }

  function searchPageUrl(q) { return new URL("sok/?q=" + encodeURIComponent(q), ROOT).href; }

  // ---- Header search: live results under the field; Enter goes to the full search page.
  function setupHeaderSearch() {
    var form = document.querySelector("form[data-kop-search]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var panel = form.querySelector(".kop-header-results");
    var timer = null;
    var seq = 0;

    function close() { panel.hidden = true; }

    function run() {
      var query = input.value.trim();
      var mine = ++seq;
      if (query.length < 2) { close(); panel.textContent = ""; return; }
      kopSearch(query, {}, OVERVIEWS).then(function (found) {
        return Promise.all(found.results.slice(0, 5).map(dataOf)).then(function (data) {
          if (mine !== seq) return;
          panel.textContent = "";
          panel.appendChild(el("p", "kop-header-results__status", hits(found.results.length) + " bland översikterna"));
          var why = explain(found, query);
          if (why) panel.appendChild(el("p", "kop-header-results__note", why));
          if (!found.results.length) panel.appendChild(suggestions(found, searchPageUrl));
          var list = el("ol", "kop-results kop-results--compact");
          data.forEach(function (d) { list.appendChild(resultItem(d, 140)); });
          if (data.length) panel.appendChild(list);
          var all = el("a", "kop-header-results__all", "Visa alla träffar, filter och hjälpsidor");
          all.href = searchPageUrl(query);
          panel.appendChild(all);
          panel.hidden = false;
        });
      }).catch(function () {
        if (mine !== seq) return;
        panel.textContent = "";
        panel.appendChild(el("p", "kop-header-results__status", "Sökningen kunde inte laddas. Tryck Enter för att försöka igen."));
        panel.hidden = false;
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    input.addEventListener("focus", function () { pagefind(); vocabulary(); });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { close(); input.focus(); event.preventDefault(); }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
    });
  }

  // ---- Search page: query and facets in the URL; results update as the reader types or ticks.
  // Overviews are the results; help pages (Bidra) are a separate group below them.
  function setupSearchPage() {
    var form = document.getElementById("kop-search-form");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("kop-search-status");
    var list = document.getElementById("kop-search-results");
    var note = document.getElementById("kop-search-note");
    var help = document.getElementById("kop-help-results");
    var helpList = help.querySelector("ol");
    var helpStatus = help.querySelector(".kop-help-status");
    var drawer = document.getElementById("kop-filters");
    var chosen = document.getElementById("kop-filters-chosen");
    var seq = 0;
    var timer = null;
    document.querySelectorAll(".kop-search-nojs").forEach(function (n) { n.hidden = true; });
    if (drawer && window.matchMedia && window.matchMedia("(min-width: 60em)").matches) drawer.open = true;

    function fromUrl() {
      var params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = params.getAll(box.name).indexOf(box.value) !== -1;
      });
    }

    function state() {
      var params = new URLSearchParams();
      var filters = {};
      var n = 0;
      if (input.value.trim()) params.set("q", input.value.trim());
      FACETS.forEach(function (facet) {
        var values = [];
        form.querySelectorAll('input[type=checkbox][name="' + facet + '"]:checked').forEach(function (box) {
          values.push(box.value);
          params.append(facet, box.value);
        });
        n += values.length;
        if (values.length) filters[facet] = { any: values };
      });
      return { params: params, filters: filters, query: input.value.trim(), chosen: n };
    }

    // Facet counts follow the search and the ticked filters (Pagefind's counts for the current results).
    function showCounts(counts) {
      form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        var span = box.parentNode.querySelector(".kop-facet-count");
        if (!span) return;
        var n = counts && counts[box.name] ? (counts[box.name][box.value] || 0) : null;
        if (n !== null) span.textContent = "(" + n + ")";
      });
    }

    function run() {
      var s = state();
      var mine = ++seq;
      var url = location.pathname + (s.params.toString() ? "?" + s.params.toString() : "");
      if (url !== location.pathname + location.search) history.replaceState(null, "", url);
      if (chosen) chosen.textContent = s.chosen ? "(" + s.chosen + " valda)" : "";
      note.textContent = "";
      if (!s.query && !Object.keys(s.filters).length) {
        list.textContent = "";
        more.hidden = true;
        help.hidden = true;
        status.textContent = "Skriv ett sökord eller välj ett filter.";
        return;
      }
      status.textContent = "Söker …";
      var helpSearch = s.query ? kopSearch(s.query, {}, HELP) : Promise.resolve(null);
      Promise.all([kopSearch(s.query, s.filters, OVERVIEWS), helpSearch]).then(function (both) {
        if (mine !== seq) return;
        var found = both[0];
        list.textContent = "";
        showCounts(found.counts);
        var why = explain(found, s.query);
        if (!found.results.length) note.appendChild(suggestions(found, function (w) { return "?q=" + encodeURIComponent(w); }));
        return Promise.all([showPage(found.results, 0, mine), showHelp(both[1], mine)]).then(function () {
          if (mine !== seq) return;  // announce only when the results are on the page
          status.textContent = hits(found.results.length) + " bland översikterna" +
            (s.query ? " för ”" + s.query + "”" : "") +
            (Object.keys(s.filters).length ? " med valda filter" : "") + "." + (why ? " " + why : "");
        });
      }).catch(function () {
        if (mine !== seq) return;
        status.textContent = "Sökningen kunde inte laddas.";
      });
    }

    function showHelp(found, mine) {
      if (!found || !found.results.length) { help.hidden = true; helpList.textContent = ""; return Promise.resolve(); }
      return Promise.all(found.results.slice(0, 5).map(dataOf)).then(function (data) {
        if (mine !== seq) return;
        helpList.textContent = "";
        data.forEach(function (d) { helpList.appendChild(resultItem(d, 160)); });
        helpStatus.textContent = hits(found.results.length) + " på hjälpsidorna" +
          (found.results.length > 5 ? " (de fem bästa visas)." : ".");
        help.hidden = false;
      });
    }

    // Results are fetched PAGE_SIZE at a time: each one is a separate small fragment download.
    var PAGE_SIZE = 20;
    var more = el("button", "md-button kop-search-more", "Visa fler träffar");
    more.type = "button";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);

    function showPage(results, start, mine) {
      var slice = results.slice(start, start + PAGE_SIZE);
      return Promise.all(slice.map(dataOf)).then(function (data) {
        if (mine !== seq) return;
        var firstNew = null;
        data.forEach(function (d) {
          var item = resultItem(d, 320);
          if (!firstNew) firstNew = item;
          list.appendChild(item);
        });
        var next = start + PAGE_SIZE;
        more.hidden = next >= results.length;
        more.onclick = function () {
          showPage(results, next, mine).then(function (item) {
            var link = item && item.querySelector("a");
            if (link) link.focus();  // keyboard users continue where the new results start
          });
        };
        return firstNew;
      });
    }

    fromUrl();
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    form.addEventListener("change", run);
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    window.addEventListener("popstate", function () { fromUrl(); run(); });
    run();
  }

  // ---- Citation tooltips: the full reference on hover and on keyboard focus (WCAG 1.4.13:
  // dismissible with Escape, hoverable, stays while pointer or focus is on the link).
  function setupCitationTooltips() {
    var links = document.querySelectorAll('.kop-cite a[href^="#ref-"]');
    if (!links.length) return;
    var tip = el("div", "kop-tooltip");
    tip.id = "kop-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.appendChild(tip);
    var current = null;
    var hideTimer = null;

    function show(link) {
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) return;
      clearTimeout(hideTimer);
      current = link;
      var text = target.cloneNode(true);
      text.querySelectorAll(".kop-cited-by").forEach(function (n) { n.remove(); });
      tip.textContent = text.textContent.replace(/\s+/g, " ").trim();
      tip.hidden = false;
      var rect = link.getBoundingClientRect();
      var width = Math.min(420, document.documentElement.clientWidth - 16);
      tip.style.maxWidth = width + "px";
      var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
      tip.style.left = left + "px";
      tip.style.top = (rect.bottom + window.scrollY + 6) + "px";
    }
    function hide() { tip.hidden = true; current = null; }
    function hideSoon() { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 300); }

    links.forEach(function (link) {
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("mouseleave", hideSoon);
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", hide);
    });
    tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", hideSoon);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current) hide();
    });
  }

  // A title matches when it contains the text, or each word's inflection ("familjehemmen" – familjehem).
  function titleMatches(title, query) {
    title = title.toLowerCase();
    query = query.toLowerCase().trim();
    if (title.indexOf(query) !== -1) return true;
    var words = title.match(/[\p{L}\d]+/gu) || [];
    return (query.match(/[\p{L}\d]+/gu) || []).every(function (q) {
      return words.some(function (w) { return matches(q, w) || w.indexOf(core(q)) !== -1 && core(q).length >= 6; });
    });
  }

  // ---- Catalogue: filter (selects + title text) and sort (column buttons); state in the URL.
  function setupCatalogue() {
    var form = document.getElementById("kop-catalogue-filters");
    var table = document.querySelector("table.kop-catalogue");
    if (!form || !table) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var status = document.getElementById("kop-catalogue-status");
    var sort = { key: "published", dir: "desc" };
    form.hidden = false;

    var headers = table.querySelectorAll("th[data-sort]");
    headers.forEach(function (th) {
      var button = el("button", "kop-sort", th.textContent);
      button.type = "button";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var key = th.getAttribute("data-sort");
        sort = { key: key, dir: sort.key === key && sort.dir === "asc" ? "desc" : "asc" };
        apply(true);
      });
    });

    function fromUrl() {
      var params = new URLSearchParams(location.search);
      form.querySelectorAll("select, input").forEach(function (field) { field.value = params.get(field.name) || ""; });
      if (params.get("sort")) sort = { key: params.get("sort"), dir: params.get("dir") === "asc" ? "asc" : "desc" };
    }

    function apply(updateUrl) {
      var params = new URLSearchParams();
      var want = {};
      form.querySelectorAll("select, input").forEach(function (field) {
        if (field.value.trim()) { want[field.name] = field.value.trim(); params.set(field.name, field.value.trim()); }
      });
      if (sort.key !== "published" || sort.dir !== "desc") { params.set("sort", sort.key); params.set("dir", sort.dir); }
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(want).every(function (name) {
          if (name === "q") return titleMatches(row.dataset.title || "", want.q);
          return (row.dataset[name] || "").split("|").indexOf(want[name]) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      var collator = new Intl.Collator("sv");
      rows.slice().sort(function (a, b) {
        var c = collator.compare(a.dataset[sort.key] || "", b.dataset[sort.key] || "");
        return sort.dir === "asc" ? c : -c;
      }).forEach(function (row) { tbody.appendChild(row); });
      headers.forEach(function (th) {
        if (th.getAttribute("data-sort") === sort.key) {
          th.setAttribute("aria-sort", sort.dir === "asc" ? "ascending" : "descending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
      status.textContent = shown === rows.length ? "Visar alla " + rows.length + " översikter."
        : "Visar " + shown + " av " + rows.length + " översikter.";
      if (updateUrl) history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    }

    fromUrl();
    apply(false);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("input", function () { apply(true); });
  }

  function start() {
    setupHeaderSearch();
    setupSearchPage();
    setupCitationTooltips();
    setupCatalogue();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

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
          return Promise.resolve(pf.init()).then(function () { return pf; });
        });
      });
    }
    return pagefindPromise;
  }

  var FACETS = ["area", "method", "strength", "year", "status"];
  var STRENGTH_LABELS = { stark: "Stark evidens", medel: "Måttlig evidens", svag: "Svag evidens" };

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
    var link = el("a", "kop-result__title", (data.meta && data.meta.title) || data.url);
    link.href = data.url;
    var heading = el("p", "kop-result__heading");
    heading.appendChild(link);
    li.appendChild(heading);
    var summary = (data.meta && data.meta.summary) || plainText(data.excerpt);
    li.appendChild(el("p", "kop-result__summary", shorten(summary, summaryLength)));
    var meta = [];
    if (data.meta && data.meta.area) meta.push("Område: " + data.meta.area);
    if (data.filters && data.filters.strength) {
      meta.push("Evidens: " + data.filters.strength.map(function (s) { return STRENGTH_LABELS[s] || s; }).join(", "));
    }
    if (meta.length) li.appendChild(el("p", "kop-result__meta", meta.join(" · ")));
    return li;
  }

  function hits(n) { return n === 1 ? "1 träff" : n + " träffar"; }

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
      pagefind().then(function (pf) { return pf.search(query); }).then(function (search) {
        return Promise.all(search.results.slice(0, 5).map(function (r) { return r.data(); })).then(function (data) {
          if (mine !== seq) return;
          panel.textContent = "";
          panel.appendChild(el("p", "kop-header-results__status", hits(search.results.length)));
          var list = el("ol", "kop-results kop-results--compact");
          data.forEach(function (d) { list.appendChild(resultItem(d, 140)); });
          panel.appendChild(list);
          var all = el("a", "kop-header-results__all", "Visa alla träffar och filtrera");
          all.href = new URL("sok/?q=" + encodeURIComponent(query), ROOT).href;
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
    input.addEventListener("focus", function () { pagefind(); });
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
  function setupSearchPage() {
    var form = document.getElementById("kop-search-form");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var status = document.getElementById("kop-search-status");
    var list = document.getElementById("kop-search-results");
    var seq = 0;
    var timer = null;
    document.querySelectorAll(".kop-search-nojs").forEach(function (n) { n.hidden = true; });

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
      if (input.value.trim()) params.set("q", input.value.trim());
      FACETS.forEach(function (facet) {
        var values = [];
        form.querySelectorAll('input[type=checkbox][name="' + facet + '"]:checked').forEach(function (box) {
          values.push(box.value);
          params.append(facet, box.value);
        });
        if (values.length) filters[facet] = { any: values };
      });
      return { params: params, filters: filters, query: input.value.trim() };
    }

    function run() {
      var s = state();
      var mine = ++seq;
      var url = location.pathname + (s.params.toString() ? "?" + s.params.toString() : "");
      if (url !== location.pathname + location.search) history.replaceState(null, "", url);
      if (!s.query && !Object.keys(s.filters).length) {
        list.textContent = "";
        more.hidden = true;
        status.textContent = "Skriv ett sökord eller välj ett filter.";
        return;
      }
      status.textContent = "Söker …";
      pagefind().then(function (pf) {
        return pf.search(s.query || null, { filters: s.filters });
      }).then(function (search) {
        if (mine !== seq) return;
        list.textContent = "";
        return showPage(search.results, 0, mine).then(function () {
          if (mine !== seq) return;  // announce only when the results are on the page
          status.textContent = hits(search.results.length) + (s.query ? " för ”" + s.query + "”" : "") +
            (Object.keys(s.filters).length ? " med valda filter" : "") + ".";
        });
      }).catch(function () {
        if (mine !== seq) return;
        status.textContent = "Sökningen kunde inte laddas.";
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
      return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
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
          if (name === "q") return (row.dataset.title || "").toLowerCase().indexOf(want.q.toLowerCase()) !== -1;
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

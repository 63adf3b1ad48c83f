// KÖP: copy buttons (progressive enhancement): the "Citera" box, the invitation, and "Kopiera länk"
// next to a page's permanent address (copied as an absolute address, made absolute against the page
// so it also works on a site built without site_url).
// Without this file the reference and the BibTeX are plain, selectable text and the .bib/.ris
// files are ordinary downloads. With it, the hidden "Kopiera" buttons are shown and copy the
// text of the element named by data-kop-copy. Text is read with textContent, never as HTML.
(function () {
  "use strict";

  function announce(box, message) {
    var status = box && box.querySelector(".kop-copy-status");
    if (status) status.textContent = message;
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function wire(root) {
    var buttons = root.querySelectorAll("button[data-kop-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      if (button.dataset.kopWired) return;
      var source = document.getElementById(button.getAttribute("data-kop-copy"));
      if (!source) return;
      button.dataset.kopWired = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var box = button.closest(".kop-cite-box, .kop-invitation");
        var text = source.textContent.replace(/\s+/g, " ").trim();
        if (source.tagName === "PRE" || source.querySelector("pre")) text = source.textContent.trim();
        copy(text).then(
          function () { announce(box, "Kopierat."); },
          function () { announce(box, "Det gick inte att kopiera. Markera texten och kopiera den själv."); }
        );
      });
    });
  }

  function wireShare(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".kop-share"), function (box) {
      var link = box.querySelector("a[data-kop-permalink]");
      var button = box.querySelector("button.kop-copy-link");
      var status = box.querySelector(".kop-copy-link-status");
      if (!link || !button || button.dataset.kopWired) return;
      button.dataset.kopWired = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var address = new URL(link.getAttribute("href"), location.href).href;
        copy(address).then(
          function () { if (status) status.textContent = "Länken är kopierad: " + address; },
          function () { if (status) status.textContent = "Det gick inte att kopiera. Markera adressen och kopiera den själv."; }
        );
      });
    });
  }

  function start() { wire(document); wireShare(document); }
  // Material's instant navigation replaces the page content without a reload.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

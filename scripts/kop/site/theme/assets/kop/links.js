// KÖP: "Kopiera länk" next to a page's permanent address (progressive enhancement).
// Without this file the absolute address is plain, selectable text and an ordinary link. With it,
// the hidden button is shown and copies the address (made absolute against the page, so it also
// works on a site built without site_url), and a polite status line says whether it worked.
(function () {
  "use strict";

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

  function start() { wire(document); }
  // Material's instant navigation replaces the page content without a reload.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

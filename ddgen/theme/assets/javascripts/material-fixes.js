/* ddgen: keyboard access to wide tables, which Material for MkDocs leaves out (axe-core rule
   scrollable-region-focusable). Material wraps every Markdown table in a horizontally scrolling
   .md-typeset__scrollwrap and makes scrolling code blocks focusable, but not these wrappers, so a
   keyboard user cannot scroll a table wider than the page. A wrapper that overflows becomes a named,
   focusable region; one that fits stays out of the tab order. Loaded by overrides/main.html after
   Material's bundle; runs on every page (document$ also fires on instant navigation) and on resize. */
(function () {
  "use strict";

  function label(wrap) {
    var caption = wrap.querySelector("caption");
    var heading = wrap.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    var text = caption ? caption.textContent : heading ? heading.textContent : "";
    return text.replace(/\s+/g, " ").replace(/¶$/, "").trim() || document.title;
  }

  function update() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", label(wrap));
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(update);  // eslint-disable-line no-undef
  else document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();

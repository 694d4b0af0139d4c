// Small accessibility fixes on top of Material's own JavaScript.
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;

  // Code annotation markers are links whose number is drawn by CSS, so a screen reader finds a
  // link without a name (axe-core: link-name). Give each one.
  function labelAnnotations(root) {
    root.querySelectorAll(".md-annotation__index:not([aria-label])").forEach(function (index) {
      var id = index.querySelector("[data-md-annotation-id]");
      var number = id ? id.getAttribute("data-md-annotation-id") : "";
      index.setAttribute("aria-label", (zh ? "注释 " : "Annotation ") + number);
    });
  }

  function init() {
    labelAnnotations(document);
    // Material adds the markers after load; look once per frame at most (formula rendering alone
    // makes thousands of mutations).
    var scheduled = false;
    new MutationObserver(function () {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(function () {
        scheduled = false;
        labelAnnotations(document);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

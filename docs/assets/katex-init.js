// Render the formulas that pymdownx.arithmatex (generic mode) leaves in the page as \( \) and \[ \],
// with the KaTeX copy in assets/katex/ (no CDN). scripts/mkdocs_hooks.py loads this file, after
// katex.min.js and contrib/auto-render.min.js, only on pages that contain math.
//
// A formula is rendered when it comes within one screen of the viewport, not all at load: KaTeX
// turns a formula into 10-250 elements, and on basics/autograd rendering all 68 at once doubled the
// page's elements and kept a phone's main thread busy for about a second while the page loaded.
// Rendering a screen ahead means a reader scrolling down never sees the TeX source, and the height
// change happens out of view. Printing renders every formula first.
(function () {
  var options = {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
  };

  function renderOne(element) {
    if (!element.querySelector(".katex")) renderMathInElement(element, options);
  }

  function renderAll() {
    document.querySelectorAll(".arithmatex").forEach(renderOne);
  }

  function render(root) {
    var formulas = root.querySelectorAll(".arithmatex");
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        renderOne(entry.target);
      });
    }, { rootMargin: "100% 0px" });
    formulas.forEach(function (formula) { observer.observe(formula); });
  }

  window.addEventListener("beforeprint", renderAll);
  if (typeof document$ !== "undefined") {
    // Material's observable: fires on the first load and after every instant navigation.
    document$.subscribe(function () { render(document.body); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { render(document.body); });
  } else {
    render(document.body);
  }
})();

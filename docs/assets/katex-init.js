// Render the formulas that pymdownx.arithmatex (generic mode) leaves in the page as \( \) and \[ \],
// with the KaTeX copy in assets/katex/ (no CDN). scripts/mkdocs_hooks.py loads this file, after
// katex.min.js and contrib/auto-render.min.js, only on pages that contain math.
(function () {
  function render(root) {
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      renderMathInElement(element, {
        delimiters: [
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
      });
    });
  }
  if (typeof document$ !== "undefined") {
    // Material's observable: fires on the first load and after every instant navigation.
    document$.subscribe(function () { render(document.body); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { render(document.body); });
  } else {
    render(document.body);
  }
})();

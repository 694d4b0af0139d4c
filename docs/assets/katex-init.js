// Render the formulas that pymdownx.arithmatex (generic mode) leaves in the page as \( \) and \[ \],
// with the KaTeX copy in assets/katex/ (no CDN). scripts/mkdocs_hooks.py loads this file, after
// katex.min.js and contrib/auto-render.min.js, only on pages that contain math.
(function () {
  var options = {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
  };
  // In slices of ~10 ms (40 ms on a phone four times slower), so that a page with many formulas never blocks input for long.
  function render(root) {
    var pending = Array.prototype.slice.call(root.querySelectorAll(".arithmatex"));
    (function slice() {
      var start = performance.now();
      while (pending.length && performance.now() - start < 10) {
        renderMathInElement(pending.shift(), options);
      }
      if (pending.length) setTimeout(slice, 0);
    })();
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

// The install selector (docs/install/): one row of buttons per choice (OS, package manager,
// compute platform, download source). The page already holds every command as nested content
// tabs generated from docs/install/install.yml, which is what a reader without JavaScript uses;
// the buttons only switch those tabs, so both ways show the very same block.
(function () {
  "use strict";
  var DIMENSIONS = ["os", "manager", "platform", "mirror"];

  function children(element, selector) {
    return Array.prototype.filter.call(element.children, function (child) { return child.matches(selector); });
  }

  // Check the tab labelled `label` in `set` and return its content block.
  function openTab(set, label) {
    var labels = children(children(set, ".tabbed-labels")[0], "label");
    var index = labels.findIndex(function (l) { return l.textContent.trim() === label; });
    if (index < 0) return null;
    children(set, "input")[index].checked = true;
    return children(children(set, ".tabbed-content")[0], ".tabbed-block")[index];
  }

  function enhance(root) {
    var meta = JSON.parse(root.querySelector(".install-selector-data").textContent);
    var state = { os: meta.oses[0][0], manager: meta.managers[0][0], platform: null, mirror: meta.mirrors[0][0] };
    var panel = document.createElement("div");
    panel.className = "install-panel";
    var rows = {};
    DIMENSIONS.forEach(function (dimension) {
      var row = document.createElement("div");
      row.className = "install-row";
      var name = document.createElement("span");
      name.className = "install-row__name";
      name.id = "install-" + dimension + "-" + Math.random().toString(36).slice(2, 8);
      name.textContent = meta.labels[dimension];
      var group = document.createElement("div");
      group.className = "install-row__options";
      group.setAttribute("role", "group");
      group.setAttribute("aria-labelledby", name.id);
      row.appendChild(name);
      row.appendChild(group);
      panel.appendChild(row);
      rows[dimension] = group;
    });

    function options(dimension) {
      if (dimension === "os") return meta.oses;
      if (dimension === "manager") return meta.managers;
      if (dimension === "platform") return meta.platforms[state.os][state.manager];
      return meta.mirrors;
    }

    function label(dimension) {
      var found = options(dimension).filter(function (o) { return o[0] === state[dimension]; })[0];
      return found[1];
    }

    function render() {
      DIMENSIONS.forEach(function (dimension) {
        var offered = options(dimension);
        if (!offered.some(function (o) { return o[0] === state[dimension]; })) state[dimension] = offered[0][0];
        var group = rows[dimension];
        group.textContent = "";
        offered.forEach(function (option) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "install-option";
          button.dataset.value = option[0];
          button.textContent = option[1];
          button.setAttribute("aria-pressed", option[0] === state[dimension] ? "true" : "false");
          button.addEventListener("click", function () {
            state[dimension] = option[0];
            render();
            var again = rows[dimension].querySelector('[data-value="' + option[0] + '"]');
            if (again) again.focus();
          });
          group.appendChild(button);
        });
      });
      var set = tabs;
      DIMENSIONS.forEach(function (dimension) {
        if (!set) return;
        var block = openTab(set, label(dimension));
        set = block ? children(block, ".tabbed-set")[0] : null;
      });
      root.dataset.choice = [state.os, state.manager, state.platform, state.mirror].join("/");
    }

    var tabs = children(root, ".tabbed-set")[0];
    if (!tabs) return;
    root.insertBefore(panel, tabs);
    root.classList.add("install-selector--enhanced");
    render();
  }

  function init() {
    document.querySelectorAll(".install-selector:not(.install-selector--enhanced)").forEach(enhance);
  }
  if (typeof document$ !== "undefined") document$.subscribe(init);  // Material's instant navigation
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Django's admin widgets, named for screen readers (axe-core's serious checks):
// - the search-as-you-type boxes (select2) get the field's label as part of their name;
// - the filter boxes' help icons (filter_horizontal) are images with a text, not bare spans.
// Idempotent; runs again when the widgets draw themselves (after load, on new inline rows).
"use strict";
(function () {
  function nameWidgets() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = document.querySelector('label[for="' + select.id + '"]');
      const container = select.nextElementSibling;
      if (!label || !container) return;
      label.id = label.id || select.id + "_label";
      container.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (box) {
        const own = box.getAttribute("aria-labelledby") || "";
        if (!own.split(" ").includes(label.id)) {
          box.setAttribute("aria-labelledby", (label.id + " " + own).trim());
        }
      });
    });
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  let pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () { pending = false; nameWidgets(); });
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameWidgets);
})();

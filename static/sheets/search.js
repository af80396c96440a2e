// Program search, by keyboard and on a phone (issue 21 item 20). htmx replaces #results after a
// chip is removed or a filter changes; without this the focus would fall back to the page's top.
(function () {
  "use strict";
  var count = document.getElementById("facet-count");

  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "results") { return; }
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var heading = document.getElementById("result-count");
    if (source && source.classList && source.classList.contains("filter-chip")) {
      // A chip was removed: stay on the chip list (its first chip), or the count when none is left.
      var chip = document.querySelector("#filter-chips .filter-chip");
      (chip || heading).focus();
      return;
    }
    if (count && heading && source && source.closest && source.closest("aside")) {
      // A filter changed: say (and show, beside the filters) how many programs there are now.
      // Shown only: the page's status line (js/live-status.js) reads it out.
      count.querySelector(".facet-count-text").textContent = heading.textContent.trim();
      count.querySelector("a").hidden = false;
      count.classList.add("filled");
    }
  });
})();

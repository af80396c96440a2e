// Where the keyboard goes when a page or a part of it comes back from the server:
// - a form sent back with errors: the first field marked invalid, so a keyboard or screen-reader
//   user lands where the first message is (read with the field, aria-describedby) instead of at
//   the top of the page with the whole menu to Tab through again; the page's alert is still read;
// - a part swapped in by htmx may name where work goes on with data-focus-here (the moved row's
//   button, the next task's first field): its old element, which had the focus, is gone;
// - a link of the error summary (templates/_partials/error_summary.html): the field itself, with
//   its label in view (following the link alone scrolls but leaves the keyboard where it was).
(() => {
  const focusIn = (root) => {
    // The swapped part itself may carry the mark (a task row opened for editing).
    const marked = root.matches && root.matches("[data-focus-here]") ? root : root.querySelector("[data-focus-here]");
    const first = marked || root.querySelector("form .is-invalid, form [aria-invalid='true']");
    if (!first) return;
    // Used once: a mark left behind would take the focus back from a later swap elsewhere on the
    // page (two print-list buttons pressed one after the other).
    if (marked) marked.removeAttribute("data-focus-here");
    const field = first.matches("input, select, textarea, button, a[href], [tabindex]") ? first : first.querySelector("input:not([type=hidden]), select, textarea, button");
    if (field && !field.disabled) field.focus();
  };
  document.addEventListener("DOMContentLoaded", () => focusIn(document));
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    // A field of a table (the timetable's rows) with the table's head; another with its label.
    const label = field.closest("td") ? field.closest("table") : field.closest("fieldset, .mb-3") || field;
    label.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
  document.addEventListener("htmx:afterSettle", (event) => focusIn(event.detail.elt && event.detail.elt.isConnected ? event.detail.elt : document));
})();

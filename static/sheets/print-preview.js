// Print preview: the "Print" button opens the browser's print dialog (the page's @page rules
// give the same A4 layout as the PDF). No inline handlers, so a strict CSP can stay on.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

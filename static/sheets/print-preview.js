// Print preview: the "Print" button opens the browser's print dialog (the page's @page rules
// give the same A4 layout as the PDF). No inline handlers, so a strict CSP can stay on.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// The preview is one long sheet of paper; the PDF has pages. The server laid the sheet out
// for the PDF and says where each page after the first begins (#page-marks: the element of
// <main> by its place in document order, and how many of its lines the page before holds).
// A dashed line marks each break. Drawn, not inserted: the paper's layout stays untouched.
(() => {
  const data = document.getElementById("page-marks");
  const paper = document.querySelector("main.sheet-paper");
  if (!data || !paper) {
    return;
  }
  const marks = JSON.parse(data.textContent);

  // The top of each line of an element's text, in page coordinates, in order.
  const lineTops = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const tops = [...range.getClientRects()].map((rect) => Math.round(rect.top));
    return [...new Set(tops)].sort((a, b) => a - b);
  };

  const draw = () => {
    paper.querySelectorAll(".pt-page-break").forEach((line) => line.remove());
    const elements = paper.querySelectorAll("*");
    const paperTop = paper.getBoundingClientRect().top;
    for (const mark of marks) {
      const element = elements[mark.element];
      if (!element || element.localName !== mark.tag) {
        continue; // the preview's markup differs from what was laid out: better no line than a wrong one
      }
      let top = element.getBoundingClientRect().top;
      if (mark.lines > 0) {
        const tops = lineTops(element);
        if (tops.length > mark.lines) {
          top = tops[mark.lines];
        }
      }
      const line = document.createElement("div");
      line.className = "pt-page-break";
      line.setAttribute("aria-hidden", "true"); // the toolbar says how many pages there are
      line.style.top = `${top - paperTop - 3}px`; // just above the first line of the page
      const label = document.createElement("span");
      label.textContent = mark.label;
      line.append(label);
      paper.append(line);
    }
  };

  draw();
  document.fonts.ready.then(draw);
  window.addEventListener("resize", draw);
})();

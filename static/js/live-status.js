// One short status line for a part of the page that htmx replaces (the search results, the
// employer list, the workshop board). The replaced part itself is not a live region: a screen
// reader read the whole list out (some 2,900 characters) on every filter change, and a live region
// that arrives with the swap is often not read at all. The status region stays on the page
// (outside the swapped part, data-status-of="#the-part") and gets the new words: the swapped part
// carries them on an element with data-status (「16件見つかりました」, 「追加しました：…」).
(() => {
  const seen = new WeakSet();
  const markAll = () => document.querySelectorAll("[data-status]").forEach((source) => seen.add(source));
  const announce = () => {
    document.querySelectorAll("[data-status-of]").forEach((region) => {
      const part = document.querySelector(region.dataset.statusOf);
      const source = part && part.querySelector("[data-status]");
      if (!source || seen.has(source)) return;
      seen.add(source);
      // Emptied first: the same words again (the same count after another filter) are read again.
      region.textContent = "";
      window.setTimeout(() => { region.textContent = source.dataset.status; }, 100);
    });
  };
  document.addEventListener("DOMContentLoaded", markAll);
  document.addEventListener("htmx:afterSettle", announce);

  // A page opened further down (the board at a card's heading after deleting the card) had its
  // confirmation at the top: out of sight, and not read out, being there from the start. It moves
  // to where the page opened and is given its words again, so that they are read.
  document.addEventListener("DOMContentLoaded", () => {
    const box = document.querySelector("main .messages");
    const target = box && location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target || target.contains(box)) return;
    // Only when the box would be out of sight: the browser scrolls the place to the top of the
    // window (less its scroll margin), or as far as the page goes (it may not have scrolled yet).
    const page = document.documentElement;
    const placeTop = target.getBoundingClientRect().top + window.scrollY - (parseFloat(getComputedStyle(target).scrollMarginTop) || 0);
    const shownFrom = Math.min(placeTop, page.scrollHeight - window.innerHeight);
    if (box.getBoundingClientRect().top + window.scrollY >= shownFrom) return;
    const words = Array.from(box.children);
    box.replaceChildren();
    // Below the place's heading (or first in it): the browser scrolls the place to the top.
    if (/^H[1-6]$/.test(target.tagName)) target.after(box);
    else target.prepend(box);
    window.setTimeout(() => box.replaceChildren(...words), 100);
  });
})();

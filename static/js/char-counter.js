// Live character counter for every field with a length cap (registry.forms.show_length_limits):
// 「いま12文字」 under the field, and 「3文字多い」 in red when the text is longer than the sheet
// prints. The count is of characters as Python counts them (code points), line breaks as one.
(() => {
  const count = (text) => Array.from(text).length;
  const attach = (field) => {
    if (field.dataset.counterReady) return;
    field.dataset.counterReady = "1";
    const max = Number(field.dataset.maxChars);
    // Next to 「N文字まで」 when the field has that help text, else under the field.
    const help = field.id && document.getElementById(`${field.id}_helptext`);
    const counter = document.createElement(help ? "span" : "div");
    counter.className = help ? "char-counter ms-1" : "form-text char-counter";
    counter.id = `${field.id || field.name}-counter`;
    // Announced only when the text goes over the cap (not on every key).
    const alert = document.createElement("div");
    alert.className = "visually-hidden";
    alert.setAttribute("aria-live", "polite");
    if (help) {
      help.append(counter);
    } else {
      field.insertAdjacentElement("afterend", counter);
    }
    (help || counter).insertAdjacentElement("afterend", alert);
    const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!described.includes(help && help.id)) {
      field.setAttribute("aria-describedby", [...described, counter.id].join(" "));
    }
    let wasOver = false;
    const update = () => {
      const n = count(field.value);
      const over = n > max;
      counter.textContent = over
        ? `${field.dataset.charsOver.replace("{n}", n - max)}（${n} / ${max}）`
        : field.dataset.charsNow.replace("{n}", n);
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("fw-bold", over);
      field.classList.toggle("is-over-limit", over);
      if (over !== wasOver) alert.textContent = over ? counter.textContent : "";
      wasOver = over;
    };
    field.addEventListener("input", update);
    update();
  };
  const scan = (root) => root.querySelectorAll("[data-max-chars]").forEach(attach);
  document.addEventListener("DOMContentLoaded", () => scan(document));
  document.addEventListener("htmx:afterSwap", (event) => scan(event.target));
  // Fields added by a page's own script (e.g. a timetable line): `chars:scan` on document.
  document.addEventListener("chars:scan", () => scan(document));
})();

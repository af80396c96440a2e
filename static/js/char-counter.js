// Live character counter for every field with a length cap:
// - fields of registry.forms.show_length_limits (data-max-chars, no HTML maxlength): 「いま12文字」
//   under the field, 「あと8文字」 near the cap, 「3文字多すぎます」 in red over it (the form refuses
//   the text next to the field; the counter takes over from that message at the first change);
// - any other text field with a maxlength: 「あと8文字」 once near the cap, so that the browser's
//   stop at the cap is no longer silent.
// Screen readers hear it when the text crosses a threshold (near the cap, at or over it, back),
// not on every key: one polite live region per field; the counter is in the field's description.
// The count is of characters as Python counts them (code points), line breaks as one.
// Fields added later (htmx swaps, a page's own script sending `chars:scan`) get one too.
(() => {
  const script = document.currentScript;
  const words = (field, key) => field.dataset[key] || (script && script.dataset[key]) || "{n}";
  const count = (text) => Array.from(text).length;
  // 「あと…」 from this many characters before the cap: a fifth of it, at least 5.
  const nearFrom = (max) => Math.max(5, Math.ceil(max / 5));
  const attach = (field) => {
    if (field.dataset.counterReady) return;
    const capped = field.dataset.maxChars !== undefined;
    const max = Number(capped ? field.dataset.maxChars : field.getAttribute("maxlength"));
    if (!(max > 0)) return;
    field.dataset.counterReady = "1";
    // Next to 「N文字まで」 when the field has that help text, else under the field.
    const help = field.id && document.getElementById(`${field.id}_helptext`);
    const counter = document.createElement(help ? "span" : "div");
    counter.className = help ? "char-counter ms-1" : "form-text char-counter";
    counter.id = `${field.id || field.name}-counter`;
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
    if (!described.includes(help && help.id) && !described.includes(counter.id)) {
      field.setAttribute("aria-describedby", [...described, counter.id].join(" "));
    }
    // The form's own "too long" message (crispy's field errors carry their code) says what the
    // counter would, so the counter keeps quiet under it. At the first change the message goes (its
    // count is of the text sent) and the counter speaks; the field then stays marked while its text
    // is too long, or while another of its messages remains.
    const feedback = field.id && document.getElementById(`${field.id}_error`);
    let tooLong = feedback ? [...feedback.querySelectorAll('[data-error-code="max_length"]')] : [];
    let markedByCounter = false;
    const putAwayTooLong = () => {
      tooLong.forEach((message) => message.remove());
      tooLong = [];
      if (feedback.querySelector("strong")) return;
      feedback.remove();
      markedByCounter = true;
    };
    let wasState = null;
    const update = (event) => {
      const n = count(field.value);
      const left = max - n;
      const state = left < 0 ? "over" : left === 0 ? "full" : left <= nearFrom(max) ? "near" : "ok";
      if (state === "over") {
        counter.textContent = `${words(field, "charsOver").replace("{n}", -left)}（${n} / ${max}）`;
      } else if (state !== "ok") {
        counter.textContent = words(field, "charsLeft").replace("{n}", left);
      } else {
        counter.textContent = capped ? words(field, "charsNow").replace("{n}", n) : "";
      }
      if (event && tooLong.length) putAwayTooLong();
      counter.hidden = !counter.textContent || tooLong.length > 0;
      counter.classList.toggle("text-danger", state === "over");
      counter.classList.toggle("fw-bold", state === "over" || state === "full");
      field.classList.toggle("is-over-limit", state === "over");
      if (markedByCounter) {
        field.classList.toggle("is-invalid", state === "over");
        if (state === "over") field.setAttribute("aria-invalid", "true");
        else field.removeAttribute("aria-invalid");
      }
      // Announced when the state changes, not when the page opens with a text already there.
      if (wasState !== null && state !== wasState) alert.textContent = state === "ok" ? "" : counter.textContent;
      wasState = state;
    };
    field.addEventListener("input", update);
    update();
  };
  // Prose only: not a postal code or a phone number, whose few characters need no counting.
  const FIELDS = "[data-max-chars], input[maxlength]:is([type=text], :not([type])):not([inputmode]), textarea[maxlength]";
  const scan = (root) => {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches(FIELDS)) attach(root);
    root.querySelectorAll(FIELDS).forEach(attach);
  };
  document.addEventListener("DOMContentLoaded", () => scan(document));
  // htmx:load is fired on each element htmx puts in the page — also for an outerHTML swap, whose
  // old target (htmx:afterSwap's) has left the page: a task row opened for editing.
  document.addEventListener("htmx:load", (event) => scan(event.target));
  document.addEventListener("htmx:afterSwap", (event) => scan(event.target));
  // Fields added by a page's own script (e.g. a timetable line): `chars:scan` on document.
  document.addEventListener("chars:scan", () => scan(document));
})();

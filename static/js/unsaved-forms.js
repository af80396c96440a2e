// Pages with several forms save one form per button: a referral's steps, its reflection and its
// outcome are separate forms, and a counselor who writes the reflection first and then presses
// 「実施済みにする」 above it lost what she wrote, without a word. Before a form is sent, this
// asks whether to go on when another form of the page holds changes that sending would throw
// away, naming that form by its heading: 「ふりかえりとフィードバック」に入力した内容は…
// Only forms that leave the page count (method="post", no htmx): an htmx form keeps the page,
// and the text of a GET form (a search) is in the address.
(() => {
  const script = document.currentScript;
  const question = (script && script.dataset.question) || "{names}";
  const elsewhere = (script && script.dataset.elsewhere) || "";
  const FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), textarea, select";
  const leavesPage = (form) => form.method === "post" && !form.matches("[hx-post], [hx-put], [hx-patch]");

  const selectChanged = (select) => {
    const options = [...select.options];
    if (select.multiple) return options.some((option) => option.selected !== option.defaultSelected);
    // With no option marked selected in the markup, the browser shows the first one.
    const initial = Math.max(0, options.findIndex((option) => option.defaultSelected));
    return options.length > 0 && select.selectedIndex !== initial;
  };
  const fieldChanged = (field) => {
    if (field.disabled) return false;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") return selectChanged(field);
    if (field.type === "file") return field.files.length > 0;
    return field.value !== field.defaultValue;
  };
  const changedFields = (form) => [...form.querySelectorAll(FIELDS)].filter(fieldChanged);

  // The form's heading: its own, or that of the section it is the body of (aria-labelledby).
  const nameOf = (form) => {
    const own = form.querySelector("h2, h3, h4, legend");
    const section = form.closest("[aria-labelledby]");
    const heading = own || (section && document.getElementById(section.getAttribute("aria-labelledby")));
    return heading ? heading.textContent.trim() : "";
  };

  document.addEventListener(
    "submit",
    (event) => {
      const sent = event.target;
      if (!(sent instanceof HTMLFormElement) || !leavesPage(sent)) return;
      const unsaved = [...document.forms].filter((form) => form !== sent && leavesPage(form) && changedFields(form).length);
      if (!unsaved.length) return;
      const names = unsaved.map(nameOf).filter(Boolean).map((name) => `「${name}」`).join("");
      if (window.confirm(question.replace("{names}", names || elsewhere))) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      changedFields(unsaved[0])[0].focus(); // back to what would have been lost
    },
    true, // capture: before any other submit handler (a double-submit guard, htmx)
  );
})();

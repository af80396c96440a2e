// A form sent back with errors: the keyboard focus goes to the first field marked invalid, so a
// keyboard or screen-reader user lands where the first message is (its text is announced with
// the field, aria-describedby) instead of at the top of the page with the whole menu to Tab
// through again. The page's own alert (role="alert") is still read out.
document.addEventListener("DOMContentLoaded", () => {
  const first = document.querySelector("form .is-invalid, form [aria-invalid='true']");
  if (!first) return;
  const field = first.matches("input, select, textarea, button") ? first : first.querySelector("input, select, textarea");
  if (field && !field.disabled) field.focus();
});

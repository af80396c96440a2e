// A search's address holds only what was chosen. A GET form sends every field, so the address
// pushed into the history (what a counselor bookmarks or shares) listed a dozen empty filters
// (…&prefecture=&region=&industry=&…). The server reads a missing field as an empty one.
// Only for requests whose address is pushed (hx-push-url): no other request is changed.
document.addEventListener("htmx:configRequest", (event) => {
  const { verb, elt, formData } = event.detail;
  if (verb !== "get" || !elt.closest("[hx-push-url]") || !formData) return;
  const names = new Set(formData.keys());
  names.forEach((name) => {
    if (formData.getAll(name).every((value) => value === "")) formData.delete(name);
  });
});

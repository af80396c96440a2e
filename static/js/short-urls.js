// A search's address holds only what was chosen. A GET form sends every field, so the address
// pushed into the history (what a counselor bookmarks or shares) listed a dozen empty filters
// (…&prefecture=&region=&industry=&…). The server reads a missing field as an empty one.
// A field that says what its absence means (data-default, e.g. the sort order) is left out too
// while it holds that value. Only for requests whose address is pushed (hx-push-url): no other
// request is changed.
const isDefault = (name, values) => {
  const field = document.querySelector(`[name="${CSS.escape(name)}"][data-default]`);
  return field !== null && values.length === 1 && values[0] === field.dataset.default;
};

document.addEventListener("htmx:configRequest", (event) => {
  const { verb, elt, formData } = event.detail;
  if (verb !== "get" || !elt.closest("[hx-push-url]") || !formData) return;
  const names = new Set(formData.keys());
  names.forEach((name) => {
    const values = formData.getAll(name);
    if (values.every((value) => value === "") || isDefault(name, values)) formData.delete(name);
  });
});

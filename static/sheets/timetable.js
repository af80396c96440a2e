// 1日の流れ: add lines in place, up to the sheet's maximum (the formset's max_num). Without
// JavaScript the form still offers its empty lines; the server refuses more than the maximum.
document.addEventListener("DOMContentLoaded", () => {
  const rows = document.getElementById("timetable-rows");
  const template = document.getElementById("timetable-row-template");
  const button = document.getElementById("timetable-add");
  const full = document.getElementById("timetable-full");
  const total = document.querySelector('input[name="tt-TOTAL_FORMS"]');
  if (!rows || !template || !button || !total) return;
  const max = Number(rows.dataset.maxRows);
  const refresh = () => {
    const atMax = Number(total.value) >= max;
    button.hidden = atMax;
    full.hidden = !atMax;
  };
  button.addEventListener("click", () => {
    const index = Number(total.value);
    if (index >= max) return;
    const html = template.innerHTML.replaceAll("__prefix__", index).replaceAll("__number__", index + 1);
    rows.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    const added = rows.lastElementChild;
    // The live counter of the new activity field, then focus where the user types next.
    document.dispatchEvent(new CustomEvent("chars:scan"));
    added.querySelector("input").focus();
    refresh();
  });
  refresh();
});

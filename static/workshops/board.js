// After a card is added (htmx swaps in the board), put the caret back in the text field so
// the next card can be typed at once. Other swaps leave the focus alone (a vote keeps it on the
// pressed button through data-focus-here, static/js/form-errors.js).
document.addEventListener("htmx:afterSettle", function (event) {
  var info = event.detail.pathInfo || {};
  var path = info.requestPath || info.finalRequestPath || "";
  if (!/\/cards\/$/.test(path)) { return; }
  var field = document.querySelector("#capture input[name=text]");
  if (field) { field.focus(); }
});

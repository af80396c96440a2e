// The idle timeout said before it ends (WCAG 2.2.1 Timing Adjustable): a counselor typing a
// needs check during a long talk with a client is warned some minutes before the session ends
// and can stay logged in with one button, instead of losing what they typed on the next send.
//
// The server renews a session on a request at most once a minute (registry.middleware), so
// after a request at time t the session lasts at least until t + idle - 60 s. Every tab notes
// its requests in localStorage: work in one tab keeps the others from warning.
(() => {
  const box = document.getElementById("session-timeout");
  if (!box) return;
  const idle = Number(box.dataset.idleSeconds) * 1000;
  const warnBefore = Number(box.dataset.warnSeconds) * 1000;
  const RENEWAL_STEP = 60 * 1000;
  const KEY = "session-last-request";
  const parts = (when) => box.querySelectorAll(`[data-when="${when}"]`);

  const lastRequest = () => Math.max(Number(localStorage.getItem(KEY)) || 0, loadedAt);
  const noteRequest = () => {
    try {
      localStorage.setItem(KEY, String(Date.now()));
    } catch (error) {
      // storage refused (private mode): this tab still counts from its own requests
    }
    loadedAt = Date.now();
  };
  let loadedAt = Date.now();
  let shown = "";

  const show = (when) => {
    if (when === shown) return;
    shown = when;
    // The keyboard stays where the user is typing: the alert is read out, the button is one Tab away
    // at the end of the page.
    box.classList.toggle("is-shown", when !== "");
    parts("warning").forEach((part) => (part.hidden = when !== "warning"));
    parts("ended").forEach((part) => (part.hidden = when !== "ended"));
  };

  const check = () => {
    const left = lastRequest() + idle - RENEWAL_STEP - Date.now();
    if (left <= -RENEWAL_STEP) show("ended"); // past even the latest the session could last
    else if (left <= warnBefore) show("warning");
    else show("");
  };

  noteRequest();
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) {
      noteRequest();
      check();
    } else if (event.detail.xhr && event.detail.xhr.status === 401) {
      show("ended"); // the keep-alive came too late
    }
  });
  window.addEventListener("storage", (event) => event.key === KEY && check());
  setInterval(check, 15 * 1000);
})();

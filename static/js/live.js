// Live workshop screens: countdowns between polls, what a poll's answer means, full screen.
// Every page works without this file: the phone then has a plain form and a reload link.
(() => {
  document.documentElement.classList.add("js");

  // Countdowns: the server says how many seconds were left when it rendered; count down from there
  // with this device's monotonic clock (so a wrong clock on a phone does not matter).
  const ends = new WeakMap();
  const arm = (root) => {
    root.querySelectorAll("[data-seconds-left]").forEach((el) => {
      if (!ends.has(el)) ends.set(el, performance.now() + 1000 * Number(el.dataset.secondsLeft));
    });
  };
  const tick = () => {
    document.querySelectorAll("[data-seconds-left]").forEach((el) => {
      const end = ends.get(el);
      if (end === undefined) return;
      const left = Math.max(0, Math.ceil((end - performance.now()) / 1000));
      const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      const out = el.querySelector("[data-countdown]") || el;
      if (out.textContent !== text) out.textContent = text;
    });
  };
  document.addEventListener("DOMContentLoaded", () => { arm(document); tick(); });
  document.addEventListener("htmx:load", (event) => { arm(event.detail.elt); tick(); });
  setInterval(tick, 250);

  // Polls: 204 = nothing changed. An answer that is not a state fragment (the login page after a
  // timeout, a 404 after the person was removed) reloads the page, so the server shows what is right.
  // Network errors and 5xx (a server restarting) keep polling and say so until it answers again.
  const isPoll = (event) => event.detail.requestConfig && event.detail.requestConfig.elt
    && event.detail.requestConfig.elt.hasAttribute("data-live-poll");
  const offline = (on) => document.body.classList.toggle("live-offline", on);
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (!isPoll(event)) return;
    const xhr = event.detail.xhr;
    if (xhr.status === 0 || xhr.status >= 500) {
      event.detail.shouldSwap = false;
      offline(true);
      return;
    }
    offline(false);
    if (xhr.getResponseHeader("X-Live-State") !== "1") {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });
  document.addEventListener("htmx:sendError", (event) => { if (isPoll(event)) offline(true); });
  document.addEventListener("htmx:timeout", (event) => { if (isPoll(event)) offline(true); });

  // Full screen for the projector.
  document.addEventListener("click", (event) => {
    if (!event.target.closest("[data-fullscreen]")) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  });
})();

// The kiosk's idle timer: after data-kiosk-idle seconds without input the visit ends (the form posts to the
// server, which deletes the session); a warning shows shortly before. Nothing is kept in the browser.
(() => {
  const bar = document.querySelector("[data-kiosk-idle]");
  if (!bar) return;
  const idle = Number(bar.dataset.kioskIdle) * 1000;
  const warnBefore = Math.min(15000, idle / 3);
  const form = document.getElementById("kiosk-end");
  const warning = document.getElementById("kiosk-warning");
  let warnTimer;
  let endTimer;
  const arm = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warning.hidden = true;
    warnTimer = setTimeout(() => { warning.hidden = false; }, idle - warnBefore);
    endTimer = setTimeout(() => form.submit(), idle);
  };
  for (const type of ["pointerdown", "keydown", "input", "scroll", "wheel", "touchstart"]) {
    document.addEventListener(type, arm, { passive: true, capture: true });
  }
  arm();
})();

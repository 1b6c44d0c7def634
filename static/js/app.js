// Small enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copyTarget);
  input.select();
  const done = () => {
    const original = button.textContent;
    button.textContent = button.dataset.copiedText;
    setTimeout(() => { button.textContent = original; }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done);
  } else {
    document.execCommand("copy");
    done();
  }
});

// Autosave on the step page (htmx posts each answer when it changes). The line under each question says what
// really happened: saving, saved (the server's answer), refused (the server's reason; the choice goes back to
// what is saved) or not saved for lack of a connection, with a retry, and a retry by itself when the browser
// is online again. "Saved" is only ever the server's word.
(() => {
  const form = document.querySelector(".answers-form");
  if (!form) return;
  const text = form.dataset;
  const questionOf = (event) => event.detail.elt && event.detail.elt.closest("fieldset.question");
  const stateLine = (fieldset) => fieldset.querySelector(".save-state");
  const chosen = (fieldset) => {
    const input = fieldset.querySelector(".option-input:checked");
    return input ? input.value : "";
  };
  const choose = (fieldset, value) => {
    for (const input of fieldset.querySelectorAll(".option-input")) input.checked = input.value === value;
  };
  const save = (fieldset) => window.htmx.trigger(fieldset, "change");

  const failed = (fieldset) => {
    fieldset.dataset.saveState = "failed";
    const message = document.createElement("span");
    message.className = "text-danger";
    message.textContent = `${text.failedText} `;
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "btn btn-sm btn-outline-danger py-0 retry-save";
    retry.textContent = text.retryText;
    stateLine(fieldset).replaceChildren(message, retry);
  };

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const fieldset = questionOf(event);
    if (!fieldset) return;
    fieldset.dataset.saveState = "saving";
    const message = document.createElement("span");
    message.className = "text-body-secondary";
    message.textContent = text.savingText;
    stateLine(fieldset).replaceChildren(message);
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const fieldset = questionOf(event);
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (!fieldset || status === 0) return; // no answer at all: htmx:sendError / htmx:timeout below
    if (event.detail.successful) {
      fieldset.dataset.saveState = "saved";
      fieldset.dataset.saved = chosen(fieldset);
    } else if (status >= 400 && status < 500) {
      // Refused (changed in another tab, finished meanwhile): the server's reason is shown, and the option
      // ticked is the one that is saved, not the refused one.
      const current = stateLine(fieldset).querySelector("[data-current]");
      if (current) fieldset.dataset.saved = current.dataset.current;
      choose(fieldset, fieldset.dataset.saved || "");
      fieldset.dataset.saveState = "refused";
    } else {
      failed(fieldset);
    }
  });

  for (const name of ["htmx:sendError", "htmx:timeout"]) {
    document.body.addEventListener(name, (event) => {
      const fieldset = questionOf(event);
      if (fieldset) failed(fieldset);
    });
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest(".retry-save");
    if (button) save(button.closest("fieldset.question"));
  });

  window.addEventListener("online", () => {
    for (const fieldset of form.querySelectorAll('fieldset.question[data-save-state="failed"]')) save(fieldset);
  });
})();

// Forms marked data-confirm ask first (deleting a turf, taking it back, rejecting a contact).
// A static file, because the Content-Security-Policy runs no inline handlers. Listening on the
// document in the capture phase runs before a form's own listeners (busy-form.js), so a "no"
// stops the submission before any button is disabled.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : "";
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopPropagation();
  }
}, true);

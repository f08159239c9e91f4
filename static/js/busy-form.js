// Forms marked data-busy-text show a status and disable their button while the server works.
document.querySelectorAll("form[data-busy-text]").forEach((form) => {
  form.addEventListener("submit", () => {
    const status = form.querySelector(".busy");
    if (status) {
      status.textContent = form.dataset.busyText;
      status.hidden = false;
    }
    form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
  });
});

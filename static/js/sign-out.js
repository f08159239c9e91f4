// Signing out removes the walk lists this phone kept for offline use: they hold voters' names.
// Contacts not yet sent stay in the outbox, kept for the person who recorded them (outbox.js): before
// signing out with contacts waiting, the volunteer is told so and may stay to send them. Whoever signs
// in next on this phone never sends or sees them; they go out when their owner signs in here again.
(function () {
  const form = document.querySelector("form.sign-out");
  if (!form) return;
  const outbox = window.FieldopsOutbox;

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // Resolves true to sign out (the contacts stay for their owner), false to stay signed in.
  function askFirst(waiting) {
    return new Promise((resolve) => {
      const dialog = element("dialog", null, "sign-out-warning");
      dialog.id = "sign-out-warning";
      dialog.setAttribute("aria-labelledby", "sign-out-warning-title");
      const one = waiting === 1;
      const title = element("h2", ngettext("%(num)s contact has not reached the server yet",
                                           "%(num)s contacts have not reached the server yet", waiting));
      title.id = "sign-out-warning-title";
      const leave = element("button", one ? t("Sign out, keep it for me") : t("Sign out, keep them for me"), "primary");
      const stay = element("button", t("Stay signed in"));
      leave.type = stay.type = "button";
      const buttons = element("div", null, "button-row");
      buttons.append(leave, stay);
      const advice = !navigator.onLine ? t("This phone is offline: signing out needs a connection.")
        : outbox.started()
          ? (one ? t("To send it first, stay signed in: this page keeps trying.")
            : t("To send them first, stay signed in: this page keeps trying."))
          : (one ? t("To send it first, stay signed in and open My turfs.")
            : t("To send them first, stay signed in and open My turfs."));
      dialog.append(title,
        element("p", one
          ? t("It stays on this phone, kept for you: it is sent when you sign in here again with a connection. " +
              "Nobody else who signs in on this phone sends it.")
          : t("They stay on this phone, kept for you: they are sent when you sign in here again with a " +
              "connection. Nobody else who signs in on this phone sends them.")),
        element("p", advice, "muted"),
        buttons);
      const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
      leave.addEventListener("click", () => close(true));
      stay.addEventListener("click", () => close(false));
      dialog.addEventListener("cancel", (event) => { event.preventDefault(); close(false); });
      document.body.append(dialog);
      dialog.showModal();
      stay.focus();
    });
  }

  function forget() {
    // The note of which doors this phone knocked goes too; the outbox keeps the contacts themselves.
    Object.keys(localStorage).filter((key) => key.startsWith("fieldops-knocks-"))
      .forEach((key) => localStorage.removeItem(key));
    if (!window.caches) return Promise.resolve();
    return caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("fieldops-")).map((n) => caches.delete(n))))
      .catch(() => undefined);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const waiting = outbox ? (await outbox.pending().catch(() => [])).length : 0;
    if (waiting && !(await askFirst(waiting))) return;
    await forget();
    form.submit();
  });
})();

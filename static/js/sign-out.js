// Signing out removes the walk lists this phone kept for offline use: they hold voters' names.
// Contacts not yet sent stay in the outbox, so nothing a volunteer recorded is lost.
(function () {
  const form = document.querySelector("form.sign-out");
  if (!form || !window.caches) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // The note of which doors this phone knocked goes too; the outbox keeps the contacts themselves.
    Object.keys(localStorage).filter((key) => key.startsWith("fieldops-knocks-"))
      .forEach((key) => localStorage.removeItem(key));
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("fieldops-")).map((n) => caches.delete(n))))
      .catch(() => undefined)
      .then(() => form.submit());
  }, { once: true });
})();

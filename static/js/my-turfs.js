// "My turfs": install the offline service worker and keep every turf handed to me ready for use without a network.
(function () {
  const list = document.getElementById("my-turfs");
  const status = document.getElementById("offline-status");
  if (!list || !("serviceWorker" in navigator) || !window.caches) return;
  navigator.serviceWorker.register(list.dataset.swUrl, { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then(async () => {
      const links = [...list.querySelectorAll("a[data-walklist]")];
      const name = (await caches.keys()).find((n) => n.startsWith("fieldops-")) || "fieldops-page";
      const cache = await caches.open(name);
      await cache.addAll([location.pathname, ...links.flatMap((a) => [a.getAttribute("href"), a.dataset.walklist])]);
      status.textContent = links.length ? "Your turfs are saved on this phone for use without a connection." : "";
      document.documentElement.dataset.offlineReady = "yes";
    })
    .catch(() => { status.textContent = "This phone could not save your turfs for offline use."; });
})();

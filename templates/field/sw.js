// Fieldops service worker: keeps the app shell, the volunteer's turf pages and walk lists for offline use.
// Contacts are not queued here: the page keeps them in IndexedDB (static/js/outbox.js) until the server has them.
const CACHE = "fieldops-{{ version }}";
const SHELL = {{ shell|tojson }};
// The offline page, in the language of the page that installed this worker (field.py renders it per request).
const OFFLINE_PAGE = "<!doctype html><html lang=" + {{ page_language|tojson }} + "><meta charset=utf-8>" +
  "<meta name=viewport content='width=device-width'><title>" + {{ _('Offline')|tojson }} + "</title>" +
  "<p style='font:18px system-ui;padding:1rem'>" +
  {{ _('You are offline and this page was not saved on this phone. Open your turfs once while online to keep them for offline use.')|tojson }} +
  "</p>";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("fieldops-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()));
});

// Pages and walk lists: the network first (fresh history), the cached copy when there is no network.
function networkFirst(request) {
  return fetch(request).then((response) => {
    if (response.ok && !response.redirected) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }).catch(() => caches.match(request, { ignoreVary: true }).then((hit) => hit || offlineAnswer(request)));
}

function offlineAnswer(request) {
  if (request.mode === "navigate") {
    return new Response(OFFLINE_PAGE,
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  return new Response(JSON.stringify({ error: "offline" }), { status: 503, headers: { "Content-Type": "application/json" } });
}

// Static files: from the cache, filled on first use.
function cacheFirst(request) {
  return caches.match(request).then((hit) => hit || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;  // map tiles go straight to the network
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith("/canvass/") || url.pathname === "/my/turfs" ||
             /^\/api\/v1\/(me\/turfs|turfs\/\d+\/walklist)$/.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
});

// "My turfs": keep every turf handed to me ready for use without a network (the service worker), send the
// contacts waiting in my outbox, and show each walk's progress with this phone's unsent knocks counted:
// the same figures, by the same data (knocks.js), as the turf's own page.
(function () {
  const list = document.getElementById("my-turfs");
  if (!list) return;
  const outbox = window.FieldopsOutbox;
  const knocks = window.FieldopsKnocks;
  const status = document.getElementById("offline-status");
  const owner = outbox.owner();
  const links = [...list.querySelectorAll("a[data-walklist]")];

  // Each walk list once per visit: from the network, or offline from the service worker's copy (what the
  // turf's page shows then). The answers are kept to be saved for offline use below.
  const walks = new Map();
  function walkList(url) {
    if (!walks.has(url)) {
      walks.set(url, fetch(url, { credentials: "same-origin" })
        .then((response) => (response.ok ? { response: response.clone(), walk: response.json() } : null))
        .catch(() => null));  // offline and never saved: the server's figures stand
    }
    return walks.get(url);
  }

  async function showProgress(pending) {
    await Promise.all(links.map(async (link) => {
      const card = link.closest(".turf-card");
      const answer = await walkList(link.dataset.walklist);
      if (!answer) return;
      const walk = await answer.walk;
      const counts = knocks.progress(walk, knocks.merge(knocks.remembered(owner, card.dataset.turfId), pending),
                                     Date.now());
      card.querySelector(".walk-progress").textContent = knocks.progressText(counts);
      card.querySelector(".walk-bar").max = counts.doors || 1;
      card.querySelector(".walk-bar").value = counts.done;
    }));
  }

  function showSync(state, pending) {
    const line = document.getElementById("sync-status");
    line.hidden = !state.pending;
    const waiting = ngettext("%(num)s contact waiting to sync", "%(num)s contacts waiting to sync", state.pending);
    const offline = t("offline, sent once online");
    line.textContent = state.pending ? waiting +
      (state.status === "signed-out" ? ` · ${state.message}` : navigator.onLine ? "" : ` · ${offline}`)
      : "";
    showProgress(pending);
  }

  // Contacts an earlier version kept without saying whose: sent only if the volunteer says they are theirs.
  async function offerUnowned() {
    const unowned = await outbox.unowned().catch(() => []);
    const box = document.getElementById("unowned-box");
    box.hidden = !unowned.length;
    if (!unowned.length) return;
    document.getElementById("unowned-text").textContent = ngettext(
      "%(num)s contact recorded on this phone before it kept each volunteer's apart, and not sent. Send it only if you recorded it:",
      "%(num)s contacts recorded on this phone before it kept each volunteer's apart, and not sent. Send them only if you recorded them:",
      unowned.length);
    document.getElementById("unowned-list").replaceChildren(...unowned.map((contact) => {
      const item = document.createElement("li");
      const where = contact.address || t("door %(id)s", { id: contact.door_id });
      item.textContent = `${where}, ${String(contact.recorded_at).slice(0, 10)}`;
      return item;
    }));
  }

  document.getElementById("claim-unowned").addEventListener("click", () => outbox.claim().then(offerUnowned));
  outbox.onChange(showSync);
  outbox.start({ url: list.dataset.contactsUrl, csrf: list.dataset.csrf });
  offerUnowned();

  if (!("serviceWorker" in navigator) || !window.caches) return;
  navigator.serviceWorker.register(list.dataset.swUrl, { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then(async () => {
      const name = (await caches.keys()).find((n) => n.startsWith("fieldops-")) || "fieldops-page";
      const cache = await caches.open(name);
      await cache.addAll([location.pathname, ...links.map((a) => a.getAttribute("href"))]);
      await Promise.all(links.map(async (link) => {
        const answer = await walkList(link.dataset.walklist);
        if (!answer) throw new Error(`no walk list at ${link.dataset.walklist}`);
        await cache.put(link.dataset.walklist, answer.response);
      }));
      status.textContent = links.length ? t("Your turfs are saved on this phone for use without a connection.") : "";
      document.documentElement.dataset.offlineReady = "yes";
    })
    .catch(() => { status.textContent = navigator.onLine ? t("This phone could not save your turfs for offline use.") : ""; });
})();

// The phone's outbox: every contact is written to IndexedDB first and leaves only when the server has it.
// Sync sends batches to POST /api/v1/contacts; created and duplicate answers clear a contact, rejected ones
// move to a separate store the volunteer can show their organizer, and any failure (offline, 5xx, timeout)
// is retried with exponential backoff. A contact is never dropped on the phone's side.
//
// The outbox is per person: each contact is kept with its owner, the signed-in user who recorded it (the
// page's <body data-user-id>), and only that user's page reads, counts or sends it. On a shared phone the
// next volunteer never sends the last one's contacts: they wait for their owner to sign in again here, and
// every batch names its owner, so the server refuses it if the session belongs to someone else.
(function () {
  const DB_NAME = "fieldops";
  const DB_VERSION = 2;  // 1 kept no owner: see unowned() and claim()
  const LOCAL_FIELDS = ["queued_at", "address", "owner"];  // kept on the phone, never sent
  const BATCH = 20;
  const MAX_DELAY_MS = 5 * 60 * 1000;
  let database = null;
  let syncing = false;
  let failures = 0;
  let retryTimer = null;
  let config = null;
  const listeners = [];
  let lastState = { pending: 0, rejected: 0, status: "idle", message: "" };

  // The signed-in user of this page, or null (a page for nobody keeps and sends nothing).
  function owner() {
    const id = Number(document.body.dataset.userId);
    return Number.isInteger(id) && id > 0 ? id : null;
  }

  function open() {
    if (database) return Promise.resolve(database);
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        ["outbox", "rejected"].forEach((name) => {
          const store = db.objectStoreNames.contains(name) ? request.transaction.objectStore(name)
            : db.createObjectStore(name, { keyPath: "id" });
          // Contacts kept before version 2 have no owner, so this index leaves them out of every count.
          if (!store.indexNames.contains("owner")) store.createIndex("owner", "owner");
        });
      };
      request.onsuccess = () => { database = request.result; resolve(database); };
      request.onerror = () => reject(request.error);
    });
  }

  function run(storeNames, mode, work) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(storeNames, mode);
      let result;
      Promise.resolve(work(tx)).then((value) => { result = value; });
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  }

  // This user's contacts in a store: nobody else's.
  function all(storeName) {
    const me = owner();
    if (me === null) return Promise.resolve([]);
    return run([storeName], "readonly", (tx) => new Promise((resolve) => {
      const request = tx.objectStore(storeName).index("owner").getAll(me);
      request.onsuccess = () => resolve(request.result);
    }));
  }

  function add(contacts) {
    const me = owner();
    if (me === null) return Promise.reject(new Error("nobody is signed in on this page"));
    return run(["outbox"], "readwrite", (tx) => {
      const store = tx.objectStore("outbox");
      contacts.forEach((contact) => store.put({ ...contact, owner: me, queued_at: Date.now() }));
    }).then(() => { announce(); schedule(0); });
  }

  // Contacts an earlier version kept without their owner: never sent on their own. The page shows how
  // many wait and where; whoever recorded them may claim them (they are then theirs and are sent).
  function unowned() {
    return run(["outbox"], "readonly", (tx) => new Promise((resolve) => {
      const request = tx.objectStore("outbox").getAll();
      request.onsuccess = () => resolve(request.result.filter((c) => c.owner === undefined));
    }));
  }

  function claim() {
    const me = owner();
    if (me === null) return Promise.resolve();
    return unowned().then((contacts) => run(["outbox"], "readwrite", (tx) => {
      const store = tx.objectStore("outbox");
      contacts.forEach((contact) => store.put({ ...contact, owner: me }));
    })).then(() => { announce(); schedule(0); });
  }

  function settle(results, sent) {
    const byId = new Map(sent.map((c) => [c.id, c]));
    return run(["outbox", "rejected"], "readwrite", (tx) => {
      const outbox = tx.objectStore("outbox");
      const rejected = tx.objectStore("rejected");
      results.forEach((result) => {
        if (!result.id || !byId.has(result.id)) return;
        if (result.status === "created" || result.status === "duplicate") {
          outbox.delete(result.id);
        } else if (result.status === "rejected") {
          rejected.put({ ...byId.get(result.id), error: result.error });
          outbox.delete(result.id);
        }
      });
    });
  }

  function payload(contact) {
    const fields = { ...contact };
    LOCAL_FIELDS.forEach((name) => delete fields[name]);
    return fields;
  }

  async function syncNow() {
    if (syncing || !config || owner() === null) return;
    syncing = true;
    clearTimeout(retryTimer);
    try {
      for (;;) {
        const waiting = (await all("outbox")).sort((a, b) => a.queued_at - b.queued_at);
        if (!waiting.length) break;
        const batch = waiting.slice(0, BATCH);
        setStatus("syncing", "");
        const controller = new AbortController();
        const timeout = setTimeout(() => controller.abort(), 20000);
        let response;
        try {
          response = await fetch(config.url, {
            method: "POST", credentials: "same-origin", signal: controller.signal,
            headers: { "Content-Type": "application/json", "X-CSRFToken": config.csrf },
            body: JSON.stringify({ owner: owner(), contacts: batch.map(payload) }),
          });
        } finally {
          clearTimeout(timeout);
        }
        if (response.status === 401 || response.status === 403) {
          setStatus("signed-out", t("Sign in again to send the contacts waiting on this phone."));
          failures += 1;
          break;
        }
        if (response.status === 409) {  // the session is someone else's: these wait for their owner
          setStatus("signed-out", t("Someone else is signed in on this phone: these wait until you sign in again."));
          failures += 1;
          break;
        }
        if (!response.ok) throw new Error(t("the server answered %(status)s", { status: response.status }));
        const body = await response.json();
        await settle(body.results || [], batch);
        failures = 0;
      }
      if (failures === 0) setStatus("idle", "");
    } catch (error) {
      failures += 1;
      setStatus(navigator.onLine ? "retrying" : "offline", String(error.message || error));
    } finally {
      syncing = false;
      await announce();
      const left = lastState.pending;
      if (left && failures) schedule(Math.min(MAX_DELAY_MS, 2000 * 2 ** Math.min(failures, 8)) * (0.75 + Math.random() / 2));
    }
  }

  function schedule(delayMs) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(syncNow, delayMs);
  }

  function setStatus(status, message) {
    lastState = { ...lastState, status, message };
  }

  async function announce() {
    const [pending, rejected] = await Promise.all([all("outbox"), all("rejected")]);
    lastState = { ...lastState, pending: pending.length, rejected: rejected.length };
    listeners.forEach((listener) => listener(lastState, pending, rejected));
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  window.FieldopsOutbox = {
    start(options) {
      config = options;
      window.addEventListener("online", () => { failures = 0; syncNow(); });
      window.addEventListener("offline", () => { setStatus("offline", ""); announce(); });
      // A phone left open retries on its own, even if the "online" event never comes: as soon as it
      // reports a connection again, and every 30 s in any case.
      setInterval(() => {
        if (lastState.pending && !syncing && lastState.status === "offline" && navigator.onLine) {
          failures = 0;
          syncNow();
        }
      }, 2000);
      setInterval(() => { if (lastState.pending && !syncing) syncNow(); }, 30000);
      return announce().then(syncNow);
    },
    started: () => config !== null,
    owner,
    add,
    unowned,
    claim,
    syncNow: () => { failures = 0; return syncNow(); },
    pending: () => all("outbox"),
    rejected: () => all("rejected"),
    onChange(listener) { listeners.push(listener); },
    uuid,
  };
})();

/* Woonrust phone app. Forms marked data-outbox are kept in IndexedDB under their
 * submission id, sent, and deleted once the server answers; what waits is replayed on
 * start, on "online" and on return to the foreground (no Background Sync: Safari and
 * Firefox lack it). The server accepts each id once. See mobile/README.md. */
(() => {
  "use strict";
  const box = document.getElementById("outbox");
  if (!box) return;
  document.documentElement.classList.add("js");
  const T = box.dataset;
  const DB = "woonrust", STORE = "outbox", ROUNDS = "woonrust-rounds";
  const RETRY_MS = 20000, SENDING_MS = 120000;
  let token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];

  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const uuid = () => crypto.randomUUID ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
        (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  const today = () => {
    const d = new Date(), p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  };

  const open = () => new Promise((ok, fail) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: "id" });
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const tx = async (mode, fn) => {
    const db = await open();
    return new Promise((ok, fail) => {
      const t = db.transaction(STORE, mode), req = fn(t.objectStore(STORE));
      t.oncomplete = () => { db.close(); ok(req && req.result); };
      t.onerror = t.onabort = () => { db.close(); fail(t.error); };
    });
  };
  const put = (item) => tx("readwrite", (s) => s.put(item));
  const drop = (id) => tx("readwrite", (s) => s.delete(id));
  const all = () => tx("readonly", (s) => s.getAll()).catch(() => []);

  const send = (item, form) => new Promise((done) => {
    const body = new FormData();
    item.fields.forEach(([k, v]) => body.append(k, v));
    (item.photos || []).forEach((b, i) => body.append("photos", b, `photo-${i + 1}.jpg`));
    const x = new XMLHttpRequest();
    x.open("POST", item.url);
    x.setRequestHeader("X-Outbox", "1");
    x.setRequestHeader("X-CSRFToken", token);
    x.setRequestHeader("Idempotency-Key", item.id);
    x.timeout = 180000;
    const bar = form && form.querySelector("progress"), say = form && form.querySelector("[data-progress]");
    if (say) say.textContent = T.sending;
    if (bar && item.photos && item.photos.length) {
      bar.hidden = false;
      x.upload.onprogress = (e) => {
        if (!e.lengthComputable) return;
        bar.value = Math.round((100 * e.loaded) / e.total);
        say.textContent = `${T.sending} ${bar.value}%`;
      };
    }
    x.onload = () => done({ status: x.status, text: x.responseText });
    x.onerror = x.ontimeout = x.onabort = () => done({ status: 0 });
    x.send(body);
  });

  // Connection and session check; also the CSRF token, which changes at each sign-in.
  const ping = async () => {
    try {
      const r = await fetch(T.ping, { headers: { "X-Outbox": "1" }, cache: "no-store" });
      if (r.status === 204) { token = r.headers.get("X-CSRFToken") || token; return "ok"; }
      return r.status === 401 ? "signin" : "down";
    } catch (e) { return "down"; }
  };

  const deliver = async (item, form) => {
    let r = await send(item, form);
    if (r.status === 403 && (await ping()) === "ok") r = await send(item, form);
    if (r.status >= 200 && r.status < 300) {
      await drop(item.id);
      let answer = {};
      try { answer = JSON.parse(r.text); } catch (e) { /* an older server: no details */ }
      return { ok: true, url: answer.url || item.done, message: answer.message };
    }
    if (r.status === 0 || r.status >= 500 || r.status === 408 || r.status === 429) return { wait: true };
    if (r.status === 401 || r.status === 403) return { signin: true };
    return { refused: true, html: r.text };
  };

  const refusal = (html) => {
    const doc = new DOMParser().parseFromString(html || "", "text/html");
    const msgs = [...doc.querySelectorAll(".field-error, .error")].map((e) => e.textContent.trim());
    return msgs.filter(Boolean).join(" ") || T.refused;
  };

  let flushing = false, again = false;
  const flush = async () => {
    flushing = true;
    const sent = [];
    try {
      // Only this person's items: another person signed in on this phone never sends them.
      // Not what the page is sending right now (for two minutes: then it was cut off).
      const busy = (i) => i.state === "sending" && Date.now() - i.at < SENDING_MS;
      const items = (await all()).filter((i) => i.state !== "refused" && i.user === T.user && !busy(i));
      const state = items.length ? await ping() : "ok";
      for (const item of items) {
        if (state !== "ok") {
          if (state === "signin" && item.state !== "signin") { item.state = "signin"; await put(item); }
          continue;
        }
        const r = await deliver(item);
        if (r.ok) sent.push(item.label);
        if (r.wait) break;
        if (r.signin) { item.state = "signin"; await put(item); break; }
        if (r.refused) { item.state = "refused"; item.error = refusal(r.html); await put(item); }
      }
    } catch (e) { /* storage unavailable: nothing queued to send */ }
    flushing = false;
    await render();
    // What waited has gone: say so ("Verstuurd"), so nobody enters it twice.
    if (sent.length) {
      const p = el("p", `${T.sent}: ${sent.join(", ")}`, "flash sent");
      p.setAttribute("role", "status");
      box.after(p);
    }
    if (again) { again = false; replay(); }
  };
  // A replay asked for while one runs (the signal came back mid-way) runs right after it.
  const replay = () => {
    if (flushing) { again = true; return; }
    if (!navigator.locks) return flush();
    // One tab at a time; if another tab is sending, look again shortly.
    navigator.locks.request("woonrust-outbox", { ifAvailable: true }, (lock) =>
      lock ? flush() : setTimeout(replay, 2000));
  };

  const render = async () => {
    const items = await all();
    box.replaceChildren();
    box.hidden = !items.length;
    const list = document.getElementById("pending");
    if (list) list.replaceChildren();
    if (!items.length) { if (list) list.hidden = true; return; }
    const waiting = items.filter((i) => i.state !== "refused");
    if (waiting.length) box.append(el("p", (waiting.length === 1 ? T.waiting1 : T.waiting).replace("{n}", waiting.length)));
    if (waiting.some((i) => i.state === "signin" || i.user !== T.user)) box.append(el("p", T.signin));
    const ul = el("ul", "", "plain");
    for (const item of items) {
      const li = el("li", item.label);
      if (item.state === "refused") {
        li.append(el("span", ` — ${T.refused}: ${item.error}`, "error"));
        const b = el("button", T.delete, "link");
        b.type = "button";
        b.setAttribute("aria-label", `${T.delete}: ${item.label}`);
        b.onclick = async () => { await drop(item.id); render(); };
        li.append(" ", b);
      }
      ul.append(li);
    }
    box.append(ul);
    if (waiting.length) {
      const b = el("button", T.send, "secondary");
      b.type = "button";
      b.onclick = replay;
      box.append(b);
    }
    if (list) {
      const here = new URL(list.dataset.prefix || location.pathname, location.href).href;
      const mine = items.filter((i) => i.url.startsWith(here));
      mine.forEach((i) => list.append(el("li", `${i.label} — ${i.state === "refused" ? T.refused : T.queued}`)));
      list.hidden = !mine.length;
    }
  };


  const swapForm = (form, html) => {
    const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("form");
    if (!fresh) return form;
    const photos = form._photos;
    form.replaceWith(fresh);
    prepare(fresh);
    // photos.js shows the kept photos again in the new form.
    if (photos) { fresh._photos = photos; fresh.dispatchEvent(new Event("woonrust:photos")); }
    const first = fresh.querySelector("[aria-invalid=true]");
    if (first) first.focus();
    return fresh;
  };
  // Text limits: a counter under each limited field, a clear message when over it.
  const count = (f) => {
    const c = document.getElementById(`${f.id}_count`), max = +f.dataset.max;
    if (!c) return;
    const over = f.value.length > max;
    c.textContent = (over ? c.dataset.over : c.dataset.left).replace("{n}", f.value.length).replace("{max}", max);
    c.className = over ? "field-error count" : "sub count";
    f.toggleAttribute("aria-invalid", over);
  };
  document.addEventListener("input", (e) => { if (e.target.dataset && e.target.dataset.max) count(e.target); });
  document.addEventListener("submit", async (e) => {
    const form = e.target;
    if (form.matches("[data-signout]")) return signOut(e, form);
    if (!form.matches("[data-outbox]")) return;
    e.preventDefault();
    // A refused photo or a too-long text: the user sees why first, nothing goes silently.
    const stop = form.querySelector("[data-refused]:not([hidden]):not([data-seen]), .count.field-error");
    if (stop) {
      if (stop.matches("[data-refused]")) stop.dataset.seen = "1";
      stop.setAttribute("tabindex", "-1");
      stop.focus();
      return;
    }
    if (form.dataset.busy) return; // a double tap
    form.dataset.busy = "1";
    const sid = form.elements.submission_id;
    if (!sid.value) sid.value = uuid();
    if (form.elements.entered_at) form.elements.entered_at.value = new Date().toISOString();
    const fields = [];
    for (const [k, v] of new FormData(form)) {
      if (typeof v === "string" && k !== "csrfmiddlewaretoken") fields.push([k, v]);
    }
    const address = document.querySelector("[data-address]");
    const item = {
      id: sid.value,
      url: form.action,
      done: new URL(form.dataset.done || ".", location.href).href,
      label: form.dataset.label + (form.hasAttribute("data-add-address") && address ? ` · ${address.textContent.trim()}` : ""),
      fields,
      photos: form._photos || [],
      user: T.user,
      at: Date.now(),
      state: "sending",
    };
    let kept = true;
    // Ask the browser not to evict the queue under storage pressure (Safari does).
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    try { await put(item); } catch (err) { kept = false; box.hidden = false; box.textContent = T.full; }
    const r = await deliver(item, form);
    if (r.ok) {
      if (r.message) sessionStorage.setItem("woonrust-flash", r.message);
      location.assign(r.url);
      return;
    }
    if (r.refused) {
      await drop(item.id);
      swapForm(form, r.html);
      return;
    }
    if (!kept) { delete form.dataset.busy; return; }
    item.state = r.signin ? "signin" : "waiting";
    await put(item).catch(() => {});
    sessionStorage.setItem("woonrust-flash", T.saved);
    location.assign(item.done);
  });

  // Sign-out wipes the phone; unsent work only after a warning.
  const wipe = async () => {
    await new Promise((ok) => { const r = indexedDB.deleteDatabase(DB); r.onsuccess = r.onerror = r.onblocked = ok; });
    if (window.caches) for (const k of await caches.keys()) await caches.delete(k);
    if (navigator.serviceWorker) for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
    sessionStorage.clear();
  };
  const signOut = async (e, form) => {
    if (form.dataset.wiped) return;
    e.preventDefault();
    const unsent = (await all()).length;
    if (unsent && !form.dataset.warned) {
      form.dataset.warned = "1";
      const warning = el("p", form.dataset.warn.replace("{n}", unsent), "error");
      warning.setAttribute("role", "alert");
      box.before(warning); // not in the banner, which redraws as items go out
      return;
    }
    try { await wipe(); } catch (err) { /* Clear-Site-Data on the answer does it too */ }
    form.dataset.wiped = "1";
    form.submit();
  };

  const prepare = (root) => {
    for (const i of root.querySelectorAll("input[data-today]")) i.value = today();
    for (const f of root.querySelectorAll("form[data-outbox]")) {
      if (!f.elements.submission_id.value) f.elements.submission_id.value = uuid();
    }
  };
  const dwellingId = (location.pathname.match(/\/d\/(\d+)\//) || [])[1];
  const fillAddress = async () => {
    const slot = document.querySelector("[data-address]");
    if (!dwellingId || !slot || !window.caches) return;
    const actions = document.querySelector("[data-offline-actions]");
    if (actions) {
      const base = location.pathname.replace(/(\/d\/\d+\/).*/, "$1");
      for (const a of actions.querySelectorAll("a[data-rel]")) a.href = base + a.dataset.rel;
      actions.hidden = false;
      const list = document.getElementById("pending");
      if (list) list.dataset.prefix = base;
    }
    if (slot.textContent.trim() && !actions) return;
    // From the kept round: the address's own page (residents' details) is never kept.
    const cache = await caches.open(ROUNDS);
    for (const req of await cache.keys()) {
      const html = await (await cache.match(req)).text();
      const a = new DOMParser().parseFromString(html, "text/html").querySelector(`a[href$="/d/${dwellingId}/"] .addr`);
      if (a) { slot.textContent = a.textContent.trim(); return; }
    }
  };

  // Without signal the search looks through the addresses already on the page.
  document.addEventListener("htmx:sendError", (e) => {
    const input = e.detail.elt;
    if (!input.matches || !input.matches("input[type=search]")) return;
    const q = input.value.trim().toLowerCase(), scope = input.closest("section") || document;
    for (const a of scope.querySelectorAll("li > a.row")) {
      a.parentNode.hidden = q && !a.textContent.toLowerCase().includes(q);
    }
    input.setAttribute("title", input.dataset.nosignal);
  });

  prepare(document);
  fillAddress().catch(() => {}).then(render);
  const flash = sessionStorage.getItem("woonrust-flash");
  if (flash) {
    sessionStorage.removeItem("woonrust-flash");
    box.after(el("p", flash, "flash"));
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(T.sw, { scope: T.scope }).catch(() => {});
  }
  replay();
  addEventListener("online", replay);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) replay(); });
  setInterval(() => { if (!document.hidden) replay(); }, RETRY_MS);
})();

/* Woonrust service worker, scope /m/ (served by mobile.views.app.service_worker, which
 * fills in SHELL and VERSION).
 *
 * Keeps: the app shell (static files, the offline page and the four forms without an
 * address) and the round pages opened today. Does not keep: an address's own page, care
 * needs, photos — they hold personal data that offline work does not need. Submissions
 * are not handled here: the page's outbox keeps and replays them.
 */
"use strict";
const VERSION = "__VERSION__";
const SHELL = "__SHELL__";
const STATIC = `woonrust-shell-${VERSION}`;
const ROUNDS = "woonrust-rounds";
const SCOPE = new URL(self.registration.scope).pathname;
// On one bar of signal the network is tried this long before a kept round is shown.
const PATIENCE_MS = 4000;

const today = () => new Date().toLocaleDateString("sv"); // YYYY-MM-DD, the phone's day
const isRound = (url) => !url.search && (url.pathname === SCOPE || /^\/m\/p\/\d+\/$/.test(url.pathname));
const isStatic = (url) => SHELL.includes(url.pathname) && !url.pathname.startsWith(SCOPE);

// A copy without a URL, so the page keeps the address the phone asked for, and stamped
// with the day it was kept.
const copy = async (response, day) => {
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  if (day) headers.set("X-Kept-On", day);
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
};

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC);
    await Promise.all(SHELL.map(async (url) => {
      const r = await fetch(url, { cache: "reload", credentials: "same-origin" });
      if (r.ok && !r.redirected) await cache.put(url, await copy(r));
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("woonrust-shell-") && key !== STATIC) await caches.delete(key);
    }
    await forgetOldRounds();
    await self.clients.claim();
  })());
});

async function forgetOldRounds() {
  const cache = await caches.open(ROUNDS), day = today();
  for (const req of await cache.keys()) {
    const r = await cache.match(req);
    if (!r || r.headers.get("X-Kept-On") !== day) await cache.delete(req);
  }
}

async function keptRound(url) {
  const r = await (await caches.open(ROUNDS)).match(url);
  return r && r.headers.get("X-Kept-On") === today() ? r : undefined;
}

async function round(event) {
  const url = event.request.url;
  const network = fetch(event.request).then((r) => {
    if (r.ok && !r.redirected) {
      const kept = r.clone(); // now: the page reads the original right away
      event.waitUntil((async () => {
        const cache = await caches.open(ROUNDS);
        await cache.put(url, await copy(kept, today()));
        await forgetOldRounds();
      })());
    }
    return r;
  });
  const slow = new Promise((ok) => setTimeout(ok, PATIENCE_MS)).then(() => keptRound(url));
  try {
    return (await Promise.race([network, slow])) || (await network);
  } catch (e) {
    return (await keptRound(url)) || offlinePage(new URL(url));
  }
}

async function offlinePage(url) {
  const cache = await caches.open(STATIC);
  const form = url.pathname.match(/\/d\/\d+\/(visit|promise|complaint|claim)\/$/);
  const shell = form && SHELL.find((u) => u.endsWith(`/forms/${form[1]}/`));
  const page = (shell && (await cache.match(shell))) || (await cache.match(SHELL.find((u) => u.endsWith("/offline/"))));
  return page ? copy(page) : Response.error();
}

self.addEventListener("fetch", (event) => {
  const req = event.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin) return;
  if (isStatic(url)) {
    event.respondWith(caches.match(url.pathname).then((r) => r || fetch(req)));
  } else if (req.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    event.respondWith(isRound(url) ? round(event) : fetch(req).catch(() => offlinePage(url)));
  }
  // Everything else (htmx fragments, photos, posts) goes to the network as it is.
});

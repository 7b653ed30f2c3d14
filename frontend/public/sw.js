// App-shell service worker: the portal opens from the home screen and shows a clear offline state.
// Pages: network first, falling back to the cached shell, then to offline.html.
// Hashed build assets (/assets/*): cache first (their names change whenever their content does).
// The API and the socket are never cached: live data must come from the server or fail visibly.

const SHELL_CACHE = "medianest-shell-v1";
const ASSET_CACHE = "medianest-assets-v1";
const SHELL_URLS = [
  "/",
  "/offline.html",
  "/static.css",
  "/manifest.webmanifest",
  "/icons/icon.svg",
  "/icons/icon-192.png",
];

/** The /assets/ files the current index.html loads, so a first visit can already go offline. */
function assetsIn(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) found.add(match[1]);
  return [...found];
}

/**
 * Caches the assets this index.html needs and, when it is a new build, drops those of older
 * builds. Pages load their own chunks later (cached by cacheFirst); they are kept while the build
 * stays the same, so a page visited once also opens offline.
 */
async function adoptShell(html) {
  const assets = assetsIn(html);
  const assetCache = await caches.open(ASSET_CACHE);
  const cached = new Set((await assetCache.keys()).map((request) => new URL(request.url).pathname));
  if (assets.length > 0 && assets.every((path) => cached.has(path))) return;
  await assetCache.addAll(assets);
  for (const request of await assetCache.keys()) {
    if (!assets.includes(new URL(request.url).pathname)) await assetCache.delete(request);
  }
}

async function precache() {
  const shell = await caches.open(SHELL_CACHE);
  await shell.addAll(SHELL_URLS);
  const index = await shell.match("/");
  if (index) await adoptShell(await index.text());
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("medianest-") && name !== SHELL_CACHE && name !== ASSET_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function networkFirstPage(event) {
  try {
    const response = await fetch(event.request);
    // Every route is the same index.html: keep the newest copy as the offline shell. Its sw.js
    // does not change between builds, so a new build is adopted here rather than at install.
    if (response.ok && (response.headers.get("content-type") || "").includes("text/html")) {
      const copy = response.clone();
      const saving = copy
        .text()
        .then(async (html) => {
          const cache = await caches.open(SHELL_CACHE);
          await cache.put("/", new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
          await adoptShell(html);
        })
        .catch(() => {});
      event.waitUntil(saving);
    }
    return response;
  } catch {
    return (await caches.match("/")) || (await caches.match("/offline.html")) || Response.error();
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(ASSET_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/ws") return;

  if (request.mode === "navigate") {
    // The Plex popup page must always be fresh and never turn into the app shell.
    if (url.pathname === "/plex-loading.html") return;
    event.respondWith(networkFirstPage(event));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (SHELL_URLS.includes(url.pathname)) {
    // Stale while revalidate: answer from the cache at once, refresh it for next time.
    const fresh = fetch(request).then(async (response) => {
      if (response.ok) await (await caches.open(SHELL_CACHE)).put(request, response.clone());
      return response;
    });
    event.waitUntil(fresh.catch(() => {}));
    event.respondWith(caches.match(request).then((cached) => cached || fresh));
  }
});

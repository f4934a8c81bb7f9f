/* SCBI's service worker: the quick log and its assets open without a connection.
   Static files (content-hashed names) come from the cache first; the quick log, a coach's
   pairings and home come from the network, and from the cache when there is none (the
   home page fetches its pairings' pages ahead, so they are kept before they are opened).
   Signing out deletes the cache (offline.js). */
const CACHE = "scbi-offline-v1";
const KEPT = [/^\/$/, /^\/pairings$/, /^\/pairings\/\d+$/, /^\/pairings\/\d+\/logs\/new$/];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/bootstrap/static/")) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request).then(
          (hit) =>
            hit ||
            fetch(request).then((response) => {
              if (response.ok) cache.put(request, response.clone());
              return response;
            })
        )
      )
    );
    return;
  }
  if (KEPT.some((pattern) => pattern.test(url.pathname))) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() =>
          caches.match(request).then(
            (hit) =>
              hit ||
              new Response("Offline: this page has not been opened on this phone yet.", {
                status: 503,
                headers: { "Content-Type": "text/plain; charset=utf-8" },
              })
          )
        )
    );
  }
});

/* On every page: the service worker that keeps the quick log for offline use, and
   signing out clears what this phone keeps (the entries waiting, the pages cached). */
(function () {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
    // Online, a page listing pairings fetches each one's page and quick log ahead, so the
    // service worker keeps them (with the plan's competencies) for a day without signal.
    navigator.serviceWorker.ready.then(() => {
      if (!navigator.onLine || !navigator.serviceWorker.controller) return;
      const pairings = new Set();
      document.querySelectorAll("a[href]").forEach((link) => {
        const path = new URL(link.href, window.location.href).pathname;
        if (/^\/pairings\/\d+$/.test(path)) pairings.add(path);
      });
      [...pairings].slice(0, 20).forEach((path) => {
        fetch(path, { credentials: "same-origin" }).catch(() => {});
        fetch(`${path}/logs/new`, { credentials: "same-origin" }).catch(() => {});
      });
    });
  }
  document.querySelectorAll("form[data-clears-phone]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.cleared) return;
      event.preventDefault();
      const done = () => {
        if (form.dataset.cleared) return;
        form.dataset.cleared = "1";
        form.submit();
      };
      setTimeout(done, 3000); // signing out never waits on a slow or stuck clean-up
      const deletions = [];
      if (window.indexedDB) {
        deletions.push(
          new Promise((resolve) => {
            const request = indexedDB.deleteDatabase("scbi-quick-log");
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          })
        );
      }
      if (window.caches) {
        deletions.push(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
      }
      Promise.all(deletions).then(done, done);
    });
  });
})();

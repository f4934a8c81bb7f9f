/* On every page: the service worker that keeps the quick log for offline use, and
   signing out clears what this phone keeps (the entries waiting, the pages cached). */
(function () {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
  document.querySelectorAll("form[data-clears-phone]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.cleared) return;
      event.preventDefault();
      const done = () => {
        form.dataset.cleared = "1";
        form.submit();
      };
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

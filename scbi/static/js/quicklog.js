/* The quick log offline: without a connection, "Save" keeps the entry on this phone
   (IndexedDB, its photos and files included) and it is sent by itself when the phone is
   online again, or with "Send now". Each entry carries the key the form was shown with,
   so a resend never makes a second log. An entry the server refuses stays, with its
   message, and can be put back in the form. */
(function () {
  const form = document.querySelector("form[data-offline-queue]");
  const panel = document.getElementById("waiting-entries");
  if (!form || !panel || !window.indexedDB) return;
  const text = panel.dataset;
  const DB = "scbi-quick-log";
  const STORE = "entries";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request && request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const all = () => run("readonly", (store) => store.getAll());
  const keep = (entry) => run("readwrite", (store) => store.put(entry));
  const drop = (key) => run("readwrite", (store) => store.delete(key));

  function newKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function entryOf(submitter) {
    const fields = [];
    for (const [name, value] of new FormData(form, submitter)) {
      if (value instanceof File) {
        if (value.name) fields.push([name, { blob: value, name: value.name }]);
      } else {
        fields.push([name, value]);
      }
    }
    return {
      key: form.elements.client_key.value,
      action: form.action || window.location.href,
      title: form.elements.title.value,
      day: form.elements.activity_date.value,
      fields: fields,
      error: null,
    };
  }

  function messagesOf(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const found = [...page.querySelectorAll(".invalid-feedback, .alert-danger")]
      .map((el) => el.textContent.trim())
      .filter(Boolean);
    return found.join(" ") || text.refused;
  }

  async function send() {
    if (!navigator.onLine) return;
    for (const entry of await all()) {
      if (entry.error) continue;
      const body = new FormData();
      for (const [name, value] of entry.fields) {
        if (value && value.blob) body.append(name, value.blob, value.name);
        else body.append(name, value);
      }
      let response;
      try {
        response = await fetch(entry.action, { method: "POST", body, credentials: "same-origin" });
      } catch (error) {
        break; // still no connection: later
      }
      if (response.ok && response.redirected && /\/logs\/\d+$/.test(new URL(response.url).pathname)) {
        await drop(entry.key);
      } else if (response.status >= 400 && response.status < 500) {
        entry.error = messagesOf(await response.text());
        await keep(entry);
      } else {
        break; // the server's trouble: later
      }
    }
    await show();
  }

  function putBack(entry) {
    for (const [name, value] of entry.fields) {
      const field = form.elements[name];
      if (!field || (value && value.blob) || name === "csrf_token") continue;
      if (field instanceof RadioNodeList || field.type === "checkbox" || field.type === "radio") {
        const inputs = field instanceof RadioNodeList ? [...field] : [field];
        inputs.forEach((input) => {
          if (input.value === value) input.checked = true;
        });
      } else if (field.tagName === "SELECT" && field.multiple) {
        [...field.options].forEach((option) => {
          if (option.value === value) option.selected = true;
        });
      } else {
        field.value = value;
      }
    }
    form.elements.client_key.value = newKey();
    return drop(entry.key).then(show);
  }

  async function show() {
    const entries = await all();
    const list = panel.querySelector("ul");
    list.replaceChildren();
    for (const entry of entries) {
      const item = document.createElement("li");
      item.className = "list-group-item";
      item.textContent = `${entry.day} · ${entry.title}`;
      if (entry.error) {
        const why = document.createElement("div");
        why.className = "text-danger small";
        why.textContent = entry.error;
        const again = document.createElement("button");
        again.type = "button";
        again.className = "btn btn-sm btn-outline-primary mt-1";
        again.textContent = text.putBack;
        again.addEventListener("click", () => putBack(entry));
        item.append(why, again);
      }
      list.append(item);
    }
    panel.hidden = entries.length === 0;
  }

  const LIMIT = 10 * 1024 * 1024; // the server's limit for each file
  form.addEventListener("submit", async (event) => {
    if (navigator.onLine) return; // sent as usual
    event.preventDefault();
    const status = document.getElementById("offline-status");
    const files = [...form.querySelectorAll('input[type="file"]')].flatMap((i) => [...i.files]);
    if (files.some((file) => file.size > LIMIT)) {
      status.textContent = text.tooLarge;
      status.hidden = false;
      return; // nothing kept: the entry stays in the form, to choose a smaller file
    }
    await keep(entryOf(event.submitter));
    form.elements.client_key.value = newKey();
    form.elements.title.value = "";
    form.elements.description.value = "";
    form.querySelectorAll('input[type="file"]').forEach((input) => (input.value = ""));
    status.textContent = text.saved;
    status.hidden = false;
    await show();
  });
  panel.querySelector("[data-send-now]").addEventListener("click", send);
  window.addEventListener("online", send);
  show().then(send);
})();

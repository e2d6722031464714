// Offline use of a saved course, on signed-in pages. Everything here is an addition: without this script (or in a
// browser without service workers) every page and form works as before.
// 1. Course page: save the course on this device (its manifest lists the pages and files), show the size before
//    and the space used after, save again when the course version or the reading language changes, remove it.
//    The pages are fetched by this page and kept in a cache "lumos-course:<slug>:<version>:<lang>"; /sw.js answers
//    from it when the network is gone.
// 2. Lessons: a quiz submitted or a module marked as read while offline is kept in localStorage, with the form's
//    fields (the quiz's one-time token among them), and sent when the connection returns. The server records an
//    attempt once per token, so a second send changes nothing. A refusal is shown and kept until dismissed.
// 3. Every signed-in page lists what is waiting to be sent; the offline page lists what is saved.
// 4. Signing out removes the saved copies from the device.
(function () {
  "use strict";
  if (!window.fetch || !window.Promise || !window.FormData || !window.localStorage) { return; }
  var QUEUE_KEY = "lumos-offline-queue";
  var CACHE_PREFIX = "lumos-course:";
  var canSave = "serviceWorker" in navigator && "caches" in window;
  var queueStrings = document.getElementById("offline-queue-strings");
  var sending = false;

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }
  function megabytes(bytes) {
    var number = bytes / 1e6;
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined,
        { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(number);
    } catch (e) { return number.toFixed(1); }
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }
  // `hidden` alone loses to the stylesheet's `.button { display: inline-block }`: set both.
  function show(node, visible) {
    node.hidden = !visible;
    node.style.display = visible ? "" : "none";
  }
  function courseCaches(slug) {
    return caches.keys().then(function (names) {
      return names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0 && (!slug || name.split(":")[1] === slug);
      });
    });
  }
  function savedManifest(cacheName) {
    return caches.open(cacheName).then(function (cache) {
      return cache.keys().then(function (requests) {
        var key = requests.filter(function (r) { return /\/offline\.json$/.test(new URL(r.url).pathname); })[0];
        return key ? cache.match(key).then(function (r) { return r.json(); }) : null;
      });
    });
  }

  // ---- What is waiting to be sent ----
  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY)) || []; } catch (e) { return []; }
  }
  function storeQueue(queue) { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); }
  function updateItem(id, changes) {
    var queue = loadQueue();
    queue.forEach(function (item) { if (item.id === id) { Object.assign(item, changes); } });
    storeQueue(queue);
  }

  function showQueue() {
    if (!queueStrings) { return; }
    var s = queueStrings.dataset;
    var queue = loadQueue();
    var panel = document.getElementById("offline-queue");
    if (!queue.length) { if (panel) { panel.remove(); } return; }
    if (!panel) {
      panel = element("section", "offline-queue notice");
      panel.id = "offline-queue";
      panel.setAttribute("aria-labelledby", "offline-queue-heading");
      var main = document.getElementById("main");
      if (!main) { return; }
      main.insertBefore(panel, main.firstChild);
    }
    panel.textContent = "";
    var heading = element("h2", null, s.heading);
    heading.id = "offline-queue-heading";
    panel.appendChild(heading);
    panel.appendChild(element("p", null, s.intro));
    var live = element("div");
    live.setAttribute("role", "status");  // on a wrapper: a list with role=status would stop being a list
    var list = element("ul");
    live.appendChild(list);
    queue.forEach(function (item) {
      var entry = element("li");
      entry.dataset.state = item.state;
      var label = element("a", null, fill(item.kind === "read" ? s.read : s.quiz, { title: item.title }));
      label.href = item.page;
      entry.appendChild(label);
      var state = { waiting: s.waiting, sending: s.sending, sent: s.sent, signedOut: s.signedOut,
        refused: fill(s.refused, { reason: item.reason || "" }) }[item.state] || s.waiting;
      entry.appendChild(document.createTextNode(" — "));
      entry.appendChild(element("span", "offline-state", state));
      if (item.state === "sent" && item.result) {
        var result = element("a", null, s.seeResult);
        result.href = item.result;
        entry.appendChild(document.createTextNode(" "));
        entry.appendChild(result);
      }
      if (item.state === "refused") {
        var dismiss = element("button", "button button-secondary", s.dismiss);
        dismiss.type = "button";
        dismiss.addEventListener("click", function () {
          storeQueue(loadQueue().filter(function (other) { return other.id !== item.id; }));
          showQueue();
        });
        entry.appendChild(document.createTextNode(" "));
        entry.appendChild(dismiss);
      }
      list.appendChild(entry);
    });
    panel.appendChild(live);
  }

  function keepForLater(event) {
    if (navigator.onLine || !queueStrings) { return; }
    var form = event.target;
    var kind = form.id === "quiz-form" ? "quiz" : form.classList.contains("lesson-done") ? "read" : null;
    if (!kind) { return; }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) { data.set(event.submitter.name, event.submitter.value); }
    var fields = [];
    data.forEach(function (value, name) { if (typeof value === "string") { fields.push([name, value]); } });
    // form.action would name the buttons called "action" (the quiz has two): read the attribute.
    var action = new URL(form.getAttribute("action") || location.href, location.href).pathname;
    var heading = document.querySelector("article h1, main h1");
    // A second submit of the same form replaces the first: the latest answers are the ones meant.
    var queue = loadQueue().filter(function (item) { return !(item.action === action && item.state !== "refused"); });
    queue.push({
      id: String(Date.now()) + Math.random().toString(16).slice(2),
      kind: kind, action: action, page: location.pathname, title: heading ? heading.textContent.trim() : action,
      fields: fields, state: "waiting", queuedAt: new Date().toISOString()
    });
    storeQueue(queue);
    var note = form.querySelector(".offline-kept") || element("p", "notice offline-kept");
    note.setAttribute("role", "status");
    note.textContent = kind === "quiz" ? queueStrings.dataset.keptQuiz : queueStrings.dataset.keptRead;
    form.appendChild(note);
    showQueue();
  }

  function reasonFrom(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var message = doc.querySelector("main h1 + p") || doc.querySelector("main p");
    return message ? message.textContent.trim() : "";
  }
  function isSignIn(response) { return /\/auth\/login/.test(new URL(response.url).pathname); }

  function sendOne(item) {
    updateItem(item.id, { state: "sending" });
    showQueue();
    // A fresh CSRF token from the lesson page: the one kept with the answers may belong to an older session.
    return fetch(item.page, { credentials: "same-origin", cache: "no-store" }).then(function (page) {
      if (isSignIn(page)) { return { state: "signedOut" }; }
      if (!page.ok) { return { state: "waiting" }; }
      return page.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var token = doc.querySelector("input[name=csrf_token]");
        var body = new FormData();
        item.fields.forEach(function (field) {
          body.append(field[0], field[0] === "csrf_token" && token ? token.value : field[1]);
        });
        return fetch(item.action, { method: "POST", body: body, credentials: "same-origin", cache: "no-store" });
      }).then(function (response) {
        if (isSignIn(response)) { return { state: "signedOut" }; }
        if (response.ok) {
          var result = /\/attempts\/\d+$/.test(new URL(response.url).pathname) ? response.url : null;
          return { state: "sent", result: result };
        }
        if (response.status >= 400 && response.status < 500) {
          return response.text().then(function (html) { return { state: "refused", reason: reasonFrom(html) }; });
        }
        return { state: "waiting" };
      });
    }).catch(function () { return { state: "waiting" }; }).then(function (outcome) {
      updateItem(item.id, outcome);
      return outcome;
    });
  }

  // The "kept on this device" note under a form is true only while its answers wait: once they are sent it
  // would tell an online learner that they are offline.
  function clearKeptNotes() {
    var pending = loadQueue().filter(function (item) {
      return item.state === "waiting" || item.state === "sending" || item.state === "signedOut";
    }).map(function (item) { return item.action; });
    Array.prototype.forEach.call(document.querySelectorAll(".offline-kept"), function (note) {
      var form = note.closest("form");
      var action = form ? new URL(form.getAttribute("action") || location.href, location.href).pathname : null;
      if (pending.indexOf(action) === -1) { note.remove(); }
    });
  }

  function sendAll() {
    if (sending || !navigator.onLine) { return; }
    var waiting = loadQueue().filter(function (item) {
      return item.state === "waiting" || item.state === "sending" || item.state === "signedOut";
    });
    if (!waiting.length) { clearKeptNotes(); showQueue(); return; }
    sending = true;
    var run = function () {
      return waiting.reduce(function (previous, item) {
        return previous.then(function () { return sendOne(item); });
      }, Promise.resolve());
    };
    // One tab sends at a time (the token would make a second send harmless, but not silent).
    var locked = navigator.locks ? navigator.locks.request("lumos-offline-send", run) : run();
    var done = function () { sending = false; clearKeptNotes(); showQueue(); };
    locked.then(done, done);
  }

  // ---- The course page: save, update, remove ----
  function coursePanel(panel) {
    var d = panel.dataset;
    var status = panel.querySelector(".offline-status");
    var saveButton = panel.querySelector("[data-action=save]");
    var removeButton = panel.querySelector("[data-action=remove]");
    panel.hidden = false;
    show(removeButton, false);

    function say(text) { status.textContent = text; }
    function showSaved(manifest, updated) {
      show(saveButton, false);
      show(removeButton, true);
      var text = fill(d.saved, { version: manifest.version, size: fill(d.size, { size: megabytes(manifest.savedBytes) }) });
      if (updated) { text = fill(d.updated, { version: manifest.version }) + " " + text; }
      say(text);
      if (navigator.storage && navigator.storage.estimate) {
        navigator.storage.estimate().then(function (estimate) {
          say(text + " " + fill(d.used, { size: fill(d.size, { size: megabytes(estimate.usage || 0) }) }));
        });
      }
    }
    function showNotSaved() { show(saveButton, true); show(removeButton, false); }

    function save(updating) {
      saveButton.disabled = true;
      var manifest;
      var cacheName;
      return fetch(d.manifest, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (!response.ok) { throw new Error("manifest " + response.status); }
        return response.json();
      }).then(function (json) {
        manifest = json;
        cacheName = CACHE_PREFIX + manifest.course + ":" + manifest.version + ":" + manifest.language;
        return caches.delete(cacheName).then(function () { return caches.open(cacheName); });
      }).then(function (cache) {
        var urls = manifest.pages.concat(manifest.files).map(function (item) { return item.url; });
        var done = 0;
        var saved = 0;
        var next = 0;
        function worker() {
          if (next >= urls.length) { return Promise.resolve(); }
          var url = urls[next++];
          return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
            if (!response.ok || response.redirected) { throw new Error(url + " " + response.status); }
            return response.clone().blob().then(function (blob) {
              saved += blob.size;
              return cache.put(url, response);
            });
          }).then(function () {
            done += 1;
            if (!updating) { say(fill(d.saving, { done: done, total: urls.length })); }
            return worker();
          });
        }
        return Promise.all([worker(), worker(), worker()]).then(function () {
          manifest.savedBytes = saved;
          manifest.savedAt = new Date().toISOString();
          return cache.put(d.manifest, new Response(JSON.stringify(manifest), { headers: { "Content-Type": "application/json" } }));
        });
      }).then(function () {
        // The worker is registered once there is something for it to serve (and the first save's requests go
        // straight to the network, as the slow-3G benchmark measures them).
        return navigator.serviceWorker.register("/sw.js");
      }).then(function () {
        // The new copy is complete: only now do older versions or languages of this course go.
        return courseCaches(manifest.course).then(function (names) {
          return Promise.all(names.filter(function (name) { return name !== cacheName; }).map(function (name) { return caches.delete(name); }));
        });
      }).then(function () {
        if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
        saveButton.disabled = false;
        panel.dataset.savedVersion = manifest.version;
        showSaved(manifest, updating);
      }).catch(function () {
        saveButton.disabled = false;
        if (cacheName) { caches.delete(cacheName); }
        if (updating) { say(d.updateFailed); } else { say(d.failed); showNotSaved(); }
      });
    }

    function remove() {
      courseCaches(d.course).then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }).then(function () { return caches.keys(); }).then(function (names) {
        var left = names.some(function (name) { return name.indexOf(CACHE_PREFIX) === 0; });
        if (!left && navigator.serviceWorker.getRegistration) {
          navigator.serviceWorker.getRegistration("/").then(function (registration) { if (registration) { registration.unregister(); } });
        }
        delete panel.dataset.savedVersion;
        showNotSaved();
        say(d.removed);
        saveButton.focus();
      });
    }

    saveButton.addEventListener("click", function () { save(false); });
    removeButton.addEventListener("click", remove);

    courseCaches(d.course).then(function (names) {
      if (!names.length) { showNotSaved(); if (!navigator.onLine) { say(d.offline); } return; }
      return savedManifest(names[0]).then(function (manifest) {
        if (!manifest) { showNotSaved(); return; }
        panel.dataset.savedVersion = manifest.version;
        showSaved(manifest, false);
        if (!navigator.onLine) { say(d.offline); return; }
        if (manifest.version !== d.version || manifest.language !== d.language) { return save(true); }
      });
    });
  }

  // ---- The offline page: what this device holds ----
  function listSaved(container) {
    var d = container.dataset;
    var status = container.querySelector(".offline-pages-status");
    if (!("caches" in window)) { status.textContent = d.empty; return; }
    courseCaches().then(function (names) {
      return Promise.all(names.map(savedManifest));
    }).then(function (manifests) {
      manifests = manifests.filter(Boolean);
      if (!manifests.length) { status.textContent = d.empty; return; }
      manifests.forEach(function (manifest) {
        var heading = element("h3", null, manifest.title);
        heading.lang = manifest.language;
        container.appendChild(heading);
        container.appendChild(element("p", "meta", fill(d.version, { version: manifest.version })));
        var list = element("ul");
        manifest.pages.forEach(function (page) {
          if (!page.title) { return; }
          var item = element("li");
          var link = element("a", null, page.title);
          link.href = page.url;
          link.lang = manifest.language;
          item.appendChild(link);
          list.appendChild(item);
        });
        container.appendChild(list);
      });
    });
  }

  // Signing out removes the saved courses: their pages show this learner's progress, and the device may be shared.
  // Answers still waiting stay: they are sent after the next sign-in, or shown as refused.
  function forgetOnSignOut(event) {
    var form = event.target;
    if (!window.caches || form.dataset.forgotten || !/\/auth\/logout$/.test(form.getAttribute("action") || "")) { return; }
    event.preventDefault();
    courseCaches().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }).catch(function () {}).then(function () {
      form.dataset.forgotten = "1";
      form.submit();
    });
  }

  document.addEventListener("submit", forgetOnSignOut);
  document.addEventListener("submit", keepForLater, true);
  window.addEventListener("online", sendAll);
  var panel = document.getElementById("offline-panel");
  if (panel && canSave) { coursePanel(panel); }
  var savedList = document.getElementById("offline-pages");
  if (savedList) { listSaved(savedList); }
  // Sent items are shown on the page where they were sent, and leave the list on the next page.
  storeQueue(loadQueue().filter(function (item) { return item.state !== "sent"; }));
  showQueue();
  sendAll();
})();

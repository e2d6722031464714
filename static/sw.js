// Lumos Learn service worker: serves saved courses when the network is gone. Served at /sw.js (scope: the site).
// The page saves a course (static/js/offline.js puts its pages and files in a cache named "lumos-course:<slug>");
// this worker only answers from those caches when the network fails, so online nothing changes:
// - pages: the network first (a saved copy is refreshed on the way), else the saved copy, else the offline page
//   in the page's language, which lists what is saved;
// - /static/ (content-hashed, never changes) and /media/ files: the saved copy first, else the network.
// Forms (POST) are never touched: offline.js keeps answers given offline and sends them when the network returns.
"use strict";

var PREFIX = "lumos-course:";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function courseCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PREFIX) === 0; });
  });
}

function saved(request) {
  return courseCaches().then(function (names) {
    return names.reduce(function (found, name) {
      return found.then(function (response) {
        if (response) { return response; }
        return caches.open(name).then(function (cache) { return cache.match(request, { ignoreVary: true }); });
      });
    }, Promise.resolve(undefined));
  });
}

// A saved page that the network has just served again is refreshed in every cache that holds it.
function refresh(request, response) {
  return courseCaches().then(function (names) {
    return Promise.all(names.map(function (name) {
      return caches.open(name).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (old) {
          if (old) { return cache.put(request.url, response.clone()); }
        });
      });
    }));
  });
}

function offlinePage(url) {
  var lang = url.pathname.split("/")[1] || "en";
  return saved(new Request("/" + lang + "/offline/")).then(function (page) {
    if (page) { return page; }
    return courseCaches().then(function (names) {
      if (!names.length) { return Response.error(); }
      return caches.open(names[0]).then(function (cache) {
        return cache.keys().then(function (requests) {
          var offline = requests.filter(function (r) { return /^\/[a-z]{2}\/offline\/$/.test(new URL(r.url).pathname); })[0];
          return offline ? cache.match(offline) : Response.error();
        });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/media/") === 0) {
    event.respondWith(saved(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && response.type === "basic" && !response.redirected) {
          event.waitUntil(refresh(request, response.clone()));
        }
        return response;
      }).catch(function () {
        return saved(request).then(function (hit) { return hit || offlinePage(url); });
      })
    );
    return;
  }
  event.respondWith(fetch(request).catch(function () {
    return saved(request).then(function (hit) { return hit || Response.error(); });
  }));
});

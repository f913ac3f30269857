// The site's service worker (notificaties/views.py, served at /sw.js, scope "/"): it shows a
// push as a notification and opens its page on a tap. It caches nothing: every page comes from
// the server as before. The push holds {titel, tekst, url, tag}; a second push with the same
// tag (the same notification sent again) replaces the first instead of showing twice.
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  event.waitUntil(
    self.registration.showNotification(data.titel || "Wijkaanpak", {
      body: data.tekst || "",
      tag: data.tag || undefined,
      data: { url: data.url || "/" },
      icon: "{{ icon }}",
      badge: "{{ badge }}",
    }),
  );
});

// Only the site's own pages open: the link's path on this origin, whatever host built it.
const ownPage = (link) => {
  const url = new URL(link, self.location.origin);
  return new URL(url.pathname + url.search + url.hash, self.location.origin).href;
};

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = ownPage((event.notification.data && event.notification.data.url) || "/");
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => client.url === target);
      if (open) {
        return open.focus();
      }
      return self.clients.openWindow(target);
    })(),
  );
});

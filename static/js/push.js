// "Meldingen op dit apparaat aan/uit" (templates/notificaties/push_apparaat.html): shown only
// in a browser that can receive pushes. The state is this browser's subscription AND the
// server knowing it for this account; the button turns both on or off together.
"use strict";

(() => {
  const box = document.querySelector("[data-push]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return; // stays hidden: this browser cannot receive pushes
  }
  const button = box.querySelector("[data-push-knop]");
  const status = box.querySelector("[data-push-status]");
  const text = box.dataset;
  box.hidden = false;

  const ask = async (actie, subscription) => {
    const response = await fetch(text.pushUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": text.pushCsrf },
      body: JSON.stringify({ actie, ...subscription.toJSON() }),
    });
    const answer = await response.json();
    if (!response.ok) {
      throw new Error(answer.fout || text.pushFout);
    }
    return answer.aan;
  };

  const show = (on, message) => {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? text.pushKnopUit : text.pushKnopAan;
    status.textContent = message || (on ? text.pushAan : text.pushUit);
    button.disabled = Notification.permission === "denied";
    if (Notification.permission === "denied") {
      status.textContent = text.pushGeblokkeerd;
    }
  };

  const key = () => {
    const base64 = text.pushSleutel.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };

  // A subscription made for an earlier key pair of the site cannot receive our pushes.
  const current = (subscription) => {
    const made = subscription && subscription.options && subscription.options.applicationServerKey;
    if (!made) {
      return Boolean(subscription);
    }
    const ours = key();
    const theirs = new Uint8Array(made);
    return theirs.length === ours.length && theirs.every((byte, i) => byte === ours[i]);
  };

  const turnOn = async (registration) => {
    if ((await Notification.requestPermission()) !== "granted") {
      show(false);
      return;
    }
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !current(subscription)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription =
      subscription ||
      (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key() }));
    show(await ask("aan", subscription));
  };

  const turnOff = async (registration) => {
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await ask("uit", subscription);
      await subscription.unsubscribe();
    }
    show(false);
  };

  (async () => {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    show(current(subscription) ? await ask("status", subscription) : false);
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await (button.getAttribute("aria-pressed") === "true" ? turnOff : turnOn)(registration);
      } catch (error) {
        show(button.getAttribute("aria-pressed") === "true", error.message || text.pushFout);
      }
    });
  })();
})();

// Small progressive enhancements; every page works without them.
"use strict";

// <form data-confirm="Weet je het zeker?">: ask before submitting an irreversible action.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// <button data-print>: open the browser's print dialog (flyers).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// <button data-geolocate>: put the device's position in the form's hidden latitude/longitude.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-geolocate]");
  if (!button || !navigator.geolocation) {
    return;
  }
  const form = button.form;
  const status = form.querySelector("[data-geolocate-status]");
  status.textContent = button.dataset.busy || "…";
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const lat = position.coords.latitude;
      const lon = position.coords.longitude;
      form.elements.latitude.value = lat.toFixed(6);
      form.elements.longitude.value = lon.toFixed(6);
      status.textContent = status.dataset.done || "✓";
      // The form's map (kaart.js), if any, shows the pin and the buurt to confirm.
      form.dispatchEvent(new CustomEvent("locatie", { detail: { lat, lon } }));
    },
    () => {
      status.textContent = status.dataset.failed || "✗";
    },
    { enableHighAccuracy: true, timeout: 10000 },
  );
});

// A field that only counts with one choice of a radio group (the phone number, only when police
// may make contact) shows with that choice and is left out otherwise: hidden and disabled, so it
// is not sent and cannot be refused, and kept as typed should the choice come back. Without
// JavaScript the field shows, and the server says when it does not count.
for (const box of document.querySelectorAll("[data-alleen-bij]")) {
  const [name, value] = box.dataset.alleenBij.split("=");
  const form = box.closest("form");
  const radios = Array.from(form.querySelectorAll(`input[type=radio][name="${name}"]`));
  const update = () => {
    const shown = radios.some((radio) => radio.checked && radio.value === value);
    box.hidden = !shown;
    for (const field of box.querySelectorAll("input, textarea, select")) {
      field.disabled = !shown;
    }
  };
  // A field the server refused stays in view with its message until it is fixed.
  if (radios.length && !box.querySelector(".is-invalid")) {
    for (const radio of radios) {
      radio.addEventListener("change", update);
    }
    update();
  }
}

// After a failed submit, move focus to the error summary so that it is seen and read out.
const errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary) {
  errorSummary.focus();
}

// The service worker (/sw.js) makes the site installable and shows pushes; pages work without.
if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
  navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: "/" }).catch(() => {});
}

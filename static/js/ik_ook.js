// The "ik ook" list of the melding form, nearest first to the resident's pin: when the map
// (kaart.js) sets, moves or removes the pin it fires "speld" on the form, and the list is
// asked again from the server (<div data-ik-ook-lijst="URL">, GET URL?lat=…&lon=…), which
// computes the coarse distances. Without JavaScript or a pin the list stays newest first.
"use strict";

(() => {
  const box = document.querySelector("[data-ik-ook-lijst]");
  if (!box) {
    return;
  }
  const status = document.querySelector("[data-ik-ook-status]");
  const hint = box.querySelector("[data-ik-ook-hint]");
  if (hint) {
    hint.hidden = false; // the map is there to set a pin
  }
  let asking = null;

  async function refresh(point) {
    if (asking) {
      asking.abort(); // only the last pin counts
    }
    asking = new AbortController();
    const query = point ? `?${new URLSearchParams({ lat: point.lat, lon: point.lon })}` : "";
    box.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(box.dataset.ikOokLijst + query, {
        headers: { Accept: "text/html" },
        signal: asking.signal,
      });
      if (!response.ok) {
        return; // too many asks, or signed out: the list stays as it was
      }
      box.innerHTML = await response.text();
      const shown = box.querySelector("[data-ik-ook-hint]");
      if (shown) {
        shown.hidden = false;
      }
      box.dataset.ikOokPunt = point ? `${point.lat},${point.lon}` : ""; // for tests
      if (status && box.querySelector("[data-ik-ook-melding]")) {
        status.textContent = point ? box.dataset.bijgewerkt : box.dataset.zonderSpeld;
      }
    } catch {
      // Offline or superseded by a newer pin: keep the list.
    } finally {
      box.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("speld", (event) => refresh(event.detail));
})();

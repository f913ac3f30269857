// Address suggestions while typing, for an <input data-adres-punt="URL"> with
// data-adres-zoek="URL" when the address search is on (the buurt search; the melding form and
// the map may use it too). Picking a suggestion asks the address and its buurt and fires
// "adres:gekozen" on the input (detail: the JSON answer); with data-adres-naar-buurt the browser
// then opens the buurt's page. A <button data-adres-locatie> does the same from the device's
// position (the buurt shapes answer even with the address search off). Without JavaScript the
// form searches the buurt names as before.
"use strict";

(() => {
  const input = document.querySelector("[data-adres-punt]");
  if (!input) {
    return;
  }
  const list = document.getElementById(input.getAttribute("aria-controls"));
  const status = document.querySelector("[data-adres-status]");
  let timer = null;
  let asked = 0;

  const say = (text) => {
    if (status) {
      status.textContent = text || "";
    }
  };

  const chosen = (answer) => {
    input.dispatchEvent(new CustomEvent("adres:gekozen", { detail: answer, bubbles: true }));
    if (!("adresNaarBuurt" in input.dataset)) {
      return;
    }
    if (answer.buurt) {
      window.location.assign(answer.buurt.url);
    } else {
      say(input.dataset.adresGeenBuurt);
    }
  };

  const point = (params) => {
    fetch(`${input.dataset.adresPunt}?${new URLSearchParams(params)}`, {
      headers: { Accept: "application/json" },
    })
      .then((response) => response.json())
      .then((answer) =>
        answer.adres || answer.buurt ? chosen(answer) : say(answer.fout || input.dataset.adresGeenBuurt),
      )
      .catch(() => say(input.dataset.adresGeenBuurt));
  };

  const show = (results) => {
    list.replaceChildren();
    results.forEach((result) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action";
      button.textContent = result.label;
      button.addEventListener("click", () => {
        input.value = result.label;
        list.replaceChildren();
        point({ id: result.id });
      });
      item.append(button);
      list.append(item);
    });
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
  };

  input.addEventListener("input", () => {
    if (!list) {
      return; // the address search is off: the form searches the names
    }
    window.clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) {
      show([]);
      return;
    }
    timer = window.setTimeout(() => {
      const mine = ++asked;
      fetch(`${input.dataset.adresZoek}?${new URLSearchParams({ q: query })}`, {
        headers: { Accept: "application/json" },
      })
        .then((response) => response.json())
        .then((answer) => mine === asked && show(answer.resultaten || []))
        .catch(() => show([]));
    }, 250);
  });

  const locate = document.querySelector("[data-adres-locatie]");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", () => {
      say(locate.dataset.busy);
      navigator.geolocation.getCurrentPosition(
        (position) =>
          point({
            lat: position.coords.latitude.toFixed(6),
            lon: position.coords.longitude.toFixed(6),
          }),
        () => say(locate.dataset.failed),
        { enableHighAccuracy: true, timeout: 10000 },
      );
    });
  }
})();

// Address suggestions while typing, for an <input data-adres-punt="URL"> with
// data-adres-zoek="URL" when the address search is on (the buurt search, the melding form).
// The input is an ARIA combobox (WAI-ARIA APG "list autocomplete"): the suggestions are a
// listbox the arrow keys move through (aria-activedescendant), Enter picks, Escape closes, a
// tap or click picks too; a status line says how many were found. Picking a suggestion asks the
// address and its buurt and fires "adres:gekozen" on the input (detail: the JSON answer; the
// melding form's map puts its pin there); with data-adres-naar-buurt the browser then opens the
// buurt's page. A <button data-adres-locatie> does the same from the device's position (the
// buurt shapes answer even with the address search off). An ancestor [data-adres-blok] hidden
// until now is shown: without JavaScript the field would do nothing. Without JavaScript the
// buurt search searches the buurt names as before.
"use strict";

(() => {
  const input = document.querySelector("[data-adres-punt]");
  if (!input) {
    return;
  }
  const list = document.getElementById(input.getAttribute("aria-controls"));
  const scope = input.closest("[data-adres-blok]") || input.form || document;
  const status = scope.querySelector("[data-adres-status]") || document.querySelector("[data-adres-status]");
  const blok = input.closest("[data-adres-blok]");
  if (blok) {
    blok.hidden = false;
  }
  let timer = null;
  let asked = 0;
  let results = [];
  let active = -1;

  const say = (text) => {
    if (status) {
      status.textContent = text || "";
    }
  };

  const chosen = (answer) => {
    say("");
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

  const highlight = (index) => {
    active = index;
    Array.from(list.children).forEach((option, i) => {
      const on = i === index;
      option.setAttribute("aria-selected", on ? "true" : "false");
      option.classList.toggle("active", on);
      if (on) {
        option.scrollIntoView({ block: "nearest" });
      }
    });
    if (index >= 0 && list.children[index]) {
      input.setAttribute("aria-activedescendant", list.children[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const show = (found) => {
    if (!list) {
      return; // the address search is off: the form searches the names
    }
    results = found;
    list.replaceChildren();
    found.forEach((result, index) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "list-group-item list-group-item-action";
      option.style.cursor = "pointer";
      option.textContent = result.label;
      // Keep the focus in the field: the choice is made on click.
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => pick(index));
      list.append(option);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.hidden = !found.length;
    input.setAttribute("aria-expanded", found.length ? "true" : "false");
  };

  const pick = (index) => {
    const result = results[index];
    if (!result) {
      return;
    }
    input.value = result.label;
    show([]);
    point({ id: result.id });
  };

  if (list) {
    // A combobox only with its list (the buurt search without the address search has none).
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    list.setAttribute("role", "listbox");
  }

  input.addEventListener("input", () => {
    if (!list) {
      return; // the address search is off: the form searches the names
    }
    window.clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) {
      asked++;
      show([]);
      say("");
      return;
    }
    timer = window.setTimeout(() => {
      const mine = ++asked;
      fetch(`${input.dataset.adresZoek}?${new URLSearchParams({ q: query })}`, {
        headers: { Accept: "application/json" },
      })
        .then((response) => response.json())
        .then((answer) => {
          if (mine !== asked) {
            return;
          }
          const found = answer.resultaten || [];
          show(found);
          if (found.length) {
            say((input.dataset.adresAantal || "").replace("%(n)s", found.length));
          } else {
            say(answer.fout || input.dataset.adresGeen || "");
          }
        })
        .catch(() => show([]));
    }, 250);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !input.name && active < 0) {
      event.preventDefault(); // a field that is not sent (the melding form's) sends nothing
      return;
    }
    if (!list || !results.length) {
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % results.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? results.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault(); // picks the address; does not send the form
      pick(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      show([]);
    }
  });

  input.addEventListener("blur", () => {
    // A tap on an option is handled first (its mousedown keeps the focus here).
    window.setTimeout(() => show([]), 200);
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

// Shows an amount back as the site reads it while it is typed ("Je vraagt € 85,50."), with
// the warnings about it. The site's one parser answers (/bedrag/?bedrag=), so the browser never
// guesses: an English browser reads "85,50" as the server does. Without JavaScript the same
// sentence and warnings appear after submitting.
"use strict";

(() => {
  for (const box of document.querySelectorAll("[data-bedrag-voor]")) {
    const input = document.getElementById(box.dataset.bedragVoor);
    const soort = document.getElementById(box.dataset.bedragSoort || "");
    const terug = box.querySelector("[data-bedrag-terug]");
    const advies = box.querySelector("[data-bedrag-advies]");
    if (!input || !terug) {
      continue;
    }
    let asked = 0;
    let timer;

    const show = (answer) => {
      terug.classList.toggle("text-danger", Boolean(answer.fout));
      terug.textContent = answer.fout || (answer.bedrag ? box.dataset.bedragZin.replace("%(bedrag)s", answer.bedrag) : "");
      if (!advies) {
        return;
      }
      const regels = answer.advies || [];
      advies.replaceChildren(
        ...regels.map((regel) => {
          const p = document.createElement("p");
          p.className = "mb-1";
          p.textContent = regel;
          return p;
        }),
      );
      if (regels.length) {
        // The resident has seen the warning for this amount: submitting needs no second step.
        const seen = document.createElement("input");
        seen.type = "hidden";
        seen.name = "bedrag_gezien";
        seen.value = answer.waarde;
        advies.append(seen);
      }
      advies.hidden = regels.length === 0;
    };

    const ask = async () => {
      const mine = ++asked;
      if (!input.value.trim()) {
        show({});
        return;
      }
      const url = new URL(box.dataset.bedragUrl, window.location.href);
      url.searchParams.set("bedrag", input.value);
      if (soort) {
        url.searchParams.set("soort", soort.value);
      }
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        const answer = response.ok ? await response.json() : {};
        if (mine === asked) {
          show(answer);
        }
      } catch {
        // Offline or the server is busy: the same check happens on submit.
      }
    };

    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 250);
    };
    input.addEventListener("input", later);
    soort?.addEventListener("change", later);
  }
})();

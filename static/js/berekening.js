// Progress of an on-demand indicator computation: poll the JSON status and update the
// <progress> bar and its text. Without JavaScript the page refreshes itself (a meta refresh
// inside <noscript>, which browsers ignore while scripts run).
"use strict";

(() => {
  const box = document.querySelector("[data-berekening-status]");
  if (!box) {
    return;
  }
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-berekening-tekst]");
  const done = box.querySelector("[data-berekening-klaar]");
  // "Back to the dashboard (the computation carries on)": untrue once it has finished.
  const busy = document.querySelector("[data-berekening-bezig]");
  const url = box.dataset.berekeningStatus;

  const poll = async () => {
    let status;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      status = await response.json();
    } catch {
      window.setTimeout(poll, 5000);
      return;
    }
    bar.value = status.voortgang;
    text.textContent = status.tekst;
    if (status.status === "klaar" || status.status === "mislukt") {
      bar.hidden = status.status === "mislukt";
      if (done) {
        done.hidden = false;
      }
      if (busy) {
        busy.hidden = true;
      }
      return;
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1000);
})();

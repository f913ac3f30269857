// The share box (templates/delen.html): "Delen" opens the phone's share sheet (Web Share API);
// where there is none, "Kopieer link" puts the link on the clipboard and says so ("Link
// gekopieerd", read out by screen readers). When the browser refuses the clipboard, the link
// is selected so the person can copy it themselves. Without JavaScript neither button shows;
// the link stays visible and selectable and the WhatsApp link works.
"use strict";

(() => {
  for (const box of document.querySelectorAll("[data-deel]")) {
    const share = box.querySelector("[data-deel-delen]");
    const copy = box.querySelector("[data-deel-kopieer]");
    const status = box.querySelector("[data-deel-status]");
    const linkText = box.querySelector("[data-deel-linktekst]");
    const { deelIntro: intro, deelLink: link } = box.dataset;

    const selectLink = () => {
      const range = document.createRange();
      range.selectNodeContents(linkText);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = box.dataset.deelGeselecteerd;
    };

    const copyLink = async () => {
      status.textContent = "";
      try {
        await navigator.clipboard.writeText(link);
        status.textContent = box.dataset.deelGekopieerd;
      } catch {
        selectLink(); // refused, or no clipboard outside a secure context
      }
    };

    if (navigator.share) {
      share.hidden = false;
      share.addEventListener("click", async () => {
        try {
          await navigator.share({ text: intro, url: link });
        } catch (error) {
          if (error.name !== "AbortError") {
            // No share target after all: offer the clipboard instead.
            share.hidden = true;
            copy.hidden = false;
          }
        }
      });
    } else {
      copy.hidden = false;
    }
    copy.addEventListener("click", copyLink);
  }
})();

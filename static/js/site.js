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

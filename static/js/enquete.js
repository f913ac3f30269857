// The buurt survey a few items at a time: the sections of the one form become steps with
// "Vorige"/"Volgende", the browser's Back goes to the previous step, focus moves to the new
// step's heading, and unsent answers survive a reload (sessionStorage of this tab, under a
// name that is this person's and round's). Without JavaScript all steps show on one page and
// the form works as before; either way it is sent once, at the end, and validated there.
"use strict";

(() => {
  const form = document.querySelector("form[data-stappen]");
  const steps = form ? Array.from(form.querySelectorAll(".enquete-stap")) : [];
  if (steps.length < 2) {
    return;
  }
  const summary = form.querySelector("[data-error-summary]");
  // The introduction (what the survey is, that it is anonymous) belongs to the first step.
  const intro = document.querySelector("[data-enquete-intro]");
  const key = `enquete-concept:${form.dataset.concept}`;
  let storage = null;
  try {
    storage = window.sessionStorage;
  } catch {
    // Storage refused (privacy settings): answers are kept for as long as the page is open.
  }

  const save = () => {
    const answers = {};
    for (const radio of form.querySelectorAll("input[type=radio]:checked")) {
      answers[radio.name] = radio.value;
    }
    try {
      storage?.setItem(key, JSON.stringify(answers));
    } catch {
      // Full or refused: nothing lost that the page does not still show.
    }
  };

  const restore = () => {
    let answers = {};
    try {
      answers = JSON.parse(storage?.getItem(key) || "{}");
    } catch {
      return;
    }
    for (const [name, value] of Object.entries(answers)) {
      for (const radio of form.querySelectorAll("input[type=radio]")) {
        if (radio.name === name && radio.value === value) {
          radio.checked = true;
        }
      }
    }
  };

  const stepFromHash = () => {
    const match = /^#stap-(\d+)$/.exec(window.location.hash);
    return match ? Number(match[1]) : 1;
  };

  const show = (number, { focus = false, push = false } = {}) => {
    const current = Math.min(Math.max(number, 1), steps.length);
    steps.forEach((step, index) => {
      step.hidden = index !== current - 1;
    });
    if (intro) {
      intro.hidden = current > 1;
    }
    if (push) {
      window.history.pushState({ stap: current }, "", `#stap-${current}`);
    }
    if (focus) {
      const heading = steps[current - 1].querySelector("h2");
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    }
    return current;
  };

  form.classList.add("enquete-stapsgewijs");
  for (const button of form.querySelectorAll("[data-stap-naar]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      show(Number(button.dataset.stapNaar), { focus: true, push: true });
    });
  }
  window.addEventListener("popstate", (event) => {
    show((event.state && event.state.stap) || stepFromHash(), { focus: true });
  });
  form.addEventListener("change", save);
  form.addEventListener("submit", () => {
    try {
      storage?.removeItem(key);
    } catch {
      // Nothing kept, nothing to remove.
    }
  });

  // A question named in the error summary: open its step and put focus on its first answer.
  summary?.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const target = link && document.getElementById(link.getAttribute("href").slice(1));
    const step = target && target.closest(".enquete-stap");
    if (!step) {
      return;
    }
    event.preventDefault();
    show(steps.indexOf(step) + 1, { push: true });
    target.focus();
  });

  if (summary) {
    // The server's answers are what was sent: open the first step with an error, the summary
    // above it in focus (the form is sent without the step's #fragment, which would move it).
    const wrong = steps.findIndex((step) => step.hasAttribute("data-fout"));
    show(wrong + 1 || steps.length);
    summary.focus();
  } else {
    restore();
    show(stepFromHash());
  }
})();

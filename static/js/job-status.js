// A job's progress on its page and in the jobs list: every [data-job-progress] element polls its job's
// JSON once a second and redraws its [data-job-field] parts; when a job ends the page reloads to show
// the result the server renders. The figures come from the server, and so do their words, in the page's
// language (state_label, step_label, waiting_label); nothing is computed here.
(() => {
  const POLL_MS = 1000;
  const language = document.documentElement.lang || undefined;
  const number = (value) => (value === null || value === undefined ? "—" : Number(value).toLocaleString(language));

  function draw(panel, job) {
    const field = (name) => panel.querySelector(`[data-job-field="${name}"]`);
    // The job's page has one state badge, outside the progress panel; a list row has its own.
    const badge = panel.closest("tr, .job")?.querySelector(".job-state");
    if (badge) {
      badge.textContent = job.state_label;
      badge.className = `state job-state job-state-${job.state}`;
    }
    const bar = field("bar");
    if (bar) { bar.value = job.percent; bar.textContent = `${job.percent}%`; }
    if (field("percent")) field("percent").textContent = job.percent;
    if (field("step") && job.step) field("step").textContent = job.step_label || job.step;
    if (field("rows")) field("rows").textContent = job.rows ? number(job.rows) : "—";
    if (field("rejected")) field("rejected").textContent = number(job.rejected);
    const waiting = field("waiting");
    if (waiting) {
      waiting.hidden = !job.waiting;
      waiting.textContent = job.waiting ? `(${job.waiting_label || job.waiting})` : "";
    }
    const current = job.steps.indexOf(job.step);
    panel.querySelectorAll("[data-job-step]").forEach((item) => {
      const index = job.steps.indexOf(item.dataset.jobStep);
      const reached = current === -1 ? job.step === "saving" : index < current;
      item.classList.toggle("done", reached);
      item.classList.toggle("current", index === current);
    });
  }

  function follow(panel) {
    const poll = async () => {
      try {
        const response = await fetch(panel.dataset.jobProgress, {
          headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store",
        });
        if (response.ok) {
          const job = await response.json();
          if (job.finished) {
            window.location.reload();
            return;
          }
          draw(panel, job);
        }
      } catch (error) {
        // A moment without a connection: the job goes on at the server; ask again.
      }
      window.setTimeout(poll, POLL_MS);
    };
    window.setTimeout(poll, POLL_MS);
  }

  document.querySelectorAll("[data-job-progress]").forEach(follow);
})();

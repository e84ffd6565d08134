// The document review screen: j/k move between items, a/e/r accept, edit or reject the current one;
// each step is posted with fetch and the page follows the answer. "Accept all unchanged" opens only
// once every item still proposed has been shown (moved to, or scrolled fully into view).
(function () {
  "use strict";
  const list = document.getElementById("review-items");
  const text = document.getElementById("review-text");
  if (!list || !text) { return; }
  const items = Array.from(list.querySelectorAll(".review-item"));
  const seen = new Set();
  let current = -1;

  function marksOf(item) {
    return Array.from(text.querySelectorAll("mark")).filter(
      (mark) => mark.dataset.items.split(" ").includes(item.dataset.key));
  }

  function proposed() { return items.filter((item) => item.dataset.state === "proposed"); }

  function refreshAcceptAll() {
    const unseen = proposed().filter((item) => !seen.has(item.dataset.key));
    document.querySelectorAll(".unseen-count").forEach((node) => { node.textContent = unseen.length; });
    const button = document.getElementById("accept-all");
    button.disabled = unseen.length > 0 || proposed().length === 0;
    document.querySelector("[data-testid=proposed-count]").textContent = proposed().length;
  }

  function markSeen(item) {
    seen.add(item.dataset.key);
    refreshAcceptAll();
  }

  function select(index) {
    if (index < 0 || index >= items.length) { return; }
    if (current >= 0) {
      items[current].classList.remove("current");
      marksOf(items[current]).forEach((mark) => mark.classList.remove("current"));
    }
    current = index;
    const item = items[current];
    item.classList.add("current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
    const marks = marksOf(item);
    marks.forEach((mark) => mark.classList.add("current"));
    if (marks.length) { marks[0].scrollIntoView({ block: "center" }); }
    markSeen(item);
  }

  function nextProposed(from) {
    for (let i = from + 1; i < items.length; i += 1) {
      if (items[i].dataset.state === "proposed") { return i; }
    }
    return -1;
  }

  function applyState(answer) {
    Object.entries(answer.states).forEach(([key, [state, label]]) => {
      const item = document.getElementById("item-" + key);
      if (!item) { return; }
      item.dataset.state = state;
      item.className = item.className.replace(/state-\S+/, "state-" + state);
      item.querySelector(".state-label").textContent = label;
      item.querySelectorAll("details").forEach((d) => { d.open = false; });
      marksOf(item).forEach((mark) => {
        mark.className = mark.className.replace(/state-\S+/g, "").trim() + " state-" + state;
      });
    });
    document.querySelector("[data-testid=time-total]").textContent = answer.time_total;
    document.querySelector("[data-testid=time-mine]").textContent = answer.time_mine;
    refreshAcceptAll();
  }

  async function post(form, item) {
    const errorBox = item ? item.querySelector(".error") : null;
    if (errorBox) { errorBox.textContent = ""; }
    const response = await fetch(window.location.pathname, {
      method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    const answer = await response.json();
    if (!answer.ok) {
      if (errorBox) { errorBox.textContent = answer.error; } else { window.alert(answer.error); }
      return false;
    }
    applyState(answer);
    return true;
  }

  list.addEventListener("submit", async (event) => {
    event.preventDefault();
    const item = event.target.closest(".review-item");
    const done = await post(event.target, item);
    if (done) {
      const next = nextProposed(items.indexOf(item));
      if (next >= 0) { select(next); }
    }
  });

  list.addEventListener("click", (event) => {
    const item = event.target.closest(".review-item");
    if (item && items.indexOf(item) !== current) { select(items.indexOf(item)); }
  });

  text.addEventListener("click", (event) => {
    const mark = event.target.closest("mark");
    if (!mark) { return; }
    const item = document.getElementById("item-" + mark.dataset.items.split(" ")[0]);
    if (item) { select(items.indexOf(item)); }
  });

  function open(kind) {
    const item = items[current];
    if (!item || item.dataset.state !== "proposed") { return; }
    if (kind === "accept") {
      item.querySelector(".accept-form").requestSubmit();
      return;
    }
    const details = item.querySelector("details." + kind);
    details.open = true;
    const field = details.querySelector("select, input:not([type=hidden])");
    if (field) { field.focus(); }
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.target.closest("input, select, textarea, dialog")) {
      if (event.key === "Escape") {
        event.target.closest("details")?.removeAttribute("open");
        if (current >= 0) { items[current].focus(); }
      }
      return;
    }
    const actions = { a: "accept", e: "edit", r: "reject" };
    if (event.key === "j") { select(Math.min(current + 1, items.length - 1)); }
    else if (event.key === "k") { select(Math.max(current - 1, 0)); }
    else if (actions[event.key]) { event.preventDefault(); open(actions[event.key]); }
    else { return; }
    event.preventDefault();
  });

  // An item counts as shown once it has been wholly in view in the list.
  const observer = new IntersectionObserver((entries) => {
    entries.forEach((entry) => {
      if (entry.intersectionRatio >= 0.99) { markSeen(entry.target); }
    });
  }, { root: list, threshold: [0.99] });
  items.forEach((item) => observer.observe(item));

  const dialog = document.getElementById("accept-all-dialog");
  const dialogForm = document.getElementById("accept-all-form");
  document.getElementById("accept-all").addEventListener("click", () => {
    const rest = proposed();
    const listing = document.getElementById("accept-all-list");
    listing.replaceChildren(...rest.map((item) => {
      const line = document.createElement("li");
      line.textContent = item.querySelector("blockquote").textContent + " — "
        + item.querySelector("[data-field=value]").textContent.trim();
      return line;
    }));
    dialogForm.querySelector("[name=items]").value = rest.map((item) => item.dataset.key).join(" ");
    dialog.showModal();
  });
  document.getElementById("accept-all-cancel").addEventListener("click", () => dialog.close());
  dialogForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await post(dialogForm, null)) { dialog.close(); }
  });

  refreshAcceptAll();
  if (items.length) { select(Math.max(nextProposed(-1), 0)); }
}());

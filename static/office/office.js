// The back-office's small behaviours. No inline script: CSP allows only our static files.
(function () {
  "use strict";

  // The work queue: the header checkbox ticks or clears every case shown (also rows
  // that "more" added later).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.id !== "select-all") return;
    var form = box.closest("form");
    if (!form) return;
    form.querySelectorAll("input[type=checkbox][name=cases]").forEach(function (c) {
      c.checked = box.checked;
    });
  });

  // Compact rows: a handler's choice, remembered in this browser.
  var DENSITY_KEY = "woonrust.queue.compact";
  function applyDensity() {
    var table = document.getElementById("queue-table");
    var button = document.getElementById("density");
    if (!table || !button) return;
    var compact = false;
    try { compact = window.localStorage.getItem(DENSITY_KEY) === "1"; } catch (e) { /* private mode */ }
    table.classList.toggle("compact", compact);
    button.setAttribute("aria-pressed", compact ? "true" : "false");
    button.hidden = false;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#density");
    if (!button) return;
    var compact = button.getAttribute("aria-pressed") !== "true";
    try { window.localStorage.setItem(DENSITY_KEY, compact ? "1" : "0"); } catch (e) { /* private mode */ }
    applyDensity();
  });
  document.addEventListener("DOMContentLoaded", applyDensity);

  // After every htmx swap: keep the focus where the user was (or on the first new row
  // when the "more" link they pressed is gone), and say what changed in the live region.
  var focusedId = null;
  var pressedMore = false;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
    pressedMore = !!(active && active.closest && active.closest("tr.more"));
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    applyDensity();
    // The control that was pressed is gone (e.g. "show care needs"): focus what replaced it.
    var swapped = event.detail && event.detail.target;
    if (document.activeElement === document.body && swapped && swapped.isConnected) {
      var heading = swapped.querySelector("[tabindex='-1']");
      if (heading) heading.focus();
    }
    var announce = document.getElementById("queue-announce");
    var source = null;
    if (pressedMore) {
      var rows = document.querySelectorAll("#rows tr[data-announce]");
      source = rows.length ? rows[rows.length - 1] : null;
      var first = source && source.nextElementSibling;
      var link = first && first.querySelector("a, input");
      if (link) link.focus();
    } else {
      source = document.getElementById("results-count");
      var again = focusedId && document.getElementById(focusedId);
      if (again && again !== document.activeElement) again.focus();
    }
    var text = source && (source.dataset.announce || source.textContent.trim());
    if (announce && text) {
      // Emptied first, so the same text is announced again after the same search.
      announce.textContent = "";
      window.setTimeout(function () { announce.textContent = text; }, 50);
    }
    pressedMore = false;
  });
})();

// The case page. No inline script: CSP allows only our static files.
(function () {
  "use strict";

  // A refused step: the error summary at the top takes the focus, and each of its links
  // moves the focus to the field it names (a fragment alone only scrolls).
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
    var print = document.querySelector("[data-print]");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var details = target.closest("details");
    if (details) details.open = true;
    if (!target.matches("input, select, textarea, button, a, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  });

  // Photos in a lightbox: a modal <dialog> (Escape closes it and the focus returns to
  // the photo that opened it); the arrow keys and buttons go to the previous or next.
  var dialog = document.getElementById("lightbox");
  var list = document.querySelector("[data-lightbox]");
  if (!dialog || !list || typeof dialog.showModal !== "function") return;
  var links = Array.prototype.slice.call(list.querySelectorAll("a[data-full]"));
  var image = dialog.querySelector("img");
  var caption = dialog.querySelector("figcaption");
  var current = 0;
  var opener = null;

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current];
    image.src = link.dataset.full;
    image.alt = link.dataset.caption;
    caption.textContent = link.dataset.caption;
    dialog.querySelectorAll("[data-step]").forEach(function (b) { b.hidden = links.length < 2; });
  }
  list.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-full]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    opener = link;
    show(links.indexOf(link));
    dialog.showModal();
    dialog.querySelector("[data-close]").focus();
  });
  dialog.addEventListener("click", function (event) {
    var step = event.target.closest("[data-step]");
    if (step) show(current + Number(step.dataset.step));
    if (event.target.closest("[data-close]") || event.target === dialog) dialog.close();
  });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
  });
  dialog.addEventListener("close", function () {
    image.removeAttribute("src");
    if (opener) opener.focus();
  });
})();

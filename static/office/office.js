// The work queue: the header checkbox ticks or clears every case shown (also rows that
// "more" added later). No inline script: CSP allows only our static files.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box || box.id !== "select-all") return;
  var form = box.closest("form");
  if (!form) return;
  form.querySelectorAll('input[type=checkbox][name=cases]').forEach(function (c) {
    c.checked = box.checked;
  });
});

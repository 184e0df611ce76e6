/* Woonrust phone app: photos for a damage report. Each photo is resized here to at most
 * 1600 px (JPEG) and kept with the form (form._photos); app.js stores and sends them.
 * The camera's originals are never sent. Loaded only on pages with a photo field. */
(() => {
  "use strict";
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  const shrink = async (file) => {
    const img = await createImageBitmap(file); // applies the EXIF orientation
    const k = Math.min(1, 1600 / Math.max(img.width, img.height));
    const c = el("canvas");
    c.width = Math.round(img.width * k);
    c.height = Math.round(img.height * k);
    c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
    if (img.close) img.close();
    return new Promise((ok, fail) => c.toBlob((b) => (b ? ok(b) : fail()), "image/jpeg", 0.85));
  };
  const show = (form) => {
    const ul = form.querySelector(".thumbs"), input = form.querySelector("input[name=photos]");
    if (!ul || !input) return;
    const t = ul.closest(".photos").dataset;
    for (const img of ul.querySelectorAll("img")) URL.revokeObjectURL(img.src);
    ul.replaceChildren();
    form._photos.forEach((blob, i) => {
      const li = el("li"), img = el("img"), b = el("button", t.remove, "secondary");
      img.src = URL.createObjectURL(blob);
      img.alt = t.photo.replace("{n}", i + 1);
      b.type = "button";
      b.setAttribute("aria-label", `${t.remove}: ${img.alt}`);
      b.onclick = () => { form._photos.splice(i, 1); show(form); };
      li.append(img, b);
      ul.append(li);
    });
    // A required photo field counts the kept photos: the input itself is emptied.
    if (input.dataset.required === undefined) input.dataset.required = input.required ? "1" : "0";
    input.required = !form._photos.length && input.dataset.required === "1";
  };
  document.addEventListener("change", async (e) => {
    const input = e.target;
    if (!input.matches("input[type=file][name=photos]") || !input.form) return;
    const form = input.form;
    form._photos = form._photos || [];
    const files = [...input.files];
    input.value = "";
    const refused = [];
    for (const f of files) {
      try { form._photos.push(await shrink(f)); } catch (err) { refused.push(f.name); }
    }
    // A refused photo is said at the field, and the report waits until the user has seen
    // it (app.js stops the first "send" while this message shows).
    const say = input.closest(".photos").querySelector("[data-refused]");
    if (say) {
      say.hidden = !refused.length;
      delete say.dataset.seen;
      say.textContent = refused.length ? `${input.closest(".photos").dataset.notphoto} (${refused.join(", ")})` : "";
      if (refused.length) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
    show(form);
  });
  // app.js swapped in a form with messages: show the photos it kept.
  document.addEventListener("woonrust:photos", (e) => show(e.target), true);
})();

// vsoko: what JavaScript adds to pages that work without it — focus on the error summary and on
// the field each of its links names; on a form, the live progress bar, autosave of the draft to
// the server, one click per submit and the «не применимо» box beside a number. Loaded with
// `defer` on every page; no inline script anywhere (the CSP forbids it).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
  }
  var form = document.getElementById("form");
  if (!form) { return; }
  // A form page restored from the back-forward cache («Назад» after sending) would show a form
  // as it was before it was sent: it is asked for again, and the server answers with where the
  // form stands now (the result of a sent form, «Вы уже ответили» on a parent's device).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });
  // A form begun earlier opens at its first unanswered question.
  var resume = document.getElementById("resume");
  if (resume && !summary && !window.location.hash) {
    var next = document.getElementById(resume.getAttribute("href").slice(1));
    if (next) {
      next.scrollIntoView({ block: "start" });
      var first = next.querySelector("input");
      if (first) { first.focus({ preventScroll: true }); }
    }
  }
  // A comment's length, counted as it is typed.
  var notes = form.querySelectorAll("textarea[maxlength]");
  function count(note) {
    var counter = document.getElementById(note.id + "-count");
    if (!counter) { return; }
    var left = Number(note.getAttribute("maxlength")) - note.value.length;
    counter.textContent = "Осталось символов: " + left + " из " + note.getAttribute("maxlength");
  }
  for (var t = 0; t < notes.length; t++) {
    count(notes[t]);
    notes[t].addEventListener("input", function (event) { count(event.target); });
  }

  var items = form.querySelectorAll("fieldset.item");
  var bar = document.getElementById("progress");
  var count = document.getElementById("progress-count");
  function answered(item) {
    var inputs = item.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ((input.type === "radio" || input.type === "checkbox") && input.checked) { return true; }
      if (input.type === "text" && input.value.trim() !== "") { return true; }
    }
    return false;
  }
  function progress() {
    var done = 0;
    for (var i = 0; i < items.length; i++) { if (answered(items[i])) { done++; } }
    if (bar) { bar.value = done; bar.textContent = done + " из " + items.length; }
    if (count) { count.textContent = String(done); }
  }

  // «Не применимо» beside a number: the number is cleared and disabled while it is ticked.
  function syncNa(box) {
    var number = document.getElementById(box.id.replace(/-na$/, "-num"));
    if (!number) { return; }
    number.disabled = box.checked;
    if (box.checked) { number.value = ""; }
  }
  var boxes = form.querySelectorAll(".number input[type=checkbox]");
  for (var b = 0; b < boxes.length; b++) {
    syncNa(boxes[b]);
    boxes[b].addEventListener("change", function (event) { syncNa(event.target); });
  }

  // Autosave: two seconds after the last change, the form goes to the server as a draft; when
  // the page is left (another link, the app switched, the tab closed) before that, what changed
  // goes at once with sendBeacon, which the browser delivers after the page is gone.
  var status = document.getElementById("autosave");
  var timer = null;
  var sending = false;
  var pending = false;
  var dirty = false;
  function draftData() {
    var data = new FormData(form);
    data.set("action", "draft");
    data.set("autosave", "1");
    return new URLSearchParams(data);
  }
  function save() {
    if (sending) { pending = true; return; }
    if (!window.fetch || !window.FormData) { return; }
    var body = draftData();
    sending = true;
    dirty = false;
    if (status) { status.textContent = "Сохраняем черновик…"; }
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      headers: { "X-Autosave": "1" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) { dirty = true; }
        if (status) { status.textContent = response.ok ? text : "Есть несохранённые ответы. " + text; }
      });
    }).catch(function () {
      dirty = true;
      if (status) { status.textContent = "Есть несохранённые ответы: нет связи с сервером. Черновик сохранится, когда связь появится."; }
    }).then(function () {
      sending = false;
      if (pending) { pending = false; schedule(); }
    });
  }
  function schedule() {
    dirty = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 2000);
  }
  function saveOnLeaving() {
    if (!dirty || !navigator.sendBeacon || !window.FormData) { return; }
    if (timer) { clearTimeout(timer); timer = null; }
    if (navigator.sendBeacon(form.getAttribute("action"), draftData())) { dirty = false; }
  }
  var autosave = form.getAttribute("data-autosave") === "on";
  form.addEventListener("change", function () { progress(); if (autosave) { schedule(); } });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") {
      progress();
      if (autosave) { schedule(); }
    }
  });
  if (autosave) {
    window.addEventListener("pagehide", saveOnLeaving);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { saveOnLeaving(); }
    });
  }

  // One click sends once (the idempotency key makes a second send harmless anyway).
  form.addEventListener("submit", function (event) {
    if (timer) { clearTimeout(timer); }
    // The form itself goes to the server: nothing is to be saved on leaving.
    dirty = false;
    var button = event.submitter;
    if (button && button.value === "send") {
      if (form.getAttribute("data-sent") === "yes") { event.preventDefault(); return; }
      form.setAttribute("data-sent", "yes");
      setTimeout(function () { button.disabled = true; }, 0);
    }
  });
  progress();
})();

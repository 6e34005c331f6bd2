/* Keeps server-rendered deadline countdowns ticking: <time data-countdown datetime="…">.
   The wording comes from data attributes rendered in the user's language, so no catalogue is
   needed here; without this script the server-rendered text stays (it is right at load time). */
(function () {
  "use strict";

  function fill(format, values) {
    return format.replace(/\{(\w)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function render(element, now) {
    var due = Date.parse(element.getAttribute("datetime"));
    if (isNaN(due)) {
      return;
    }
    var seconds = (due - now) / 1000;
    var total = Math.ceil(Math.abs(seconds) / 60);
    var hours = Math.floor(total / 60);
    var minutes = total % 60;
    var amount = hours
      ? fill(element.dataset.fmtHour, { h: hours, m: minutes })
      : fill(element.dataset.fmtMin, { m: minutes });
    var format = seconds >= 0 ? element.dataset.fmtLeft : element.dataset.fmtOver;
    element.textContent = fill(format, { t: amount });
    element.classList.toggle("overdue", seconds < 0);
  }

  var loaded = Date.now();

  // An exercise's countdown runs on its clock: read at data-now, running data-speed times
  // the wall (0 while paused or stepped).
  function clockOf(element, wall) {
    var read = Date.parse(element.dataset.now || "");
    if (isNaN(read)) {
      return wall;
    }
    var speed = parseFloat(element.dataset.speed || "1");
    return read + (wall - loaded) * (isNaN(speed) ? 1 : speed);
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (element) {
      render(element, clockOf(element, now));
    });
  }

  tick();
  window.setInterval(tick, 15000);
})();

// The admin's date and time boxes are read and shown in the platform's time zone (TIME_ZONE), whatever the
// browser's. Django's "现在" and "今天" already fill in the server's time, but in a browser elsewhere (a UTC
// laptop) it wrote under each box "注意：你比服务器时间慢 8 个小时。", which read as if the times were wrong by 8
// hours and were to be corrected by hand. It says instead which zone every time of the admin is in.
(function () {
  if (typeof DateTimeShortcuts === "undefined") return;
  const me = document.currentScript;
  const zone = me.dataset.timeZone, offset = me.dataset.utcOffset;
  DateTimeShortcuts.addTimezoneWarning = function (inp) {
    if (!DateTimeShortcuts.timezoneOffset || inp.parentNode.querySelector(".timezonewarning")) return;
    const note = document.createElement("div");
    note.className = "help timezonewarning";
    note.textContent = interpolate(gettext("本站的时间都按 %(zone)s 时区（UTC%(offset)s）填写和显示，与您电脑的时区不同；点“现在”“今天”填入的也是该时区的时间。"),
                                   {zone: zone, offset: offset}, true);
    inp.parentNode.appendChild(note);
  };
  // The calendar marks as "today" the browser's day (Django's calendar.js asks new Date()): in a UTC browser
  // between midnight and 08:00 in Shanghai it marked yesterday. It marks the platform's day, the one "今天" fills in.
  if (typeof CalendarNamespace === "undefined") return;
  const draw = CalendarNamespace.draw;
  CalendarNamespace.draw = function (month, year, divId, callback, selected) {
    draw.apply(this, arguments);
    const today = DateTimeShortcuts.now();
    const shown = Number(month) === today.getMonth() + 1 && Number(year) === today.getFullYear();
    for (const cell of document.getElementById(divId).querySelectorAll("td")) {
      const link = cell.querySelector("a");
      cell.classList.toggle("today", Boolean(shown && link && link.textContent.trim() === String(today.getDate())));
    }
  };
})();

// Check-in: read the phone's position once, when the worker taps the button (the browser asks for consent).
// Typing the place stays possible: without a position the visit is recorded as "未定位".
(function () {
  const button = document.getElementById("locate");
  if (!button) return;
  const status = document.getElementById("locate-status");
  const field = (name) => document.getElementById("id_" + name);
  if (!("geolocation" in navigator)) {
    button.hidden = true;
    status.textContent = gettext("此浏览器不支持定位，请手动填写签到地点。");
    return;
  }
  button.addEventListener("click", () => {
    status.textContent = gettext("正在定位…");
    navigator.geolocation.getCurrentPosition((pos) => {
      field("lat").value = pos.coords.latitude.toFixed(6);
      field("lon").value = pos.coords.longitude.toFixed(6);
      field("accuracy").value = Math.round(pos.coords.accuracy);
      status.textContent = interpolate(gettext("已定位（精度约%(metres)s米），可以签到了。"), {metres: Math.round(pos.coords.accuracy)}, true);
      button.textContent = gettext("重新定位");
    }, (err) => {
      status.textContent = err.code === err.PERMISSION_DENIED
        ? gettext("未允许定位，请手动填写签到地点。") : gettext("暂时无法定位，请手动填写签到地点。");
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 0});
  });
})();

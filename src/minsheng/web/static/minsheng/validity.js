// Before a form is sent the browser checks what the page asks of each field (required, a length, an e-mail
// address, a number) and says what is wrong in a bubble it draws in its own words: "Please fill out this field."
// on a Chinese page, in an English browser and in Debian's headless Chromium whatever its language. Each field
// gets the site's words instead, set when the browser finds it wanting and cleared as soon as it is edited.
(function () {
  function words(field) {
    const v = field.validity;
    if (v.valueMissing) {
      if (field.type === "checkbox") return gettext("请勾选此项");
      if (field.type === "radio" || field.tagName === "SELECT") return gettext("请选择一项");
      if (field.type === "file") return gettext("请选择文件");
      return gettext("请填写此项");
    }
    if (v.typeMismatch) {
      if (field.type === "email") return gettext("请填写有效的电子邮箱地址");
      if (field.type === "url") return gettext("请填写有效的网址");
      return gettext("格式不正确");
    }
    if (v.tooShort) return interpolate(gettext("至少填写 %s 个字"), [field.minLength]);
    if (v.tooLong) return interpolate(gettext("最多填写 %s 个字"), [field.maxLength]);
    if (v.badInput) return gettext("请填写数字");
    if (v.rangeUnderflow) return interpolate(gettext("不能小于 %s"), [field.min]);
    if (v.rangeOverflow) return interpolate(gettext("不能大于 %s"), [field.max]);
    if (v.stepMismatch) return gettext("请填写有效的数值");
    if (v.patternMismatch) return field.title || gettext("格式不正确");
    return gettext("请检查此项");
  }
  document.addEventListener("invalid", (event) => {
    const field = event.target;
    field.setCustomValidity("");
    if (!field.validity.valid) field.setCustomValidity(words(field));
  }, true);
  // A group of round buttons is one answer: the browser finds each of them wanting, and choosing one clears them
  // all (only the chosen one's words were cleared: the next tap on 提交评价 did nothing, the others still wanting).
  function answered(field) {
    if (field.type !== "radio" || !field.name) return [field];
    return (field.form || document).querySelectorAll('input[type=radio][name="' + CSS.escape(field.name) + '"]');
  }
  for (const kind of ["input", "change"]) {
    document.addEventListener(kind, (event) => {
      if (!event.target.setCustomValidity) return;
      for (const field of answered(event.target)) field.setCustomValidity("");
    }, true);
  }
})();

// A form the server sent back opens at its first error: on a phone the page loaded at its top and the message
// under the last field (the check question's, the most common) stayed out of sight, as if nothing had happened.
document.addEventListener("DOMContentLoaded", () => {
  if (location.hash) return;
  const error = document.querySelector("form .errorlist");
  if (!error) return;
  const field = error.previousElementSibling;
  if (field && field.matches("input, textarea, select")) field.focus({preventScroll: true});
  error.scrollIntoView({block: "center"});
});

// 复制回执码: shown only where the browser can copy.
(function () {
  const button = document.getElementById("copy-code");
  if (!button || !navigator.clipboard) return;
  const status = document.getElementById("copy-status");
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(button.dataset.code).then(
      () => { status.textContent = gettext("已复制，可粘贴到备忘录或发给自己保存。"); },
      () => { status.textContent = gettext("无法自动复制，请长按回执码手动复制或截图。"); });
  });
})();

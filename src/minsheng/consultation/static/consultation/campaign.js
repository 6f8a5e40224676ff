// The suggestion box counts as you type and warns before the limit, instead of cutting a pasted text. It counts
// as the server does (blanks at either end dropped, characters after NFKC) and its line is the one that says a
// text is too long: the server writes its own "too long" there, for a browser without scripts.
(function () {
  const box = document.getElementById("id_text");
  const count = document.getElementById("text-count");
  if (!box || !count) return;
  const max = Number(box.dataset.max);
  const grouped = x => x.toLocaleString("zh-CN");  // 5,000 as the pages write counts, not 5000
  const show = () => {
    const n = [...box.value.trim().normalize("NFKC")].length;
    count.textContent = n > max
      ? interpolate(gettext("已写 %(n)s 字，超出 %(over)s 字，请删减后再提交（最多 %(max)s 字）"),
                    {n: grouped(n), over: grouped(n - max), max: grouped(max)}, true)
      : interpolate(gettext("已写 %(n)s 字，还可以写 %(left)s 字"), {n: grouped(n), left: grouped(max - n)}, true);
    count.classList.toggle("error", n > max);
  };
  box.addEventListener("input", show);
  // the browser puts a text back after this script ran (back from a page that said it was not saved), with no
  // input event: count again once the page is shown
  window.addEventListener("pageshow", show);
  show();
})();

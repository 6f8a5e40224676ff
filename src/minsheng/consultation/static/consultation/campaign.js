// The suggestion box counts as you type and warns before the limit, instead of cutting a pasted text.
(function () {
  const box = document.getElementById("id_text");
  const count = document.getElementById("text-count");
  if (!box || !count) return;
  const max = Number(box.dataset.max);
  const show = () => {
    const n = [...box.value.normalize("NFKC")].length;
    count.textContent = n > max ? `已写 ${n} 字，超出 ${n - max} 字，请删减后再提交（最多 ${max} 字）`
                                : `已写 ${n} 字，还可以写 ${max - n} 字`;
    count.classList.toggle("error", n > max);
  };
  box.addEventListener("input", show);
  show();
})();

// 常用语: choosing one puts its text into the reply box (replacing what is there only if the box is empty or
// still holds the previous template), for the officer to adapt.
document.querySelectorAll("select.reply-template").forEach((select) => {
  const box = document.getElementById(select.dataset.target);
  let placed = "";
  select.addEventListener("change", () => {
    const text = select.selectedOptions[0].dataset.text || "";
    if (box.value.trim() === "" || box.value === placed) {
      box.value = text;
      placed = text;
    } else if (text) {
      box.value = box.value + "\n" + text;
    }
    box.focus();
  });
});

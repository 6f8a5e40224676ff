// What was typed or chosen in a form that was not taken (the session had run out, or the action refused it with a message
// above), put back into the still-empty fields of the form it was posted from, with a note to read it and send it
// again (see minsheng/web/kept.py).
(function () {
  const holder = document.getElementById("kept-form");
  if (!holder) return;
  const kept = JSON.parse(holder.textContent);
  const form = Array.from(document.forms).find((f) => new URL(f.action, location.href).pathname === kept.action);
  if (!form) return;
  let restored = 0;
  for (const [name, value] of Object.entries(kept.fields)) {
    const field = form.elements.namedItem(name);
    if (!field || !value) continue;
    // A box ticked or a choice made (服务已完成, 满意度) is posted only when made: made again, unless the page
    // already shows a choice of its own. Put back as text only, a ticked 服务已完成 was sent again unticked.
    const boxes = field instanceof RadioNodeList ? Array.from(field) : [field];
    if (boxes.every((b) => b.type === "checkbox" || b.type === "radio")) {
      const box = boxes.find((b) => b.value === value);
      if (box && !boxes.some((b) => b.checked)) {
        box.checked = true;
        box.dispatchEvent(new Event("change", {bubbles: true}));
        restored += 1;
      }
      continue;
    }
    if (field instanceof RadioNodeList) continue;
    const typed = field.tagName === "TEXTAREA" || field.tagName === "SELECT"
      || (field.tagName === "INPUT" && !["hidden", "password", "file", "checkbox", "radio", "submit"].includes(field.type));
    if (!typed || (field.tagName !== "SELECT" && field.value)) continue;
    field.value = value;
    field.dispatchEvent(new Event("input", {bubbles: true}));  // what counts or checks as one types sees it too
    restored += 1;
  }
  if (!restored) return;
  const note = document.createElement("p");
  note.className = "notice";
  note.id = "kept-note";
  note.setAttribute("role", "status");
  note.textContent = kept.why === "refused"
    ? gettext("刚才的提交没有成功，您填写的内容已保留在下面的表单中。请按页面上方的提示修改后再提交。")
    : gettext("登录已失效，您登录前填写的内容已恢复到下面的表单，尚未提交。请核对后再提交。");
  form.prepend(note);
})();

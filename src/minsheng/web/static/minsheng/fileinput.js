// A file input is drawn by the browser in the browser's own language: Chromium's "Choose File" and "No file
// chosen" on a Chinese page, out of reach of the page's translations. Each one is hidden and given the site's
// button (选择文件) and the names of what was chosen. The input keeps its <label>, its name and its form; the
// button only opens it. Without script the browser's own input stays, which still works.
(function () {
  const none = gettext("未选择文件");
  for (const input of document.querySelectorAll("input[type=file]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "file-pick";
    button.textContent = input.multiple ? gettext("选择文件（可多选）") : gettext("选择文件");
    const label = input.labels && input.labels[0];
    if (label) button.setAttribute("aria-label", label.textContent.trim() + " · " + button.textContent);
    const names = document.createElement("span");
    names.className = "file-names";
    names.setAttribute("aria-live", "polite");
    names.textContent = none;
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      names.textContent = input.files.length ? Array.from(input.files, (f) => f.name).join("、") : none;
    });
    input.classList.add("file-hidden");
    input.tabIndex = -1;  // the button is what the keyboard reaches
    // a hidden required input cannot show the browser's bubble: the form would not send, without a word; the
    // server says in Chinese that a file is missing instead
    input.required = false;
    input.after(button, names);
  }
})();

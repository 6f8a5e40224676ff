// Django's two-box picker (SelectFilter2.js, drawn on load) says what its filter boxes are for in an aria-label on
// a bare <span>, which a screen reader does not read (axe: aria-prohibited-attr). As an image, the magnifier icon
// it is, the words are read, and they name the filter box the label holds.
window.addEventListener("load", function () {
  for (const icon of document.querySelectorAll(".selector .search-label-icon[aria-label]")) {
    icon.setAttribute("role", "img");
  }
});

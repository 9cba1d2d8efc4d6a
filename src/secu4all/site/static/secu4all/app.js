// Progressive enhancement only: every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  // Validation is the server's, in the page's language: never the browser's bubbles.
  for (const form of document.forms) {
    form.noValidate = true;
  }
  // After a refused submit, start at the list of problems (GOV.UK error summary).
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  // A wide table scrolls inside its own region instead of widening the page (WCAG 1.4.10);
  // a region that scrolls is named and reachable by keyboard, one that fits is left alone.
  const regions = [];
  for (const table of document.querySelectorAll("main table")) {
    let region = table.parentElement;
    if (!region.classList.contains("table-scroll")) {
      region = document.createElement("div");
      region.className = "table-scroll";
      table.before(region);
      region.append(table);
    }
    if (region.hasAttribute("role")) {
      continue; // the page named this region itself
    }
    const caption = table.caption ? table.caption.textContent.trim() : "";
    region.dataset.name = table.getAttribute("aria-label") || caption || document.title.split(" · ")[0];
    regions.push(region);
  }
  const markScrolling = () => {
    for (const region of regions) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.tabIndex = 0;
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", region.dataset.name);
      } else {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
      }
    }
  };
  markScrolling();
  window.addEventListener("resize", markScrolling);
});

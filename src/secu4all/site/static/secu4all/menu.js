// The compact navigation on narrow screens: one button folds the main and account navigation.
// Without this file both stay open, so every link is reachable without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const header = document.querySelector(".site-header");
  const button = header && header.querySelector(".menu-button");
  if (!button) return;
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-closed", !open);
  };
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
});

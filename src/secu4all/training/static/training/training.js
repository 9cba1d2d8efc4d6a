// Progressive enhancement of the training pages; every page works without it.
(function () {
  "use strict";

  // After an answer the page returns at #item-<key>: move focus to its feedback, so a screen
  // reader reads the verdict at once.
  var hash = window.location.hash;
  if (hash.indexOf("#item-") === 0) {
    var feedback = document.getElementById("feedback-" + hash.slice(6));
    if (feedback && feedback.textContent.trim()) {
      feedback.focus();
    }
  }

  // Hotspot: a click on a region ticks the radio button of the same region.
  document.querySelectorAll("[data-hotspot]").forEach(function (box) {
    box.querySelectorAll("[data-region]").forEach(function (shape) {
      shape.addEventListener("click", function () {
        var radio = document.getElementById(shape.getAttribute("data-region"));
        if (!radio || radio.disabled) {
          return;
        }
        radio.checked = true;
        radio.focus();
        box.querySelectorAll("[data-region]").forEach(function (other) {
          other.classList.toggle("chosen", other === shape);
        });
      });
    });
    box.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        box.querySelectorAll("[data-region]").forEach(function (shape) {
          shape.classList.toggle("chosen", shape.getAttribute("data-region") === radio.id);
        });
      });
    });
  });

  // Live run: fetch the injects every 20 seconds and replace the list when it changed.
  var injects = document.getElementById("injects");
  if (injects && injects.dataset.poll) {
    window.setInterval(function () {
      fetch(injects.dataset.poll, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html !== null && html.trim() !== injects.innerHTML.trim()) {
            injects.innerHTML = html;
          }
        })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }, 20000);
  }
})();

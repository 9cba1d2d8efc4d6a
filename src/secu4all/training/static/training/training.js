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

  // Ordering: "move up" and "move down" buttons beside each step renumber the position
  // fields, for those who would rather move steps than type numbers.
  document.querySelectorAll("[data-ordering]").forEach(function (list) {
    function renumber() {
      list.querySelectorAll("li").forEach(function (item, index) {
        item.querySelector("input.position").value = String(index + 1);
      });
    }
    list.querySelectorAll("li").forEach(function (item) {
      var name = item.querySelector("label").textContent.trim();
      [["up", list.dataset.up], ["down", list.dataset.down]].forEach(function (pair) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "move";
        button.textContent = pair[0] === "up" ? "↑" : "↓";
        button.setAttribute("aria-label", pair[1] + ": " + name);
        button.addEventListener("click", function () {
          var sibling = pair[0] === "up" ? item.previousElementSibling : item.nextElementSibling;
          if (!sibling) {
            return;
          }
          if (pair[0] === "up") {
            list.insertBefore(item, sibling);
          } else {
            list.insertBefore(sibling, item);
          }
          renumber();
          button.focus();
        });
        item.appendChild(button);
      });
    });
    renumber();
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

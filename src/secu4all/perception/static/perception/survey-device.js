// The survey's duplicate check without tracking: a random token kept in this site's own
// storage (localStorage, never a cookie) goes with the first page, so the same device
// answering twice is flagged for review. Nothing else about the device is read or sent.
(function () {
  "use strict";
  var field = document.getElementById("id_device");
  if (!field) {
    return;
  }
  var key = "secu4all-survey-device";
  var token;
  try {
    token = window.localStorage.getItem(key);
    if (!token) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      token = Array.prototype.map
        .call(bytes, function (b) {
          return ("0" + b.toString(16)).slice(-2);
        })
        .join("");
      window.localStorage.setItem(key, token);
    }
  } catch (error) {
    return; // storage blocked (private window, strict settings): no token, nothing flagged
  }
  field.value = token;
})();

// backstride: small progressive enhancements. Every page works without this file.
// - The import form refuses, before sending, files that add up to more than the upload limit.
// - While an upload is sent, its progress bar follows htmx's upload progress events.
(function () {
  "use strict";

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function tooLarge(form) {
    var max = Number(form.getAttribute("data-max-bytes") || "0");
    var input = form.querySelector('input[type="file"]');
    var message = form.querySelector(".upload-size-error");
    if (!max || !input || !input.files || !message) {
      return false;
    }
    var total = 0;
    for (var i = 0; i < input.files.length; i += 1) {
      total += input.files[i].size;
    }
    if (total > max) {
      message.textContent =
        "These files add up to " + megabytes(total) + ", more than the limit of " +
        megabytes(max) + ". Choose fewer files, or raise upload_max_mb in the settings.";
      message.hidden = false;
      return true;
    }
    message.textContent = "";
    message.hidden = true;
    return false;
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form instanceof HTMLFormElement && form.hasAttribute("data-max-bytes") && tooLarge(form)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  document.addEventListener("htmx:xhr:progress", function (event) {
    var detail = event.detail || {};
    var bar = document.querySelector("#import-progress progress");
    if (bar && detail.lengthComputable && detail.total > 0) {
      bar.value = Math.round((detail.loaded / detail.total) * 100);
    }
  });
})();

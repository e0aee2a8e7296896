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

// Tables read as cards on a phone: each cell is labelled with its column's heading (the CSS
// of pages.css lays them out under 48rem). Done again after htmx swaps a table in.
(function () {
  "use strict";

  function label(root) {
    var tables = (root || document).querySelectorAll(".table-wrap table, table.grades");
    for (var t = 0; t < tables.length; t += 1) {
      var table = tables[t];
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) {
        continue;
      }
      var names = [];
      for (var h = 0; h < heads.length; h += 1) {
        names.push((heads[h].textContent || "").trim());
      }
      var rows = table.querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r += 1) {
        var cells = rows[r].children;
        for (var c = 0; c < cells.length && c < names.length; c += 1) {
          if (!cells[c].hasAttribute("data-label")) {
            cells[c].setAttribute("data-label", names[c]);
          }
        }
      }
      table.classList.add("table-cards");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      label(document);
    });
  } else {
    label(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    label(event.target);
  });
})();

// The check-in's warning-sign questions appear as soon as any pain is recorded (a score above
// 0, a place, a feeling, a leg symptom) and are hidden (and not sent) for a pain-free one.
// Without this file they are always shown; the server refuses pain sent without them.
(function () {
  "use strict";

  function painRecorded(form) {
    var score = form.querySelector('input[name="score"]:checked');
    if (score && score.value !== "0") {
      return true;
    }
    return !!form.querySelector(
      'input[name="where"]:checked, input[name="feels"]:checked, ' +
        'input[name="walking_leg_symptoms"]:checked, input[name="eases_sitting"]:checked, ' +
        'input[name="worse_coughing"]:checked'
    );
  }

  function update(form) {
    var questions = form.querySelector("[data-pain-only]");
    if (!questions) {
      return;
    }
    var show = painRecorded(form) || !!questions.querySelector('input[name="red_flags"]:checked');
    questions.hidden = !show;
    questions.disabled = !show;
  }

  function setUp() {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i += 1) {
      if (forms[i].querySelector("[data-pain-only]")) {
        update(forms[i]);
      }
    }
  }

  document.addEventListener("change", function (event) {
    var form = event.target && event.target.form;
    if (form && form.querySelector("[data-pain-only]")) {
      update(form);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

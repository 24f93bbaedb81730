/*
 * The submission panel on a problem page (templates/submissions/_panel.html).
 *
 * - Upload with XMLHttpRequest so a <progress> bar can follow it; drag-and-drop
 *   onto the file area. Without this script the form posts normally.
 * - While any of the team's submissions is queued or running, ask its status
 *   URL every 2 seconds and update that row (and the limits) in place.
 *
 * Every text shown comes from the page (data-msg-* attributes, rendered rows),
 * so it is already translated.
 */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var timer = null;

  function parseHTML(html) {
    var template = document.createElement("template");
    template.innerHTML = (html || "").trim();
    return template.content.firstElementChild;
  }

  function announce(text) {
    var region = document.querySelector("[data-announcer]");
    if (region) {
      region.textContent = text;
    }
  }

  function replaceQuota(html) {
    var old = document.querySelector("[data-quota]");
    var fresh = html && parseHTML(html);
    if (old && fresh) {
      old.replaceWith(fresh);
    }
  }

  function rowLabel(row) {
    var name = row.querySelector(".filename");
    var badge = row.querySelector("[data-cell=status] .badge");
    return (name ? name.textContent.trim() : "") + ": " + (badge ? badge.textContent.trim() : "");
  }

  /* Update a row cell by cell, so focus stays on buttons that did not change. */
  function updateRow(row, html) {
    var fresh = parseHTML(html);
    if (!fresh) {
      return;
    }
    var oldCells = row.querySelectorAll("[data-cell]");
    var newCells = fresh.querySelectorAll("[data-cell]");
    if (oldCells.length !== newCells.length) {
      row.replaceWith(fresh);
      return;
    }
    ["data-status", "data-pending", "data-status-url"].forEach(function (name) {
      if (fresh.hasAttribute(name)) {
        row.setAttribute(name, fresh.getAttribute(name));
      } else {
        row.removeAttribute(name);
      }
    });
    newCells.forEach(function (cell, i) {
      if (oldCells[i].innerHTML !== cell.innerHTML) {
        oldCells[i].innerHTML = cell.innerHTML;
      }
    });
  }

  function applyStatus(row, data) {
    var before = row.getAttribute("data-status");
    updateRow(row, data.row_html);
    replaceQuota(data.quota_html);
    if (data.status !== before) {
      var current = document.getElementById(row.id) || row;
      announce(rowLabel(current));
    }
  }

  function pendingRows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr[data-pending][data-status-url]"));
  }

  function pollRow(row) {
    var url = row.getAttribute("data-status-url");
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        if (response.ok) {
          return response.json();
        }
        if (response.status === 401 || response.status === 404) {
          row.removeAttribute("data-pending"); // gone or logged out: stop asking
        }
        return null;
      })
      .then(function (data) {
        if (data) {
          applyStatus(row, data);
        }
      })
      .catch(function () {
        /* offline for a moment: try again on the next round */
      });
  }

  function tick() {
    timer = null;
    var rows = pendingRows();
    if (!rows.length) {
      return;
    }
    if (document.hidden) {
      schedule();
      return;
    }
    Promise.all(rows.map(pollRow)).then(schedule, schedule);
  }

  function schedule() {
    if (timer === null && pendingRows().length) {
      timer = window.setTimeout(tick, POLL_MS);
    }
  }

  function insertRow(html) {
    var body = document.querySelector("[data-submissions] tbody");
    var row = parseHTML(html);
    if (!body || !row) {
      return;
    }
    var empty = body.querySelector("[data-empty]");
    if (empty) {
      empty.remove();
    }
    body.insertBefore(row, body.firstElementChild);
  }

  function formatSize(bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return (bytes / 1024).toFixed(1) + " KB";
    }
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function enhanceForm(form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-dropzone]");
    var nameOut = form.querySelector("[data-file-name]");
    var progress = form.querySelector("[data-progress]");
    var errorOut = form.querySelector("[data-submit-error]");
    var statusOut = form.querySelector("[data-submit-status]");
    var button = form.querySelector("button[type=submit]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var types = (form.getAttribute("data-types") || "").split(",");
    var dropped = null;

    function msg(name) {
      return form.getAttribute("data-msg-" + name) || "";
    }

    function showError(text) {
      statusOut.textContent = "";
      errorOut.textContent = text;
      errorOut.hidden = !text;
    }

    function chosenFile() {
      return (input.files && input.files[0]) || dropped;
    }

    function showChosen() {
      var file = chosenFile();
      nameOut.textContent = file ? msg("chosen") + " " + file.name + " (" + formatSize(file.size) + ")" : "";
      showError("");
    }

    function problemWith(file) {
      if (!file) {
        return msg("choose");
      }
      var dot = file.name.lastIndexOf(".");
      var ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
      if (types.indexOf(ext) < 0) {
        return msg("type");
      }
      if (maxBytes && file.size > maxBytes) {
        return msg("too-large");
      }
      return "";
    }

    function finish() {
      button.disabled = false;
      form.removeAttribute("aria-busy");
      progress.hidden = true;
    }

    function succeeded(data) {
      statusOut.textContent = data.message || "";
      form.reset();
      dropped = null;
      nameOut.textContent = "";
      insertRow(data.row_html);
      replaceQuota(data.quota_html);
      schedule();
    }

    function upload() {
      var body = new FormData(form);
      if (dropped && !(input.files && input.files.length)) {
        body.set("file", dropped, dropped.name);
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          progress.value = Math.round((event.loaded / event.total) * 100);
        } else {
          progress.removeAttribute("value");
        }
      });
      xhr.addEventListener("load", function () {
        finish();
        var data = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch (ignored) {
          data = null;
        }
        if (xhr.status === 202 && data) {
          succeeded(data);
        } else {
          showError((data && data.error && data.error.message) || msg("failed"));
        }
      });
      xhr.addEventListener("error", function () {
        finish();
        showError(msg("network"));
      });
      button.disabled = true;
      form.setAttribute("aria-busy", "true");
      progress.value = 0;
      progress.hidden = false;
      showError("");
      statusOut.textContent = msg("uploading");
      xhr.send(body);
    }

    input.addEventListener("change", function () {
      dropped = null;
      showChosen();
    });

    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("dragover");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () {
        zone.classList.remove("dragover");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) {
        return;
      }
      try {
        input.files = files; // most browsers accept this; it keeps the input truthful
      } catch (ignored) {
        /* older browsers: the file is sent from `dropped` instead */
      }
      dropped = input.files && input.files.length ? null : files[0];
      showChosen();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var problem = problemWith(chosenFile());
      if (problem) {
        showError(problem);
        input.focus();
        return;
      }
      upload();
    });
  }

  var form = document.querySelector("form[data-submit-form]");
  if (form && window.FormData && window.XMLHttpRequest && "upload" in new XMLHttpRequest()) {
    enhanceForm(form);
  }
  if (window.fetch && window.Promise) {
    schedule();
  }
})();

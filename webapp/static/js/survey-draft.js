/* Keeps what a customer typed in a survey across a reload, until the thank-you page shows.
 *
 * The form carries data-draft-key (one key per link). Every change is saved to localStorage; a fresh
 * page (data-draft-restore, i.e. not a re-shown form with errors) puts the saved answers back. The
 * thank-you and "already answered" pages carry data-draft-clear and remove the saved answers.
 * Without JavaScript or storage the survey still works; only this convenience is lost.
 */
(function () {
  "use strict";

  // Fields that belong to one rendering of the page, never to the customer's answers.
  var SKIPPED = { csrf_token: true, submission_key: true };

  function storage() {
    try {
      var probe = "journey-voice:probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage turned off
    }
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIPPED[element.name] || element.type === "submit") {
        return;
      }
      if (!values[element.name]) {
        values[element.name] = [];
      }
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.checked) {
          values[element.name].push(element.value);
        }
      } else {
        values[element.name].push(element.value);
      }
    });
    return values;
  }

  function restore(form, values) {
    Array.prototype.forEach.call(form.elements, function (element) {
      var saved = values[element.name];
      if (!element.name || SKIPPED[element.name] || !Array.isArray(saved)) {
        return;
      }
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = saved.indexOf(element.value) !== -1;
      } else if (saved.length) {
        element.value = saved[0];
      }
    });
  }

  function start() {
    var store = storage();
    if (!store) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-draft-clear]"), function (element) {
      store.removeItem(element.getAttribute("data-draft-clear"));
    });
    var form = document.querySelector("form[data-draft-key]");
    if (!form) {
      return;
    }
    var key = form.getAttribute("data-draft-key");
    if (form.hasAttribute("data-draft-restore")) {
      try {
        restore(form, JSON.parse(store.getItem(key) || "{}"));
      } catch (error) {
        store.removeItem(key); // an unreadable draft is worth less than a working page
      }
    }
    var save = function () {
      try {
        store.setItem(key, JSON.stringify(collect(form)));
      } catch (error) {
        // storage full: keep going without saving
      }
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

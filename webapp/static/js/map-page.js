// The map page without reloads where it helps: filters apply as they change, a blocker's quotes open in a
// dialog, share links copy with one click. Without JavaScript every part still works as plain links and forms.
(function () {
  "use strict";

  // Filters: leave empty fields out of the URL (a shared view reads ?persona=3, not ?persona=3&survey=&…),
  // and apply a choice as soon as it is made.
  document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("select, input").forEach(function (field) {
        if (field.name && !field.value) { field.disabled = true; }
      });
    });
    form.addEventListener("change", function (event) {
      if (event.target.matches("select")) { form.requestSubmit(); }
    });
  });

  // On a phone the filters fold away so that the curve comes first; their summary opens them again.
  if (window.matchMedia("(max-width: 576px)").matches) {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (panel) { panel.open = false; });
  }

  // Quotes of a blocker in a dialog; its links page through them in place.
  var dialog = document.getElementById("quotes-dialog");
  if (dialog && typeof dialog.showModal === "function") {
    var body = dialog.querySelector(".quotes-dialog-body");
    var title = dialog.querySelector(".quotes-dialog-title");
    var opener = null;

    var load = function (href) {
      var url = new URL(href, window.location.href);
      url.searchParams.set("fragment", "1");
      body.setAttribute("aria-busy", "true");
      return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          body.innerHTML = html;
          var fragment = body.querySelector("[data-quotes-fragment]");
          if (fragment && fragment.dataset.title) { title.textContent = fragment.dataset.title; }
          body.removeAttribute("aria-busy");
        });
    };

    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-quotes], a[data-quotes-page]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      if (link.hasAttribute("data-quotes")) { opener = link; }
      load(link.href).then(function () {
        if (!dialog.open) { dialog.showModal(); }
        body.scrollTop = 0;
      }).catch(function () {
        window.location.href = link.href;  // the plain page says what went wrong
      });
    });

    dialog.addEventListener("click", function (event) {
      // A click on the backdrop (the dialog itself, outside its article) closes it.
      if (event.target === dialog || event.target.closest("[data-close-dialog]")) { dialog.close(); }
    });
    dialog.addEventListener("close", function () {
      if (opener) { opener.focus(); }
    });
  }

  // A download chosen from the menu closes it (Pico's open menu covers the page to catch the next click).
  document.querySelectorAll("details.dropdown").forEach(function (menu) {
    menu.addEventListener("click", function (event) {
      if (event.target.closest("a")) { menu.removeAttribute("open"); }
    });
  });

  // Share links: copy to the clipboard.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = button.closest("li").querySelector("[data-share-link]");
      var done = function () {
        var text = button.textContent;
        button.textContent = button.dataset.copied || "✓";
        setTimeout(function () { button.textContent = text; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done);
      } else {
        input.select();
        document.execCommand("copy");
        done();
      }
    });
  });
}());

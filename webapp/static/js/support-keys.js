// Keyboard first: the support queue and an item are worked without the mouse. Every key only does what a
// visible button or link on the page does, so without JavaScript the pages work the same with Tab and Enter.
(function () {
  "use strict";

  function typingIn(target) {
    if (target.isContentEditable || target.matches("textarea, select")) { return true; }
    return target.matches("input") && !target.matches("[type=checkbox], [type=radio], [type=submit], [type=button]");
  }

  // The queue: j / k move between items, x selects the current one for a bulk action, Enter opens it.
  var queue = document.querySelector('[data-keyboard="queue"]');
  var current = -1;
  function move(step) {
    var items = queue.querySelectorAll(".support-item");
    if (!items.length) { return; }
    if (current >= 0 && items[current]) { items[current].classList.remove("is-current"); }
    current = Math.max(0, Math.min(items.length - 1, current + step));
    items[current].classList.add("is-current");
    items[current].querySelector(".item-link").focus();
  }

  // An item: c confirms the machine's labels, e goes to the emotions (Space ticks, Tab moves), b to the
  // blockers, s saves the correction, r resolves, t goes to the tags, u back to the queue.
  var item = document.querySelector('[data-keyboard="item"]');
  function press(selector) {
    var button = item.querySelector(selector);
    if (button) { button.click(); }
  }
  function openAndFocus(name) {
    var list = document.getElementById(name);
    if (!list) { return; }
    list.closest("details").open = true;
    var first = list.querySelector("input");
    if (first) { first.focus(); }
  }

  // "Select every item on this page": shown only where this script runs, since only it can tick them all.
  var selectAll = document.querySelector("[data-select-all]");
  if (selectAll && queue) {
    selectAll.closest("label").hidden = false;
    selectAll.addEventListener("change", function () {
      queue.querySelectorAll('input[name="selected"]').forEach(function (box) { box.checked = selectAll.checked; });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typingIn(event.target)) { return; }
    var key = event.key;
    if (queue) {
      if (key === "j") { move(1); } else if (key === "k") { move(-1); } else if (key === "x" && current >= 0) {
        var box = queue.querySelectorAll(".support-item")[current].querySelector("input[type=checkbox]");
        box.checked = !box.checked;
      } else { return; }
    } else if (item) {
      if (key === "c") { press('button[name=action][value=confirm]'); } else if (key === "s") {
        press('button[name=action][value=correct]');
      } else if (key === "e") { openAndFocus("emotions"); } else if (key === "b") { openAndFocus("blockers"); }
      else if (key === "r") {
        document.getElementById("status").value = "resolved";
        document.getElementById("status").form.requestSubmit();
      } else if (key === "t") { document.getElementById("tags").focus(); } else if (key === "u") {
        window.location.href = item.dataset.queueUrl;
      } else { return; }
    } else { return; }
    event.preventDefault();
  });
})();

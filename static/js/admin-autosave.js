/* Article form: a copy of the unsaved text in the browser, so a failed save loses nothing.
 *
 * Every text field (all languages, the rich-text editors' HTML included) is kept in
 * localStorage under the article's id ("new" for an unsaved one) a second after typing and
 * every few seconds. When the page shows something else than the stored copy (a save that
 * failed, a closed tab, a conflict with another editor), a bar offers to put it back. The
 * copy is dropped once the admin confirms a save (its success message); a page that comes
 * back with errors keeps it. Texts come from the server as data attributes (translated).
 */
(function () {
  "use strict";

  var PREFIX = "newsroom-autosave:";
  var PENDING = "newsroom-autosave-pending";

  function storageKey() {
    var match = window.location.pathname.match(/\/articles\/article\/(?:(\d+)\/change|(add))\/$/);
    if (!match) return null;
    return PREFIX + (match[1] || "new");
  }

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function clearAfterSuccessfulSave() {
    var pending = window.sessionStorage.getItem(PENDING);
    if (!pending) return;
    var saved = document.querySelector(".messagelist .success");
    var failed = document.querySelector(".errornote, .errorlist, .messagelist .error");
    if (saved && !failed) {
      window.localStorage.removeItem(pending);
      window.sessionStorage.removeItem(PENDING);
    } else if (failed) {
      window.sessionStorage.removeItem(PENDING);
    }
  }

  function textFields(form) {
    var selector = "input[type=text], input:not([type]), textarea";
    return Array.prototype.filter.call(form.querySelectorAll(selector), function (field) {
      return field.name && field.name.indexOf("__prefix__") === -1 && !field.disabled;
    });
  }

  function snapshot(form) {
    var values = {};
    textFields(form).forEach(function (field) {
      values[field.name] = field.value;
    });
    return values;
  }

  function differs(stored, shown) {
    return Object.keys(stored).some(function (name) {
      return name in shown && stored[name] !== shown[name];
    });
  }

  function setValue(form, name, value) {
    var field = form.querySelector('[name="' + name.replace(/"/g, "") + '"]');
    if (!field) return;
    field.value = value;
    var editor = window.newsroomEditorOf && window.newsroomEditorOf(field);
    if (editor) editor.commands.setContent(value);
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function offerRestore(form, key, stored, texts) {
    var bar = document.createElement("div");
    bar.className = "autosave-bar";
    bar.setAttribute("role", "status");
    var when = new Date(stored.time);
    var label = document.createElement("span");
    label.textContent = texts.found.replace(
      "%(time)s",
      when.toLocaleString(document.documentElement.lang || undefined)
    );
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button autosave-restore";
    restore.textContent = texts.restore;
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button autosave-discard";
    discard.textContent = texts.discard;
    restore.addEventListener("click", function () {
      Object.keys(stored.fields).forEach(function (name) {
        setValue(form, name, stored.fields[name]);
      });
      bar.remove();
    });
    discard.addEventListener("click", function () {
      window.localStorage.removeItem(key);
      bar.remove();
    });
    bar.append(label, " ", restore, " ", discard);
    form.prepend(bar);
  }

  function start() {
    clearAfterSuccessfulSave();
    var key = storageKey();
    var form = document.querySelector("#article_form");
    var marker = form && form.querySelector("[data-autosave-restore]");
    if (!key || !form || !marker) return;
    var texts = {
      found: marker.getAttribute("data-autosave-found"),
      restore: marker.getAttribute("data-autosave-restore"),
      discard: marker.getAttribute("data-autosave-discard"),
    };
    // What the server sent: the rich-text editors only write to their textareas on a change.
    var opened = snapshot(form);
    var stored = read(key);
    if (stored && stored.fields && differs(stored.fields, opened)) {
      offerRestore(form, key, stored, texts);
    }

    function save() {
      var current = snapshot(form);
      if (!differs(current, opened)) return;
      try {
        window.localStorage.setItem(
          key,
          JSON.stringify({ time: new Date().toISOString(), fields: current })
        );
      } catch (error) {
        /* storage full or disabled: nothing to do */
      }
    }

    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 800);
    });
    window.setInterval(save, 5000);
    form.addEventListener("submit", function () {
      save();
      window.sessionStorage.setItem(PENDING, key);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Article form: each rich-text editor writes in its own language's direction, and a paste
 * arrives as clean paragraphs.
 *
 * The server gives every translated field's textarea `dir` and `lang` (articles/forms.py); the
 * editor (django-prose-editor) hides that textarea and edits in a new element, which gets them
 * copied here. Pasting: text copied from web pages, Word or chat apps comes with hard line
 * breaks and runs of non-breaking spaces; each line becomes a paragraph and every run of
 * spaces one plain space. No inline script: loaded from the admin's Media (CSP).
 */
(function () {
  "use strict";

  function syncDirection() {
    var areas = document.querySelectorAll(".prose-editor textarea[dir]");
    Array.prototype.forEach.call(areas, function (textarea) {
      var editable = textarea.closest(".prose-editor").querySelector(".ProseMirror");
      if (!editable) return;
      ["dir", "lang"].forEach(function (attr) {
        var value = textarea.getAttribute(attr);
        if (value && editable.getAttribute(attr) !== value) editable.setAttribute(attr, value);
      });
    });
  }

  /* Lines of clean text from a pasted string: the unit the paste handler inserts. */
  function pastedLines(text) {
    return String(text)
      .replace(/&nbsp;/gi, " ")
      .replace(/\r\n?/g, "\n")
      .split(/\n|\u2028|\u2029/)
      .map(function (line) {
        return line.replace(/[\s\u00a0\u202f\u2007]+/g, " ").trim();
      })
      .filter(function (line) {
        return line.length > 0;
      });
  }

  /* The editor instances, announced by django-prose-editor with their textarea. */
  var editors = new WeakMap();

  function editorOf(element) {
    var wrapper = element && element.closest && element.closest(".prose-editor");
    var textarea = wrapper && wrapper.querySelector("textarea");
    return (textarea && editors.get(textarea)) || null;
  }

  function onPaste(event) {
    var editable = event.target && event.target.closest && event.target.closest(".ProseMirror");
    var editor = editable && editorOf(editable);
    var data = event.clipboardData;
    if (!editor || !data) return;
    var text = data.getData("text/plain");
    if (!text) return; // images and files: left to the editor
    var lines = pastedLines(text);
    event.preventDefault();
    event.stopPropagation();
    if (!lines.length) return;
    var content;
    if (lines.length === 1) {
      content = { type: "text", text: lines[0] };
    } else {
      content = lines.map(function (line) {
        return { type: "paragraph", content: [{ type: "text", text: line }] };
      });
    }
    editor.chain().focus().insertContent(content).run();
  }

  window.newsroomPastedLines = pastedLines;
  window.newsroomEditorOf = editorOf;
  document.addEventListener("paste", onPaste, true);
  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail && event.detail.textarea && event.detail.editor) {
      editors.set(event.detail.textarea, event.detail.editor);
    }
    syncDirection();
  });
  document.addEventListener("DOMContentLoaded", function () {
    syncDirection();
    new MutationObserver(syncDirection).observe(document.body, { childList: true, subtree: true });
  });
})();

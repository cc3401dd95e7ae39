/* Article form: live character counters under the SEO fields (search engines cut longer
 * titles and descriptions). The limit is the field's maxlength, set by the server.
 */
(function () {
  "use strict";

  function attach(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max) return;
    var counter = document.createElement("span");
    counter.className = "char-counter";
    counter.setAttribute("aria-live", "polite");
    counter.setAttribute("dir", "ltr");
    function update() {
      counter.textContent = field.value.length + " / " + max;
      counter.classList.toggle("char-counter--full", field.value.length >= max);
    }
    field.addEventListener("input", update);
    field.after(counter);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelectorAll(
      "[name^='meta_title_'], [name^='meta_description_']"
    );
    Array.prototype.forEach.call(fields, attach);
  });
})();

// The comment form of a cached article page carries no CSRF token and no signed render time
// (every reader shares the page): fetch both once the reader starts writing, and before
// sending if that has not happened yet. Without this script the server offers the form again
// on its own page, with both tokens.
(function () {
  "use strict";
  var form = document.querySelector("form[data-token-url]");
  if (!form) {
    return;
  }
  var pending = null;

  function fill(data) {
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!csrf) {
      csrf = document.createElement("input");
      csrf.type = "hidden";
      csrf.name = "csrfmiddlewaretoken";
      form.appendChild(csrf);
    }
    csrf.value = data.csrf;
    form.querySelector("input[name=rendered]").value = data.rendered;
  }

  function fetchTokens() {
    if (!pending) {
      pending = fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("token " + response.status);
          }
          return response.json();
        })
        .then(fill)
        .catch(function () {
          pending = null; // sent without tokens, the server shows the form again
        });
    }
    return pending;
  }

  form.addEventListener("focusin", fetchTokens, { once: true });
  form.addEventListener("submit", function (event) {
    if (form.querySelector("input[name=rendered]").value) {
      return;
    }
    event.preventDefault();
    var send = function () {
      form.submit();
    };
    fetchTokens().then(send, send);
  });
})();

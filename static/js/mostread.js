// Count this article view for the "most read" block. The page may come from the page cache,
// so the server never saw it: report it once, to the same origin, without cookies of its
// own. A prerendered page (the reader may never open it) is counted when it is shown.
(function () {
  "use strict";
  var script = document.querySelector("script[data-mostread-url]");
  if (!script) {
    return;
  }
  var url = script.dataset.mostreadUrl;
  var body = new URLSearchParams({ article: script.dataset.article, lang: script.dataset.lang });

  function send() {
    if (navigator.sendBeacon && navigator.sendBeacon(url, body)) {
      return;
    }
    if (window.fetch) {
      fetch(url, { method: "POST", body: body, keepalive: true, credentials: "same-origin" })
        .catch(function () {});
    }
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();

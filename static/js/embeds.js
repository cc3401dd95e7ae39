// Privacy-friendly embeds: a YouTube card becomes the youtube-nocookie player only when the
// reader clicks it, so reading an article sends nothing to a third party. Without this file
// (or with a modified click) the card stays an ordinary link to the video.
"use strict";

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-embed-youtube]");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const video = link.dataset.embedYoutube;
  if (!/^[A-Za-z0-9_-]{11}$/.test(video)) return;
  event.preventDefault();
  const frame = document.createElement("iframe");
  frame.src = `https://www.youtube-nocookie.com/embed/${video}?autoplay=1`;
  frame.title = link.querySelector(".embed__title").textContent;
  frame.width = "560";
  frame.height = "315";
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.allowFullscreen = true;
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.className = "embed__frame";
  link.closest(".embed").replaceChildren(frame);
});

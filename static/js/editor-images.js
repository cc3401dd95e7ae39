// Pictures inside article bodies, for the admin's rich-text editor (django-prose-editor).
//
// Replaces the editor's Figure and Image extensions with versions that know the media
// library: the toolbar's "Insert image" button opens a dialog to upload a picture (or pick a
// recent one) with its alt text, caption and credit, and inserts
// <figure><img src alt width height data-media-id><figcaption>caption — credit</figcaption></figure>.
// Public pages turn data-media-id into a responsive <picture> at render time.

import {
  Figure as BaseFigure,
  Image as BaseImage,
  crel,
} from "django-prose-editor/editor"

const stylesheet = new URL("../css/editor-images.css", import.meta.url).href
if (!document.querySelector(`link[href="${stylesheet}"]`)) {
  document.head.append(crel("link", { rel: "stylesheet", href: stylesheet }))
}

export const Image = BaseImage.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      mediaId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-media-id"),
        renderHTML: (attributes) =>
          attributes.mediaId ? { "data-media-id": attributes.mediaId } : {},
      },
    }
  },
})

const csrfToken = () =>
  document.querySelector("input[name=csrfmiddlewaretoken]")?.value ||
  (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] ||
  ""

const field = (labelText, input) =>
  crel("div", { className: "library-dialog__field" }, [
    crel("label", { htmlFor: input.id, textContent: labelText }),
    input,
  ])

let dialogCount = 0

const openDialog = (editor, options) => {
  const labels = options.labels || {}
  const id = `library-dialog-${++dialogCount}`
  const error = crel("p", {
    className: "library-dialog__error",
    role: "alert",
    hidden: true,
  })
  const file = crel("input", {
    id: `${id}-file`,
    name: "file",
    type: "file",
    accept: "image/jpeg,image/png,image/webp",
  })
  const alt = crel("input", { id: `${id}-alt`, name: "alt", required: true, maxLength: 250 })
  const caption = crel("input", {
    id: `${id}-caption`,
    name: "caption",
    required: true,
    maxLength: 300,
  })
  const credit = crel("input", { id: `${id}-credit`, name: "credit", maxLength: 120 })
  // Hidden until the library answers with at least one picture.
  const orPick = crel("p", {
    className: "library-dialog__or",
    textContent: labels.recent,
    hidden: true,
  })
  const recent = crel("div", {
    className: "library-dialog__recent",
    role: "group",
    "aria-label": labels.recent,
    hidden: true,
  })
  const submit = crel("button", {
    type: "submit",
    className: "library-dialog__insert",
    textContent: labels.insert,
  })
  const cancel = crel("button", { type: "button", textContent: labels.cancel })
  const form = crel("form", { method: "dialog" }, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: labels.title }),
    error,
    field(labels.upload, file),
    orPick,
    recent,
    field(labels.alt, alt),
    field(labels.caption, caption),
    field(labels.credit, credit),
    crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog library-dialog" }, [form])
  editor.view.dom.parentElement.append(dialog)

  let picked = null
  const showError = (messages) => {
    error.textContent = [].concat(messages).join(" ")
    error.hidden = false
  }

  fetch(options.recentUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : { images: [] }))
    .then(({ images }) => {
      orPick.hidden = recent.hidden = !images.length
      for (const image of images) {
        const button = crel(
          "button",
          {
            type: "button",
            className: "library-dialog__pick",
            title: image.alt,
            "aria-pressed": "false",
            "data-media-id": String(image.id),
          },
          [crel("img", { src: image.thumb, alt: image.alt })],
        )
        button.addEventListener("click", () => {
          for (const other of recent.querySelectorAll("[aria-pressed]")) {
            other.setAttribute("aria-pressed", "false")
          }
          button.setAttribute("aria-pressed", "true")
          picked = image
          file.value = ""
          alt.value = alt.value || image.alt
          caption.value = caption.value || image.caption
          credit.value = credit.value || image.credit
        })
        recent.append(button)
      }
    })
    .catch(() => {})

  file.addEventListener("change", () => {
    picked = null
    for (const other of recent.querySelectorAll("[aria-pressed]")) {
      other.setAttribute("aria-pressed", "false")
    }
  })

  const insert = (image) => {
    const text = [caption.value.trim(), credit.value.trim()].filter(Boolean).join(" — ")
    const content = [
      {
        type: "image",
        attrs: {
          src: image.src,
          alt: alt.value.trim(),
          width: image.width,
          height: image.height,
          mediaId: String(image.id),
        },
      },
    ]
    if (text) content.push({ type: "caption", content: [{ type: "text", text }] })
    editor.chain().focus().insertContent({ type: "figure", content }).run()
    dialog.close()
  }

  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  submit.addEventListener("click", async (event) => {
    event.preventDefault()
    error.hidden = true
    if (!form.reportValidity()) return
    if (picked && !file.files.length) {
      insert(picked)
      return
    }
    if (!file.files.length) {
      showError(labels.choose)
      return
    }
    const body = new FormData()
    body.append("file", file.files[0])
    body.append("alt", alt.value.trim())
    body.append("caption", caption.value.trim())
    body.append("credit", credit.value.trim())
    submit.disabled = true
    submit.textContent = labels.uploading
    try {
      const response = await fetch(options.uploadUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      })
      const data = await response.json().catch(() => ({}))
      if (!response.ok) {
        showError(data.errors?.length ? data.errors : labels.failed)
        return
      }
      insert(data)
    } catch {
      showError(labels.failed)
    } finally {
      submit.disabled = false
      submit.textContent = labels.insert
    }
  })
  dialog.showModal()
}

export const Figure = BaseFigure.extend({
  addOptions() {
    return {
      ...this.parent?.(),
      uploadUrl: null,
      recentUrl: null,
      labels: {},
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      insertLibraryImage:
        () =>
        ({ editor, dispatch }) => {
          if (dispatch) openDialog(editor, this.options)
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    const title = this.options.labels.title || "Insert image"
    // Same name as the stock "figure" item, so it replaces it in the toolbar.
    menu.defineItem({
      name: "figure",
      groups: "nodes",
      command(editor) {
        editor.commands.insertLibraryImage()
      },
      button: buttons.material("image", title),
      active(editor) {
        return editor.isActive("figure")
      },
    })
  },
})

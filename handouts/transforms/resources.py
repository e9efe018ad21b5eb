"""Resources: every image is a file in content/assets/, with alternative text or marked decorative."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from ..html_classes import has_class
from ..prepare.parse import Handout
from . import Context, Transform


class LocalResources(Transform):
    name = "resources"

    def apply(self, handout: Handout, context: Context) -> None:
        content_dir = handout.source.path.parent
        assets = (content_dir / "assets").resolve()
        for image in handout.body.iter("img"):
            src = image.get("src") or ""
            line = handout.line(image)
            message = _problem_with_source(src, content_dir, assets)
            if message:
                context.diagnostics.error(handout.source.path, line, message)
            decorative = has_class(image, "decorative")
            if not decorative and not (image.get("alt") or "").strip():
                context.diagnostics.error(
                    handout.source.path, line,
                    f"the image {src} has no alternative text: describe it, "
                    "![what the image shows](…), or mark an image that carries no "
                    "information ![](…){: .decorative }")
            elif decorative:
                image.set("alt", "")


def _problem_with_source(src: str, content_dir, assets) -> str | None:
    parts = urlsplit(src)
    if not src:
        return "an image has no usable source: write ![alt text](assets/file.png)"
    if parts.scheme or parts.netloc:
        return (f"the image {src} is not a file in the project: Handouts never downloads; "
                "save it in content/assets/ and link to assets/…")
    if "\0" in unquote(parts.path):
        return f"the image {src} cannot be a file: a file name cannot hold %00"
    path = (content_dir / unquote(parts.path)).resolve()
    if not path.is_relative_to(assets):
        return f"the image {src} is not in content/assets/: move it there and link to assets/…"
    if not path.is_file():
        return f"the image {src} does not exist: check the file name in content/assets/"
    return None

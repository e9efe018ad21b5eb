"""Resources: every image a handout shows must be a file inside the project."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from ..parse import Handout
from . import Context, Transform


class LocalResources(Transform):
    name = "resources"
    priority = 10

    def apply(self, handout: Handout, context: Context) -> None:
        content_dir = handout.source.path.parent
        root = context.project_root
        for image in handout.body.iter("img"):
            src = image.get("src") or ""
            line = handout.line_of(src) if src else None
            parts = urlsplit(src)
            if not src:
                message = "an image has no source: write ![alt text](assets/file.png)"
            elif parts.scheme or parts.netloc:
                message = (f"the image {src} is not a file in the project: Handouts never "
                           "downloads; save it in content/assets/ and link to assets/…")
            else:
                path = (content_dir / unquote(parts.path)).resolve()
                if not path.is_relative_to(root):
                    message = (f"the image {src} is outside the project: images must be in "
                               "content/assets/")
                elif not path.is_file():
                    message = (f"the image {src} does not exist: check the file name in "
                               "content/assets/")
                else:
                    continue
            context.diagnostics.error(handout.source.path, line, message)

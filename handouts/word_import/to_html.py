"""Word's styles to semantic HTML with mammoth; the images kept in memory, not yet written."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import mammoth

from .read import ImportRefused, WordFile, nested_too_deeply

# Word's named styles to HTML that to_markdown reads. Names are matched case-insensitively.
# The table of contents is left out: Handouts makes its own from the headings.
STYLE_MAP = """
p[style-name='Title'] => p.docx-title:fresh
p[style-name='Subtitle'] => p.docx-subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
p[style-name='Caption'] => p.docx-caption:fresh
p[style-name='Image Caption'] => p.docx-caption:fresh
p[style-name='Table Caption'] => p.docx-caption:fresh
p[style-name='Definition Term'] => p.docx-term:fresh
p[style-name='Author'] => p.docx-author:fresh
p[style-name='Date'] => p.docx-date:fresh
p[style-name='Abstract'] => p:fresh
p[style-name='TOC Heading'] => !
p[style-name^='toc '] => !
p[style-name='Table of Contents'] => !
"""

# What Handouts publishes, by the content type Word recorded.
SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
            "image/webp": ".webp", "image/svg+xml": ".svg"}


@dataclass
class Picture:
    """An image of the document: where it will be written, and what it was."""

    name: str          # e.g. image-1.png, under content/assets/<slug>/
    data: bytes
    content_type: str
    publishable: bool  # False: a format browsers cannot show (EMF, WMF, TIFF, BMP)


@dataclass
class Converted:
    html: str
    pictures: list[Picture] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # mammoth's own warnings


def to_html(word: WordFile, slug: str) -> Converted:
    """The document as HTML whose images point at assets/<slug>/image-N.ext."""
    converted = Converted("")

    def keep(image) -> dict[str, str]:
        number = len(converted.pictures) + 1
        content_type = (image.content_type or "").lower()
        suffix = SUFFIXES.get(content_type)
        with image.open() as stream:
            data = stream.read()
        # A format a browser cannot show is named .png: the missing file is what the build
        # reports, at the line the review list names, until someone saves it as a PNG.
        name = f"image-{number}{suffix or '.png'}"
        converted.pictures.append(Picture(name, data, content_type, suffix is not None))
        return {"src": f"assets/{slug}/{name}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(word.data), style_map=STYLE_MAP, include_default_style_map=True,
            include_embedded_style_map=False,  # the document's own map is not ours to follow
            external_file_access=False,        # and mammoth >= 1.11 never opens linked files
            convert_image=mammoth.images.img_element(keep))
    except ImportRefused:
        raise
    except RecursionError:  # read.py's bound on nesting should have refused it first
        raise nested_too_deeply(word.path.name, "mammoth, which reads it, could not follow "
                                "them") from None
    except Exception:  # noqa: BLE001 (mammoth's errors have no class to expect)
        raise ImportRefused(f"{word.path.name} could not be read as a Word document: a part "
                            "of it is not as Word writes it. Open it in Word, save it again, "
                            "and import it again") from None
    converted.html = result.value
    converted.messages = [message.message for message in result.messages]
    return converted

"""The EPUB phase: an EPUB 3 edition of each built page and packet.

Where each part is: stage.py (what the build calls: a book for each handout and packet, kept
while unchanged), book.py (epub_bytes: one book from its pages, plain data in, the same bytes
out every time), page.py (a built page read), xhtml.py (its content document), navigation.py
(the contents, page list and landmarks), package.py (package.opf), container.py (the zip).
"""

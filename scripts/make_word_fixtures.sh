#!/bin/sh
# Writes the committed Word fixtures of tests/word_documents/ from their Markdown sources with
# pandoc, the second Word writer of the import tests (python-docx, the first, runs in the
# tests). CI never runs this: the .docx files are committed. Made with pandoc 2.17.1.1 (Debian 12).
set -eu
cd "$(dirname "$0")/../tests/word_documents"
# pandoc-interpol.md is content/interpol-cyber-child-abuse-material.md (the example report, itself
# once a Word document) without what Word has no form for: attribute lists, content notes,
# abbreviation lines; its front matter's content_notes renamed so pandoc leaves them out.
for name in pandoc-report pandoc-rapport pandoc-interpol; do
    # The English report has a table of contents, as Word's References > Table of Contents makes.
    toc=$([ "$name" = pandoc-report ] && echo --toc || true)
    pandoc --from markdown --to docx $toc --resource-path=. "$name.md" -o "$name.docx"
done
ls -l ./*.docx
# A password-protected document as Word writes it (an OLE file holding an EncryptedPackage),
# made with msoffcrypto-tool 5.4 in a throw-away venv: pip install 'msoffcrypto-tool>=5.4,<6'.
python3 - 2>/dev/null <<'PY' || echo "password-protected.docx kept as it was: msoffcrypto-tool is not installed"
from msoffcrypto.format.ooxml import OOXMLFile
with open("pandoc-rapport.docx", "rb") as plain, open("password-protected.docx", "wb") as out:
    OOXMLFile(plain).encrypt("chair-password", out)
PY

"""Link annotations of the tagged PDF: each tied to its Link structure element."""

from __future__ import annotations

import pydyf


class LinkAnnotations:
    """Collects WeasyPrint's link annotations while the tree is built, then ties them to it."""

    def __init__(self, pdf, document):
        self.pdf = pdf
        self.document = document  # its pages' anchors say where each link leads
        self.annotations = []         # (Link structure element, annotation)
        self.orphan_annotations = []  # (page, annotation) of links drawn as artifacts

    def add(self, node, annotation, page_number, element):
        """One annotation WeasyPrint made for a box of the link element, drawn on page_number."""
        reference = pydyf.Dictionary({"Type": "/OBJR", "Obj": annotation.reference,
                                      "Pg": self.pdf.page_references[page_number]})
        self.pdf.add_object(reference)
        node["K"].append(reference.reference)
        text = " ".join("".join(element.itertext()).split())
        target = element.get("href") or ""
        uri = annotation.get("A", {}).get("URI")
        if uri is not None and str(uri.string).startswith("file:"):
            # A link to another page of the site: keep it relative to the PDF in pdf/,
            # never the builder's own file path.
            annotation["A"]["URI"] = pydyf.String(f"../{target}")
        description = (f"{text}: link within this document" if target.startswith("#")
                       else f"{text}: {target}")
        annotation["Contents"] = pydyf.String(description)
        annotation["F"] = 4  # print the annotation: links must not vanish on paper
        self.annotations.append((node, annotation))

    def add_orphan(self, annotation, page_number):
        """An annotation of a link inside an artifact."""
        self.orphan_annotations.append((page_number, annotation))

    def finish(self) -> list:
        """Drop the orphans from their pages; the (node, annotation) pairs for the ParentTree."""
        for page_number, annotation in self.orphan_annotations:
            # A link that is not part of the document (inside an artifact) must not be
            # an annotation either: PDF/UA wants every annotation in the tree.
            page = self.pdf.objects[int(self.pdf.page_references[page_number].split()[0])]
            page["Annots"] = pydyf.Array(
                [ref for ref in page.get("Annots", []) if ref != annotation.reference])
        return self.annotations

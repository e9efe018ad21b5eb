"""The check phase: HTML and PDF rules over built output, each finding as file: rule: detail.

Where each part is: files.py (check_pdf and check_html_file, the entries: a PDF against the
page it came from, a page by its rules; collect_files and check_files for `handouts check`),
findings.py (Finding), document_rules.py (PDF/UA-1 document rules), structure_rules.py and
reading_rules.py (the structure tree against the HTML), expected_structure.py (what the HTML
says the tree must hold), pdf_reader.py and pdf_text.py (the tagged PDF read back),
html_rules.py, page_markers.py (the page's markers against its PDF), browser.py (axe-core in
Chromium), review.py and pages.py (the pages a person reviews), sequence_diff.py and text.py.
"""

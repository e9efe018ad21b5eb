"""What one input may cost: each limit is checked before layout and listed in docs/safety.md."""

MAX_HANDOUT_BYTES = 2_000_000  # a handout's file: some 600 printed pages
MAX_LINE_CHARACTERS = 100_000  # one line of a handout (a paragraph of some 15,000 words)
MAX_HEADINGS = 2_000  # headings in one handout
MAX_LINKS = 5_000  # links in one handout
MAX_BRACKETS_PER_PARAGRAPH = 1_000  # unclosed '[' and '<' in a paragraph (its cost: squared)
MAX_ABBREVIATIONS = 500  # abbreviations of one handout, the shared glossary's included
MAX_GLOSSARY_TERMS = 1_000  # terms one handout's glossary sections define
MAX_TABLE_SPAN = 100  # rows or columns one table cell spans (the tagger fills each place)
MAX_NESTING = 100  # front matter and handouts.toml: lists and tables inside each other
MAX_ASSET_BYTES = 25_000_000  # one file in content/assets/
MAX_SVG_ELEMENTS = 20_000  # an SVG's elements once every <use> is expanded
MAX_IMAGE_PIXELS = 50_000_000  # a raster image's width × height (a 7,000 px square)
MAX_PROJECT_FILE_BYTES = 1_000_000  # handouts.toml, a stylesheet, a template, the glossary
PDF_CPU_SECONDS = 600  # one PDF's render, check and assembly, in its worker
PDF_MEMORY_BYTES = 4 * 1024 ** 3  # the address space of that worker
# An SVG read for large print (assets/svg_css.py). A selector of more compounds is read by its last:
MAX_COMPOUNDS = 8
# Past any of these its text is not measured: large print warns, and prints its description.
MAX_FONT_RULES = 1_000  # rules of its stylesheets that size text
MAX_MATCHING_STEPS = 1_000_000  # of measuring its text: a compound compared with an element is 1
MAX_SVG_ATTRIBUTE_CHARACTERS = 4_096  # one attribute read (style, class, transform …) or selector
MAX_SVG_CSS_CHARACTERS = 500_000  # its <style> text and distinct style and font-size values

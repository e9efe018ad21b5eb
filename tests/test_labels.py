"""Labels come from one catalogue per language; English, French and Spanish are complete."""

from __future__ import annotations

import pytest
from testing_utils import handout, make_project, parse_html, pdf_text, run_cli, text_of

from handouts.labels import Labels, catalogue, css_string, languages


def test_english_french_and_spanish_are_complete():
    assert {"en", "fr", "es"} <= set(languages())
    english = set(catalogue("en"))
    for language in ("fr", "es"):
        assert set(catalogue(language)) == english, language
        assert all(catalogue(language)[key].strip() or key in ("on_page",)
                   for key in english)


@pytest.mark.parametrize("lang, contents, page_of, date", [
    ("fr", "Sommaire", "Page 1 sur 1", "15 janvier 2027"),
    ("es", "Índice", "Página 1 de 1", "15 de enero de 2027"),
])
def test_a_handout_reads_in_its_own_language(tmp_path, lang, contents, page_of, date):
    body = "## Un\n\nA.\n\n## Deux\n\nB.\n\n## Trois\n\nC.\n"
    make_project(tmp_path, {"content/a.md": handout("Titre", body, lang=lang,
                                                    date="2027-01-15")})
    result = run_cli("--project", tmp_path)
    assert result.status == 0 and result.err == ""
    page = parse_html(tmp_path / "dist/a.html")
    assert page.get("lang") == lang
    assert text_of(page.find(".//h2[@id='toc-label']")) == contents
    assert text_of(page.find(".//time")) == date
    assert page_of in pdf_text(tmp_path / "dist/pdf/a.pdf")


def test_a_missing_translation_falls_back_to_english_with_a_warning(tmp_path):
    make_project(tmp_path, {"content/a.md": handout("Titel", "Text.\n", lang="de")})
    result = run_cli("--project", tmp_path)
    assert result.status == 0
    assert ("content/a.md: warning: the label 'skip_to_content' has no translation for "
            "language 'de': English is used; add it to handouts/messages/de.toml"
            ) in result.err.splitlines()
    assert "Skip to content" in (tmp_path / "dist/a.html").read_text()


def test_css_strings_cannot_break_out():
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c \\2f style\\3e "'
    assert Labels("fr").page_of() == '"Page " counter(page) " sur " counter(pages)'

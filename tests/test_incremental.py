"""Incremental and parallel builds: what changed is rendered again, only that, and the same."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from testing_utils import DOT_PNG, handout, make_project, run_cli, snapshot

CONFIG = ('[conference]\nname = "Test MUN"\n\n[build]\nprofiles = ["standard"]\n\n'
          '[[packet]]\nslug = "pack"\ntitle = "Pack"\nhandouts = ["a", "b"]\n')
FILES = {
    "handouts.toml": CONFIG,
    "content/a.md": handout("A", "Delegates discuss the mandate.\n"),
    "content/b.md": handout("B", "Nothing defined here.\n"),
    "content/c.md": handout("C", "![A dot](assets/dot.png)\n"),
    "content/glossary.md": "Mandate\n:   What a committee may do.\n",
    "content/assets/dot.png": DOT_PNG,
}


PARTS = {"pack/front", "pack/01-a", "pack/02-b", "pack/folio"}  # what pack.pdf is made of
EVERYTHING = {"a", "b", "c", "pack"} | PARTS


def rendered(output: str) -> set[str]:
    """The PDFs a --verbose build rendered (not taken unchanged from the last build), and
    the parts of packets it rendered ("pack/02-b")."""
    return {match[1] for match in re.finditer(r"^  (\S+): \d+ page\(s\), (?!kept)",
                                               output, re.MULTILINE)}


def build(root: Path, *args: str) -> set[str]:
    result = run_cli("--project", root, "--verbose", "--jobs", "1", *args)
    assert result.status == 0, result.err
    return rendered(result.out)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("built") / "project", FILES)
    assert build(root) == EVERYTHING
    return root


@pytest.fixture
def project(built, tmp_path) -> Path:
    """The built project, copied with its dist/ and build cache: each test changes its own."""
    return shutil.copytree(built, tmp_path / "project")


def test_a_rebuild_with_nothing_changed_renders_nothing_and_changes_nothing(project):
    before = snapshot(project / "dist")
    assert build(project) == set()
    assert snapshot(project / "dist") == before


def test_a_changed_handout_renders_itself_and_its_packets(project):
    (project / "content/b.md").write_text(handout("B", "Something new.\n"))
    assert build(project) == {"b", "pack", "pack/02-b"}  # a, the front: as they were
    (project / "content/c.md").write_text(handout("C", "Other words.\n"))
    assert build(project) == {"c"}


def test_a_changed_image_renders_the_handouts_that_show_it(project):
    (project / "content/assets/dot.png").write_bytes(DOT_PNG + b"\0")
    assert build(project) == {"c"}


def test_the_shared_glossary_renders_the_handouts_that_use_the_term(project):
    (project / "content/glossary.md").write_text("Mandate\n:   What a committee may decide.\n")
    assert build(project) == {"a", "pack", "pack/01-a"}


@pytest.mark.parametrize("change", ["template", "style", "config"])
def test_templates_styles_and_settings_render_everything(project, change):
    if change == "template":
        shutil.copytree(Path(__file__).parent.parent / "templates", project / "templates")
        page = project / "templates/handout.html"
        page.write_text(page.read_text().replace('class="kicker"', 'class="kicker changed"'))
    elif change == "style":
        (project / "styles").mkdir()
        css = Path(__file__).parent.parent / "styles/print.css"
        (project / "styles/print.css").write_text(css.read_text() + "p { color: #111; }\n")
    else:
        (project / "handouts.toml").write_text(CONFIG.replace("Test MUN", "Other MUN"))
    rendered_now = build(project)
    assert {name for name in rendered_now if "/" not in name} == {"a", "b", "c", "pack"}
    assert {"pack/01-a", "pack/02-b"} <= rendered_now  # every handout's part


def test_force_renders_everything(project):
    assert build(project, "--force") == EVERYTHING


def test_a_pdf_changed_or_removed_in_dist_is_replaced_by_the_build_cache_own(project):
    """dist/ is never read for a cached PDF: what is there is overwritten with the copy the
    build cache keeps, which is checked against its digest."""
    pdf = project / "dist/pdf/a.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(b"%PDF-1.7 forged")
    (project / "dist/pdf/pack.pdf").unlink()
    assert build(project) == set()
    assert pdf.read_bytes() == good and (project / "dist/pdf/pack.pdf").is_file()


def test_a_poisoned_cache_is_never_believed(project, tmp_path):
    """The old attack: a forged PDF in dist/ with its digest written into the manifest."""
    import hashlib
    import json

    cache = project / ".handouts-cache"
    forged = b"%PDF-1.7 forged"
    # 1. The manifest edited to name a forged PDF put in the cache: its signature fails.
    manifest = json.loads((cache / "manifest.json").read_text())
    body = json.loads(manifest["body"])
    sha256 = hashlib.sha256(forged).hexdigest()
    body["pdfs"]["pdf/a.pdf"]["sha256"] = sha256
    (cache / "pdf" / f"{sha256}.pdf").write_bytes(forged)
    manifest["body"] = json.dumps(body)
    (cache / "manifest.json").write_text(json.dumps(manifest))
    assert build(project) == EVERYTHING
    assert (project / "dist/pdf/a.pdf").read_bytes() != forged
    # 2. A cached PDF replaced under its own name: its digest fails, it is made again.
    entry = json.loads(json.loads((cache / "manifest.json").read_text())["body"])["pdfs"]
    (cache / "pdf" / f"{entry['pdf/c.pdf']['sha256']}.pdf").write_bytes(forged)
    assert build(project) == {"c"}
    # 3. A whole cache from another user (another key): nothing in it is believed.
    other = make_project(tmp_path / "other", FILES)
    shutil.rmtree(other / ".handouts-cache", ignore_errors=True)
    shutil.copytree(cache, other / ".handouts-cache")
    import os

    from handouts import cache as cache_module

    before = os.environ["XDG_CACHE_HOME"]
    os.environ["XDG_CACHE_HOME"] = str(tmp_path / "another-user")
    try:
        assert cache_module.cache_key_path().parent.parent == tmp_path / "another-user"
        assert build(other) == EVERYTHING
    finally:
        os.environ["XDG_CACHE_HOME"] = before


def test_a_damaged_cache_costs_a_full_build(project):
    (project / ".handouts-cache/manifest.json").write_text("{ not json")
    assert build(project) == EVERYTHING


def contents_and_starts(pdf: Path) -> tuple[dict[str, int], dict[str, int]]:
    """The page each handout starts on, as the contents say and as it is."""
    from test_packets import page_texts

    texts = page_texts(pdf)
    said = {title: int(number) for title, number in
            re.findall(r"\b([AB])\W[ .]*?(\d+)\b", texts[1])}
    found: dict[str, int] = {}
    for number, text in enumerate(texts, start=1):
        for title in "AB":
            if text.startswith(f"Pack · {title} "):  # the running header
                found.setdefault(title, number)
    return said, found


def test_a_handout_that_grows_moves_the_parts_after_it_like_a_fresh_build(project):
    pages_before = contents_and_starts(project / "dist/pdf/pack.pdf")[1]["B"]
    longer = "\n\n".join(f"Paragraph {number} of a longer mandate." for number in range(90))
    (project / "content/a.md").write_text(handout("A", longer + "\n"))
    # B starts later, the contents and the page numbers change: the front, B and the folio.
    assert build(project) == {"a", "pack"} | PARTS
    said, found = contents_and_starts(project / "dist/pdf/pack.pdf")
    assert said == found and found["B"] > pages_before
    incremental = (project / "dist/pdf/pack.pdf").read_bytes()
    assert build(project, "--force") == EVERYTHING
    assert (project / "dist/pdf/pack.pdf").read_bytes() == incremental


def test_two_jobs_give_the_same_files_as_one(tmp_path):
    one = make_project(tmp_path / "one", FILES)
    two = make_project(tmp_path / "two", FILES)
    assert run_cli("--project", one, "--quiet", "--jobs", "1").status == 0
    result = run_cli("--project", two, "--quiet", "--jobs", "2")
    assert result.status == 0, result.err
    assert snapshot(one / "dist") == snapshot(two / "dist")


def test_jobs_must_be_a_positive_number(tmp_path):
    assert run_cli("--project", tmp_path, "--jobs", "0").status == 2


def test_a_template_the_packet_does_not_use_leaves_its_pdf(project):
    shutil.copytree(Path(__file__).parent.parent / "templates", project / "templates")
    base = project / "templates/base.html"  # the pages' frame: the packet takes their articles
    base.write_text(base.read_text().replace("<body>", '<body class="changed">'))
    assert build(project) == {"a", "b", "c"}


def test_serve_gets_the_pages_before_the_pdfs_and_dist_only_the_finished_build(project):
    from handouts.builder import build as build_project
    from handouts.project import Project

    (project / "content/a.md").write_text(handout("A, changed", "New words.\n"))
    old_page = (project / "dist/a.html").read_text()
    old_pdf = (project / "dist/pdf/a.pdf").read_bytes()
    seen = {}

    def pages_ready(preview: Path):
        seen["preview"] = (preview / "a.html").read_text()
        seen["page"] = (project / "dist/a.html").read_text()
        seen["pdf"] = (project / "dist/pdf/a.pdf").read_bytes()

    build_project(Project.open(project), jobs=1, pages_ready=pages_ready)
    assert "A, changed" in seen["preview"]
    assert seen["page"] == old_page and seen["pdf"] == old_pdf  # nothing published early
    assert (project / "dist/pdf/a.pdf").read_bytes() != old_pdf


def test_a_change_to_what_only_the_packet_s_parts_use_renders_the_packet(project):
    """The print document does not show the template's parts-only branches: the packet's
    key holds the template itself."""
    shutil.copytree(Path(__file__).parent.parent / "templates", project / "templates")
    template = project / "templates/packet-print.html"
    template.write_text(template.read_text().replace('class="packet-stub"',
                                                     'class="packet-stub link-target"'))
    assert {"pack", "pack/01-a", "pack/02-b", "pack/front"} <= build(project)


def test_a_packet_template_that_cannot_make_parts_is_a_content_error(project):
    shutil.copytree(Path(__file__).parent.parent / "templates", project / "templates")
    template = project / "templates/packet-print.html"
    text = template.read_text().replace("{%- if front is not defined or front %}", "")
    template.write_text(text.replace("</nav>\n{%- endif %}", "</nav>"))
    result = run_cli("--project", project, "--jobs", "1")
    assert result.status == 1
    assert result.err.startswith(f"{Path('templates/packet-print.html')}: this override of "
                                 "packet-print.html cannot make the parts")
    assert "must use front" in result.err


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_superseded_build_publishes_nothing(project, jobs):
    from handouts.builder import build as build_project
    from handouts.pdf.parallel import Superseded
    from handouts.project import Project

    before = snapshot(project / "dist")
    for slug in "ab":
        (project / f"content/{slug}.md").write_text(handout(slug.upper(), "Changed.\n"))
    with pytest.raises(Superseded):
        build_project(Project.open(project), jobs=jobs, pages_ready=lambda preview: None,
                      superseded=lambda: True)
    assert snapshot(project / "dist") == before
    assert not list((project / "dist").glob(".staging-*"))
    assert build(project) == {"a", "b", "pack", "pack/01-a", "pack/02-b"}  # none was kept


def test_the_packet_s_print_document_is_kept_only_as_it_was_written(project):
    """A no-op build keeps the last print document without parsing every handout again,
    but never one that was changed in dist/ since."""
    source = project / "dist/_packets/pack.html"
    written = source.read_bytes()
    source.write_bytes(written.replace(b"<main", b"<main data-edited"))
    assert build(project) == set()  # the PDFs did not change: the document is made again
    assert source.read_bytes() == written

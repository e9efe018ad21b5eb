"""Proof of isolation: a build opens no socket and reads no file outside the places it may."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from testing_utils import REPO, copy_example, make_project

HOSTILE = """---
title: Hostile
---

![A remote picture](https://example.com/x.png)

<img src="file:///etc/passwd" alt="x"> <iframe src="https://example.com"></iframe>

<p style="background: url(http://example.com/y.png)">Styled</p>

[a link](javascript:alert(1))
"""


def audited_build(root: Path, *args: str) -> dict:
    """Build under audit_build.py: this process's and every PDF worker's files and sockets."""
    with tempfile.TemporaryDirectory() as logs:
        environment = dict(os.environ, HANDOUTS_AUDIT_DIR=logs, PYTHONDONTWRITEBYTECODE="1")
        result = subprocess.run([sys.executable, str(Path(__file__).parent / "audit_build.py"),
                                 "--project", str(root), "--quiet", *args],
                                capture_output=True, text=True, cwd=root, timeout=300,
                                env=environment)
    record = json.loads(result.stdout.splitlines()[-1])
    record["err"] = result.stderr
    return record


def written_outside(written: list[list[str]], root: Path) -> list[list[str]]:
    """Writes, renames and removals anywhere but dist/, the build cache, the cache's key in
    the user's cache folder, and temporary files (WeasyPrint's fonts, the workers' server)."""
    from handouts.cache import cache_key_path

    places = [os.path.realpath(place) for place in (
        root / "dist", root / ".handouts-cache", cache_key_path().parent, "/dev/null")]
    found = []
    for event in written:
        for path in event[1:]:
            real = os.path.realpath(path if os.path.isabs(path) else root / path)
            if any(real == place or real.startswith(place + os.sep) for place in places):
                continue
            if real == os.path.dirname(places[2]) or _weasyprint_or_tempfile(real) or any(
                    part.startswith("pymp-") for part in Path(real).parts):
                continue  # the user's cache folder itself; temporary files
            found.append(event)
    return found


def allowed_places(root: Path) -> list[str]:
    """The project, Handouts itself, the virtual environment and Python, the system's fonts and
    libraries, the build cache's key, and the temporary folder, where WeasyPrint hands the
    project's @font-face fonts to Fontconfig (and Python's tempfile checks it can write)."""
    from handouts.cache import cache_key_path

    places = {str(root), str(REPO / "handouts"), str(REPO / "templates"), str(REPO / "styles"),
              str(REPO / ".venv"), sys.prefix, sys.base_prefix, "/etc/mime.types",
              sysconfig.get_paths()["stdlib"], "/usr/share/fonts", "/usr/local/share/fonts",
              "/etc/fonts", "/var/cache/fontconfig", "/usr/lib", "/lib", "/usr/share/zoneinfo",
              "/usr/share/mime", "/usr/share/locale", "/usr/share/harfbuzz", "/dev/null",
              "/usr/share/fontconfig", "/etc/localtime", str(Path.home() / ".cache/fontconfig"),
              str(cache_key_path()),  # the build cache's signing key
              "/proc/self/status"}  # its own size, while a template renders
    return sorted(os.path.realpath(place) for place in places)


def outside(opened: list[str], root: Path) -> list[str]:
    places = allowed_places(root)
    found = []
    for path in opened:
        if "__path_hook__" in path or path.endswith(".jsonl"):
            continue  # the import system's name for an editable install; the audit's log
        # A relative name is opened beside a folder of the build's own (dist/ and its parts).
        real = os.path.realpath(path if os.path.isabs(path) else root / "dist" / path)
        if any(real == place or real.startswith(place + os.sep) for place in places):
            continue
        if _weasyprint_or_tempfile(real):
            continue
        found.append(path)
    return found


def _weasyprint_or_tempfile(real: str) -> bool:
    """WeasyPrint's folder of font files, or the names tempfile tries when it checks /tmp."""
    temporary = os.path.realpath(tempfile.gettempdir())
    relative = os.path.relpath(real, temporary)
    if relative == "." or relative.startswith(".."):
        return relative == "."
    parts = relative.split(os.sep)
    return parts[0].startswith("weasyprint-") or (
        len(parts) == 1 and re.fullmatch(r"(tmp)?[a-z0-9_]{8}", parts[0]) is not None)


def test_the_example_build_stays_inside_the_project(tmp_path):
    copy_example(tmp_path)
    record = audited_build(tmp_path)
    assert record["status"] == 0, record["err"]
    assert record["sockets"] == []
    assert outside(record["opened"], tmp_path) == []
    assert written_outside(record["written"], tmp_path) == []
    # The hook sees the workers: each PDF is written by one, and its fonts read there.
    assert any(event[0] == "write" and event[1].endswith(".pdf") for event in record["written"])
    assert any(path.endswith("interpol-cyber-child-abuse-material.md")
               for path in record["opened"])  # the hook does see the build's reads


def test_hostile_content_reaches_nothing_outside(tmp_path):
    make_project(tmp_path, {"content/a.md": HOSTILE})
    record = audited_build(tmp_path)
    assert record["status"] == 1  # the remote and outside images are content errors
    assert record["sockets"] == []
    assert outside(record["opened"], tmp_path) == []
    assert written_outside(record["written"], tmp_path) == []
    assert "/etc/passwd" not in record["opened"]


def test_the_rule_flags_reads_anywhere_else(tmp_path):
    root = tmp_path / "project"
    elsewhere = [str(tmp_path / "another-project/content/a.md"), "/etc/passwd",
                 str(Path.home() / ".ssh/id_rsa"), "/tmp/weasyprint.txt"]
    assert outside(elsewhere, root) == elsewhere
    assert outside([str(root / "content/a.md"), str(REPO / "handouts/cli.py")], root) == []

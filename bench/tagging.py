"""Benchmark: PDF rendering time with Handouts' structure tree against WeasyPrint's own tagging.

python bench/tagging.py prints, for the example handout and a generated ~100-page handout,
the median of several renders of the same HTML with both taggers, and the cost of the
check that the build runs on each PDF. Results go to bench/tagging.json.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 5

RENDER = """
import sys, time, weasyprint
if sys.argv[2] == "handouts":
    from handouts.pdf import weasyprint_patches
    weasyprint_patches.install()
times = []
for _ in range(int(sys.argv[3])):
    started = time.perf_counter()
    document = weasyprint.HTML(filename=sys.argv[1]).render(pdf_variant="pdf/ua-1")
    document.write_pdf(sys.argv[1] + "." + sys.argv[2] + ".pdf", pdf_variant="pdf/ua-1")
    times.append(time.perf_counter() - started)
print(len(document.pages), *times)
"""


def render_times(html: Path, tagger: str) -> tuple[int, list[float]]:
    output = subprocess.run([sys.executable, "-c", RENDER, str(html), tagger, str(RUNS)],
                            check=True, capture_output=True, text=True).stdout.split()
    return int(output[0]), [float(value) for value in output[1:]]


def make_long_project(root: Path, copies: int) -> None:
    """The example report's body repeated: a long handout of the same kinds of blocks."""
    source = (REPO / "content/interpol-cyber-child-abuse-material.md").read_text()
    front, body = source.split("\n---\n", 1)
    body_without_abbreviations = "\n".join(
        line for line in body.splitlines() if not line.startswith("*["))
    abbreviations = "\n".join(line for line in body.splitlines() if line.startswith("*["))
    parts = [body_without_abbreviations.replace("{: .glossary }", "").replace(
        "{: .timeline }", "")] * copies
    (root / "content").mkdir(parents=True)
    (root / "content/long.md").write_text(
        front + "\n---\n" + "\n\n".join(parts) + "\n\n" + abbreviations + "\n")
    # The settings without the example's packet, whose handouts this project has not.
    (root / "handouts.toml").write_text(
        (REPO / "handouts.toml").read_text().split("[[packet]]")[0])
    shutil.copytree(REPO / "content/assets", root / "content/assets")


def measure(root: Path, slug: str) -> dict:
    subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(root)],
                   check=True, capture_output=True)
    html = root / "dist" / f"{slug}.html"
    pages, stock = render_times(html, "stock")
    _, ours = render_times(html, "handouts")
    check = subprocess.run(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from handouts.check.files import check_pdf\n"
         "import handouts.check.pdf_reader, handouts.check.structure_rules, tinyhtml5, pikepdf\n"
         "t = time.perf_counter()\n"
         "findings = check_pdf(Path(sys.argv[1]), Path(sys.argv[2]))\n"
         "print(time.perf_counter() - t, len(findings))",
         str(root / "dist/pdf" / f"{slug}.pdf"), str(html)],
        check=True, capture_output=True, text=True).stdout.split()
    return {"pages": pages, "weasyprint_tagging_s": statistics.median(stock),
            "handouts_tagging_s": statistics.median(ours),
            "ratio": statistics.median(ours) / statistics.median(stock),
            "check_s": float(check[0]), "check_findings": int(check[1])}


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        example = Path(folder) / "example"
        example.mkdir()
        shutil.copytree(REPO / "content", example / "content")
        shutil.copy(REPO / "handouts.toml", example / "handouts.toml")
        results["example"] = measure(example, "interpol-cyber-child-abuse-material")
        long = Path(folder) / "long"
        make_long_project(long, copies=18)
        results["long"] = measure(long, "long")
    print(f"{'document':10} {'pages':>5} {'WeasyPrint':>11} {'Handouts':>9} {'ratio':>6} "
          f"{'check':>7}")
    for name, row in results.items():
        print(f"{name:10} {row['pages']:5d} {row['weasyprint_tagging_s']:10.2f}s "
              f"{row['handouts_tagging_s']:8.2f}s {row['ratio']:6.2f} {row['check_s']:6.2f}s")
    (REPO / "bench" / "tagging.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""The README quotes the committed run, not numbers typed by hand: its results block is the
run's results.md, its performance table the run's timings, and every plot it shows exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[1]
RESULTS = FOLDER / "results"
BEGIN = (
    "<!-- results.md begins: written by the command above, checked equal to results/results.md -->"
)
END = "<!-- results.md ends -->"


@pytest.fixture(scope="module")
def readme() -> str:
    return (FOLDER / "README.md").read_text(encoding="utf-8")


def test_the_results_block_is_the_runs_results_md(readme):
    block = readme.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    saved = (RESULTS / "results.md").read_text(encoding="utf-8").strip()
    assert block == saved, (
        "the README's results block differs from results/results.md: run "
        "`uv run capstone simulate --out final-project/results` and paste results.md between "
        "the markers"
    )


def test_the_results_md_is_made_from_the_results_json():
    from capstone.report import markdown

    results = json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))
    assert (RESULTS / "results.md").read_text(encoding="utf-8") == markdown(results)
    assert results["command"] == "capstone simulate --out final-project/results"


def test_the_performance_table_quotes_the_run(readme):
    results = json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))
    timings, latency = results["timings"], results["service"]["latency"]
    for text in (
        f"{timings['total_s']:.0f} s",
        f"{timings['per_day_ms'] / 1000:.2f} s",
        f"{latency['p50_ms']:.1f} ms",
        f"{latency['p99_ms']:.1f} ms",
    ):
        assert text in readme, f"the README's performance table should quote {text!r} from the run"


def test_every_plot_the_readme_shows_exists(readme):
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert len(shown) == 5
    missing = [path for path in shown if not (FOLDER / path).is_file()]
    assert not missing, f"the README shows plots that are not committed: {missing}"


def test_the_root_readme_starts_with_the_capstone():
    root = (FOLDER.parent / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.+?)\n", root)
    assert first and first.group(1).startswith("uv run capstone simulate"), (
        "the root README's first command is the capstone's"
    )

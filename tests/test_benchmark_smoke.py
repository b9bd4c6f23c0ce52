"""The benchmark script runs (tiny sizes, no timing asserted)."""

import importlib.util

from conftest import REPO


def test_benchmark_script_runs_on_tiny_sizes(capsys):
    spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--quick", "--no-pdf", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "| docxtpl |" in out and "plancher zip" in out


def test_revisions_compares_the_bourges_rows_of_two_processes():
    """The regression check runs an archived revision beside this tree (git is there in a clone)."""
    spec = importlib.util.spec_from_file_location("revisions", REPO / "benchmarks" / "revisions.py")
    revisions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revisions)
    section = revisions.compare("HEAD", rounds=2, calls=1)
    assert "| csi-docgen (profil → .docx) | " in section
    assert "| csi-docgen (modèle → .docx) | " in section
    assert "Largest median of per-round ratios" in section

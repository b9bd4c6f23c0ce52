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

"""The Bourges rows of this working tree against an earlier revision, in one interleaved run.

Usage::

    python benchmarks/revisions.py 7334a13^            # prints a Markdown section
    python benchmarks/revisions.py 7334a13^ 7334a13    # two revisions, neither the working tree
    python benchmarks/bench.py --contre 7334a13^       # the same section in RESULTS.md

The earlier revision is extracted with ``git archive`` into a temporary
folder; each side runs in a process of its own that imports its own
``csi_docgen`` and builds its own ``examples/bourges.yaml`` (the contract as
that revision writes it). Both processes stay alive and are asked in turn for
a few calls of each row, so a slow spell of the machine weighs on both sides;
the report gives medians, minimums and the median of per-round ratios.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

ROWS = ("csi-docgen (profil → .docx)", "csi-docgen (modèle → .docx)")

# Runs inside each side's process: its own package first on the path.
WORKER = r"""
import gc, json, os, sys, tempfile, time
from pathlib import Path
tree = os.path.realpath(sys.argv[1])
sys.path.insert(0, tree)
os.chdir(tree)
os.environ["CSI_DOCGEN_CACHE"] = ""
import csi_docgen as csi
if not os.path.realpath(csi.__file__).startswith(tree + os.sep):
    sys.exit(f"csi_docgen imported from {csi.__file__}, not from {tree}")
out = Path(tempfile.mkdtemp(prefix="csi-rev-"))
library = csi.load_library()
profile = "examples/bourges.yaml"
contract = csi.assemble(csi.load_profile(profile, library), library)
rows = [
    lambda: csi.assemble(csi.load_profile(profile, library), library).to_docx(out / "a.docx"),
    lambda: contract.to_docx(out / "b.docx"),
]
for row in rows:
    for _ in range(5):
        row()
print("pret", flush=True)
for line in sys.stdin:
    calls = int(line)
    times = []
    for row in rows:
        spent = []
        for _ in range(calls):
            gc.collect()
            start = time.perf_counter()
            row()
            spent.append(time.perf_counter() - start)
        times.append(spent)
    print(json.dumps(times), flush=True)
"""


def extract(revision: str, folder: Path) -> str:
    """The tree of ``revision`` in ``folder``; returns how to name it (« main (e811bed) »)."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", f"{revision}^{{commit}}"], capture_output=True, text=True, check=True
    ).stdout.strip()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return commit if revision == commit else f"{revision} ({commit})"


class Side:
    """One revision's process, asked for timed calls in turn."""

    def __init__(self, name: str, tree: Path):
        self.name = name
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tree)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        ready = self.process.stdout.readline().strip()
        if ready != "pret":
            self.close()
            raise RuntimeError(f"{name}: the worker did not start (is {tree} a csi-docgen tree?)")
        self.times: list[list[float]] = [[] for _ in ROWS]
        self.rounds: list[list[float]] = [[] for _ in ROWS]  # median of each round, per row

    def measure(self, calls: int) -> None:
        self.process.stdin.write(f"{calls}\n")
        self.process.stdin.flush()
        for index, spent in enumerate(json.loads(self.process.stdout.readline())):
            self.times[index] += spent
            self.rounds[index].append(statistics.median(spent))

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def compare(revision: str, rounds: int = 20, calls: int = 5, against: str | None = None) -> str:
    """A Markdown section: this tree's Bourges rows (or ``against``'s) against ``revision``'s."""
    with tempfile.TemporaryDirectory(prefix="csi-rev-") as folder:
        base_tree = Path(folder) / "base"
        base_name = extract(revision, base_tree)
        new_tree, new_name = REPO, "this tree"
        if against is not None:
            new_tree = Path(folder) / "new"
            new_name = extract(against, new_tree)
        sides = [Side(base_name, base_tree), Side(new_name, new_tree)]
        try:
            for round_ in range(rounds):
                for side in sides if round_ % 2 == 0 else reversed(sides):
                    side.measure(calls)
        finally:
            for side in sides:
                side.close()
    base, current = sides
    lines = [
        f"## Bourges rows of {current.name} against {base.name}\n",
        f"Each side builds its own `examples/bourges.yaml` in a process of its own, warm, {rounds} interleaved rounds "
        f"of {calls} calls (`python benchmarks/revisions.py {revision}{' ' + against if against else ''}`). "
        f"A ratio above 1 is {current.name} slower.\n",
        f"| row | {base.name} | {current.name} | ratio of medians | ratio of minimums | median of per-round ratios |",
        "|---|---|---|---|---|---|",
    ]
    worst = 0.0
    for index, row in enumerate(ROWS):
        b, c = base.times[index], current.times[index]
        per_round = statistics.median(x / y for x, y in zip(current.rounds[index], base.rounds[index]))
        worst = max(worst, per_round)
        lines.append(
            f"| {row} | {statistics.median(b) * 1000:.1f} ms (min {min(b) * 1000:.1f}) "
            f"| {statistics.median(c) * 1000:.1f} ms (min {min(c) * 1000:.1f}) "
            f"| {statistics.median(c) / statistics.median(b):.2f} | {min(c) / min(b):.2f} | {per_round:.2f} |"
        )
    verdict = "within" if worst <= 1.10 else "**beyond**"
    lines.append(f"\nLargest median of per-round ratios: {worst:.2f}, {verdict} the 10 % allowed for a regression.\n")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="an earlier revision (commit, tag, « 7334a13^ »)")
    parser.add_argument("against", nargs="?", help="a later revision to measure instead of the working tree")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--calls", type=int, default=5, help="calls of each row per round")
    args = parser.parse_args(argv)
    print(compare(args.revision, args.rounds, args.calls, args.against))
    return 0


if __name__ == "__main__":
    sys.exit(main())

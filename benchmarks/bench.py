"""csi-docgen against its peers, measured in one interleaved run.

Usage::

    python benchmarks/bench.py                 # full run, writes benchmarks/RESULTS.md
    python benchmarks/bench.py --quick         # tiny sizes, for the smoke test
    python benchmarks/bench.py --contre 7334a13^   # and the Bourges rows against that revision

Every contender produces the same contract content:

- csi-docgen (library warm, in-process; and the whole ``csi-docgen build`` process);
- docxtpl rendering a template with a loop over the same articles;
- python-docx written the straightforward way (add_heading / add_paragraph);
- the floor: re-writing the finished .docx's zip entries with zipfile.

Rounds are interleaved (A B C D, A B C D, …) so that machine noise hits every
contender alike; results are reported as medians with their spread and as
ratios to the peers measured in the same run.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

import csi_docgen as csi  # noqa: E402
from csi_docgen import french as csi_french  # noqa: E402
from csi_docgen.model import ListBlock, Paragraph  # noqa: E402

EXAMPLE = REPO / "examples" / "bourges.yaml"


def forget(library) -> None:
    """Empty what a rebuild remembers, keeping the prepared template (untimed, before a cold call).

    The library's memo of rendered texts and the prepared templates' memos of
    body and table XML; the prepared templates themselves stay (a fully cold
    process is measured below, in « Start-up »).
    """
    from csi_docgen.docx import package

    library.memo.clear()
    for prepared in list(package._cache.values()):  # noqa: SLF001 - a benchmark measures the cold path
        prepared.memo.clear()


# --- synthetic inputs ----------------------------------------------------------


def synthetic_library(target: Path, clauses: int) -> Path:
    """Copy the shipped library and add copies of its clauses up to ``clauses``.

    Each copy ends with a sentence of its own, so that no copy's text is the
    text of another clause: nothing computed for one clause serves another.
    """
    source = Path(csi.load_library().root)
    shutil.copytree(source, target)
    originals = sorted(p for p in source.rglob("*.md") if p.name != "README.md")
    extra = clauses - len(originals)
    index = 0
    while extra > 0:
        original = originals[index % len(originals)]
        text = original.read_text(encoding="utf-8")
        header, body = text.split("\n---\n", 1)
        cid = next(line.split(":", 1)[1].strip() for line in header.splitlines() if line.startswith("id:"))
        new_id = f"{cid}-copie-{index // len(originals) + 1}"
        header = header.replace(f"id: {cid}", f"id: {new_id}", 1).replace("socle: true", "socle: false")
        (target / "copies").mkdir(exist_ok=True)
        own = f"\n\nCet engagement est la copie numéro {index + 1} de l’engagement {cid}, pour mesurer la croissance.\n"
        (target / "copies" / f"{new_id}.md").write_text(header + "\n---\n" + body.rstrip("\n") + own, encoding="utf-8")
        index += 1
        extra -= 1
    return target


class Negotiation:
    """Rebuilds of the Bourges profile, each after an edit of the same file.

    Before each timed call (``prepare``), the number of cameras per year is
    set to a value not seen before, as a drafter does between two rebuilds:
    that clause, its paragraphs and what quotes it are made again; the rest
    of the contract, unchanged, is remembered.
    """

    def __init__(self, folder: Path, library):
        shutil.copytree(EXAMPLE.parent / "annexes", folder / "annexes")  # the profile's external annex
        self.text = EXAMPLE.read_text(encoding="utf-8")
        assert self.text.count("cameras_par_an: 10\n") == 1
        self.path, self.output, self.library, self.edits = folder / "bourges.yaml", folder / "bourges.docx", library, 0

    def prepare(self) -> None:
        self.edits += 1
        self.path.write_text(self.text.replace("cameras_par_an: 10\n", f"cameras_par_an: {10 + self.edits}\n"), encoding="utf-8")

    def __call__(self) -> None:
        csi.assemble(csi.load_profile(self.path, self.library), self.library).to_docx(self.output)


def _entry(clause):
    """A clause id, with a value for each choice the profile must make (« situation »…)."""
    chosen = {n: p.valeurs[0] for n, p in clause.params.items() if p.type == "choix" and p.defaut is None and not p.facultatif}
    return {"id": clause.id, "parametres": chosen} if chosen else clause.id


def synthetic_profile(library, path: Path, name: str = "Exempleville") -> Path:
    """A profile that keeps every clause of ``library``, grouped by volet."""
    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    base["collectivite"] = {"nom": name, "type": "commune"}
    base["annexes"] = {"generees": ["indicateurs", "financement", "socle", "clauses"]}
    volets = []
    for volet in library.volets:
        ids = [_entry(c) for c in library.clauses.values() if c.header.volet == volet]
        if ids:
            volets.append({"volet": volet, "clauses": ids})
    base["volets"] = volets
    base.pop("socle_ecarte", None)
    base.pop("socle", None)
    path.write_text(yaml.safe_dump(base, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- peers -----------------------------------------------------------------------


def contract_items(contract):
    """(kind, text) rows of a contract: what every peer must write."""
    rows = [("title", contract.title), ("p", contract.collectivite_designation)]
    rows += [("p", v) for v in contract.visas]
    for titre in contract.titres:
        rows.append(("h1", f"Titre {titre.number} — {titre.title}"))
        for article in titre.articles:
            rows += _article_rows(article)
        for volet in titre.volets:
            rows.append(("h2", f"Volet {volet.number} — {volet.title}"))
            for section in volet.sections:
                rows.append(("h3", section.title))
                for article in section.articles:
                    rows += _article_rows(article)
    rows.append(("p", csi_french.signature_statement(contract.signature)))
    rows += [("p", f"{s.qualite} {s.nom}") for s in contract.signature.signatories]
    return rows


def _article_rows(article):
    rows = [("h4", f"{csi_french.article_label(article.number)} — {article.title}")]
    for block in article.blocks:
        if isinstance(block, Paragraph):
            rows.append(("p", block.text))
        elif isinstance(block, ListBlock):
            rows += [("li", t) for t in block.item_texts()]
    return rows


def python_docx_write(rows, path: Path) -> None:
    import docx

    document = docx.Document()
    for kind, text in rows:
        if kind == "title":
            document.add_heading(text, 0)
        elif kind.startswith("h"):
            document.add_heading(text, int(kind[1]))
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(str(path))


def docxtpl_template(path: Path) -> Path:
    """A docxtpl template whose loop writes the same rows."""
    import docx

    document = docx.Document()
    document.add_paragraph("{%p for row in rows %}")
    document.add_paragraph("{%p if row.kind == 'h' %}")
    document.add_heading("{{ row.text }}", 2)
    document.add_paragraph("{%p elif row.kind == 'li' %}")
    document.add_paragraph("{{ row.text }}", style="List Bullet")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("{{ row.text }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    document.save(str(path))
    return path


def docxtpl_write(template: Path, rows, path: Path) -> None:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    context = {"rows": [{"kind": "h" if k.startswith("h") or k == "title" else k, "text": t} for k, t in rows]}
    document.render(context)
    document.save(str(path))


def zip_floor(source: Path, path: Path) -> None:
    with zipfile.ZipFile(source) as zin:
        entries = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            zout.writestr(info, data)


def why_missed(analysis: Path) -> str:
    """The hand-written section of ANALYSIS.md on the missed targets, to close RESULTS.md with."""
    text = analysis.read_text(encoding="utf-8") if analysis.exists() else ""
    start = text.find("## Why the missed targets are missed")
    if start < 0:
        return "Why the missed targets are missed: see `benchmarks/ANALYSIS.md`."
    end = text.find("\n## ", start + 3)
    section = text[start : end if end > 0 else len(text)].strip()
    return (section.replace("## Why the missed targets are missed", "## Why the missed targets are missed (from ANALYSIS.md)", 1)
            + "\n\n*This section is copied from `benchmarks/ANALYSIS.md`, written by hand from the day's runs: "
            "when the figures above move, it is that file to re-read and update.*")


# --- measuring ---------------------------------------------------------------------


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleave(contenders: dict, rounds: int) -> dict[str, list[float]]:
    """Each contender in turn, ``rounds`` times.

    The garbage a call leaves (python-docx and docxtpl leave reference cycles)
    is collected before the next call, untimed: no contender pays for another's.
    """
    times = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            if hasattr(fn, "prepare"):  # untimed set-up before each call
                fn.prepare()
            gc.collect()
            times[name].append(timed(fn))
    return times


def peak_memory(fn) -> int:
    if hasattr(fn, "prepare"):
        fn.prepare()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


# Whole processes run as an installed csi-docgen does: with compiled bytecode
# (pip compiles it at install), even where the environment asks Python not
# to write any.
PROCESS_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# The floor of a whole `csi-docgen build` process: the libraries any .docx generator of
# this kind imports (python-docx, docxcompose, Jinja, PyYAML, click), and the finished
# .docx rewritten with zipfile.
FLOOR_PROCESS = (
    "import sys, zipfile\n"
    "import docx, docxcompose.composer, jinja2, yaml, click\n"
    "with zipfile.ZipFile(sys.argv[1]) as z, zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as out:\n"
    "    for info in z.infolist():\n"
    "        out.writestr(info, z.read(info.filename))\n"
)


def run_process(args, cwd=None, cache=None) -> None:
    """Run ``args`` to its end; ``cache``: the cache folder it uses ("" for none), else the environment's."""
    env = PROCESS_ENV if cache is None else {**PROCESS_ENV, "CSI_DOCGEN_CACHE": str(cache)}
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


_PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_rss(args, cwd=None) -> int | None:
    """Peak resident memory (bytes) of the largest process ``args`` ran (Linux), or None where unknown."""
    if sys.platform != "linux":
        return None
    out = subprocess.run([sys.executable, "-c", _PEAK_RSS, *args], cwd=cwd, check=True, capture_output=True, text=True, env=PROCESS_ENV)
    return int(out.stdout.strip()) * 1024  # ru_maxrss is in kilobytes on Linux


def megabytes(value: int | None) -> str:
    return "—" if value is None else f"{value / 1e6:.0f} MB"


def summary(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"


def paired(times: dict[str, list[float]], peer: str, ours: str = "csi-docgen (profil → .docx)") -> float:
    """Median, over the rounds, of our time divided by the peer's in the same round."""
    return statistics.median(a / b for a, b in zip(times[ours], times[peer]))


def med(values):
    return statistics.median(values)


def profile_top(fn, limit: int = 12, order: str = "cumulative") -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(limit)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return "\n".join(line.replace(str(REPO) + "/", "") for line in lines[start : start + limit + 1])


def avenant_section(folder: Path, library, rounds: int, say) -> None:
    """The avenant's cost beside a build: Bourges signed, then amended (a figure, a clause out, a clause in)."""
    from csi_docgen.amend import draw_avenant
    from csi_docgen.avenant import load_version
    from csi_docgen.changes import amendments
    from csi_docgen.docx.revisions import tracked_docx
    from csi_docgen.docx.writer import render_docx

    folder.mkdir(parents=True)
    shutil.copytree(EXAMPLE.parent / "annexes", folder / "annexes")
    signed_text = EXAMPLE.read_text(encoding="utf-8").replace("  lieu: Bourges\n", "  lieu: Bourges\n  date: 2021-07-22\n", 1)
    amended_text = signed_text.replace("cameras_par_an: 10", "cameras_par_an: 15").replace(
        "      - commun-securite-participation-citoyenne\n", ""
    ).replace(
        "      - collectivite-justice-tig-tnr\n",
        "      - collectivite-justice-tig-tnr\n      - id: essai-audiences-foraines\n        titre: Audiences foraines\n        partie: commun\n"
        "        source: essai\n        texte: Les parties étudient l'organisation d'audiences foraines.\n",
    ) + "\navenant:\n  precedent: signe.yaml\n  date: 2023-03-15\n"
    signed, amended = folder / "signe.yaml", folder / "modifie.yaml"
    signed.write_text(signed_text, encoding="utf-8")
    amended.write_text(amended_text, encoding="utf-8")
    draw_avenant(signed, amended, folder / "sortie", library=library)  # warm, as the build beside it
    old_version, new_version = load_version(signed, library), load_version(amended, library)
    old_bytes, new_bytes = render_docx(old_version.contract), render_docx(new_version.contract)
    contenders = {
        "build of the amended profile (profil → .docx)": lambda: csi.build(amended, folder / "b.docx", library=library),
        "avenant (two profiles → avenant + consolidated .docx)": lambda: draw_avenant(signed, amended, folder / "sortie", library=library),
        "  of which: both versions loaded and numbered": lambda: (load_version(signed, library), load_version(amended, library)),
        "  of which: article-level differences": lambda: amendments(old_version.contract, new_version.contract),
        "  of which: tracked changes (two bodies compared)": lambda: tracked_docx(old_bytes, new_bytes, "Avenant n° 1", None),
    }
    times = interleave(contenders, rounds)
    say("## Avenant (Bourges signed, then amended: a figure, a clause out, a clause in), in-process\n")
    say("The avenant loads both versions, builds the signed contract (for its fingerprint), the amended one and the avenant, "
        "and compares the two bodies paragraph by paragraph to write the consolidated .docx with Word revisions.\n")
    say("| step | time | ratio to a build |")
    say("|---|---|---|")
    base = med(times["build of the amended profile (profil → .docx)"])
    for name, values in times.items():
        say(f"| {name} | {summary(values)} | {med(values) / base:.2f} |")
    say("")


# --- the run -----------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few rounds (smoke test)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice measures")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    parser.add_argument(
        "--contre",
        action="append",
        default=[],
        metavar="REVISION",
        help="also measure the Bourges rows against an earlier revision (benchmarks/revisions.py); may be repeated",
    )
    args = parser.parse_args(argv)
    rounds = 2 if args.quick else args.rounds
    sizes = [84] if args.quick else [84, 500, 2000]
    batch = 4 if args.quick else 100
    pdf_batch = 2 if args.quick else 10

    work = Path(tempfile.mkdtemp(prefix="csi-bench-"))
    # In-process measures compute or remember in memory; the cache folder is measured with whole processes.
    os.environ["CSI_DOCGEN_CACHE"] = ""
    report: list[str] = []
    say = report.append
    targets: list[tuple[str, str, bool]] = []  # (target, measured, met)
    try:
        library = csi.load_library()
        say("# Benchmark results\n")
        say(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"{rounds} interleaved rounds; times are medians (min, max). "
            "Produced by `python benchmarks/bench.py`; absolute times drift on a shared machine, ratios are the figures to read.\n")

        # 1. Bourges: csi-docgen against the peers, same content.
        profile = csi.load_profile(EXAMPLE, library)
        contract = csi.assemble(profile, library)
        rows = contract_items(contract)
        template = docxtpl_template(work / "modele-docxtpl.docx")
        ours = work / "csi.docx"
        contract.to_docx(ours)

        def cold_build():
            csi.assemble(csi.load_profile(EXAMPLE, library), library).to_docx(work / "f.docx")

        cold_build.prepare = lambda: forget(library)  # emptied before each call, untimed

        negotiation = Negotiation(work / "negociation", library)
        negotiation.prepare()

        contenders = {
            "csi-docgen (profil → .docx)": lambda: csi.assemble(csi.load_profile(EXAMPLE, library), library).to_docx(work / "a.docx"),
            "csi-docgen (profil → .docx), un chiffre modifié": negotiation,
            "csi-docgen (profil → .docx), caches vidés": cold_build,
            "csi-docgen (modèle → .docx)": lambda: contract.to_docx(work / "b.docx"),
            "docxtpl": lambda: docxtpl_write(template, rows, work / "c.docx"),
            "python-docx": lambda: python_docx_write(rows, work / "d.docx"),
            "plancher zip": lambda: zip_floor(ours, work / "e.docx"),
        }
        times = interleave(contenders, rounds * 4)  # short runs: more rounds steady the medians
        say("## Bourges (55 articles, 5 annexes), in-process\n")
        say("The first row is a rebuild in a process that has built the contract before (a notebook: "
            "unchanged texts, paragraphs and tables are remembered); the second is what a négociation does, a rebuild after an edit: "
            "before each call the profile file gets a number of cameras per year not seen before, so that clause, its paragraphs "
            "and what quotes it are made again; the third empties every cache first "
            "(the library's memo of rendered texts and the prepared template's memo of body and table XML), so it pays the rendering, typography, Markdown, tables and body XML again; "
            "only the prepared template (reference .docx with the external annex merged, computed once per version of those files) is kept. "
            "The whole `csi-docgen build` process below is the fully cold case.\n")
        say("| contender | time | ratio to docxtpl | ratio to zip floor |")
        say("|---|---|---|---|")
        for name, values in times.items():
            say(f"| {name} | {summary(values)} | {med(values) / med(times['docxtpl']):.2f} | {med(values) / med(times['plancher zip']):.2f} |")
        # Each target reads the median of the per-round ratios, as the whole-process one below: a
        # round's calls are measured a few milliseconds apart, so a slow spell of the shared machine
        # weighs on both sides of a ratio (a ratio of medians mixes calls from different spells).
        ours, edited, emptied = "csi-docgen (profil → .docx)", "csi-docgen (profil → .docx), un chiffre modifié", "csi-docgen (profil → .docx), caches vidés"
        for target, peer, limit in (("Bourges in-process ≤ 0.3× docxtpl", "docxtpl", 0.3), ("Bourges in-process ≤ 2× the zip floor", "plancher zip", 2)):
            full, edit, cold = (paired(times, peer, row) for row in (ours, edited, emptied))
            targets.append((target, f"{full:.2f}× (après une modification : {edit:.2f}× ; caches vidés : {cold:.2f}×)", full <= limit))
        say("")
        say(f"Target ≤ 0.3× docxtpl: **{paired(times, 'docxtpl'):.2f}×**; target ≤ 2× the zip floor: "
            f"**{paired(times, 'plancher zip'):.2f}×** (median of the ratios within each of {rounds * 4} interleaved rounds: "
            f"a round's calls are measured a few milliseconds apart, so a slow spell of the machine weighs on both sides); "
            f"after an edit: {paired(times, 'docxtpl', edited):.2f}× docxtpl, {paired(times, 'plancher zip', edited):.2f}× the zip floor. "
            f"Ratios of the medians (the table): {med(times[ours]) / med(times['docxtpl']):.2f}× docxtpl, "
            f"{med(times[ours]) / med(times['plancher zip']):.2f}× the zip floor; ratios of the minimums "
            f"(noise only ever adds time): {min(times[ours]) / min(times['docxtpl']):.2f}× docxtpl, "
            f"{min(times[ours]) / min(times['plancher zip']):.2f}× the zip floor.\n")
        mem = {name: peak_memory(fn) for name, fn in list(contenders.items())[:6]}
        say("Peak Python memory (tracemalloc): " + ", ".join(f"{n} {m / 1e6:.1f} MB" for n, m in mem.items()) + ".\n")

        # 2. Synthetic sizes: growth with the number of clauses.
        say("## Growth with the number of clauses (in-process, library loaded)\n")
        say("Synthetic libraries: the shipped clauses and copies of them, each copy with a sentence of its own; the profile keeps "
            "every clause and the four generated annexes. *Cold*: caches emptied before the build; *warm*: the same profile rebuilt. "
            "Peak memory: Python allocations (tracemalloc) during one cold build, the library already loaded.\n")
        say("| clauses | load library | profile → model (cold / warm) | model → .docx (cold / warm) | total cold | total warm | per clause (cold) | peak memory (cold) |")
        say("|---|---|---|---|---|---|---|---|")
        cold_points, warm_points, peaks = [], [], []
        biggest = None
        for size in sizes:
            folder = synthetic_library(work / f"lib-{size}", size)
            big_library = csi.load_library(folder)
            big_profile = synthetic_profile(big_library, work / f"profil-{size}.yaml")
            csi.assemble(csi.load_profile(big_profile, big_library), big_library).to_docx(work / f"big-{size}.docx")
            load_t, model_cold, write_cold, model_warm, write_warm = [], [], [], [], []
            for _ in range(max(3, rounds)):
                load_t.append(timed(lambda: csi.load_library(folder)))
                holder = {}
                forget(big_library)
                model_cold.append(timed(lambda: holder.setdefault("c", csi.assemble(csi.load_profile(big_profile, big_library), big_library))))
                write_cold.append(timed(lambda: holder["c"].to_docx(work / f"big-{size}.docx")))
                holder.clear()
                model_warm.append(timed(lambda: holder.setdefault("c", csi.assemble(csi.load_profile(big_profile, big_library), big_library))))
                write_warm.append(timed(lambda: holder["c"].to_docx(work / f"big-{size}.docx")))
            forget(big_library)
            peaks.append(peak_memory(lambda: csi.assemble(csi.load_profile(big_profile, big_library), big_library).to_docx(work / f"big-{size}.docx")))
            cold = med(model_cold) + med(write_cold)
            warm = med(model_warm) + med(write_warm)
            cold_points.append((size, cold))
            warm_points.append((size, warm))
            best = (min(model_cold) + min(write_cold), min(model_warm) + min(write_warm))
            say(f"| {size} | {med(load_t) * 1000:.0f} ms | {med(model_cold) * 1000:.0f} / {med(model_warm) * 1000:.0f} ms | "
                f"{med(write_cold) * 1000:.0f} / {med(write_warm) * 1000:.0f} ms | {cold * 1000:.0f} ms (min {best[0] * 1000:.0f}) | "
                f"{warm * 1000:.0f} ms (min {best[1] * 1000:.0f}) | {cold / size * 1e6:.0f} µs | {megabytes(peaks[-1])} |")
            biggest = (big_library, big_profile, size)
        if len(cold_points) > 1:
            def slope(points):
                (x0, y0), (x1, y1) = points[0], points[-1]
                return (y1 - y0) / (x1 - x0) * 1e6

            say(f"\nSlope between {cold_points[0][0]} and {cold_points[-1][0]} clauses: {slope(cold_points):.0f} µs per clause cold, "
                f"{slope(warm_points):.0f} µs warm (target: 2000 clauses ≤ 300 ms in-process, linear growth).\n")
            last_cold, last_warm = cold_points[-1][1], warm_points[-1][1]
            targets.append((f"{cold_points[-1][0]} clauses ≤ 0.3 s in-process, linear",
                            f"{last_cold:.2f} s cold, {last_warm:.2f} s warm; slope {slope(cold_points):.0f} µs per clause", last_cold <= 0.3))

        # 3. Start-up.
        say("## Start-up (whole process)\n")
        say("Processes run with compiled bytecode, as after `pip install` (one run of each first writes it).\n")
        cache_folder = work / "cache"  # the user's cache folder, as a first build leaves it
        build_args = [sys.executable, "-m", "csi_docgen", "build", str(EXAMPLE), "-o", str(work / "cli")]
        run_process(build_args, cwd=REPO, cache=cache_folder)
        built = next((work / "cli").glob("*.docx"))
        startup = interleave(
            {
                "python -c pass": lambda: run_process([sys.executable, "-c", "pass"]),
                "import csi_docgen": lambda: run_process([sys.executable, "-c", "import csi_docgen"], cwd=REPO),
                "csi-docgen --help": lambda: run_process([sys.executable, "-m", "csi_docgen", "--help"], cwd=REPO),
                "csi-docgen build bourges.yaml": lambda: run_process(build_args, cwd=REPO, cache=cache_folder),
                "csi-docgen build bourges.yaml, cache folder off": lambda: run_process(build_args, cwd=REPO, cache=""),
                "floor process (imports + zip rewrite)": lambda: run_process(
                    [sys.executable, "-c", FLOOR_PROCESS, str(built), str(work / "plancher.docx")]),
            },
            max(rounds * 4, 7),  # a process is noisier than an in-process call: as many rounds as in-process
        )
        say("| command | time | ratio to the floor process |")
        say("|---|---|---|")
        floor_process = med(startup["floor process (imports + zip rewrite)"])
        for name, values in startup.items():
            say(f"| `{name}` | {summary(values)} | {med(values) / floor_process:.2f} |")
        whole = paired(startup, "floor process (imports + zip rewrite)", "csi-docgen build bourges.yaml")
        whole_off = paired(startup, "floor process (imports + zip rewrite)", "csi-docgen build bourges.yaml, cache folder off")
        say(f"\nThe floor process imports python-docx, docxcompose, Jinja, PyYAML and click and rewrites the finished "
            f".docx with zipfile. A `csi-docgen build` process finds in the user's cache folder (csi_docgen.diskcache) "
            f"what an earlier process computed from the same files: the library, the prepared template, the compiled "
            f"and rendered texts; with that folder off (`CSI_DOCGEN_CACHE=`) it computes everything. "
            f"Median of the per-round ratios: **{whole:.2f}×** the floor (cache folder off: {whole_off:.2f}×).")
        targets.append(("Whole `csi-docgen build bourges.yaml` process ≤ 2× the floor process", f"{whole:.2f}× (cache folder off: {whole_off:.2f}×)", whole <= 2))
        build_rss = peak_rss([sys.executable, "-m", "csi_docgen", "build", str(EXAMPLE), "-o", str(work / "cli")], cwd=REPO)
        say(f"\nPeak resident memory of the `csi-docgen build bourges.yaml` process: {megabytes(build_rss)}.")
        say(f"\nTarget `csi-docgen --help` ≤ 150 ms: **{med(startup['csi-docgen --help']) * 1000:.0f} ms** "
            f"(the bare interpreter takes {med(startup['python -c pass']) * 1000:.0f} ms).\n")
        targets.append(("`csi-docgen --help` ≤ 0.15 s", f"{med(startup['csi-docgen --help']):.3f} s", med(startup["csi-docgen --help"]) <= 0.15))

        # 4. Batch: the CLI's parallel mode against docxtpl in one process.
        say(f"## Batch of {batch} contracts\n")
        batch_dir = work / "lot"
        batch_dir.mkdir()
        for i in range(batch):
            synthetic_profile(library, batch_dir / f"ville-{i:03d}.yaml", name=f"Ville {i:03d}")
        cli_t = interleave(
            {
                "csi-docgen build DOSSIER (parallel processes)": lambda: run_process(
                    [sys.executable, "-m", "csi_docgen", "build", str(batch_dir), "-o", str(work / "lot-out")], cwd=REPO),
                "docxtpl, one process": lambda: [docxtpl_write(template, rows, work / f"t-{i}.docx") for i in range(batch)],
            },
            max(1, rounds // 3),
        )
        say("| contender | whole batch | per contract |")
        say("|---|---|---|")
        for name, values in cli_t.items():
            say(f"| {name} | {summary(values)} | {med(values) / batch * 1000:.1f} ms |")
        batch_rss = peak_rss([sys.executable, "-m", "csi_docgen", "build", str(batch_dir), "-o", str(work / "lot-out")], cwd=REPO)
        docxtpl_peak = peak_memory(lambda: [docxtpl_write(template, rows, work / f"t-{i}.docx") for i in range(batch)])
        say(f"\nPeak memory: {megabytes(batch_rss)} resident for the largest process of `csi-docgen build DOSSIER` "
            f"(each worker is forked from the process that loaded the library); docxtpl in one process allocates at most "
            f"{megabytes(docxtpl_peak)} of Python objects (tracemalloc).")
        ours_batch, peer_batch = (med(v) / batch for v in cli_t.values())
        targets.append((f"batch of {batch} ≥ as fast per document as docxtpl", f"{ours_batch * 1000:.0f} ms vs {peer_batch * 1000:.0f} ms per contract", ours_batch <= peer_batch))
        say("")

        # 5. PDF: one LibreOffice call for the batch against one call per contract.
        soffice = shutil.which("soffice") and not args.no_pdf
        if soffice:
            docs = sorted((work / "lot-out").glob("*.docx"))[:pdf_batch]
            say(f"## PDF of {len(docs)} contracts through LibreOffice\n")
            from csi_docgen.pdf import to_pdf

            pdf_t = interleave(
                {
                    "one call for all": lambda: to_pdf(docs, work / "pdf-batch"),
                    "one call per contract": lambda: [to_pdf([d], work / "pdf-each") for d in docs],
                },
                1 if args.quick else 3,
            )
            one = med(pdf_t["one call for all"])
            say("| mode | total | per contract |")
            say("|---|---|---|")
            for name, values in pdf_t.items():
                say(f"| {name} | {summary(values)} | {med(values) / len(docs) * 1000:.0f} ms |")
            say(f"\nTarget ≤ 400 ms per contract when batched: **{one / len(docs) * 1000:.0f} ms** "
                f"({os.cpu_count()} LibreOffice processes at once, one per core).\n")
            targets.append(("PDF ≤ 0.4 s per contract when batched", f"{one / len(docs):.2f} s", one / len(docs) <= 0.4))
        else:
            say("## PDF\n\nLibreOffice absent: not measured.\n")

        avenant_section(work / "avenant", library, rounds, say)

        # Regressions: the same rows against earlier revisions, each side in its own process.
        if args.contre:
            sys.path.insert(0, str(HERE))
            from revisions import compare

            for revision in args.contre:
                say(compare(revision, rounds=2 if args.quick else 20))

        # 6. Where the time goes.
        if biggest:
            big_library, big_profile, size = biggest
            say(f"## Profile of the slowest stage ({size} clauses, profile → .docx, caches emptied), cProfile\n")
            build_big = lambda: csi.assemble(csi.load_profile(big_profile, big_library), big_library).to_docx(work / "prof.docx")  # noqa: E731
            forget(big_library)
            say("By cumulative time (the stages):\n")
            say("```")
            say(profile_top(build_big, 16))
            say("```\n")
            forget(big_library)
            say("By own time (where the time goes):\n")
            say("```")
            say(profile_top(build_big, 16, "tottime"))
            say("```\n")
        say("## Targets\n")
        say("| target | measured | status |")
        say("|---|---|---|")
        for name, measured, met in targets:
            say(f"| {name} | {measured} | {'met' if met else '**missed**'} |")
        say("")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    say(why_missed(HERE / "ANALYSIS.md"))
    text = "\n".join(report) + "\n"
    if not args.quick and not args.no_pdf:
        Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

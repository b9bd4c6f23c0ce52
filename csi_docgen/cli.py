"""The ``csi-docgen`` command line: a thin French layer over the library API.

Only click is imported at start-up; each command imports what it needs, so
``csi-docgen --help`` never loads python-docx or lxml. Errors of the library
are shown as one French line each (a traceback only with ``--debug``) and
mapped to exit codes: 0 ok, 1 invalid input, 2 usage error.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from . import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class FrenchFormatter(click.HelpFormatter):
    """Help pages in French: headings and the usage prefix."""

    # click writes "{name}:"; the trailing space gives the French "Options :".
    HEADINGS = {"Options": "Options ", "Commands": "Commandes ", "Arguments": "Arguments "}

    def write_usage(self, prog, args="", prefix=None):
        super().write_usage(prog, args.replace("[OPTIONS]", "[OPTIONS]").replace("COMMAND", "COMMANDE"), "Utilisation : ")

    def section(self, name):
        return super().section(self.HEADINGS.get(name, name))


class FrenchContext(click.Context):
    formatter_class = FrenchFormatter


def _french_help_option(option):
    if option is not None:
        option.help = "Afficher cette aide et quitter."
    return option


class FrenchCommand(click.Command):
    context_class = FrenchContext

    def get_help_option(self, ctx):
        return _french_help_option(super().get_help_option(ctx))


class FrenchGroup(click.Group):
    """A group that accepts English aliases and speaks French on usage errors."""

    aliases = {"validate": "valider", "lint": "verifier-clauses", "check": "valider"}
    context_class = FrenchContext
    command_class = FrenchCommand

    def get_help_option(self, ctx):
        return _french_help_option(super().get_help_option(ctx))

    def get_command(self, ctx, cmd_name):
        return super().get_command(ctx, self.aliases.get(cmd_name, cmd_name))

    def resolve_command(self, ctx, args):
        name, cmd, rest = super().resolve_command(ctx, args)
        return (cmd.name if cmd else name), cmd, rest

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        argv = list(args) if args is not None else sys.argv[1:]
        try:
            code = super().main(argv, prog_name or "csi-docgen", complete_var, False, **extra)
        except click.exceptions.Abort:
            _say("interrompu", err=True)
            sys.exit(1)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help())
            sys.exit(2)
        except click.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            hint = f"\naide : {ctx.command_path} --help" if ctx is not None else ""
            _say(f"{_label('erreur')} d'utilisation : {_french_click(exc.format_message())}{hint}", err=True)
            sys.exit(exc.exit_code)
        except Exception as exc:
            from .errors import CsiError

            if "--debug" in argv or not isinstance(exc, CsiError):
                if not isinstance(exc, CsiError):
                    _say("erreur interne de csi-docgen ; merci de la signaler avec la trace ci-dessous", err=True)
                raise
            issues = getattr(exc, "issues", None)
            if issues:
                _echo_issues(issues)
            else:
                _say(f"{_label('erreur')} : {exc}", err=True)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


def _option_names(match: re.Match) -> str:
    names = match.group(1).replace("'", "")
    return f"valeur invalide pour {names} : {match.group(2)}"


_CLICK_FRENCH = [
    (r"Invalid value for (.+?): (.*)", _option_names),
    (r"(?:Directory|Path) '(.*)' is a file\.", r"« \1 » est un fichier, pas un dossier"),
    (r"(?:File|Path) '(.*)' is a directory\.", r"« \1 » est un dossier, pas un fichier"),
    (r"(?:File|Directory|Path) '(.*)' does not exist\.", r"« \1 » n'existe pas"),
    (r"(?:File|Directory|Path) '(.*)' is not (readable|writable)\.", r"« \1 » : permission refusée"),
    (r"'(.*)' is not one of (.*)\.", lambda m: _not_a_choice(m.group(1), m.group(2).replace(chr(39), ""))),
    (r"(-?\d+) is not in the range x>=(-?\d+)\.", r"« \1 » : au moins \2 attendu"),
    (r"(-?\d+) is not in the range (.*)\.", r"« \1 » n'est pas dans l'intervalle \2"),
    (r"Option '([^']+)' does not take a value\.", r"l'option \1 ne prend pas de valeur"),
    (r"No such option: (\S+)", r"option inconnue : \1"),
    (r"No such option '([^']+)'\.", r"option inconnue : \1"),
    (r"No such command '([^']+)'\.", r"commande inconnue : « \1 »"),
    (r"Missing argument '([^']+)'\.", r"argument manquant : \1"),
    (r"Missing option '([^']+)'\.", r"option manquante : \1"),
    (r"Got unexpected extra arguments? \((.*)\)", r"argument(s) en trop : \1"),
    (r"Option '([^']+)' requires an argument\.", r"l'option \1 attend une valeur"),
    (r"Invalid value for '([^']+)': (.*)", r"valeur invalide pour \1 : \2"),
    (r"\s*\(Did you mean one of: (.*)\?\)", lambda m: " (vouliez-vous dire " + _french_or(m.group(1)) + " ?)"),
    (r"\s*Did you mean (.*)\?", lambda m: " (vouliez-vous dire " + re.sub(r"'([^']*)'", r"« \1 »", m.group(1)).replace(" or ", " ou ") + " ?)"),
    (r"'(.*)' is not a valid integer( range)?\.", r"« \1 » n'est pas un nombre entier"),
    (r"Path '(.*)' does not exist\.", r"« \1 » n'existe pas"),
]


def _not_a_choice(value: str, choices: str) -> str:
    """« « comune » ne fait pas partie des choix : commune, ville… (vouliez-vous dire « commune » ?) »."""
    from .errors import suggest

    hint = suggest(value, [c.strip() for c in choices.replace(" or ", ", ").split(",")])
    return f"« {value} » ne fait pas partie des choix : {choices}" + (f" ({hint})" if hint else "")


def _french_or(names: str) -> str:
    """« '--sortie', '--strict' » → « « --sortie » ou « --strict » »."""
    quoted = [f"« {name.strip().strip(chr(39))} »" for name in names.split(",")]
    return ", ".join(quoted[:-1]) + " ou " + quoted[-1] if len(quoted) > 1 else quoted[0]


def _french_click(message: str) -> str:
    for pattern, replacement in _CLICK_FRENCH:
        message = re.sub(pattern, replacement, message)
    return message


# --- terminal output ------------------------------------------------------------
# Colour only on a terminal (click strips it otherwise); NO_COLOR (https://no-color.org)
# turns it off, FORCE_COLOR on.

_STYLES = {
    "erreur": {"fg": "red", "bold": True},
    "avertissement": {"fg": "yellow", "bold": True},
    "note": {"fg": "cyan"},
    "-": {"fg": "red"},
    "+": {"fg": "green"},
    "titre": {"bold": True},
}


def _color() -> bool | None:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def _label(kind: str, text: str | None = None) -> str:
    return click.style(text if text is not None else kind, **_STYLES[kind])


def _say(text: str, err: bool = False, nl: bool = True) -> None:
    _status.clear()
    click.echo(text, err=err, nl=nl, color=_color())


class _Status:
    """A progress line on a terminal's stderr (« Construction : 3/10 »), rewritten in place
    and wiped before any other line is printed; nothing at all when stderr is not a terminal."""

    def __init__(self):
        self.shown = False

    def show(self, text: str) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r\033[K{text}")
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False


_status = _Status()


def _json_out(data) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _issue_record(issue) -> dict:
    return {
        "gravite": issue.severity,
        "message": issue.message,
        "fichier": issue.path,
        "ligne": issue.line,
        "colonne": issue.column,
        "suggestion": issue.hint,
    }


_QUIET = click.option("-q", "--silencieux", "--quiet", "quiet", is_flag=True, help="N'afficher que les erreurs.")
_FORMAT = click.option("--format", "fmt", type=click.Choice(["texte", "json"]), default="texte",
                       help="texte (par défaut) ou json, pour un script ou l'intégration continue.")


@click.group(name="csi-docgen", cls=FrenchGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="csi-docgen", message="%(prog)s %(version)s", help="Afficher la version et quitter.")
@click.option("--debug", is_flag=True, help="Afficher la trace Python complète en cas d'erreur.")
@click.pass_context
def cli(ctx, debug):
    """csi-docgen — contrats de sécurité intégrée signables à partir d'une bibliothèque de clauses.

    \b
    Exemples :
      csi-docgen build examples/bourges.yaml
      csi-docgen valider examples/*.yaml
      csi-docgen clauses --socle
      csi-docgen init Bourges
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    _libraries.clear()  # a new command reads the library afresh (a process may run several)


_libraries: dict = {}


def _library(clauses_dir):
    """The clause library, loaded once per command (and per worker process): a batch builds every profile from one snapshot."""
    from .clauses import load_library

    if clauses_dir not in _libraries:
        _libraries[clauses_dir] = load_library(clauses_dir)
    return _libraries[clauses_dir]


def _expand_profiles(paths: tuple[str, ...]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml")))
        elif path.exists():
            found.append(path)
        else:
            raise click.UsageError(f"« {raw} » n'existe pas")
    if not found:
        raise click.UsageError("aucun profil .yaml trouvé dans les dossiers donnés")
    return found


def _echo_issues(issues, err=True, quiet=False) -> None:
    for issue in issues:
        label = {"erreur": "erreur", "note": "note"}.get(issue.severity, "avertissement")
        if quiet and label != "erreur":
            continue
        _say(f"{_label(label)} : {issue}", err=err)


# --- build -----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("profils", nargs=-1, required=True, metavar="PROFIL.yaml [PROFIL…]")
@click.option("-o", "--sortie", "sortie", type=click.Path(), metavar="DOSSIER|FICHIER.docx",
              help="Dossier de sortie (par défaut output/<collectivité>/), ou fichier .docx pour un seul profil.")
@click.option("--pdf", is_flag=True, help="Produire aussi le PDF (LibreOffice).")
@click.option("--strict", is_flag=True, help="Traiter les avertissements comme des erreurs.")
@click.option("--clauses", "clauses_dir", type=click.Path(file_okay=False), metavar="DOSSIER", help="Bibliothèque de clauses à employer (par défaut celle de csi-docgen).")
@click.option("--modele", type=click.Path(dir_okay=False), metavar="MODELE.docx", help="Modèle .docx de référence (styles, en-tête, pied de page).")
@click.option("-j", "--processus", "jobs", type=int, default=0, callback=lambda ctx, param, value: _at_least(0, value),
              metavar="N", help="Nombre de processus parallèles ; 0 (par défaut) : un par cœur.")
@_QUIET
def build(profils, sortie, pdf, strict, clauses_dir, modele, jobs, quiet):
    """Construire le contrat .docx de chaque PROFIL (fichier ou dossier de profils).

    Affiche le chemin et l'empreinte SHA-256 de chaque contrat, au fur et à mesure. Un
    profil en erreur n'arrête pas les autres ; le code de sortie vaut alors 1. Deux
    profils qui écriraient le même fichier sont refusés avant toute écriture.
    """
    files = _expand_profiles(profils)
    output_file, output_dir = _output_target(sortie, len(files))
    if modele and not Path(modele).is_file():
        raise click.UsageError(f"modèle introuvable : « {modele} »")
    if pdf:
        from .pdf import find_soffice

        find_soffice()  # LibreOffice absent or unusable: said before any contract is written
    if len(files) > 1:
        _refuse_clashes(files, output_file, output_dir, pdf, clauses_dir)
    tasks = [(str(f), output_file, output_dir, strict, clauses_dir, modele) for f in files]
    built: dict[int, Path] = {}
    failures = 0

    def report(index, outcome):
        nonlocal failures
        status, payload, warnings = outcome
        if not quiet:
            for warning in warnings:
                _say(f"{_label('avertissement')} : {warning}", err=True)
        if status == "ok":
            path, digest = payload
            built[index] = Path(path)
            if not quiet:
                _say(f"{path}  sha256:{digest}")
        else:
            failures += 1
            for line in payload.splitlines():
                _say(_label("erreur") + line[len("erreur"):] if line.startswith("erreur : ") else line, err=True)
            _say(f"{files[index]} : aucun contrat écrit", err=True)

    if len(tasks) == 1:
        report(0, _build_one(tasks[0]))
    else:
        _build_many(tasks, jobs, report, quiet)
    if pdf and built:
        from .pdf import to_pdf

        if not quiet:
            _status.show(f"Conversion en PDF de {len(built)} contrat(s)…")
        for pdf_path in to_pdf([built[i] for i in sorted(built)]):
            if not quiet:
                _say(f"{pdf_path}")
        _status.clear()
    if len(files) > 1 and not quiet:
        _say(f"{len(built)} contrat(s) écrit(s), {failures} en erreur", err=True)
    if failures:
        sys.exit(1)


def _at_least(minimum: int, value: int) -> int:
    if value < minimum:
        raise click.BadParameter(f"« {value} » : au moins {minimum} attendu")
    return value


def _output_target(sortie, count):
    """(output file, output folder) from ``-o``: a name ending in .docx is a file, anything else a folder."""
    if sortie is None:
        return None, None
    path = Path(sortie)
    if path.suffix.lower() in (".pdf", ".odt", ".doc") and not os.path.isdir(sortie):
        # Without this, « -o contrat.pdf » made a folder of that name.
        raise click.UsageError(
            f"-o « {sortie} » : un fichier de sortie se termine par .docx, sinon c'est un dossier "
            f"(pour un PDF : -o {path.with_suffix('.docx').name} --pdf écrit aussi {path.with_suffix('.pdf').name} à côté)"
        )
    # os.path swallows OSError (a name too long…): the build then says what is wrong.
    if path.suffix.lower() == ".docx" and not os.path.isdir(sortie):
        if count > 1:
            raise click.UsageError(
                f"-o « {sortie} » est un fichier .docx : il ne vaut que pour un seul profil "
                f"({count} profils donnés) ; pour plusieurs, donnez un dossier"
            )
        return sortie, None
    if os.path.exists(sortie) and not os.path.isdir(sortie):
        raise click.UsageError(f"valeur invalide pour -o / --sortie : « {sortie} » est un fichier, pas un dossier (un fichier de sortie se termine par .docx)")
    return None, sortie


def _refuse_clashes(files, output_file, output_dir, pdf, clauses_dir):
    """Exit 1, before anything is written, when two profiles would write one file (.docx or PDF)."""
    from .api import planned_output
    from .outputs import clashes, outputs_of

    plans = []
    for path in files:
        target = planned_output(path, output_file, output_dir)
        if target is not None:  # otherwise this profile writes nothing; its build reports why
            plans.append((str(path), outputs_of(target, pdf)))
    found = clashes(plans)
    if found:
        # Only profiles that build can clash: check those named (rare, so the
        # whole check runs only then), and drop the ones that will fail anyway.
        from .errors import CsiError
        from .profile import load_profile

        named = {p for p, _ in plans if any(f"« {p} »" in message for message in found)}
        library = _library(clauses_dir)
        kept = []
        for path, outputs in plans:
            if path in named:
                try:
                    load_profile(path, library)
                except CsiError:
                    continue
            kept.append((path, outputs))
        found = clashes(kept)
    if found:
        for message in found:
            _say(f"{_label('erreur')} : {message}", err=True)
        _say(
            "aucun contrat écrit : construisez ces profils séparément, chacun avec son dossier de sortie "
            "(-o DOSSIER), ou distinguez leurs collectivités ou leurs périodes",
            err=True,
        )
        sys.exit(1)


def _build_one(task):
    """Build one profile; never raises (runs in worker processes too)."""
    source, output_file, output_dir, strict, clauses_dir, modele = task
    from .api import build as build_contract
    from .errors import CsiError

    try:
        library = _library(clauses_dir)
        result = build_contract(source, output_file, library=library, template=modele, strict=strict, output_dir=output_dir)
    except CsiError as exc:
        issues = getattr(exc, "issues", None)
        text = "\n".join(f"erreur : {i}" for i in issues) if issues else f"erreur : {exc}"
        return "erreur", text, ()
    return "ok", (str(result.path), result.sha256), result.warnings


def _build_many(tasks, jobs, report, quiet):
    """Build in worker processes; ``report(index, outcome)`` as each one finishes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .errors import CsiError

    workers = jobs or min(len(tasks), os.cpu_count() or 1)
    context = None
    if sys.platform.startswith("linux"):
        # Load the library (and the modules it needs) once, here: forked
        # workers start with it instead of each loading it again. Elsewhere
        # fork is unsafe or absent: each worker loads it once (_library).
        context = multiprocessing.get_context("fork")
        from . import api as _api_module  # noqa: F401 - imported once, before forking
        from .docx import writer as _writer_module  # noqa: F401

        try:
            _library(tasks[0][4])
        except CsiError:
            pass  # each task reports it
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(_build_one, task): i for i, task in enumerate(tasks)}
            if not quiet:
                _status.show(f"Construction : 0/{len(tasks)}")
            for future in as_completed(futures):
                report(futures[future], future.result())
                done += 1
                if not quiet:
                    _status.show(f"Construction : {done}/{len(tasks)}")
    finally:
        _status.clear()


# --- valider -----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("profils", nargs=-1, required=True, metavar="PROFIL.yaml [PROFIL…]")
@click.option("--strict", is_flag=True, help="Traiter les avertissements comme des erreurs.")
@click.option("--clauses", "clauses_dir", type=click.Path(file_okay=False), metavar="DOSSIER", help="Bibliothèque de clauses à employer.")
@_QUIET
@_FORMAT
def valider(profils, strict, clauses_dir, quiet, fmt):
    """Vérifier des profils sans rien écrire (erreurs et avertissements avec fichier:ligne)."""
    from .validation import check_profile

    library = _library(clauses_dir)
    failed = False
    records = []
    as_json = fmt == "json"
    for path in _expand_profiles(profils):
        # The library's verdict, as it stands: a profile « valide » is one that « build » accepts.
        verdict = check_profile(path, library, strict=strict)
        if as_json:
            records.append({"profil": str(path), "valide": verdict.valid, "problemes": [_issue_record(i) for i in verdict.issues]})
            failed = failed or not verdict.valid
            continue
        _echo_issues(verdict.issues, quiet=quiet)
        if not verdict.valid:
            failed = True
            _say(f"{path} : {len(verdict.errors)} erreur(s)", err=True)
        elif not quiet:
            warn = sum(1 for i in verdict.issues if i.severity == "avertissement")
            _say(f"{path} : profil valide" + (f" ({warn} avertissement(s))" if warn else ""))
    if as_json:
        _json_out(records)
    if failed:
        sys.exit(1)


# --- the library -------------------------------------------------------------


@cli.command("clauses", context_settings=CONTEXT)
@click.option("--volet", metavar="VOLET", help="Seulement ce volet (par exemple securite).")
@click.option("--partie", metavar="PARTIE", help="Seulement cette partie (etat, collectivite, commun…).")
@click.option("--socle", is_flag=True, help="Seulement les mesures du socle.")
@click.option("--clauses", "clauses_dir", type=click.Path(file_okay=False), metavar="DOSSIER", help="Bibliothèque de clauses à lister.")
@_FORMAT
def list_clauses(volet, partie, socle, clauses_dir, fmt):
    """Lister les clauses de la bibliothèque."""
    from .errors import suggest

    library = _library(clauses_dir)
    if volet and volet not in library.volets:
        raise click.UsageError(f"volet « {volet} » inconnu ({suggest(volet, library.volets) or 'voir bibliotheque.yaml'})")
    if partie and partie not in library.parties:
        raise click.UsageError(f"partie « {partie} » inconnue ({suggest(partie, library.parties) or 'voir bibliotheque.yaml'})")
    chosen = library.select(volet=volet, partie=partie, socle=True if socle else None)
    order = {k: i for i, k in enumerate(library.volets)}
    porder = {k: i for i, k in enumerate(library.parties)}
    chosen.sort(key=lambda c: (order.get(c.header.volet, 99), porder.get(c.header.partie, 99), c.id))
    if fmt == "json":
        _json_out([
            {"id": c.id, "titre": c.header.titre, "volet": c.header.volet, "partie": c.header.partie,
             "socle": c.header.socle, "version": c.header.version,
             "parametres": sorted(c.header.parametres), "indicateurs": [i.id for i in c.header.indicateurs]}
            for c in chosen
        ])
        return
    width = max((len(c.id) for c in chosen), default=10)
    click.echo(f"{'identifiant'.ljust(width)}  {'volet':<16} {'partie':<20} socle  titre")
    for clause in chosen:
        h = clause.header
        click.echo(f"{clause.id.ljust(width)}  {h.volet:<16} {h.partie:<20} {'oui' if h.socle else '   '}    {h.titre}")
    click.echo(f"{len(chosen)} clause(s), dont {sum(c.header.socle for c in chosen)} du socle", err=True)


@cli.command("clause", context_settings=CONTEXT)
@click.argument("identifiant")
@click.option("--clauses", "clauses_dir", type=click.Path(file_okay=False), metavar="DOSSIER", help="Bibliothèque de clauses.")
def show_clause(identifiant, clauses_dir):
    """Montrer une clause : en-tête, paramètres, indicateurs et texte rendu."""
    from .errors import suggest
    from .preview_clause import clause_report

    library = _library(clauses_dir)
    if identifiant not in library:
        hint = suggest(identifiant, library.clauses)
        raise click.UsageError(f"clause « {identifiant} » inconnue" + (f" ({hint})" if hint else ""))
    click.echo(clause_report(library, identifiant))


@cli.command("verifier-clauses", context_settings=CONTEXT)
@click.argument("dossier", required=False, type=click.Path())
def verifier_clauses(dossier):
    """Vérifier une bibliothèque de clauses (celle de csi-docgen par défaut)."""
    from .clauses import check_library

    if dossier and not Path(dossier).is_dir():
        raise click.UsageError(f"« {dossier} » n'est pas un dossier")
    library, issues = check_library(dossier)
    if library is not None:
        from .agreement import agreement_warnings

        issues = list(issues) + _unit_warnings(library) + agreement_warnings(library)
    _echo_issues(issues)
    errors = [i for i in issues if i.severity == "erreur"]
    if errors:
        click.echo(f"{len(errors)} erreur(s) dans la bibliothèque", err=True)
        sys.exit(1)
    click.echo(f"bibliothèque valide : {len(library)} clauses, dont {len(library.socle)} du socle")


def _unit_warnings(library) -> list:
    """A counted parameter with a plural unit and no singular: the value 1 would read « un (1) agents »."""
    from .errors import Issue

    found = []
    for clause in library.clauses.values():
        for name, param in clause.header.parametres.items():
            if param.unite and not param.unite_singulier and (param.min is None or param.min <= 1):
                found.append(Issue(
                    f"paramètre « {name} » : « unite » ({param.unite}) sans « unite_singulier » : "
                    f"la valeur 1 s'écrirait « un (1) {param.unite} »",
                    str(clause.path), hint="ajoutez « unite_singulier », ou « min: 2 » si la valeur ne peut pas être 1",
                    severity="avertissement",
                ))
    return found


@cli.command(context_settings=CONTEXT)
@click.argument("ville")
@click.option("-o", "--sortie", type=click.Path(dir_okay=False), metavar="FICHIER", help="Fichier à écrire (par défaut <ville>.yaml).")
@click.option("--type", "kind", default="commune",
              type=click.Choice(["commune", "ville", "metropole", "communaute-urbaine", "communaute-agglomeration", "communaute-communes", "etablissement-public"]),
              help="Nature de la collectivité (par défaut : commune).")
@click.option("--force", is_flag=True, help="Remplacer un fichier existant.")
def init(ville, sortie, kind, force):
    """Écrire un profil de départ pour VILLE, qui liste toutes les mesures du socle."""
    from .atomic import write_text_atomic
    from .api import slug
    from .starter import starter_profile

    if not ville.strip():
        raise click.UsageError("le nom de la ville est vide (par exemple : csi-docgen init Vierzon)")
    target = Path(sortie or f"{slug(ville)}.yaml")
    if target.exists() and not force:
        raise click.UsageError(f"« {target} » existe déjà (ajoutez --force pour le remplacer)")
    shown = _shell_word(str(target))
    write_text_atomic(target, starter_profile(_library(None), ville, kind, fichier=shown))
    _say(f"{target} écrit : complétez les « À compléter », puis « csi-docgen valider {shown} »")


def _shell_word(text: str) -> str:
    """A path as the user would type it in a shell (quoted when it holds a space, « # »…)."""
    import shlex

    return shlex.quote(text)


@cli.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(file_okay=False), metavar="DOSSIER")
@click.option("--force", is_flag=True, help="Écrire dans un dossier qui existe déjà (les fichiers du même nom sont remplacés).")
def exporter(dossier, force):
    """Copier la bibliothèque de clauses, le modèle .docx, les articles fixes et les profils
    d'exemple dans DOSSIER, pour les adapter.

    \b
    DOSSIER/clauses/            la bibliothèque (--clauses DOSSIER/clauses)
    DOSSIER/modele/reference.docx   le modèle (--modele DOSSIER/modele/reference.docx)
    DOSSIER/modele/articles/    les articles fixes (à lire : la clé « articles » d'un profil les change)
    DOSSIER/exemples/           les profils de Bourges et de Clermont-Ferrand
    """
    import shutil

    from .resources import clauses_dir, examples_dir, templates_dir

    target = Path(dossier)
    if target.exists() and any(target.iterdir()) and not force:
        raise click.UsageError(f"« {dossier} » existe déjà et n'est pas vide (ajoutez --force pour y écrire)")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.py", ".*")
    try:
        shutil.copytree(clauses_dir(), target / "clauses", ignore=ignore, dirs_exist_ok=True)
        shutil.copytree(templates_dir() / "articles", target / "modele" / "articles", ignore=ignore, dirs_exist_ok=True)
        shutil.copy2(templates_dir() / "reference.docx", target / "modele" / "reference.docx")
        shutil.copytree(examples_dir(), target / "exemples", ignore=ignore, dirs_exist_ok=True)
    except OSError as exc:
        from .errors import OutputError

        raise OutputError(f"« {dossier} » : copie impossible ({exc.strerror or exc})") from None
    _say(f"{target}/ : bibliothèque, modèle, articles fixes et exemples copiés.")
    # The build reads the installed fixed articles: the copy shows their text, the profile changes it.
    _say("Les articles fixes (modele/articles/) sont à lire : un contrat change le texte de l'un d'eux "
         "par la clé « articles » de son profil (articles: {objet: {texte: …}}).")
    _say("Pour construire avec la bibliothèque et le modèle copiés :")
    _say(f"  csi-docgen build {_shell_word(str(target / 'exemples' / 'bourges.yaml'))} "
         f"--clauses {_shell_word(str(target / 'clauses'))} --modele {_shell_word(str(target / 'modele' / 'reference.docx'))}")


@cli.command("socle", context_settings=CONTEXT)
@click.argument("profil", type=click.Path(dir_okay=False), metavar="PROFIL.yaml")
@click.option("--csv", "as_csv", is_flag=True, help="Sortie CSV (séparateur « ; ») au lieu du texte.")
@click.option("--clauses", "clauses_dir", type=click.Path(file_okay=False), metavar="DOSSIER", help="Bibliothèque de clauses à employer.")
def socle(profil, as_csv, clauses_dir):
    """Montrer comment le contrat prend en compte chaque mesure du socle (aide à la rédaction)."""
    from .api import contract_from
    from .socle_view import socle_csv, socle_text

    if not Path(profil).is_file():
        raise click.UsageError(f"« {profil} » n'existe pas")
    contract = contract_from(profil, _library(clauses_dir))
    click.echo(socle_csv(contract) if as_csv else socle_text(contract), nl=False)


@cli.command(context_settings=CONTEXT)
@click.argument("avant", type=click.Path(dir_okay=False), metavar="AVANT.yaml")
@click.argument("apres", type=click.Path(dir_okay=False), metavar="APRÈS.yaml")
@click.option("--clauses", "clauses_dir", type=click.Path(file_okay=False), metavar="DOSSIER", help="Bibliothèque de clauses à employer.")
@_QUIET
@_FORMAT
def comparer(avant, apres, clauses_dir, quiet, fmt):
    """Montrer ce qui change d'une version d'un contrat à l'autre, article par article.

    Pour une négociation ou un avenant : les lignes retirées sont précédées de « - »,
    les lignes ajoutées de « + ». Code de sortie, comme diff : 0 aucune différence,
    1 des différences, 2 un profil invalide ou une erreur d'utilisation.
    """
    from .api import contract_from
    from .errors import CsiError

    for path in (avant, apres):
        if not Path(path).is_file():
            raise click.UsageError(f"« {path} » n'existe pas")
    try:
        library = _library(clauses_dir)
        before, after = contract_from(avant, library), contract_from(apres, library)
    except CsiError as exc:
        if getattr(exc, "issues", None):
            _echo_issues(exc.issues)
        else:
            _say(f"{_label('erreur')} : {exc}", err=True)
        sys.exit(2)
    report = before.differences(after, Path(avant).name, Path(apres).name)
    if fmt == "json":
        _json_out(report.as_dict())
    elif not quiet:
        for line in report.splitlines():
            if line.startswith(("- ", "+ ")):
                line = _label(line[0], line)
            elif line and not line.startswith(("Différences", "Aucune", "  ")):
                line = _label("titre", line)
            _say(line)
    sys.exit(0 if report.identical else 1)


@cli.command(context_settings=CONTEXT)
@click.argument("signe", type=click.Path(dir_okay=False), metavar="SIGNE.yaml")
@click.argument("modifie", type=click.Path(dir_okay=False), metavar="MODIFIE.yaml")
@click.option("-o", "--sortie", "sortie", type=click.Path(file_okay=False), metavar="DOSSIER",
              help="Dossier où écrire l'avenant et le contrat consolidé (par défaut output/<ville>/).")
@click.option("--signe", "signe_docx", type=click.Path(dir_okay=False), metavar="CONTRAT-SIGNE.docx",
              help="Vérifier d'abord que ce .docx est exactement le contrat signé (empreinte SHA-256, clauses).")
@click.option("--clauses", "clauses_dir", type=click.Path(file_okay=False), metavar="DOSSIER", help="Bibliothèque de clauses à employer.")
@click.option("--modele", type=click.Path(dir_okay=False), metavar="MODELE.docx", help="Modèle .docx de référence.")
def avenant(signe, modifie, sortie, signe_docx, clauses_dir, modele):
    """Rédiger l'avenant qui fait passer du contrat signé à sa version modifiée.

    Écrit l'avenant (un article par modification, numérotation du contrat signé
    conservée : « 12 bis », « (abrogé) ») et le contrat consolidé, dont chaque
    modification est une révision Word (suivi des modifications).
    """
    from .amend import draw_avenant

    for path in (signe, modifie):
        if not Path(path).is_file():
            raise click.UsageError(f"« {path} » n'existe pas")
    result = draw_avenant(signe, modifie, sortie, signed_docx=signe_docx, library=_library(clauses_dir), template=modele)
    click.echo(f"Avenant n° {result.number} : {len(result.changes)} modification(s)")
    for change in result.changes:
        click.echo(f"  - {change.where} : {change.label}")
    click.echo(f"{result.avenant_path}  sha256:{result.avenant_sha256[:16]}")
    click.echo(f"{result.consolidated_path}  sha256:{result.consolidated_sha256[:16]}  (modifications suivies)")


@cli.command(context_settings=CONTEXT)
@click.argument("quoi", type=click.Choice(["profil", "clause"]), default="profil")
def schema(quoi):
    """Afficher le schéma JSON des profils (ou des en-têtes de clause) pour l'éditeur."""
    import json

    from .json_schema import clause_schema, profile_schema

    data = profile_schema() if quoi == "profil" else clause_schema()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# --- entry point ---------------------------------------------------------------


def main(argv=None) -> None:
    """Console-script entry point."""
    # A file name that is not UTF-8 must not stop the program while it is printed.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    # pydantic looks for plugins among every installed distribution's entry
    # points the first time a model is built; the command uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    cli.main(args=argv, prog_name="csi-docgen")

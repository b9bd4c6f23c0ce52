"""Broken city profiles through every entry point: French message, file and line, exit code, nothing written.

Each case is a profile text (or raw bytes) derived from the base profile of
``outils_robustesse``. For every case:

* ``csi-docgen valider`` exits 1 and prints ``erreur : FICHIER:LIGNE… : message``;
* ``csi-docgen build -o DOSSIER`` exits 1, says « aucun contrat écrit », and
  leaves DOSSIER exactly as it was (a contract built before from the good
  profile keeps its bytes; no new or temporary file);
* the API (``check_profile``, ``load_profile``, ``contract_from``, ``build``)
  raises only ``CsiError`` subclasses carrying the same message, and ``build``
  writes nothing.

No case may produce a traceback: the CLI runs with ``catch_exceptions=False``.
"""

from __future__ import annotations

import shutil
import zipfile

import pytest

from csi_docgen.errors import CsiError
from outils_robustesse import (
    api_calls,
    assert_no_traceback,
    base_profile,
    issues_of,
    line_of,
    replaced,
    reread,
    run_cli,
    snapshot,
)

BIG = "1" + "0" * 30  # 10**30
HUGE = "1" + "0" * 5000  # beyond what Python parses as an integer by default

EXTERNES = "annexes:\n  generees: [indicateurs, financement, socle, clauses]\n"


def with_annex(path: str) -> str:
    return replaced(
        EXTERNES,
        EXTERNES + f"  externes:\n    - titre: Convention de coordination\n      fichier: {path}\n",
    )


def last_line_of(text: str, needle: str) -> int:
    return max(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def body_line(text: str) -> int:
    return line_of(text, "L'État accompagne")


def inline_text(body: str) -> str:
    """The inline clause of the base profile with another text (one line)."""
    return replaced(
        "          L'État et {{ collectivite.sujet }} accompagnent {{ public }}.\n",
        f"          L'État accompagne {{{{ public }}}}. {body}\n",
    )


# (case, profile text or bytes, exit code, French message fragment, line or None)
# A line is None when the message has no line to give, or a function of the text.
CASES = [
    # --- not the YAML we accept -------------------------------------------------------------
    ("fichier-vide", b"", 1, "profil vide (partez de « csi-docgen init VILLE »)", 1),
    ("blancs-seulement", b"  \n\n   \n", 1, "profil vide", 1),
    ("commentaire-seulement", b"# rien\n", 1, "profil vide", 1),
    ("pas-du-yaml", "collectivite: nom: Exempleville\n", 1,
     "YAML mal formé : deux-points inattendu (une valeur contenant « : » doit être entre guillemets)", 1),
    ("crochet-non-ferme", "collectivite: {nom: [Exempleville\n", 1, "YAML mal formé : « , » ou « ] » attendu (crochet non fermé ?)", 2),
    ("guillemet-non-ferme", 'collectivite:\n  nom: "Exempleville\n', 1, "YAML mal formé : fin de fichier inattendue (guillemet non fermé ?)", 3),
    ("une-liste", "- collectivite\n- periode\n", 1,
     "le profil doit être une suite de lignes « clé: valeur » (collectivite, periode, volets…)", 1),
    ("un-mot", "Exempleville\n", 1, "le profil doit être une suite de lignes « clé: valeur »", 1),
    ("deux-documents", base_profile() + "---\nautre: profil\n", 1, "un seul document est attendu (ligne « --- » en trop ?)",
     lambda text: line_of(text, "---")),
    ("tabulations", replaced("  nom: Exempleville", "\tnom: Exempleville"), 1,
     "tabulation dans l'indentation (YAML n'accepte que des espaces pour indenter)", 2),
    ("latin-1", replaced("Le préfet", "Le préfet").encode("latin-1"), 1,
     "le fichier n'est pas encodé en UTF-8 (enregistrez-le en UTF-8 depuis votre éditeur", 13),
    ("windows-1252", replaced("Le préfet", "Le préfet – œuvre").encode("cp1252"), 1, "le fichier n'est pas encodé en UTF-8", 13),
    ("utf-16", base_profile().encode("utf-16"), 1, "le fichier est encodé en UTF-16", 1),
    ("un-docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2lZ\x01", 1,
     "ce fichier est un document (.docx, .pdf…), pas un texte YAML (donnez le profil .yaml de la ville", None),
    ("un-pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 1, "ce fichier est un document (.docx, .pdf…), pas un texte YAML", None),
    ("cle-en-double", replaced("  type: commune\n", "  type: commune\n  type: ville\n"), 1,
     "clé « type » en double (déjà donnée ligne 3) (YAML garderait silencieusement la dernière valeur", 4),
    ("section-en-double", base_profile() + "periode:\n  debut: 2022\n  fin: 2026\n", 1, "clé « periode » en double (déjà donnée ligne 4)",
     lambda text: text.count("\n") - 2),
    ("alias", replaced("  nom: Exempleville", "  nom: &v Exempleville").replace("  lieu: Exempleville", "  lieu: *v"), 1,
     "les alias YAML (« & » et « * ») ne sont pas acceptés (recopiez la valeur)", 8),
    ("fusion", replaced("  type: commune\n", "  type: commune\n  <<: {sujet: la Ville}\n"), 1, "la fusion YAML « << » n'est pas acceptée", 4),
    ("etiquette-python", replaced("  nom: Exempleville", "  nom: !!python/object/apply:os.system ['echo pirate']"), 1,
     "étiquette YAML « !!python/object/apply:os.system » non autorisée", 2),
    ("etiquette-python-name", replaced("  lieu: Exempleville", "  lieu: !!python/name:os.system"), 1,
     "étiquette YAML « !!python/name:os.system » non autorisée", 8),
    ("etiquette-locale", replaced("  lieu: Exempleville", "  lieu: !ville Exempleville"), 1, "étiquette YAML « !ville » non autorisée", 8),
    ("cle-structure", replaced("  lieu: Exempleville", "  ? [a, b]\n  : Exempleville"), 1, "une clé doit être un simple mot", 8),
    ("imbrication-profonde", replaced("  lieu: Exempleville", "  lieu: " + "[" * 300 + "]" * 300), 1,
     "structure trop profondément imbriquée (plus de 64 niveaux)", 8),
    # --- unknown keys, wrong types, missing keys -----------------------------------------------
    ("cle-inconnue", base_profile() + "commentaire: à revoir\n", 1,
     "clé inconnue « commentaire » (clés possibles : collectivite, periode", lambda text: text.count("\n")),
    ("cle-inconnue-faute", replaced("  exemplaires: 2", "  exemplaire: 2"), 1, "clé inconnue « exemplaire » (vouliez-vous dire « exemplaires » ?)", 10),
    ("texte-attendu", replaced("  lieu: Exempleville", "  lieu: [Exempleville, Bourges]"), 1, "« lieu » : texte attendu", 8),
    ("liste-attendue", replaced("  generees: [indicateurs, financement, socle, clauses]", "  generees: indicateurs"), 1,
     "« generees » : liste attendue (lignes commençant par « - »)", 19),
    ("structure-attendue", replaced("periode:\n  debut: 2021\n  fin: 2026\n", "periode: 2021-2026\n"), 1,
     "« periode » : ensemble de clés attendu (lignes « clé: valeur »)", 4),
    ("entier-attendu", replaced("  exemplaires: 2", "  exemplaires: deux"), 1, "« exemplaires » : nombre entier attendu, reçu « deux »", 10),
    ("type-inconnu", replaced("  type: commune", "  type: village"), 1, "« type » : valeur inconnue ; valeurs possibles : commune, ville", 3),
    ("date-impossible", replaced("  date: 2021-09-01", "  date: 2021-02-30"), 1, "« date » : date attendue au format AAAA-MM-JJ", 9),
    ("date-an-99999", replaced("  date: 2021-09-01", "  date: 99999-01-01"), 1, "« date » : date attendue au format AAAA-MM-JJ", 9),
    ("annee-99999", replaced("  fin: 2026", "  fin: 99999"), 1, "« fin » : valeur trop grande : au plus 2100 attendu, reçu « 99999 »", 6),
    ("annee-negative", replaced("  debut: 2021", "  debut: -2021"), 1, "« debut » : valeur trop petite : au moins 2000 attendu", 5),
    ("annees-inversees", replaced("  debut: 2021", "  debut: 2027"), 1, "l'année de fin (2026) précède l'année de début (2027)", 5),
    ("exemplaires-absurdes", replaced("  exemplaires: 2", f"  exemplaires: {BIG}"), 1, "« exemplaires » : valeur trop grande : au plus 20 attendu", 10),
    ("exemplaires-zero", replaced("  exemplaires: 2", "  exemplaires: 0"), 1, "« exemplaires » : valeur trop petite : au moins 1 attendu", 10),
    ("cle-obligatoire", replaced("  type: commune\n", ""), 1, "clé obligatoire « type » absente", 2),
    ("section-obligatoire", replaced("periode:\n  debut: 2021\n  fin: 2026\n", ""), 1, "clé obligatoire « periode » absente", 1),
    ("texte-vide", replaced("  lieu: Exempleville", '  lieu: ""'), 1, "« lieu » : texte vide", 8),
    ("un-seul-signataire", replaced("  - partie: collectivite\n    qualite: Le maire\n    nom: Bruno DURAND\n", ""), 1,
     "« signataires » : au moins 2 élément(s) attendu(s)", 12),
    ("signataire-collectivite-absent", replaced("  - partie: collectivite\n", "  - partie: etat\n"), 1,
     "aucun signataire pour la collectivité (partie: collectivite)", 11),
    # --- figures of the clauses --------------------------------------------------------------------
    ("cameras-10-puissance-30", replaced("cameras_par_an: 10", f"cameras_par_an: {BIG}"), 1,
     "paramètre « cameras_par_an » : valeur trop grande : au plus 1000000000 attendu", 25),
    ("cameras-5000-chiffres", replaced("cameras_par_an: 10", f"cameras_par_an: {HUGE}"), 1,
     "paramètre « cameras_par_an » : nombre beaucoup trop grand", 25),
    ("cameras-negatives", replaced("cameras_par_an: 10", "cameras_par_an: -3"), 1,
     "paramètre « cameras_par_an » : valeur trop petite : au moins 1 attendu, reçu « -3 »", 25),
    ("cameras-decimales", replaced("cameras_par_an: 10", "cameras_par_an: 2.5"), 1, "paramètre « cameras_par_an » : nombre entier attendu, reçu « 2.5 »", 25),
    ("cameras-en-lettres", replaced("cameras_par_an: 10", "cameras_par_an: dix"), 1, "paramètre « cameras_par_an » : nombre entier attendu, reçu « dix »", 25),
    ("cameras-vide", replaced("cameras_par_an: 10", "cameras_par_an:"), 1, "paramètre « cameras_par_an » : nombre entier attendu, la valeur est vide", 25),
    ("parametre-liste-scalaire", replaced("zones_patrouille: [nord, sud]", "zones_patrouille: {nord: sud}"), 1,
     "paramètre « zones_patrouille » : liste de textes attendue, reçu « une structure »", 30),
    ("parametre-texte-liste", replaced("presence_renforcee: en soirée", "presence_renforcee: [en soirée]"), 1,
     "paramètre « presence_renforcee » : texte attendu, reçu « une liste »", 29),
    ("parametre-inconnu", replaced("cameras_par_an: 10", "camera_par_an: 10"), 1,
     "paramètre « camera_par_an » inconnu pour la clause « collectivite-securite-videoprotection-csu » (vouliez-vous dire « cameras_par_an » ?)", 25),
    ("parametres-en-liste", replaced("          cameras_par_an: 10\n          situation: existant", "          - 10\n          - existant"), 1, "« parametres » : ensemble de clés attendu", 25),
    # --- clauses and volets ----------------------------------------------------------------------
    ("clause-inconnue", replaced("- id: collectivite-securite-videoprotection-csu", "- id: collectivite-securite-videoprotection"), 1,
     "clause « collectivite-securite-videoprotection » inconnue de la bibliothèque (vouliez-vous dire « collectivite-securite-videoprotection-csu » ?)", 23),
    ("clause-en-double", replaced("      - id: collectivite-securite-videoprotection-csu\n",
                                  "      - etat-justice-gltd\n      - id: collectivite-securite-videoprotection-csu\n"), 1,
     "clause « etat-justice-gltd » retenue deux fois (déjà ligne 23)", lambda text: last_line_of(text, "      - etat-justice-gltd")),
    ("volet-inconnu", replaced("  - volet: securite", "  - volet: securit"), 1,
     "volet « securit » inconnu de la bibliothèque (vouliez-vous dire « securite » ?)", 21),
    ("volet-personnalise-sans-titre", replaced("    titre: La prévention sociale\n", ""), 1, "un volet personnalisé doit avoir un « titre »",
     lambda text: line_of(text, "  - volet: prevention-sociale")),
    ("situation-absente", replaced("      - {id: collectivite-prevention-cddf, parametres: {situation: existant}}\n", "      - collectivite-prevention-cddf\n"), 1,
     "paramètre obligatoire « situation » absent pour la clause « collectivite-prevention-cddf » (Le conseil pour les droits et devoirs des familles est-il à créer (a-creer) ou existe-t-il déjà (existant) ?)",
     lambda text: line_of(text, "      - collectivite-prevention-cddf")),
    ("identifiant-majuscules", replaced("      - etat-justice-gltd\n", "      - Etat-Justice-GLTD\n"), 1,
     "identifiant attendu en minuscules, chiffres et tirets", lambda text: line_of(text, "Etat-Justice-GLTD")),
    # --- external annexes -------------------------------------------------------------------------
    ("annexe-hors-dossier", with_annex("../x.docx"), 1, "l'annexe « ../x.docx » est hors du dossier du profil", 22),
    ("annexe-chemin-absolu", with_annex("/etc/passwd"), 1, "l'annexe « /etc/passwd » est hors du dossier du profil", 22),
    ("annexe-absolue-docx", with_annex("/tmp/contrat.docx"), 1, "l'annexe « /tmp/contrat.docx » est hors du dossier du profil", 22),
    ("annexe-pas-docx", with_annex("annexe.txt"), 1, "l'annexe « annexe.txt » n'est pas un fichier .docx (enregistrez-la au format Word (.docx))", 22),
    ("annexe-pas-zip", with_annex("faux.docx"), 1, "l'annexe « faux.docx » n'est pas un document Word lisible", 22),
    ("annexe-vide", with_annex("vide.docx"), 1, "l'annexe « vide.docx » n'est pas un document Word lisible", 22),
    ("annexe-zip-sans-document", with_annex("archive.docx"), 1, "l'annexe « archive.docx » n'est pas un document Word lisible", 22),
    ("annexe-introuvable", with_annex("absente.docx"), 1, "fichier d'annexe introuvable : « absente.docx »", 22),
    ("annexe-dossier", with_annex("dossier.docx"), 1, "fichier d'annexe introuvable : « dossier.docx »", 22),
    ("annexe-nom-trop-long", with_annex("a" * 5000 + ".docx"), 1, "chemin d'annexe invalide", 22),
    # --- a clause written in the profile: the same lint as the library -------------------------------
    ("jinja-non-ferme", inline_text("{% if public %}oui"), 1, "syntaxe Jinja incorrecte : fin de texte inattendue", body_line),
    ("jinja-endif-orphelin", inline_text("oui{% endif %}"), 1, "syntaxe Jinja incorrecte : balise inconnue « endif »", body_line),
    ("jinja-accolades", inline_text("{{ public "), 1, "syntaxe Jinja incorrecte", body_line),
    ("injection-mro", inline_text("{{ ''.__class__.__mro__ }}"), 1, "accès interdit à « __class__ »", body_line),
    ("injection-collectivite-class", inline_text("{{ collectivite.__class__ }}"), 1, "accès interdit à « __class__ »", body_line),
    ("injection-import-os", inline_text("{% import 'os' as os %}"), 1, "balise « import » interdite dans un texte de clause", body_line),
    ("injection-cycler-globals", inline_text("{{ cycler.__init__.__globals__ }}"), 1, "accès interdit à « __globals__ »", body_line),
    ("injection-self", inline_text("{{ self }}"), 1, "« self » est un nom interne de Jinja, interdit dans un texte de clause", body_line),
    ("injection-nom-non-declare", inline_text("{{ lipsum }}"), 1, "« lipsum » n'est pas un paramètre déclaré dans l'en-tête", body_line),
    ("injection-appel", inline_text("{{ public.center(1000000000) }}"), 1, "appel interdit dans un texte de clause", body_line),
    ("injection-filtre", inline_text("{{ public | center(1000000000) }}"), 1, "filtre « center » inconnu", body_line),
    ("injection-include", inline_text("{% include 'clause:etat-justice-gltd' %}"), 1, "balise « include » interdite", body_line),
    # --- what only rendering finds: « valider » renders too, so that it agrees with « build » -----------
    ("article-inconnu", inline_text("Voir l'article {{ article('zzz') }}."), 1,
     "texte impossible à produire : article « zzz » introuvable dans ce contrat (clause non retenue ?)", body_line),
    ("valeur-facultative-imprimee", replaced(
        "            description: Public accompagné\n",
        "            description: Public accompagné\n          lieu:\n            type: texte\n            description: Lieu\n            facultatif: true\n",
        inline_text("À {{ lieu }}.")), 1,
     "une valeur facultative non renseignée est imprimée (entourez-la d'un {% if … %} … {% endif %}", body_line),
]

# Found when the texts are rendered (contract_from, build, valider), not by load_profile.
RENDER_CASES = {"article-inconnu", "valeur-facultative-imprimee"}

# Files some cases need next to the profile.
FIXTURE_FILES = {
    "annexe.txt": b"pas un document Word",
    "faux.docx": b"pas un zip du tout",
    "vide.docx": b"",
}


def _write_profile_folder(tmp_path, text) -> tuple:
    folder = tmp_path / "profil"
    folder.mkdir()
    for name, data in FIXTURE_FILES.items():
        (folder / name).write_bytes(data)
    with zipfile.ZipFile(folder / "archive.docx", "w") as archive:
        archive.writestr("bonjour.txt", "pas un document Word")
    (folder / "dossier.docx").mkdir()
    path = folder / "exempleville.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return folder, path


@pytest.fixture(scope="module")
def good_output(tmp_path_factory):
    """A contract built from the good base profile, the way the CLI names it."""
    folder = tmp_path_factory.mktemp("bon")
    path = folder / "exempleville.yaml"
    path.write_text(base_profile(), encoding="utf-8")
    out = folder / "sortie"
    result = run_cli("build", path, "-o", out)
    assert result.exit_code == 0, result.output
    for written in out.glob("*.docx"):
        reread(written)
    return snapshot(out), out


def _expected_line(line, text):
    if callable(line):
        decoded = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        return line(decoded)
    return line


def _check_message(messages: list[str], path, fragment: str, line) -> None:
    hits = [m for m in messages if fragment in m]
    assert hits, f"« {fragment} » absent de :\n" + "\n".join(messages)
    assert any(m.startswith(str(path)) or f"{path}:" in m for m in hits), hits
    if line is not None:
        assert any(f"{path}:{line}:" in m or f"{path}:{line} " in m for m in hits), (line, hits)


@pytest.mark.parametrize("case, text, code, fragment, line", CASES, ids=[c[0] for c in CASES])
def test_cli_names_file_and_line_and_writes_nothing(tmp_path, good_output, case, text, code, fragment, line):
    folder, path = _write_profile_folder(tmp_path, text)
    # valider: the message, with the file and the line
    result = run_cli("valider", path)
    assert_no_traceback(result.output)
    assert result.exit_code == code, result.output
    messages = [m.removeprefix("erreur : ") for m in result.output.splitlines() if m.startswith("erreur : ")]
    _check_message(messages, path, fragment, _expected_line(line, text))
    # build: the same message, and the output folder exactly as it was
    before, good_dir = good_output
    out = tmp_path / "sortie"
    shutil.copytree(good_dir, out)  # the contract of the good profile is already there
    result = run_cli("build", path, "-o", out)
    assert_no_traceback(result.output)
    assert result.exit_code == code, result.output
    assert f"{path} : aucun contrat écrit" in result.output
    assert fragment in result.output
    assert snapshot(out) == before  # nothing created, nothing changed, no temporary file
    assert snapshot(folder / "sortie") == {}


@pytest.mark.parametrize("case, text, code, fragment, line", CASES, ids=[c[0] for c in CASES])
def test_api_raises_only_csi_errors(tmp_path, library, case, text, code, fragment, line):
    folder, path = _write_profile_folder(tmp_path, text)
    target = tmp_path / "api" / "contrat.docx"
    raised = api_calls(path, library, target)
    # check_profile reports content problems as issues; the three others must raise
    # (load_profile validates without rendering: it accepts what only rendering finds).
    assert len(raised) >= (2 if case in RENDER_CASES else 3), case
    for exc in raised:
        assert isinstance(exc, CsiError)
        assert exc.exit_code == 1
    messages = [m for exc in raised for m in issues_of(exc)]
    _check_message(messages, path, fragment, _expected_line(line, text))
    assert not target.exists() and not target.parent.exists()


# --- the same profile given as a dict (notebooks) ------------------------------------------------------


DICT_CASES = [
    ("liste-a-la-racine", [1, 2], "un profil est un chemin de fichier .yaml ou un dictionnaire, pas list"),
    ("none", None, "pas NoneType"),
    ("entier", 42, "pas int"),
    ("octets", b"collectivite: x", "pas bytes"),
    ("dict-vide", {}, "clé obligatoire « collectivite » absente"),
    ("dict-autoreferent", "autoreferent", "structure trop profondément imbriquée (ou qui se contient elle-même)"),
    ("valeurs-python", "valeurs-python", "nombre entier attendu"),
]


@pytest.mark.parametrize("case, source, fragment", DICT_CASES, ids=[c[0] for c in DICT_CASES])
def test_api_with_odd_sources(tmp_path, library, case, source, fragment):
    if source == "autoreferent":
        source = {"collectivite": {"nom": "X", "type": "commune"}}
        source["collectivite"]["moi"] = source
    elif source == "valeurs-python":
        from outils_robustesse import base_dict

        source = base_dict()
        source["signature"]["exemplaires"] = object()
    raised = api_calls(source, library, tmp_path / "x.docx")
    assert len(raised) >= 3, raised
    assert any(fragment in m for exc in raised for m in issues_of(exc)), [issues_of(e) for e in raised]
    assert not (tmp_path / "x.docx").exists()


def test_library_argument_of_the_wrong_kind(tmp_path):
    import csi_docgen

    for bad in (42, ["clauses"], tmp_path / "absent", tmp_path / "fichier"):
        if isinstance(bad, type(tmp_path)) and bad.name == "fichier":
            bad.write_text("x")
        with pytest.raises(CsiError) as info:
            csi_docgen.load_library(bad)
        assert "bibliothèque" in str(info.value) or "dossier de clauses introuvable" in str(info.value)
        with pytest.raises(CsiError):
            csi_docgen.check_library(bad)


# --- one verdict: the API and « valider » agree on every case ------------------------------------


def _valider_verdict(path, *options):
    """Whether « valider » accepts ``path``, and what it printed."""
    result = run_cli("valider", path, *options)
    assert_no_traceback(result.output)
    return result.exit_code == 0, result.output


def _as_printed(issues) -> str:
    labels = {"erreur": "erreur", "note": "note"}
    return "".join(f"{labels.get(i.severity, 'avertissement')} : {i}\n" for i in issues)


@pytest.mark.parametrize("strict", [False, True], ids=["", "strict"])
@pytest.mark.parametrize("case, text, code, fragment, line", CASES, ids=[c[0] for c in CASES])
def test_check_profile_and_valider_give_one_verdict(tmp_path, library, case, text, code, fragment, line, strict):
    import csi_docgen

    _, path = _write_profile_folder(tmp_path, text)
    verdict = csi_docgen.check_profile(path, library, strict=strict)
    valid, printed = _valider_verdict(path, *(["--strict"] if strict else []))
    assert not verdict.valid and not valid, case
    assert printed.startswith(_as_printed(verdict.issues))  # the same issues, in the same order
    assert printed.removeprefix(_as_printed(verdict.issues)) == f"{path} : {len(verdict.errors)} erreur(s)\n"
    assert fragment in printed


@pytest.mark.parametrize("name", ["bourges.yaml", "clermont-ferrand.yaml"])
def test_check_profile_and_valider_agree_on_the_examples(library, name):
    import csi_docgen
    from outils_robustesse import REPO

    path = REPO / "examples" / name
    for strict in (False, True):
        verdict = csi_docgen.check_profile(path, library, strict=strict)
        valid, printed = _valider_verdict(path, *(["--strict"] if strict else []))
        assert verdict.valid == valid
        assert printed.startswith(_as_printed(verdict.issues))
        assert verdict.valid == (not strict or not verdict.warnings)

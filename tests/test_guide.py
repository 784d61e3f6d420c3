"""docs/guide-annuel.md tells the truth: it follows one campaign, the 2026 evaluation, and the
test runs its steps in their order on a copy of the sample data — every command it shows, the
files it shows written, the partners' returns it describes done by hand here — checking that
every output line it shows is printed and that the comité-validated report has its targets."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import openpyxl
import pytest

from evaluation.paths import RACINE

from .conftest import ANCT_REEL as ANCT
from .conftest import ECHANTILLON, remplir_comme_l_agent, remplir_comme_un_partenaire

pytestmark = pytest.mark.lent  # a kernel, a browser or a build of pages

GUIDE = RACINE / "docs" / "guide-annuel.md"
ANNEE = 2026  # the campaign the guide follows

# The guide's steps, in order: a console block (commands, then the lines they print), a
# marked action a person does by hand (« <!-- essai : … --> »: the test does it), or a file
# the guide shows right after « <!-- essai : fichier CHEMIN --> » (the test writes it).
_ETAPE = re.compile(r"<!-- essai : (.+?) -->|```console\n(.*?)```|```markdown\n(.*?)```", flags=re.S)


def espaces(texte: str) -> str:
    """French typography's no-break spaces read as spaces in the guide."""
    return texte.replace("\u202f", " ").replace("\xa0", " ")


def texte(page: Path) -> str:
    """A page's text as a reader sees it (tags, styles and charts left out)."""
    s = re.sub(r"<style.*?</style>|<script.*?</script>|<svg.*?</svg>", " ", page.read_text(), flags=re.S)
    return re.sub(r"\s+", " ", espaces(unescape(re.sub(r"<[^>]+>", " ", s))))


def etapes() -> list[tuple]:
    """("console", commands, expected lines), ("action", name) or ("fichier", path, text)."""
    resultat, fichier = [], None
    for m in _ETAPE.finditer(GUIDE.read_text(encoding="utf-8")):
        action, console, markdown = m.groups()
        if action and action.startswith("fichier "):
            fichier = action.removeprefix("fichier ")
        elif action:
            resultat.append(("action", action))
        elif console is not None:
            lignes = console.strip("\n").splitlines()
            commandes = [x[2:] for x in lignes if x.startswith("$ ")]
            resultat.append(("console", commandes, [x for x in lignes if not x.startswith("$ ")]))
        elif fichier:
            resultat.append(("fichier", fichier, markdown))
            fichier = None
    return resultat


def blocs() -> list[tuple[list[str], list[str]]]:
    """(commands, expected output lines) of each ```console block, in order."""
    return [(e[1], e[2]) for e in etapes() if e[0] == "console"]


def _renvoyer_les_classeurs(racine: Path) -> None:
    """Every partner of last year returns its workbook filled (the new partner's empty one
    stays unsent), five field signals per scheme and neighbourhood, about as many as last year."""
    recus = racine / "data" / "raw" / str(ANNEE) / "partenaires"
    recus.mkdir(parents=True, exist_ok=True)
    for classeur in sorted((racine / f"envois-{ANNEE}").glob("*.xlsx")):
        if classeur.name != "nouveau-partenaire.xlsx":
            remplir_comme_un_partenaire(Path(shutil.copy(classeur, recus / classeur.name)), ANNEE, signaux=5)


ACTIONS = {
    "les partenaires renvoient leurs classeurs remplis": _renvoyer_les_classeurs,
    "la personne chargée de l'évaluation remplit son classeur": lambda racine: remplir_comme_l_agent(
        racine / f"collecte-agent-{ANNEE}.xlsx", ANNEE
    ),
}


def test_le_guide_montre_des_commandes():
    commandes = [c for cmds, _ in blocs() for c in cmds]
    for verbe in ("template", "collecte", "validate", "build", "objectifs", "import-anct"):
        assert any(f"python -m evaluation {verbe}" in c for c in commandes), verbe


def test_le_guide_suit_une_seule_campagne():
    """One year from start to end: every command names the campaign's year, but the first,
    the evaluation of last year's targets, which gives this year's; every hand-made step is
    one the test knows how to do."""
    commandes = [c for cmds, _ in blocs() for c in cmds]
    annees = [(c, int(a)) for c in commandes for a in re.findall(r"--year (\d{4})", c)]
    assert annees[0][1] == ANNEE - 1 and "evaluation objectifs" in annees[0][0]
    assert {a for _, a in annees[1:]} == {ANNEE}
    assert {e[1] for e in etapes() if e[0] == "action"} == set(ACTIONS)
    assert [e[1] for e in etapes() if e[0] == "fichier"] == [f"data/raw/{ANNEE}/analyses.md"] * 2


def test_la_campagne_du_guide_de_bout_en_bout(tmp_path):
    """Every step of the guide, in its order, on a copy of the sample: each command succeeds
    and prints the lines the guide shows; the comité-validated report judges the year's
    targets; a change to the data after the validation is said."""
    (tmp_path / "data").mkdir()
    shutil.copytree(ECHANTILLON, tmp_path / "data" / "raw")
    anct = ANCT / "adulte-relais-2024.json"
    if anct.is_file():  # downloaded from the ANCT's open data pages, as the guide says
        (tmp_path / "anct").mkdir()
        for fichier in [*ANCT.glob("adulte-relais-*.json"), *ANCT.glob("contrats-de-ville-*.geojson")]:
            shutil.copy(fichier, tmp_path / "anct")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    def lancer(commande: str) -> str:
        r = subprocess.run(
            ["bash", "-c", commande], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert r.returncode == 0, (commande, r.stdout, r.stderr)
        return r.stdout + r.stderr

    for etape in etapes():
        if etape[0] == "action":
            ACTIONS[etape[1]](tmp_path)
        elif etape[0] == "fichier":
            (tmp_path / etape[1]).write_text(etape[2], encoding="utf-8")
        elif any("import-anct" in c for c in etape[1]) and not anct.is_file():
            continue  # the ANCT open data are not on this machine (../shared/data/anct)
        else:
            sortie = espaces("".join(lancer(c) for c in etape[1]))
            for ligne in etape[2]:
                assert espaces(ligne.strip()) in sortie, (etape[1], ligne)
    page = texte(tmp_path / "reports" / str(ANNEE) / "agglomeration.html")
    assert "Statut validé par le comité de pilotage du 12/03/2027" in page
    assert "Version provisoire" not in page and "données modifiées" not in page
    assert f"Aucun objectif n’est fixé pour {ANNEE}" not in page
    assert re.search(rf"Objectifs {ANNEE} : \d+ atteints?, \d+ non atteints? sur 39", page)
    assert "Le comité relève que la présence a été maintenue" in page
    # A partner's late correction after the comité's meeting: said by build and on every page.
    chemin = tmp_path / "data" / "raw" / str(ANNEE) / "partenaires" / "regie-plus.xlsx"
    classeur = openpyxl.load_workbook(chemin)
    classeur["activite"].cell(2, 3, 31)  # a count of January typed again
    classeur.save(chemin)
    sortie = espaces(
        lancer(f"python -m evaluation build --data data/raw --year {ANNEE} --out reports --city Tours")
    )
    assert (
        f"Données de {ANNEE} modifiées depuis la validation du comité de pilotage du 12/03/2027 : chaque page "
        "le dit dans son statut"
    ) in sortie
    page = texte(tmp_path / "reports" / str(ANNEE) / "tours.html")
    assert (
        "validé par le comité de pilotage du 12/03/2027 ; données modifiées depuis la validation du 12/03/2027"
        in page
    )


@pytest.mark.skipif(not GUIDE.is_file(), reason="guide absent")
def test_le_readme_renvoie_au_guide():
    assert "docs/guide-annuel.md" in (RACINE / "README.md").read_text(encoding="utf-8")

"""The collection campaign as it runs: one workbook per partner written by `template
--partenaires` from the sample's 2025, filled with openpyxl as partners would, read together
with provenance, tracked by `collecte`."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from evaluation.donnees import contrat
from evaluation.donnees.problemes import DonneesInvalides
from evaluation.donnees.territoire import charger, ecrire_traitees
from evaluation.indicateurs import tableau

from .conftest import ECHANTILLON, remplir_comme_un_partenaire

ANNEE = 2026
REGIE, FOL, CD = "regie-plus.xlsx", "fol-37.xlsx", "conseil-departemental-d-indre-et-loire.xlsx"


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evaluation", *args], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def envois(tmp_path_factory) -> Path:
    """The sample's data and the workbooks `template --partenaires` writes for 2026."""
    racine = tmp_path_factory.mktemp("campagne")
    shutil.copytree(ECHANTILLON, racine / "raw")
    r = cli("template", "--partenaires", "--data", "raw", "--year", str(ANNEE), "--out", "envois", cwd=racine)
    assert r.returncode == 0, r.stderr
    assert "16 classeurs de collecte écrits pour 2026 dans envois (15 partenaires de 2025" in r.stdout
    return racine


def lignes(chemin: Path, feuille: str) -> list[list]:
    ws = openpyxl.load_workbook(chemin)[feuille]
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


@pytest.mark.lent
def test_un_classeur_de_partenaire_porte_ses_feuilles_et_ses_postes_actifs(envois):
    regie = openpyxl.load_workbook(envois / "envois" / REGIE)
    assert regie.sheetnames == ["Lisez-moi", "listes", "postes", "plages", "remontees", "activite"]
    assert regie.properties.keywords == "partenaire: Régie Plus"
    assert "Partenaire : Régie Plus" in [c.value for c in regie["Lisez-moi"]["A"]]
    t = charger(ECHANTILLON, [2025])
    postes = t.annee(2025).postes
    actifs = postes[(postes["structure"] == "Régie Plus") & postes["date_fin"].isna()]
    ecrits = lignes(envois / "envois" / REGIE, "postes")
    assert [(r[0], r[4]) for r in ecrits] == list(zip(actifs["id_poste"], actifs["code_qpv"], strict=True))
    plages = t.annee(2025).plages
    assert (
        len(lignes(envois / "envois" / REGIE, "plages"))
        == plages["id_poste"].isin(set(actifs["id_poste"])).sum()
    )
    # One activity row per pre-filled post and month, its counts left to type.
    ids = list(dict.fromkeys(r[0] for r in ecrits))
    activite = lignes(envois / "envois" / REGIE, "activite")
    assert len(activite) == 12 * len(ids) and len(ids) == 21  # 25 rows of posts, 21 posts
    assert activite == [[i, mois, None, None, None, None, None] for i in ids for mois in range(1, 13)]
    # 500 rows with number formats below the 252 pre-filled ones (header on line 1).
    assert regie["activite"].cell(1 + 252 + 500, 3).number_format == "0"
    # The délégués du préfet raised no field signal in 2025: no remontees sheet.
    prefecture = openpyxl.load_workbook(envois / "envois" / "prefecture-d-indre-et-loire.xlsx")
    assert [f for f in prefecture.sheetnames if f in contrat.TABLES] == ["postes", "plages", "activite"]
    # A new partner's: every sheet a partner fills, none of the officer's (never typed twice),
    # and nothing said « déjà saisi ».
    nouveau = openpyxl.load_workbook(envois / "envois" / "nouveau-partenaire.xlsx")
    assert [f for f in nouveau.sheetnames if f in contrat.TABLES] == [
        "postes",
        "plages",
        "remontees",
        "activite",
    ]
    lisez_moi = " ".join(r[0] or "" for r in nouveau["Lisez-moi"].iter_rows(values_only=True))
    assert "saisissez vos postes" in lisez_moi and "déjà saisis" not in lisez_moi


def deposer(racine: Path, nom: str) -> Path:
    rep = racine / "raw" / str(ANNEE) / "partenaires"
    rep.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(racine / "envois" / nom, rep / nom))


@pytest.mark.lent
def test_une_annee_depuis_trois_classeurs_de_partenaires(envois, tmp_path):
    racine = tmp_path
    shutil.copytree(envois / "raw", racine / "raw")
    shutil.copytree(envois / "envois", racine / "envois")
    # Before any file arrives (no 2026 folder yet): every partner of 2025 is missing.
    r = cli("collecte", "--data", "raw", "--year", str(ANNEE), cwd=racine)
    assert r.returncode == 1, r.stderr
    assert r.stdout.count(" : non reçu\n") == 15 and "0 classeur reçu pour 15 partenaires" in r.stdout
    regie = deposer(racine, REGIE)

    # Before the Département's workbook arrives, `collecte` says it is missing.
    r = cli("collecte", "--data", "raw", "--year", str(ANNEE), cwd=racine)
    assert r.returncode == 1, r.stderr
    assert "- Conseil départemental d'Indre-et-Loire : non reçu" in r.stdout
    assert (
        "- Régie Plus : reçu (2026/partenaires/regie-plus.xlsx) : postes 25, plages 68 ; manque : retour "
        "incomplet : feuilles remontees et activite vides ; tant qu'il l'est, ce classeur compte comme manquant"
        in r.stdout
    )
    suivi = pd.read_csv(
        racine / "processed" / str(ANNEE) / "suivi_collecte.csv",
        sep=";",
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    assert suivi.set_index("partenaire").loc["Conseil départemental d'Indre-et-Loire", "recu"] == "non"
    # For a French spreadsheet as it is: a byte order mark, « ; » between the cells.
    octets = (racine / "processed" / str(ANNEE) / "suivi_collecte.csv").read_bytes()
    assert octets.startswith(b"\xef\xbb\xbfpartenaire;")

    # Régie Plus ends a post on 30 June; FOL 37 adds one; the Département declares one of Régie Plus's.
    classeur = openpyxl.load_workbook(regie)
    classeur["postes"]["J2"] = dt.datetime(ANNEE, 6, 30)
    classeur.save(regie)
    premier = lignes(regie, "postes")[0]
    fol = deposer(racine, FOL)
    classeur = openpyxl.load_workbook(fol)
    classeur["postes"].append(
        ["AR-NOUVEAU", "adulte_relais", "FOL 37", "Tours", "TMVL-Q01", 1, "etat_anct", "non"]
    )
    classeur["plages"].append(["AR-NOUVEAU", "TMVL-Q01", "mardi", "14:00", "18:00", "rue"])
    classeur["activite"].append(["AR-NOUVEAU", 3, 40, 2, 1, 0, 1])
    classeur.save(fol)
    cd = deposer(racine, CD)
    classeur = openpyxl.load_workbook(cd)
    classeur["postes"].append(premier)
    ligne_cd = classeur["postes"].max_row
    classeur.save(cd)

    # Field signals from two partners are events, not duplicates (a table without a key).
    for chemin, source in ((regie, "mediateur"), (cd, "educateur_prevention")):
        classeur = openpyxl.load_workbook(chemin)
        classeur["remontees"].append(
            [dt.datetime(ANNEE, 2, 3), "TMVL-Q01", source, "jeunesse", "traitee_sur_place"]
        )
        classeur.save(chemin)

    with pytest.raises(DonneesInvalides) as exc:
        charger(racine / "raw", [ANNEE])
    # The duplicate is named at both places, each naming the other.
    chez_cd, chez_regie = exc.value.problemes
    assert (chez_regie.fichier, chez_regie.feuille, chez_regie.ligne) == (
        f"2026/partenaires/{REGIE}",
        "postes",
        2,
    )
    assert (
        f"aussi déclarée dans 2026/partenaires/{CD}, feuille « postes », ligne {ligne_cd}"
        in chez_regie.message
    )
    assert (chez_cd.fichier, chez_cd.ligne) == (f"2026/partenaires/{CD}", ligne_cd)
    assert f"aussi déclarée dans 2026/partenaires/{REGIE}, feuille « postes », ligne 2" in chez_cd.message
    r = cli("validate", "--data", "raw", "--year", str(ANNEE), cwd=racine)
    assert r.returncode == 1 and f"{premier[0]} / {premier[4]}" in r.stderr + r.stdout

    # Fixed: the Département removes the row.
    classeur = openpyxl.load_workbook(cd)
    classeur["postes"].delete_rows(ligne_cd)
    classeur.save(cd)
    t = charger(racine / "raw", [ANNEE])
    postes = t.annee(ANNEE).postes
    assert "AR-NOUVEAU" in set(postes["id_poste"])
    assert postes.loc[postes["id_poste"] == premier[0], "date_fin"].iloc[0] == pd.Timestamp(ANNEE, 6, 30)
    # Provenance: each validated row keeps the file it came from.
    ecrire_traitees(t, racine / "processed")
    traite = pd.read_csv(racine / "processed" / str(ANNEE) / "postes.csv")
    assert traite.loc[traite["id_poste"] == "AR-NOUVEAU", "source"].tolist() == [f"2026/partenaires/{FOL}"]
    assert set(traite["source"]) == {f"2026/partenaires/{n}" for n in (CD, FOL, REGIE)}

    # The same rows in one workbook give the same indicators.
    seul = tmp_path / "seul" / "raw"
    shutil.copytree(racine / "raw", seul)
    shutil.rmtree(seul / str(ANNEE) / "partenaires")
    un = openpyxl.Workbook()
    un.remove(un.active)
    for table in contrat.TABLES_ANNUELLES:
        ws = un.create_sheet(table)
        ws.append(list(contrat.TABLES[table].noms))
        for nom in sorted((CD, FOL, REGIE)):
            chemin = racine / "raw" / str(ANNEE) / "partenaires" / nom
            if table in openpyxl.load_workbook(chemin).sheetnames:
                for rang in lignes(chemin, table):
                    ws.append(rang)
    un.save(seul / str(ANNEE) / "collecte.xlsx")
    a = tableau(t, [ANNEE]).set_index(["perimetre", "indicateur"])["valeur"]
    b = tableau(charger(seul, [ANNEE]), [ANNEE]).set_index(["perimetre", "indicateur"])["valeur"]
    pd.testing.assert_series_equal(a, b)
    assert a.notna().sum() > 50


def _regie_plus_renvoye_renomme(envois, racine: Path) -> Path:
    """The campaign's data under `racine/raw`, Régie Plus's workbook returned filled under another
    name (« Copie de regie-plus.xlsx »); the partners' folder."""
    shutil.copytree(envois / "raw", racine / "raw")
    rep = racine / "raw" / str(ANNEE) / "partenaires"
    rep.mkdir(parents=True)
    remplir_comme_un_partenaire(
        shutil.copy(envois / "envois" / REGIE, rep / "Copie de regie-plus.xlsx"), ANNEE
    )
    return rep


@pytest.mark.lent
def test_le_suivi_reconnait_les_fichiers_tels_qu_ils_reviennent(envois, tmp_path):
    """Partners rename files, save them in another format, send two versions, fill the new
    partner's workbook, delete a post instead of ending it; the officer's own part is tracked
    too, and the reports say the collection is incomplete."""
    racine = tmp_path
    rep = _regie_plus_renvoye_renomme(envois, racine)
    shutil.copy(envois / "envois" / FOL, rep / "fol-37.xlsx")
    shutil.copy(envois / "envois" / FOL, rep / "fol 37 final v2.xlsx")
    (rep / "tours-habitat.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    cd = openpyxl.load_workbook(envois / "envois" / CD)
    with pd.ExcelWriter(rep / "conseil-departemental-d-indre-et-loire.ods", engine="odf") as ods:
        for feuille in cd.worksheets:
            pd.DataFrame(list(feuille.iter_rows(values_only=True))).to_excel(
                ods, sheet_name=feuille.title, header=False, index=False
            )
    nouveau = openpyxl.load_workbook(envois / "envois" / "nouveau-partenaire.xlsx")
    nouveau["postes"].append(
        ["MED-900", "mediateur", "Association Médiation Loire", "Tours", "TMVL-Q01", 1, "ville", "non"]
    )
    nouveau.save(rep / "nouveau-partenaire.xlsx")
    spdc = openpyxl.load_workbook(envois / "envois" / "ville-de-saint-pierre-des-corps.xlsx")
    effaces = [r[0] for r in lignes(envois / "envois" / "ville-de-saint-pierre-des-corps.xlsx", "postes")]
    spdc["postes"].delete_rows(2, spdc["postes"].max_row)
    spdc["plages"].delete_rows(2, spdc["plages"].max_row)
    spdc.save(rep / "ville-de-saint-pierre-des-corps.xlsx")
    (rep / "courrier d'accompagnement.pdf").write_bytes(b"%PDF-1.4")  # not a partner's return
    ancien = openpyxl.load_workbook(envois / "envois" / "tours-habitat.xlsx")
    ancien.properties.title = "Collecte 2025 — Tours Habitat"  # last year's workbook sent again
    ancien.save(rep / "val-touraine-habitat.xlsx")

    r = cli("collecte", "--data", "raw", "--year", str(ANNEE), cwd=racine)
    assert r.returncode == 1
    sortie = r.stdout
    assert "- Régie Plus : reçu (2026/partenaires/Copie de regie-plus.xlsx)" in sortie
    assert (
        "- Conseil départemental d'Indre-et-Loire : reçu (2026/partenaires/conseil-departemental-d-indre-et-loire.ods)"
        in sortie
    )
    assert (
        sortie.count(
            "plusieurs fichiers pour ce partenaire (fol 37 final v2.xlsx, fol-37.xlsx) : n'en gardez qu'un"
        )
        == 2
    )
    assert "- Tours Habitat : reçu (2026/partenaires/tours-habitat.xls) : aucune feuille remplie" in sortie
    assert "fichier .xls non lu : enregistrez-le au format .xlsx" in sortie
    assert "- Association Médiation Loire : reçu (2026/partenaires/nouveau-partenaire.xlsx)" in sortie
    assert (
        f"effacé{'s' if len(effaces) > 1 else ''} sans date de fin ({', '.join(sorted(set(effaces))[:5])}"
        in sortie
    )
    assert (
        "- Personne chargée de l'évaluation : non reçu ; manque : ni collecte.xlsx ni fichiers CSV" in sortie
    )
    assert "- Police municipale de Tours : non reçu" in sortie
    assert "courrier" not in sortie
    assert "classeur de 2025 (année écrite dans le classeur) : renvoyez celui de 2026" in sortie

    # The pages say which partners have not answered (once the files validate).
    (rep / "fol 37 final v2.xlsx").unlink()
    (rep / "tours-habitat.xls").unlink()
    (rep / "val-touraine-habitat.xlsx").unlink()
    from evaluation.rapport.ouverture import Rapport, vue_de
    from evaluation.rapport.rendu import html
    from evaluation.rapport.vue import Genre

    t = charger(racine / "raw")
    entete = html(Rapport.pour(t, vue_de(t, Genre.AGGLOMERATION, ANNEE)).blocs("entete")[0])
    assert (
        "Collecte incomplète\u202f: 11 partenaires de l’année passée n’ont pas envoyé de classeur" in entete
    )
    assert "Police municipale de Tours" in entete and "Régie Plus" not in entete
    # Returned as they were sent (or with every post deleted): received, yet counted as missing.
    assert (
        "3 partenaires ont renvoyé un classeur incomplet, une feuille à remplir restée vide (Conseil "
        "départemental d’Indre-et-Loire, FOL 37 et Ville de Saint-Pierre-des-Corps)"
    ) in entete.replace("&#x27;", "’")
    # No collecte.xlsx: the officer's meetings, funding and tools read 0, and the banner says so.
    assert "les réunions, financements et outils du réseau de l’année" in entete


def test_une_activite_laissee_vide_n_est_pas_une_ligne(envois, tmp_path):
    """A workbook returned unchanged has no activity (not an error, not 0); the rows a partner
    fills are read, and a row begun but not finished is refused at its cells."""
    racine = tmp_path
    shutil.copytree(envois / "raw", racine / "raw")
    shutil.copytree(envois / "envois", racine / "envois")
    regie = deposer(racine, REGIE)
    t = charger(racine / "raw", [ANNEE])
    assert len(t.annee(ANNEE).activite) == 0
    assert len(t.annee(ANNEE).postes) == 25  # the pre-filled posts are read as ever

    # Line 4 is AR-001's March (line 2 is January): filled whole, it is the only row read.
    classeur = openpyxl.load_workbook(regie)
    feuille = classeur["activite"]
    assert [feuille["A4"].value, feuille["B4"].value] == ["AR-001", 3]
    for colonne, valeur in zip("CDEFG", [40, 2, 1, 0, 1], strict=True):
        feuille[f"{colonne}4"] = valeur
    classeur.save(regie)
    activite = charger(racine / "raw", [ANNEE]).annee(ANNEE).activite
    assert activite[list(contrat.TABLES["activite"].noms)].values.tolist() == [["AR-001", 3, 40, 2, 1, 0, 1]]

    # April (line 5) begun: contacts typed, the other counts left empty.
    feuille["C5"] = 12
    classeur.save(regie)
    with pytest.raises(DonneesInvalides) as exc:
        charger(racine / "raw", [ANNEE])
    assert {(p.fichier, p.feuille, p.ligne, p.colonne, p.message) for p in exc.value.problemes} == {
        (f"2026/partenaires/{REGIE}", "activite", 5, colonne, "valeur obligatoire manquante")
        for colonne in ("orientations", "conflits", "actions_collectives", "signalements_techniques")
    }


def test_la_regle_vaut_aussi_pour_un_csv(tmp_path):
    """The same rows typed in activite.csv read the same: the post and month alone are no row."""
    from evaluation.donnees.lecture import lire_csv

    chemin = tmp_path / "activite.csv"
    chemin.write_text(
        "id_poste;mois;contacts;orientations;conflits;actions_collectives;signalements_techniques\n"
        "AR-001;1;;;;;\nAR-001;2;30;1;0;2;0\n;3;;;;;\n",
        encoding="utf-8",
    )
    brute, problemes = lire_csv(chemin, "2026/activite.csv", "activite")
    assert problemes == [] and brute.cellules.index.tolist() == [3]
    assert brute.cellules.loc[3, "contacts"] == "30"


@pytest.mark.lent
def test_le_classeur_de_l_agent(envois, tmp_path):
    """`template --agent`: the officer's own sheets, last year's tools written in, deposited as
    the year's collecte.xlsx and read back unchanged."""
    sortie = tmp_path / "collecte-2026.xlsx"
    r = cli("template", "--agent", "--data", "raw", "--year", str(ANNEE), "--out", str(sortie), cwd=envois)
    assert r.returncode == 0, r.stderr
    assert "8 outils de 2025 déjà saisis. Rempli, il se dépose dans 2026/collecte.xlsx." in r.stdout
    wb = openpyxl.load_workbook(sortie)
    assert wb.sheetnames == ["Lisez-moi", "listes", "reunions", "financements", "outils"]
    assert not wb.properties.keywords  # not a partner's workbook
    lisez_moi = [c.value for c in wb["Lisez-moi"]["A"]]
    assert "Personne chargée de l'évaluation" in lisez_moi
    assert any("outils du réseau de l'année passée sont déjà saisis" in x for x in lisez_moi)
    assert any("2026/collecte.xlsx" in x for x in lisez_moi)
    # The sample's eight tools of 2025, as its own workbook holds them.
    outils_2025 = lignes(ECHANTILLON / "2025" / "collecte.xlsx", "outils")
    ecrits = lignes(sortie, "outils")
    assert len(ecrits) == 8 and ecrits[0][:4] == [
        "Annuaire des acteurs de terrain",
        "annuaire",
        "agglomeration",
        "en_service",
    ]
    assert [r[:4] for r in ecrits] == [r[:4] for r in outils_2025]
    assert ecrits[0][4] == dt.datetime(2019, 10, 1)
    assert lignes(sortie, "reunions") == [] and lignes(sortie, "financements") == []

    # Deposited unchanged beside a partner's return: the year's tools are last year's.
    racine = tmp_path / "depot"
    shutil.copytree(envois / "raw", racine / "raw")
    shutil.copytree(envois / "envois", racine / "envois")
    deposer(racine, REGIE)
    shutil.copy(sortie, racine / "raw" / str(ANNEE) / "collecte.xlsx")
    t = charger(racine / "raw", [ANNEE - 1, ANNEE])
    colonnes = list(contrat.TABLES["outils"].noms)
    pd.testing.assert_frame_equal(
        t.annee(ANNEE).outils[colonnes].reset_index(drop=True),
        t.annee(ANNEE - 1).outils[colonnes].reset_index(drop=True),
    )

    # --agent and --partenaires: one workbook or the other.
    r = cli("template", "--agent", "--partenaires", "--data", "raw", "--out", "x", cwd=envois)
    assert r.returncode == 2
    assert "erreur : argument --partenaires : incompatible avec l'argument --agent" in r.stderr
    r = cli("template", "--agent", "--toutes-feuilles", "--out", str(tmp_path / "y.xlsx"), cwd=envois)
    assert r.returncode == 1 and r.stderr.startswith(
        "Erreur : --toutes-feuilles ne vaut que pour un classeur"
    )


@pytest.mark.lent
def test_la_methode_nomme_les_partenaires_pas_leurs_fichiers(envois, tmp_path):
    """« Méthode » of the agglomeration's page says whose rows came in, as a Préfecture reviewer
    reads it: the partner a renamed workbook belongs to (by its properties, or by its posts once
    saved as .ods, which drops them), the officer's part; never a file's name."""
    from evaluation.rapport.blocs import Paragraphe, Tableau
    from evaluation.rapport.ouverture import Rapport, vue_de
    from evaluation.rapport.vue import Genre

    racine = tmp_path
    rep = _regie_plus_renvoye_renomme(envois, racine)
    th = openpyxl.load_workbook(
        remplir_comme_un_partenaire(
            shutil.copy(envois / "envois" / "tours-habitat.xlsx", tmp_path / "th.xlsx"), ANNEE
        )
    )
    with pd.ExcelWriter(rep / "Copie de bailleur final.ods", engine="odf") as ods:
        for feuille in th.worksheets:
            pd.DataFrame(list(feuille.iter_rows(values_only=True))).to_excel(
                ods, sheet_name=feuille.title, header=False, index=False
            )
    r = cli("template", "--agent", "--data", "raw", "--year", str(ANNEE), "--out", "agent.xlsx", cwd=racine)
    assert r.returncode == 0, r.stderr
    shutil.move(racine / "agent.xlsx", racine / "raw" / str(ANNEE) / "collecte.xlsx")
    t = charger(racine / "raw", [ANNEE - 1, ANNEE])
    blocs = Rapport.pour(t, vue_de(t, Genre.AGGLOMERATION, ANNEE, None, None)).blocs("methode")
    [table] = [b for b in blocs if isinstance(b, Tableau) and b.legende.startswith(f"Lignes de {ANNEE}")]
    assert table.legende == f"Lignes de {ANNEE} par partenaire ou saisie reçue (toutes communes) et par table"
    entete = [c.titre for c in table.colonnes]
    assert entete[0] == "Source" and entete[-1] == "Total"
    par_source = {ligne[0]: dict(zip(entete[1:], ligne[1:], strict=True)) for ligne in table.lignes}
    assert list(par_source) == [
        "Classeur de Régie Plus",
        "Classeur de Tours Habitat",
        "Saisie de la personne chargée de l'évaluation",
    ]
    # Régie Plus: 25 rows of posts (21 posts), 68 slots, 12 months of activity per post.
    regie = par_source["Classeur de Régie Plus"]
    assert (regie["Postes"], regie["Plages de présence"], regie["Activité mensuelle"]) == ("25", "68", "252")
    assert par_source["Saisie de la personne chargée de l'évaluation"]["Outils du réseau"] == "8"
    texte = " ".join(
        [b.texte for b in blocs if isinstance(b, Paragraphe)]
        + [str(c) for ligne in table.lignes for c in ligne]
    )
    for interdit in ("Copie de", ".xlsx", ".ods", "contrat de données", "v1"):
        assert interdit not in texte
    assert "au format de collecte" in texte

"""Partners' real files (issue « 28 messy-file cases »): each defect is made on a copy of the
sample's 2025 workbook, as partners' spreadsheets arrive, then the data are read. A file that
is legitimately readable gives the pristine figures; any other gives one clear French problem
naming file, sheet, line and column — never a silently different figure."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from evaluation.donnees.problemes import DonneesInvalides
from evaluation.donnees.territoire import charger
from evaluation.indicateurs import tableau

from .conftest import ECHANTILLON

ANNEE = 2025
CLASSEUR = Path(str(ANNEE)) / "collecte.xlsx"


@pytest.fixture(scope="module")
def intact():
    t = charger(ECHANTILLON, [ANNEE])
    return t, tableau(t, [ANNEE]).set_index(["perimetre", "indicateur"])["valeur"]


def copie(tmp_path) -> Path:
    dossier = Path(shutil.copytree(ECHANTILLON, tmp_path / "raw"))
    return dossier


def modifier(dossier: Path, feuille: str, cellules: dict[str, object]) -> None:
    """Write cells of one sheet of the year's workbook, as a partner would in Excel."""
    chemin = dossier / CLASSEUR
    classeur = openpyxl.load_workbook(chemin)
    for ref, valeur in cellules.items():
        classeur[feuille][ref] = valeur
    classeur.save(chemin)


def problemes(dossier: Path) -> list:
    with pytest.raises(DonneesInvalides) as exc:
        charger(dossier, [ANNEE])
    return exc.value.problemes


def colonne_de(feuille, nom: str) -> str:
    en_tete = [c.value for c in feuille[1]]
    return openpyxl.utils.get_column_letter(en_tete.index(nom) + 1)


def test_une_dimension_perimee_ne_cache_aucune_ligne(tmp_path, intact):
    """Files from other generators, or edited by scripts, may carry a stale
    <dimension ref="A1"/>: every row and column is read all the same."""
    dossier = copie(tmp_path)
    chemin = dossier / CLASSEUR
    with zipfile.ZipFile(chemin) as z:
        contenus = {n: z.read(n) for n in z.namelist()}
    for nom, contenu in contenus.items():
        if nom.startswith("xl/worksheets/sheet"):
            contenus[nom] = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', contenu)
    assert any(b'<dimension ref="A1"/>' in c for c in contenus.values())
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as z:
        for nom, contenu in contenus.items():
            z.writestr(nom, contenu)
    t = charger(dossier, [ANNEE])
    reference, valeurs = intact
    assert len(t.annee(ANNEE).remontees) == len(reference.annee(ANNEE).remontees)
    assert len(t.annee(ANNEE).postes) == len(reference.annee(ANNEE).postes)
    relu = tableau(t, [ANNEE]).set_index(["perimetre", "indicateur"])["valeur"]
    assert relu.equals(valeurs)


def test_un_montant_au_point_de_milliers_est_refuse(tmp_path):
    """« 90.500 » may be 90 500 € (French thousands dot) or 90,5 €: refused, with the remedy."""
    dossier = copie(tmp_path)
    feuille = openpyxl.load_workbook(dossier / CLASSEUR)["financements"]
    lettre = colonne_de(feuille, "montant_eur")
    modifier(dossier, "financements", {f"{lettre}5": "90.500"})
    [p] = problemes(dossier)
    assert (p.fichier, p.feuille, p.ligne, p.colonne) == (
        "2025/collecte.xlsx",
        "financements",
        5,
        "montant_eur",
    )
    assert "90.500" in str(p) and "écrivez 90500 (ou 90 500) pour 90 500 €, 90,5 pour 90,5 €" in p.message


@pytest.mark.parametrize(
    ("feuille", "colonne", "texte"), [("postes", "etp", "nan"), ("financements", "montant_eur", "inf")]
)
def test_nan_et_inf_ne_sont_pas_des_nombres(tmp_path, feuille, colonne, texte):
    """« nan » in an ETP cell was read as a number, then the post's ETP vanished; « inf » in an
    amount passed, then broke two reports. Both are refused where they are typed."""
    dossier = copie(tmp_path)
    lettre = colonne_de(openpyxl.load_workbook(dossier / CLASSEUR)[feuille], colonne)
    modifier(dossier, feuille, {f"{lettre}7": texte})
    [p] = problemes(dossier)
    assert (p.feuille, p.ligne, p.colonne) == (feuille, 7, colonne)


def modifier_quartier(dossier: Path, ligne: int, colonne: str, valeur: str) -> None:
    """Write one cell of quartiers.csv (line as a spreadsheet shows it), as a text editor would."""
    chemin = dossier / "quartiers.csv"
    lignes = chemin.read_text(encoding="utf-8").splitlines()
    cellules = lignes[ligne - 1].split(",")
    cellules[lignes[0].split(",").index(colonne)] = valeur
    lignes[ligne - 1] = ",".join(cellules)
    chemin.write_text("\n".join(lignes) + "\n", encoding="utf-8")


def test_une_population_nulle_est_refusee(tmp_path):
    dossier = copie(tmp_path)
    modifier_quartier(dossier, 2, "population", "0")
    [p] = problemes(dossier)
    assert (p.fichier, p.ligne, p.colonne) == ("quartiers.csv", 2, "population")
    assert "doit être > 0" in p.message


def test_une_note_hors_des_colonnes_est_refusee_sans_etre_recopiee(tmp_path):
    """A note typed beside the table (postes!K67) bypassed the refusal of unknown columns:
    it is refused, named by its cell, and its words are not repeated."""
    dossier = copie(tmp_path)
    modifier(dossier, "postes", {"K67": "Mme Dupont en arrêt maladie"})
    [p] = problemes(dossier)
    assert (p.feuille, p.ligne) == ("postes", 67)
    assert "cellule K67 remplie hors des colonnes nommées" in p.message
    assert "Dupont" not in str(p)


def test_un_en_tete_efface_au_dessus_de_valeurs_est_refuse(tmp_path):
    """The header of date_fin cleared: its values would be dropped silently; each filled cell
    of the now nameless column is refused, named by its cell."""
    dossier = copie(tmp_path)
    feuille = openpyxl.load_workbook(dossier / CLASSEUR)["postes"]
    lettre = colonne_de(feuille, "date_fin")
    remplies = [c.row for c in feuille[lettre][1:] if c.value not in (None, "")]
    assert remplies
    modifier(dossier, "postes", {f"{lettre}1": None})
    trouves = problemes(dossier)
    assert sorted(p.ligne for p in trouves) == remplies
    assert all(f"cellule {lettre}{p.ligne} remplie hors des colonnes nommées" in p.message for p in trouves)


def supprimer_colonnes(dossier: Path, feuille: str, noms: list[str]) -> None:
    chemin = dossier / CLASSEUR
    classeur = openpyxl.load_workbook(chemin)
    f = classeur[feuille]
    for nom in noms:
        en_tete = [c.value for c in f[1]]
        f.delete_cols(en_tete.index(nom) + 1)
    classeur.save(chemin)


def test_une_colonne_facultative_omise_rend_l_indicateur_manquant(tmp_path, intact):
    """`dispositifs_presents` left out: N4 (schemes at network meetings) is missing, not 0."""
    dossier = copie(tmp_path)
    supprimer_colonnes(dossier, "reunions", ["dispositifs_presents"])
    valeurs = tableau(charger(dossier, [ANNEE]), [ANNEE]).set_index(["perimetre", "indicateur"])["valeur"]
    n4 = valeurs[valeurs.index.get_level_values("indicateur").str.startswith("N4.")]
    assert len(n4) and n4.isna().all()
    _, reference = intact
    assert reference[reference.index.get_level_values("indicateur").str.startswith("N4.")].notna().any()


@pytest.mark.lent
def test_des_colonnes_de_dates_facultatives_omises_se_lisent_vides(tmp_path):
    """`date_debut`, `date_fin` of postes and `date_suite` of remontees left out: valid, and the
    reports build (they died with « Erreur inattendue (TypeError) »); V6 (dated follow-ups) is
    then not computed."""
    import subprocess
    import sys

    dossier = copie(tmp_path)
    supprimer_colonnes(dossier, "postes", ["date_debut", "date_fin"])
    supprimer_colonnes(dossier, "remontees", ["date_suite"])
    t = charger(dossier, [ANNEE])
    assert t.annee(ANNEE).postes["date_fin"].isna().all()
    valeurs = tableau(t, [ANNEE]).set_index(["perimetre", "indicateur"])["valeur"]
    assert valeurs[("agglomeration", "V6")] != valeurs[("agglomeration", "V6")]  # NaN
    r = subprocess.run(
        [sys.executable, "-m", "evaluation", "build", "--data", str(dossier), "--out", str(tmp_path / "out")]
        + ["--city", "Tours", "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Erreur inattendue" not in r.stderr


def test_les_fichiers_de_verrouillage_sont_ignores(tmp_path, intact):
    """Excel's « ~$… » and macOS's « ._… » beside the data while a partner has a file open:
    ignored (said in one line), and the data version is unchanged."""
    import subprocess
    import sys

    dossier = copie(tmp_path)
    (dossier / "2025" / "~$collecte.xlsx").write_bytes(b"\x00verrou")
    (dossier / "2025" / "._postes.csv").write_bytes(b"\x00\x05\x16\x07")
    reference, _ = intact
    assert charger(dossier, [ANNEE]).version == reference.version
    r = subprocess.run(
        [sys.executable, "-m", "evaluation", "validate", "--data", str(dossier), "--year", "2025"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "Ignorés (fichiers de verrouillage ou système" in r.stderr
    assert "2025/._postes.csv, 2025/~$collecte.xlsx" in r.stderr


def test_une_ligne_utf8_collee_dans_un_csv_windows_est_nommee(tmp_path):
    """A line pasted in UTF-8 into a Windows-1252 file (the 2023 files are): read one way it
    would show « mÃ©diation »; the line is named with the encoding found."""
    dossier = copie(tmp_path)
    chemin = dossier / "2023" / "outils.csv"
    contenu = chemin.read_bytes()
    assert contenu.decode("cp1252")  # a Windows-1252 file with accents
    nouvelle = "Fiche de suivi médiation;fiche_liaison;Tours;en_service;15/03/2023\r\n".encode()
    chemin.write_bytes(contenu + nouvelle)
    n = len(contenu.splitlines()) + 1
    with pytest.raises(DonneesInvalides) as exc:
        charger(dossier, [2023])
    [p] = exc.value.problemes
    assert (p.fichier, p.ligne) == ("2023/outils.csv", n)
    assert "encodages mélangés : cette ligne est en UTF-8, le reste du fichier en Windows-1252" in p.message


def test_une_table_illisible_ne_fait_pas_cascader_les_autres(tmp_path):
    """postes unreadable (mixed encodings): that one cause is reported, not « table absente »
    too, nor « poste inconnu » on every row of plages and activite."""
    dossier = copie(tmp_path)
    chemin = dossier / "2023" / "postes.csv"
    chemin.write_bytes(chemin.read_bytes() + "X-99;médiateur;Régie;Tours;TMVL-Q01;1;ville;non;;\r\n".encode())
    with pytest.raises(DonneesInvalides) as exc:
        charger(dossier, [2023])
    assert [(p.fichier, p.message[:20]) for p in exc.value.problemes] == [
        ("2023/postes.csv", "encodages mélangés :")
    ]


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("collecte.xls", "classeur au format Excel 97-2003 (.xls), non lu : ouvrez-le"),
        ("collecte.fods", "classeur LibreOffice « XML à plat » (.fods), non lu : enregistrez-le"),
        ("collecte (1).ods", "classeur au nom inattendu, non lu : l'outil lit collecte.xlsx ou collecte.ods"),
        ("collecte (1).xlsx", "classeur au nom inattendu, non lu : l'outil lit collecte.xlsx"),
    ],
)
def test_un_classeur_que_l_outil_ne_lit_pas_est_nomme(tmp_path, nom, attendu):
    """The year's workbook saved in another format or downloaded twice: named, with what to
    do — not seven « table absente » lines."""
    dossier = copie(tmp_path)
    (dossier / CLASSEUR).rename(dossier / "2025" / nom)
    [p] = problemes(dossier)
    assert p.fichier == f"2025/{nom}" and p.message.startswith(attendu)


def test_une_extension_en_majuscules_se_lit(tmp_path, intact):
    """`POSTES.CSV` as some exports name it reads like `postes.csv`."""
    dossier = copie(tmp_path)
    rep = dossier / "2024"
    (rep / "postes.csv").rename(rep / "Postes.CSV")
    assert len(charger(dossier, [2024]).annee(2024).postes) == len(
        charger(ECHANTILLON, [2024]).annee(2024).postes
    )


def test_un_csv_en_utf16_se_lit(tmp_path):
    """Excel's « Texte Unicode » (UTF-16 with its mark) reads like the UTF-8 file."""
    dossier = copie(tmp_path)
    chemin = dossier / "2021" / "postes.csv"
    avant = charger(ECHANTILLON, [2021]).annee(2021).postes
    chemin.write_bytes(chemin.read_bytes().decode("utf-8-sig").encode("utf-16"))
    assert charger(dossier, [2021]).annee(2021).postes.equals(avant)


@pytest.mark.parametrize("remplacement", ["médiation près de la rivière", "médiation"])
def test_un_csv_mac_roman_se_lit(tmp_path, remplacement):
    """« CSV (Macintosh) »: its « è » (0x8F) is no Windows-1252 byte — the reading crashed —, and
    its « é » (0x8E) is Windows-1252's « Ž » — a file with only « é » was read « mŽdiation ».
    Both read as the UTF-8 file."""
    dossier = copie(tmp_path)
    chemin = dossier / "2021" / "outils.csv"
    lignes = chemin.read_text(encoding="utf-8").splitlines()
    lignes[2] = lignes[2].replace("médiation", remplacement)
    chemin.write_text("\n".join(lignes) + "\n", encoding="utf-8")
    attendu = charger(dossier, [2021]).annee(2021).outils
    assert remplacement in " ".join(attendu["nom"])
    chemin.write_bytes("\n".join(lignes).encode("mac_roman") + b"\n")
    assert charger(dossier, [2021]).annee(2021).outils.equals(attendu)


def test_un_csv_d_encodage_inconnu_nomme_la_ligne_et_l_octet(tmp_path):
    """Neither UTF-8, Windows-1252 nor Mac Roman giving French letters: the file, line and byte
    are named, with the remedy."""
    dossier = copie(tmp_path)
    chemin = dossier / "2021" / "outils.csv"
    lignes = chemin.read_bytes().splitlines()
    lignes[2] = lignes[2] + b"\x81\x9d"
    chemin.write_bytes(b"\n".join(lignes) + b"\n")
    [p] = problemes_annee(dossier, 2021)
    assert p.fichier == "2021/outils.csv"
    assert p.message.startswith("encodage non reconnu : l'octet 0x81 de la ligne 3 n'existe ni en UTF-8")
    assert "enregistrez-le en « CSV UTF-8 »" in p.message


def problemes_annee(dossier: Path, annee: int) -> list:
    with pytest.raises(DonneesInvalides) as exc:
        charger(dossier, [annee])
    return exc.value.problemes


def test_un_nom_de_feuille_en_majuscules_ou_avec_espace_se_lit(tmp_path, intact):
    dossier = copie(tmp_path)
    chemin = dossier / CLASSEUR
    classeur = openpyxl.load_workbook(chemin)
    classeur["postes"].title = "POSTES "
    classeur.save(chemin)
    reference, _ = intact
    t = charger(dossier, [ANNEE])
    assert len(t.annee(ANNEE).postes) == len(reference.annee(ANNEE).postes)


@pytest.mark.parametrize(
    ("contenu", "attendu"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "classeur au format Excel 97-2003 (.xls) renommé en .xlsx",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"),
            "classeur protégé par un mot de passe",
        ),
        (b"id_poste;dispositif\nP1;mediateur\n", "ce fichier n'est pas un classeur .xlsx lisible"),
    ],
    ids=["xls-renomme", "mot-de-passe", "texte"],
)
def test_un_classeur_illisible_dit_ce_qu_il_est(tmp_path, contenu, attendu):
    """« classeur illisible (File is not a zip file) », in English and causeless, became what
    the file is and what to do."""
    dossier = copie(tmp_path)
    (dossier / CLASSEUR).write_bytes(contenu)
    [p] = problemes(dossier)
    assert p.fichier == "2025/collecte.xlsx" and p.message.startswith(attendu)


def test_les_colonnes_vides_d_un_export_excel_sont_tolerees(tmp_path):
    """An Excel export leaves `;;;` at the end of every line: read as the clean file. A value
    typed in one of those nameless columns is refused, by its line and column number."""
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "postes.csv"
    avant = charger(ECHANTILLON, [2022]).annee(2022).postes
    lignes = chemin.read_bytes().decode("utf-8-sig").splitlines()
    chemin.write_bytes(("\ufeff" + "\n".join(x + ";;;" for x in lignes) + "\n").encode("utf-8"))
    assert charger(dossier, [2022]).annee(2022).postes.equals(avant)
    lignes = chemin.read_bytes().decode("utf-8-sig").splitlines()
    lignes[4] = lignes[4] + "Mme Dupont"
    chemin.write_bytes(("\ufeff" + "\n".join(lignes) + "\n").encode("utf-8"))
    [p] = problemes_annee(dossier, 2022)
    assert (p.fichier, p.ligne) == ("2022/postes.csv", 5)
    assert p.message.startswith("cellule remplie hors des colonnes nommées") and "Dupont" not in str(p)


def test_un_classeur_libreoffice_se_lit(tmp_path, intact):
    """`collecte.ods`, saved by LibreOffice, gives the figures of `collecte.xlsx`."""
    import pandas as pd

    dossier = copie(tmp_path)
    classeur = openpyxl.load_workbook(dossier / CLASSEUR)
    with pd.ExcelWriter(dossier / "2025" / "collecte.ods", engine="odf") as ods:
        for feuille in classeur.worksheets:
            rangs = list(feuille.iter_rows(values_only=True))
            pd.DataFrame(rangs).to_excel(ods, sheet_name=feuille.title, header=False, index=False)
    (dossier / CLASSEUR).unlink()
    _, valeurs = intact
    relu = tableau(charger(dossier, [ANNEE]), [ANNEE]).set_index(["perimetre", "indicateur"])["valeur"]
    assert relu.equals(valeurs)


def test_une_ligne_de_titre_au_dessus_de_l_en_tete_est_la_seule_cause(tmp_path):
    """A title merged across the columns above the header made 1,700 lines (every column
    absent, every post unknown): one line says where the header is."""
    dossier = copie(tmp_path)
    chemin = dossier / CLASSEUR
    classeur = openpyxl.load_workbook(chemin)
    feuille = classeur["postes"]
    feuille.insert_rows(1)
    feuille["A1"] = "Postes de présence humaine 2025"
    feuille.merge_cells("A1:J1")
    classeur.save(chemin)
    [p] = problemes(dossier)
    assert (p.fichier, p.feuille, p.ligne) == ("2025/collecte.xlsx", "postes", 1)
    assert p.message.startswith(
        "la ligne 1 (« Postes de présence humaine 2025 ») ne porte pas les noms de colonnes, ils sont à "
        "la ligne 2 : supprimez"
    )


def test_une_ligne_de_titre_dans_un_csv_est_la_seule_cause(tmp_path):
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "postes.csv"
    texte = chemin.read_bytes().decode("utf-8-sig")
    chemin.write_bytes(("Postes 2022;;;;;;;;;\n" + texte).encode("utf-8"))
    [p] = problemes_annee(dossier, 2022)
    assert (p.fichier, p.ligne) == ("2022/postes.csv", 1)
    assert "ils sont à la ligne 2" in p.message


def test_un_guillemet_jamais_ferme_est_nomme_ou_il_s_ouvre(tmp_path):
    """It was reported at the last line (the quote swallowed the rest of the file)."""
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "postes.csv"
    lignes = chemin.read_bytes().decode("utf-8-sig").splitlines()
    assert '"' not in "".join(lignes)
    cellules = lignes[2].split(";")
    cellules[2] = '"' + cellules[2]
    lignes[2] = ";".join(cellules)
    chemin.write_bytes(("\n".join(lignes) + "\n").encode("utf-8"))
    [p] = problemes_annee(dossier, 2022)
    assert (p.fichier, p.ligne) == ("2022/postes.csv", 3)
    assert p.message.startswith("guillemet ouvert dans cette ligne et jamais fermé")


def test_une_cellule_sur_plusieurs_lignes_ne_decale_pas_les_numeros(tmp_path):
    """A quoted cell with a line break is one spreadsheet row: a problem further down is
    reported at the row a spreadsheet shows, not one line further."""
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "postes.csv"
    lignes = chemin.read_bytes().decode("utf-8-sig").splitlines()
    en_tete = lignes[0].split(";")
    cellules = lignes[2].split(";")
    cellules[en_tete.index("structure")] = '"' + cellules[en_tete.index("structure")] + '\nservice jeunesse"'
    lignes[2] = ";".join(cellules)
    cellules = lignes[5].split(";")
    cellules[en_tete.index("etp")] = "beaucoup"
    lignes[5] = ";".join(cellules)
    chemin.write_bytes(("\n".join(lignes) + "\n").encode("utf-8"))
    [p] = problemes_annee(dossier, 2022)
    assert (p.fichier, p.ligne, p.colonne, p.valeur) == ("2022/postes.csv", 6, "etp", "beaucoup")


def test_une_formule_jamais_calculee_est_dite(tmp_path):
    """A workbook written by a program (openpyxl here) holds formulas with no value: not
    « valeur obligatoire manquante » on each, but one line saying what to do."""
    dossier = copie(tmp_path)
    lettre = colonne_de(openpyxl.load_workbook(dossier / CLASSEUR)["postes"], "etp")
    modifier(dossier, "postes", {f"{lettre}4": "=0.5+0.5", f"{lettre}9": "=1"})
    [p] = problemes(dossier)
    assert (p.fichier, p.feuille) == ("2025/collecte.xlsx", "postes")
    assert p.message.startswith(f"formules jamais calculées ({lettre}4, {lettre}9) : ce classeur")
    assert "ouvrez-le dans Excel ou LibreOffice et enregistrez-le" in p.message


def test_une_feuille_masquee_inconnue_est_dite_masquee(tmp_path):
    dossier = copie(tmp_path)
    chemin = dossier / CLASSEUR
    classeur = openpyxl.load_workbook(chemin)
    cachee = classeur.create_sheet("calculs")
    cachee["A1"], cachee.sheet_state = "total", "hidden"
    classeur.save(chemin)
    [p] = problemes(dossier)
    assert (p.feuille, p.message[:30]) == ("calculs", "feuille masquée inconnue (atte")
    assert "clic droit sur un onglet > Afficher" in p.message


# A second campaign (a helper feeding messy files after the fixes above) found these.


def test_un_entier_au_point_de_milliers_est_refuse(tmp_path):
    """« 5.000 » inhabitants was read as 5 (C1 of the QPV × 300, 97 figures changed)."""
    dossier = copie(tmp_path)
    modifier_quartier(dossier, 4, "population", '"5.000"')
    [p] = problemes(dossier)
    assert (p.fichier, p.ligne, p.colonne, p.valeur) == ("quartiers.csv", 4, "population", "5.000")
    assert p.message.startswith("un nombre entier est attendu ; « 5.000 » est ambigu")
    assert "écrivez 5000 (ou 5 000) pour 5 000, 5 pour 5" in p.message


def test_un_montant_a_virgule_et_trois_chiffres_est_refuse(tmp_path):
    """« 90,500 » may be 90 500 € written the English way: refused like « 90.500 »."""
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "financements.csv"
    lignes = chemin.read_bytes().decode("utf-8-sig").splitlines()
    en_tete = lignes[0].split(";")
    cellules = lignes[2].split(";")
    cellules[en_tete.index("montant_eur")] = "90,500"
    lignes[2] = ";".join(cellules)
    chemin.write_bytes(("\n".join(lignes) + "\n").encode("utf-8"))
    [p] = problemes_annee(dossier, 2022)
    assert (p.fichier, p.ligne, p.colonne) == ("2022/financements.csv", 3, "montant_eur")
    assert "« 90,500 » est ambigu" in p.message


def test_une_ligne_windows_collee_dans_un_csv_utf8_est_nommee(tmp_path):
    """The reverse of the UTF-8 line in a Windows-1252 file: every correct line was blamed and
    the pasted one never named."""
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "outils.csv"
    contenu = chemin.read_bytes()
    assert contenu.decode("utf-8-sig") and not contenu.isascii()
    n = len(contenu.splitlines()) + 1
    chemin.write_bytes(
        contenu + "Fiche de suivi médiation;fiche_liaison;Tours;en_service;15/03/2022\n".encode("cp1252")
    )
    [p] = problemes_annee(dossier, 2022)
    assert (p.fichier, p.ligne) == ("2022/outils.csv", n)
    assert "cette ligne est en Windows-1252, le reste du fichier en UTF-8" in p.message


def test_un_csv_utf16_a_tabulations_se_lit(tmp_path):
    """Excel's « Texte Unicode » is UTF-16 and tab-separated."""
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "postes.csv"
    avant = charger(ECHANTILLON, [2022]).annee(2022).postes
    texte = chemin.read_bytes().decode("utf-8-sig").replace(";", "\t")
    chemin.write_bytes(texte.encode("utf-16"))
    assert charger(dossier, [2022]).annee(2022).postes.equals(avant)


def test_des_cellules_vides_en_trop_sur_l_en_tete_seul_sont_tolerees(tmp_path):
    """`;;;` on the header only: every line was « 10 cellules au lieu de 13 » (1,825 lines)."""
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "postes.csv"
    avant = charger(ECHANTILLON, [2022]).annee(2022).postes
    lignes = chemin.read_bytes().decode("utf-8-sig").splitlines()
    lignes[0] += ";;;"
    chemin.write_bytes(("\n".join(lignes) + "\n").encode("utf-8"))
    assert charger(dossier, [2022]).annee(2022).postes.equals(avant)


def test_une_note_au_bout_d_une_ligne_csv_ne_fait_pas_cascader(tmp_path):
    """A note typed after the last column of line 5: the row was dropped (« 11 cellules au lieu
    de 10 », listed last) and its post « inconnu » on 14 lines of other tables. The row is read
    and the one cell refused."""
    dossier = copie(tmp_path)
    chemin = dossier / "2022" / "postes.csv"
    lignes = chemin.read_bytes().decode("utf-8-sig").splitlines()
    lignes[4] += ";Mme Dupont en arrêt"
    chemin.write_bytes(("\n".join(lignes) + "\n").encode("utf-8"))
    [p] = problemes_annee(dossier, 2022)
    assert (p.fichier, p.ligne, p.colonne) == (
        "2022/postes.csv",
        5,
        f"colonne {len(lignes[0].split(';')) + 1} (sans en-tête)",
    )
    assert "Dupont" not in str(p)


def test_un_en_tete_efface_au_dessus_de_nombreuses_valeurs_est_une_seule_ligne(tmp_path):
    """The header of date_debut cleared: 119 identical lines became one for the column."""
    dossier = copie(tmp_path)
    feuille = openpyxl.load_workbook(dossier / CLASSEUR)["postes"]
    lettre = colonne_de(feuille, "date_debut")
    remplies = [c.row for c in feuille[lettre][1:] if c.value not in (None, "")]
    assert len(remplies) > 5
    modifier(dossier, "postes", {f"{lettre}1": None})
    [p] = problemes(dossier)
    assert (p.feuille, p.ligne, p.colonne) == ("postes", remplies[0], f"colonne {lettre} (sans en-tête)")
    assert p.message.startswith(
        f"{len(remplies)} cellules remplies dans cette colonne sans en-tête (lignes {remplies[0]} à {remplies[-1]})"
    )
    assert "rétablissez son nom de colonne du contrat" in p.message


def test_une_feuille_vide_laissee_dans_le_classeur_est_ignoree(tmp_path, intact):
    dossier = copie(tmp_path)
    chemin = dossier / CLASSEUR
    classeur = openpyxl.load_workbook(chemin)
    classeur.create_sheet("Feuil1")
    classeur.save(chemin)
    reference, _ = intact
    assert len(charger(dossier, [ANNEE]).annee(ANNEE).postes) == len(reference.annee(ANNEE).postes)


def test_une_feuille_renommee_est_reconnue_et_son_nom_propose(tmp_path):
    """« Activité 2026 » instead of « activite »: the remedy names the sheet it should be."""
    dossier = copie(tmp_path)
    chemin = dossier / CLASSEUR
    classeur = openpyxl.load_workbook(chemin)
    classeur["activite"].title = "Activité 2025"
    classeur.save(chemin)
    renommee = [p for p in problemes(dossier) if p.feuille == "Activité 2025"]
    assert [p.message.rpartition(" : ")[2] for p in renommee] == [
        "renommez-la « activite » si c'est cette feuille"
    ]


def test_une_ligne_d_en_tete_effacee_est_la_seule_cause(tmp_path):
    """The header row deleted, the first post taken for it: 49 misleading lines (« colonne
    « med-017 » inconnue », « poste inconnu ») became one."""
    dossier = copie(tmp_path)
    chemin = dossier / CLASSEUR
    classeur = openpyxl.load_workbook(chemin)
    classeur["postes"].delete_rows(1)
    classeur.save(chemin)
    [p] = problemes(dossier)
    assert (p.feuille, p.ligne) == ("postes", 1)
    assert p.message.startswith("la ligne 1 ne porte aucun nom de colonne du contrat (« EP-")
    assert "remettez en ligne 1 les noms de colonnes (id_poste, dispositif, structure, commune…)" in p.message

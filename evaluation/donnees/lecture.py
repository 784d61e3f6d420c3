"""Read partner files (CSV in any French-office dialect, or an xlsx workbook) into tables.

Reading is in two steps, each reporting every problem it meets instead of stopping:

1. `lire_csv` / `lire_classeur` turn a file into `TableBrute`: every cell as text, the
   DataFrame index being the line number as a spreadsheet shows it (header = line 1).
2. `typer` parses each known column into its contract type (numbers with a decimal
   comma, French dates, times, enumeration codes or their French labels).

Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.donnees import contrat
from evaluation.donnees.problemes import Probleme

FEUILLES_IGNOREES = {"lisez-moi", "lisezmoi", "lisez_moi", "listes"}  # see outils/classeur.py


@dataclass
class TableBrute:
    """A table as found in a file: text cells indexed by spreadsheet line."""

    table: str
    fichier: str
    feuille: str | None
    cellules: pd.DataFrame

    def lieu(self, ligne: int | None, colonne: str | None, valeur, message: str) -> Probleme:
        return Probleme(self.fichier, self.feuille, ligne, colonne, _montrer(valeur), message)


def _montrer(valeur) -> str | None:
    if valeur is None or (isinstance(valeur, float) and pd.isna(valeur)):
        return None
    return str(valeur)


# --------------------------------------------------------------------------- reading


class EncodageInconnu(ValueError):
    """A file that is neither UTF-16 (with its mark), UTF-8, Windows-1252 nor Mac Roman: its
    message names the line and the byte."""


def decoder(contenu: bytes) -> str:
    """Text of a CSV file (see `_decoder`)."""
    return _decoder(contenu)[0]


_FRANCAIS = frozenset("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»‘’“”–—…€°\u00a0\u202f")


def _francais(texte: str) -> bool:
    """Whether every letter beyond ASCII of `texte` is one French writes."""
    return all(c.isascii() or c in _FRANCAIS for c in set(texte))


def _decoder(contenu: bytes) -> tuple[str, str]:
    """Text of a CSV file and the encoding it was read in: UTF-16 when it starts with its
    byte-order mark (Excel's « Texte Unicode »), else UTF-8 (with or without BOM), else
    Windows-1252 — or Mac Roman (Excel's « CSV (Macintosh) ») when only it gives French
    letters (its « é » is Windows-1252's « Ž »); else `EncodageInconnu`."""
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        return contenu.decode("utf-16"), "utf-16"
    try:
        return contenu.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        windows = contenu.decode("cp1252")
    except UnicodeDecodeError as exc:
        if _francais(mac := contenu.decode("mac_roman")):
            return mac, "mac_roman"
        ligne = contenu[: exc.start].count(b"\n") + 1
        raise EncodageInconnu(
            f"encodage non reconnu : l'octet 0x{contenu[exc.start]:02X} de la ligne {ligne} n'existe ni en "
            "UTF-8 ni en Windows-1252 ; ouvrez le fichier dans un tableur et enregistrez-le en « CSV UTF-8 »"
        ) from None
    if not _francais(windows) and _francais(mac := contenu.decode("mac_roman")):
        return mac, "mac_roman"
    return windows, "cp1252"


def _lignes_melangees(contenu: bytes) -> tuple[list[int], str, str]:
    """In a file that is not UTF-8 as a whole, the lines (numbered as a spreadsheet shows them)
    in another encoding than the rest: the UTF-8 lines pasted into a Windows-1252 file (read so,
    they would show « Ã© » for « é »), or the Windows-1252 lines pasted into a UTF-8 file —
    whichever are fewer — with their encoding and the rest's. No line when every accented line
    is Windows-1252."""
    utf8, autres = [], []
    for n, ligne in enumerate(contenu.splitlines(), start=1):
        if ligne.isascii():
            continue
        try:
            ligne.decode("utf-8")
        except UnicodeDecodeError:
            autres.append(n)
        else:
            utf8.append(n)
    if not utf8 or not autres:
        return [], "", ""
    if len(autres) <= len(utf8):
        return autres, "Windows-1252", "UTF-8"
    return utf8, "UTF-8", "Windows-1252"


def _separateur(premiere_ligne: str) -> str:
    """The header's most frequent of `;`, `,` and the tab (Excel's « Texte Unicode »), `;` on a tie."""
    return max((";", ",", "\t"), key=premiere_ligne.count)


def lire_csv(chemin: Path, fichier: str, table: str) -> tuple[TableBrute | None, list[Probleme]]:
    """Read one CSV file of the contract; `fichier` is the name shown to the user."""
    try:
        contenu = chemin.read_bytes()
    except OSError as exc:
        return None, [Probleme(fichier, None, None, None, None, f"lecture impossible ({exc})")]
    try:
        texte, encodage = _decoder(contenu)
    except EncodageInconnu as exc:
        return None, [Probleme(fichier, None, None, None, None, str(exc))]
    melangees, celui_ci, le_reste = _lignes_melangees(contenu) if encodage == "cp1252" else ([], "", "")
    if melangees:
        return None, [
            Probleme(
                fichier,
                None,
                n,
                None,
                None,
                f"encodages mélangés : cette ligne est en {celui_ci}, le reste du fichier en {le_reste} (une "
                "ligne collée depuis un autre fichier) ; ses accents seraient mal lus. Ouvrez le fichier "
                "dans un tableur et enregistrez-le en « CSV UTF-8 »",
            )
            for n in melangees
        ]
    lignes = texte.splitlines()
    if not lignes or not lignes[0].strip():
        return None, [Probleme(fichier, None, 1, None, None, "fichier vide : la ligne d'en-tête manque")]
    separateur = _separateur(lignes[0])
    premieres = [ligne.split(separateur) for ligne in lignes[: _LIGNES_DE_TITRE + 1]]
    if titre := _titre_au_dessus(table, premieres[0], premieres[1:]):
        return None, [Probleme(fichier, None, 1, None, None, titre)]
    if '"' not in texte:
        return _lire_sans_guillemets(texte, separateur, fichier, table)
    return _lire_avec_guillemets(texte, separateur, fichier, table)


def _lire_avec_guillemets(
    texte: str, separateur: str, fichier: str, table: str
) -> tuple[TableBrute | None, list[Probleme]]:
    """Quoted cells may span lines: a record is numbered as a spreadsheet shows it (one row per
    record, however many lines its cells take), and a quote never closed is named where it
    opens, not at the end of the file it swallowed."""
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur, strict=True)
    en_tete = [_nom_colonne(c) for c in next(lecteur)]
    problemes = _doublons_d_en_tete(en_tete, fichier, None)
    rangs, index, debords = [], [], {}
    ligne = 1
    while True:
        ligne += 1
        try:
            rang = next(lecteur)
        except StopIteration:
            break
        except csv.Error:
            if lecteur.line_num >= texte.count("\n") + (not texte.endswith("\n")):
                message = (
                    "guillemet ouvert dans cette ligne et jamais fermé : toute la suite du fichier serait lue "
                    "comme une seule cellule ; fermez-le ou retirez-le"
                )
            else:
                message = (
                    "guillemet mal placé dans cette ligne : un texte entre guillemets doit occuper toute la "
                    'cellule, et un guillemet dans un texte s\'écrit "" ; corrigez-la'
                )
            return None, problemes + [Probleme(fichier, None, ligne, None, None, message)]
        if "".join(rang).strip():
            cellules = _ajuster(rang, en_tete, ligne, debords)
            if cellules is None:
                problemes.append(_mauvais_rang(fichier, ligne, len(rang), len(en_tete)))
            else:
                rangs.append(cellules)
                index.append(ligne)
    cadre = pd.DataFrame(
        rangs, columns=range(len(en_tete)), index=pd.Index(index, name="ligne"), dtype=object
    )
    cadre, hors = _colonnes_nommees(cadre, en_tete, fichier, debords)
    return TableBrute(
        table, fichier, None, _sans_lignes_preparees(table, _sans_doublons(cadre))
    ), problemes + hors


def _lire_sans_guillemets(
    texte: str, separateur: str, fichier: str, table: str
) -> tuple[TableBrute, list[Probleme]]:
    """Without quotes a record is a line: lines are checked here and the cells split by
    pandas' C parser (the `csv` module would take seconds on a national file)."""
    lignes = texte.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    en_tete = [_nom_colonne(c) for c in lignes[0].split(separateur)]
    problemes = _doublons_d_en_tete(en_tete, fichier, None)
    attendus = len(en_tete) - 1
    bonnes, index, debords = [], [], {}
    for ligne, texte_ligne in enumerate(lignes[1:], start=2):
        if not texte_ligne.replace(separateur, "").strip():
            continue
        if texte_ligne.count(separateur) != attendus:
            cellules = _ajuster(texte_ligne.split(separateur), en_tete, ligne, debords)
            if cellules is None:
                problemes.append(
                    _mauvais_rang(fichier, ligne, texte_ligne.count(separateur) + 1, attendus + 1)
                )
                continue
            texte_ligne = separateur.join(cellules)
        bonnes.append(texte_ligne)
        index.append(ligne)
    if bonnes:
        cadre = pd.read_csv(
            io.StringIO("\n".join(bonnes)),
            sep=separateur,
            header=None,
            names=range(len(en_tete)),
            dtype=object,
            na_filter=False,
            quoting=csv.QUOTE_NONE,
            skip_blank_lines=False,
            engine="c",
        )
        cadre.index = pd.Index(index, name="ligne")
    else:
        cadre = pd.DataFrame(
            columns=range(len(en_tete)), index=pd.Index([], name="ligne", dtype=int), dtype=object
        )
    cadre, hors = _colonnes_nommees(cadre, en_tete, fichier, debords)
    return TableBrute(
        table, fichier, None, _sans_lignes_preparees(table, _sans_doublons(cadre))
    ), problemes + hors


def _ajuster(
    cellules: list[str], en_tete: list[str], ligne: int, debords: dict[int, list[int]]
) -> list[str] | None:
    """A row's cells fitted to the header, or None when cells of named columns are missing (a
    wrong separator or quote). The empty cells an Excel export leaves beyond the named columns
    (`;;;`, on the header or on some lines) are harmless: a short row is padded, a long one cut.
    A filled cell beyond the header is noted in `debords` (column index → lines) to be refused
    by `_colonnes_nommees`, and its row is read."""
    nommees = max((j + 1 for j, nom in enumerate(en_tete) if nom), default=0)
    if len(cellules) < nommees:
        return None
    for j in range(len(en_tete), len(cellules)):
        if cellules[j].strip():
            debords.setdefault(j, []).append(ligne)
    return (list(cellules) + [""] * (len(en_tete) - len(cellules)))[: len(en_tete)]


def _colonnes_nommees(
    cadre: pd.DataFrame, en_tete: list[str], fichier: str, debords: dict[int, list[int]]
) -> tuple[pd.DataFrame, list[Probleme]]:
    """The columns with a header, named. Columns without one (the `;;;` an Excel export leaves
    at the end of each line) are harmless when empty; filled cells there, or beyond the header
    (`debords`), are refused like an unknown column, named by their lines and column number,
    their content never repeated."""
    remplies = dict(debords)
    for j, nom in enumerate(en_tete):
        if not nom:
            pleines = cadre.iloc[:, j].fillna("").astype(str).str.strip() != ""
            remplies[j] = [int(ligne) for ligne in cadre.index[pleines.to_numpy()]]
    problemes = [
        _hors_des_colonnes(
            fichier, None, f"colonne {j + 1}", [(ligne, "cellule") for ligne in sorted(lignes)]
        )
        for j, lignes in sorted(remplies.items())
        if lignes
    ]
    garder = [j for j, nom in enumerate(en_tete) if nom]
    nommees = cadre.iloc[:, garder].copy()
    nommees.columns = [en_tete[j] for j in garder]
    return nommees, problemes


def _mauvais_rang(fichier: str, ligne: int, cellules: int, attendues: int) -> Probleme:
    return Probleme(
        fichier,
        None,
        ligne,
        None,
        None,
        f"{cellules} cellules au lieu de {attendues} (séparateur ou guillemets ?)",
    )


class _Formule:
    """A formula cell whose value was never calculated (see `_feuilles_xlsx`)."""


FORMULE_NON_CALCULEE = _Formule()


@dataclass
class _Feuille:
    """A sheet of a workbook: its title, whether it is hidden, and its rows of cell values
    (the first row being line 1)."""

    titre: str
    masquee: bool
    rangs: Iterable[Sequence]


def lire_classeur(chemin: Path, fichier: str) -> tuple[dict[str, TableBrute | None], list[Probleme]]:
    """Read every sheet of a collection workbook (.xlsx, or LibreOffice's .ods), one table per
    sheet. A sheet that is there but cannot be read maps to None: its one cause is in the
    problems, and nothing is cross-checked against it."""
    if chemin.suffix.lower() == ".ods":
        try:
            feuilles = _feuilles_ods(chemin)
        except Exception:  # odfpy and zipfile raise many types for broken files
            return {}, [Probleme(fichier, None, None, None, None, _pourquoi_illisible(chemin, "ods"))]
        return _lire_feuilles(feuilles, fichier)
    import openpyxl

    try:
        classeur = openpyxl.load_workbook(chemin, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for broken files
        return {}, [Probleme(fichier, None, None, None, None, _pourquoi_illisible(chemin))]
    formules = None
    try:
        if _a_des_formules(chemin):
            formules = openpyxl.load_workbook(chemin, read_only=True, data_only=False)
        return _lire_feuilles(_feuilles_xlsx(classeur, formules), fichier)
    finally:
        classeur.close()
        if formules is not None:
            formules.close()


def _a_des_formules(chemin: Path) -> bool:
    """Whether a sheet of the xlsx file holds a formula (`<f>` elements)."""
    with zipfile.ZipFile(chemin) as z:
        for nom in z.namelist():
            if nom.startswith("xl/worksheets/") and nom.endswith(".xml"):
                with z.open(nom) as f:
                    for morceau in iter(lambda: f.read(1 << 20), b""):
                        if b"<f>" in morceau or b"<f " in morceau:
                            return True
    return False


def _feuilles_xlsx(classeur, formules) -> Iterator[_Feuille]:
    """The sheets of an xlsx workbook, its cells as Excel last calculated them. A formula with no
    calculated value (a workbook written by a program and never opened in a spreadsheet) is
    `FORMULE_NON_CALCULEE`, not an empty cell."""
    for feuille in classeur.worksheets:
        # Read the cells actually present: a stale <dimension> (files from other generators)
        # would hide rows and columns.
        feuille.reset_dimensions()
        rangs = feuille.iter_rows(values_only=True)
        if formules is not None:
            brute = formules[feuille.title]
            brute.reset_dimensions()
            rangs = _avec_formules(rangs, brute.iter_rows(values_only=True))
        yield _Feuille(feuille.title, feuille.sheet_state != "visible", rangs)


def _avec_formules(valeurs: Iterable[Sequence], formules: Iterable[Sequence]) -> Iterator[list]:
    for rang, rang_formules in zip(valeurs, formules, strict=False):
        yield [
            FORMULE_NON_CALCULEE
            if v is None and j < len(rang_formules) and str(rang_formules[j] or "").startswith("=")
            else v
            for j, v in enumerate(rang)
        ]


def _feuilles_ods(chemin: Path) -> list[_Feuille]:
    """The sheets of a LibreOffice workbook, read by pandas (odfpy); blank rows are kept, so
    lines are numbered as the spreadsheet shows them."""
    cadres = pd.read_excel(chemin, engine="odf", sheet_name=None, header=None, dtype=object)
    return [
        _Feuille(
            str(titre),
            False,
            [
                [None if isinstance(v, float) and math.isnan(v) else v for v in rang]
                for rang in cadre.itertuples(index=False)
            ],
        )
        for titre, cadre in cadres.items()
    ]


def _lire_feuilles(
    feuilles: Iterable[_Feuille], fichier: str
) -> tuple[dict[str, TableBrute | None], list[Probleme]]:
    from openpyxl.utils import get_column_letter

    tables: dict[str, TableBrute | None] = {}
    problemes: list[Probleme] = []
    for feuille in feuilles:
        nom = feuille.titre.strip().lower()  # « Postes », « POSTES » name the sheet postes
        if nom in FEUILLES_IGNOREES:
            continue
        if nom not in contrat.TABLES or not contrat.TABLES[nom].annuelle:
            if not any(_texte_cellule(v).strip() for rang in feuille.rangs for v in rang):
                continue  # an empty sheet (Excel's « Feuil1 » left in the workbook): harmless
            attendues = ", ".join(contrat.TABLES_ANNUELLES)
            if feuille.masquee:
                message = (
                    f"feuille masquée inconnue (attendues : {attendues}) : affichez-la (clic droit sur un "
                    "onglet > Afficher), puis supprimez-la ou renommez-la"
                )
            else:
                message = f"feuille inconnue (attendues : {attendues})"
                proche = next(
                    (t for t in contrat.TABLES_ANNUELLES if code(feuille.titre).startswith(t)), None
                )
                if proche:
                    message += f" : renommez-la « {proche} » si c'est cette feuille"
            problemes.append(Probleme(fichier, feuille.titre, None, None, None, message))
            continue
        rangs_bruts = iter(feuille.rangs)
        en_tete_brut = next(rangs_bruts, None)
        if not en_tete_brut or not any(c is not None for c in en_tete_brut):
            problemes.append(Probleme(fichier, nom, 1, None, None, "la ligne d'en-tête manque"))
            tables[nom] = None
            continue
        en_tete = [_texte_cellule(c) for c in en_tete_brut]
        premiers = list(itertools.islice(rangs_bruts, _LIGNES_DE_TITRE))
        if titre := _titre_au_dessus(nom, en_tete, [[_texte_cellule(c) for c in r] for r in premiers]):
            problemes.append(Probleme(fichier, nom, 1, None, None, titre))
            tables[nom] = None
            continue
        rangs_bruts = itertools.chain(premiers, rangs_bruts)
        en_tete = [_nom_colonne(c) for c in en_tete]
        nommees = [j for j, c in enumerate(en_tete) if c]
        en_tete = [en_tete[j] for j in nommees]
        lues = set(nommees)
        erreurs = _doublons_d_en_tete(en_tete, fichier, nom)
        rangs, index, non_calculees = [], [], []
        hors: dict[int, list[int]] = {}  # column index → lines of filled cells under no header
        for ligne, rang in enumerate(rangs_bruts, start=2):
            for j, valeur in enumerate(rang):
                if valeur is FORMULE_NON_CALCULEE:
                    non_calculees.append(f"{get_column_letter(j + 1)}{ligne}")
                elif j not in lues and _texte_cellule(valeur).strip():
                    hors.setdefault(j, []).append(ligne)
            cellules = [_texte_cellule(rang[j]) if j < len(rang) else "" for j in nommees]
            if any(c.strip() for c in cellules):
                rangs.append(cellules)
                index.append(ligne)
        if non_calculees:
            problemes.append(Probleme(fichier, nom, None, None, None, _formules_non_calculees(non_calculees)))
            tables[nom] = None
            continue
        for j, lignes in sorted(hors.items()):
            lettre = get_column_letter(j + 1)
            erreurs.append(
                _hors_des_colonnes(
                    fichier, nom, f"colonne {lettre}", [(n, f"cellule {lettre}{n}") for n in lignes]
                )
            )
        problemes += erreurs
        tables[nom] = TableBrute(
            nom, fichier, nom, _sans_lignes_preparees(nom, _cadre(en_tete, rangs, index))
        )
    return tables, problemes


def _formules_non_calculees(cellules: list[str]) -> str:
    montrees = ", ".join(cellules[:5]) + (f" et {len(cellules) - 5} autres" if len(cellules) > 5 else "")
    return (
        f"formules jamais calculées ({montrees}) : ce classeur a été écrit par un programme et jamais "
        "ouvert dans un tableur, ses formules n'ont pas de valeur ; ouvrez-le dans Excel ou LibreOffice "
        "et enregistrez-le, puis relancez"
    )


_LIGNES_DE_TITRE = 5  # lines under line 1 where a header pushed down by a title is looked for


def _titre_au_dessus(table: str, ligne_1: list[str], suivantes: list[list[str]]) -> str:
    """When line 1 holds no column of the table, what to do ('' otherwise): one of the next
    lines holds several (a title, often merged across the columns, above the header), or none
    does and line 1 holds values (the header row deleted: the first record taken for it)."""
    connues = set(contrat.TABLES[table].noms)
    if connues & {_nom_colonne(c) for c in ligne_1}:
        return ""
    for n, rang in enumerate(suivantes, start=2):
        if len(connues & {_nom_colonne(c) for c in rang}) >= 2:
            titre = next((c.strip() for c in ligne_1 if c.strip()), "")
            vu = f" (« {titre[:40]} »)" if titre else ""
            return (
                f"la ligne 1{vu} ne porte pas les noms de colonnes, ils sont à la ligne {n} : supprimez "
                f"la ou les lignes au-dessus des noms de colonnes (titre, cellules fusionnées) pour que "
                "l'en-tête soit la ligne 1"
            )
    remplies = [c.strip() for c in ligne_1 if c.strip()]
    if len(remplies) >= 2:
        vues = ", ".join(f"« {c[:20]} »" for c in remplies[:3])
        return (
            f"la ligne 1 ne porte aucun nom de colonne du contrat ({vues}…) : la ligne d'en-tête a sans doute "
            f"été effacée ou remplacée ; remettez en ligne 1 les noms de colonnes "
            f"({', '.join(contrat.TABLES[table].noms[:4])}…), comme dans le classeur de collecte"
        )
    return ""


def _hors_des_colonnes(
    fichier: str, feuille: str | None, colonne: str, cellules: list[tuple[int, str]]
) -> Probleme:
    """Filled cells under no header (a note typed beside the table, the `;;;` of an export, a
    cleared header), given as (line, name) of one column: refused like an unknown column —
    nothing outside the contract is read — and named by their place, not their content; one
    problem per column. The same words for a workbook and a CSV."""
    ligne, cellule = cellules[0]
    if len(cellules) == 1:
        message = (
            f"{cellule} remplie hors des colonnes nommées : elle est refusée (aucune donnée hors du contrat de "
            "données) ; effacez-la, ou donnez un en-tête à sa colonne s'il s'agit d'une colonne du contrat"
        )
    else:
        message = (
            f"{len(cellules)} cellules remplies dans cette colonne sans en-tête (lignes {ligne} à "
            f"{cellules[-1][0]}) : elles sont refusées (aucune donnée hors du contrat de données) ; si "
            "l'en-tête de la colonne a été effacé, rétablissez son nom de colonne du contrat, sinon "
            "effacez-les"
        )
    return Probleme(fichier, feuille, ligne, f"{colonne} (sans en-tête)", None, message)


def _pourquoi_illisible(chemin: Path, format_: str = "xlsx") -> str:
    """What an unreadable workbook is, and what to do, in the officer's words."""
    if format_ == "ods":
        return (
            "ce fichier n'est pas un classeur .ods lisible (abîmé, protégé par un mot de passe ou d'un "
            "autre type) : ouvrez-le dans LibreOffice et enregistrez-le sans mot de passe, au format .ods "
            "ou .xlsx"
        )
    try:
        debut = chemin.read_bytes()[: 1 << 20]
    except OSError as exc:
        return f"classeur illisible ({exc})"
    if debut.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE2 container, not a zip
        if "EncryptedPackage".encode("utf-16-le") in debut:
            return (
                "classeur protégé par un mot de passe : ouvrez-le, retirez le mot de passe (Fichier > "
                "Informations > Protéger le classeur) et enregistrez-le"
            )
        return (
            "classeur au format Excel 97-2003 (.xls) renommé en .xlsx : ouvrez-le dans Excel ou "
            "LibreOffice et enregistrez-le au format .xlsx"
        )
    return (
        "ce fichier n'est pas un classeur .xlsx lisible (fichier abîmé ou d'un autre type) : ouvrez-le "
        "dans un tableur et enregistrez-le au format .xlsx"
    )


def _doublons_d_en_tete(en_tete: list[str], fichier: str, feuille: str | None) -> list[Probleme]:
    vus = set()
    doublons = [c for c in en_tete if c and (c in vus or vus.add(c))]
    return [
        Probleme(fichier, feuille, 1, c, None, "colonne en double dans l'en-tête : seule la première est lue")
        for c in dict.fromkeys(doublons)
    ]


def _cadre(en_tete: list[str], rangs: list[list[str]], index: list[int]) -> pd.DataFrame:
    cadre = pd.DataFrame(rangs, columns=en_tete, index=pd.Index(index, name="ligne"), dtype=object)
    return _sans_doublons(cadre)


def _sans_lignes_preparees(table: str, cadre: pd.DataFrame) -> pd.DataFrame:
    """Without the rows whose only filled cells are columns a workbook writes in before it is
    sent (`contrat.PREPAREES`: the post and month of an activity row, its counts left to type):
    such a row was never filled, and is read as no row. A row with one count typed is kept, its
    empty counts then refused as missing."""
    preparees = contrat.PREPAREES.get(table)
    if not preparees or cadre.empty:
        return cadre
    autres = [c for c in cadre.columns if c not in preparees]
    if not autres:
        return cadre.iloc[0:0]
    remplies = cadre[autres].fillna("").astype(str).apply(lambda s: s.str.strip() != "").any(axis=1)
    return cadre[remplies.to_numpy()]


def _sans_doublons(cadre: pd.DataFrame) -> pd.DataFrame:
    """The first of columns with the same name (the duplicate is reported apart)."""
    return cadre if cadre.columns.is_unique else cadre.loc[:, ~cadre.columns.duplicated()]


def _nom_colonne(nom: str) -> str:
    return nom.replace("\ufeff", "").strip().lower()


def _texte_cellule(valeur) -> str:
    """The text of an xlsx cell, as the CSV path would have it; a date as the partner typed
    and sees it (JJ/MM/AAAA, with its time when it has one), so that a problem echoes it so."""
    if valeur is None:
        return ""
    if isinstance(valeur, dt.datetime):
        if valeur.time() == dt.time(0):
            return valeur.strftime("%d/%m/%Y")
        return valeur.strftime("%d/%m/%Y %H:%M:%S" if valeur.second else "%d/%m/%Y %H:%M")
    if isinstance(valeur, dt.date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, dt.time):
        return valeur.strftime("%H:%M")
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur)


# --------------------------------------------------------------------------- typing


def code(valeur: str) -> str:
    """Normalise an enumeration cell: lower case, no accents, `_` for spaces and dashes."""
    sans_accents = unicodedata.normalize("NFKD", valeur).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-']+", "_", sans_accents.strip().lower())


_LIBELLES_CODES = {code(libelle): c for c, libelle in contrat.LIBELLES.items()}


def _code_enum(valeur: str) -> str:
    c = code(valeur)
    return _LIBELLES_CODES.get(c, c)


def _nombre(valeur: str) -> float:
    """A finite number, French or English decimal mark; « nan », « inf » are not numbers."""
    texte = valeur.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    nombre = float(texte)
    if not math.isfinite(nombre):
        raise ValueError
    return nombre


def _entier(valeur: str) -> int:
    if _MILLIERS_AMBIGUS.match(valeur):
        raise _ambigu(valeur, "un nombre entier")
    nombre = _nombre(valeur)
    if not nombre.is_integer():
        raise ValueError
    return int(nombre)


def _decimal(valeur: str) -> float:
    return _nombre(valeur)


# « 90.500 », « 90,500 », « 5.000 »: a dot or comma followed by exactly three digits
# may be a thousands separator (90 500 €, 5 000 inhabitants) or a decimal mark (90,5 €); an
# amount or a whole number written so is refused, with the remedy.
_MILLIERS_AMBIGUS = re.compile(r"^\s*\d{1,3}[.,]\d{3}\s*$")


class ValeurAmbigue(ValueError):
    """A value that could be read two ways: its message says both and what to write."""


def _ambigu(valeur: str, attendu: str, unite: str = "") -> ValeurAmbigue:
    texte = valeur.strip()
    milliers = int(re.sub(r"[.,]", "", texte))
    decimal = float(texte.replace(",", "."))
    lisible = f"{milliers:,}".replace(",", " ")
    sens = f"{milliers} (ou {lisible}) pour {lisible}{unite}"
    if attendu.startswith("un nombre entier"):
        sens += f", {decimal:g} pour {decimal:g}" if decimal.is_integer() else ""
    else:
        sens += f", {f'{decimal:g}'.replace('.', ',')} pour {f'{decimal:g}'.replace('.', ',')}{unite}"
    return ValeurAmbigue(
        f"{attendu} est attendu ; « {texte} » est ambigu (séparateur de milliers ou marque décimale ?) : "
        f"écrivez {sens}"
    )


def _montant(valeur: str) -> float:
    if _MILLIERS_AMBIGUS.match(valeur):
        raise _ambigu(valeur, "un montant en euros", " €")
    return _nombre(valeur)


def _date(valeur: str) -> pd.Timestamp:
    texte = valeur.strip()
    for forme in (
        "%Y-%m-%d",
        "%d/%m/%Y",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
    ):
        try:
            return pd.Timestamp(dt.datetime.strptime(texte, forme).date())
        except ValueError:
            continue
    raise ValueError


_HEURE = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})(?::\d{2})?$")


def _heure(valeur: str) -> str:
    m = _HEURE.match(valeur.strip())
    if not m:
        raise ValueError
    h, mn = int(m.group(1)), int(m.group(2))
    if not (0 <= h <= 23 and 0 <= mn <= 59) and (h, mn) != (24, 0):
        raise ValueError
    return f"{h:02d}:{mn:02d}"


_NOM_APRES_LE_CODE = re.compile(r"\s+[—–-]\s+")


def _code_de_quartier(valeur: str) -> str:
    """A neighbourhood cell's code: « TMVL-Q01 — Sanitas », as a drop-down offers it, reads
    « TMVL-Q01 » (a dash between spaces: codes hold none)."""
    return _NOM_APRES_LE_CODE.split(valeur.strip(), maxsplit=1)[0]


def _liste(valeur: str) -> str:
    return "|".join(_code_enum(v) for v in valeur.split("|") if v.strip())


_ANALYSEURS = {
    contrat.TEXTE: (str.strip, None),
    contrat.ENUM: (_code_enum, None),
    contrat.LISTE: (_liste, None),
    contrat.ENTIER: (_entier, "un nombre entier est attendu"),
    contrat.DECIMAL: (_decimal, "un nombre est attendu (virgule ou point décimal)"),
    contrat.DATE: (_date, "une date est attendue (AAAA-MM-JJ ou JJ/MM/AAAA)"),
    contrat.HEURE: (_heure, "une heure est attendue (HH:MM)"),
}

MONTANT_ATTENDU = "un montant en euros est attendu (un nombre, sans symbole €, virgule ou point décimal)"

_TYPES_PANDAS = {
    contrat.ENTIER: "Int64",
    contrat.DECIMAL: "float64",
    contrat.DATE: "datetime64[ns]",
}


def typer(brute: TableBrute) -> tuple[pd.DataFrame, list[Probleme]]:
    """Parse the contract's columns of a raw table into typed columns.

    Empty cells become missing values; a cell that cannot be parsed becomes missing too
    and yields a problem. Columns the contract does not know are kept as text, so that
    the schema refuses them by name. Each distinct text of a column is parsed once (a
    column of dates, codes or counts holds few of them).
    """
    table = contrat.TABLES[brute.table]
    typee = brute.cellules.copy()
    problemes = []
    for colonne in table.colonnes:
        if colonne.nom not in typee.columns:
            continue
        analyse, attendu = _ANALYSEURS[colonne.type]
        if colonne.nom in contrat.COLONNES_DE_QUARTIER and colonne.type == contrat.TEXTE:
            analyse = _code_de_quartier
        if colonne.type == contrat.DECIMAL and colonne.nom.startswith("montant"):
            analyse, attendu = _montant, MONTANT_ATTENDU
        cellules = brute.cellules[colonne.nom]
        positions, textes = pd.factorize(cellules.astype(object), use_na_sentinel=True)
        valeurs, illisibles = [], {}
        for i, brut in enumerate(textes):
            texte = str(brut)
            if not texte.strip():
                valeurs.append(None)
                continue
            try:
                valeurs.append(analyse(texte))
            except (ValueError, OverflowError) as exc:
                valeurs.append(None)
                # An ambiguous value's own message (« 90.500 » may be 90 500 € or 90,5 €).
                illisibles[i] = str(exc) if isinstance(exc, ValeurAmbigue) else attendu
        for position in np.flatnonzero(np.isin(positions, list(illisibles))):
            ligne, brut = cellules.index[position], cellules.iloc[position]
            problemes.append(brute.lieu(ligne, colonne.nom, brut, illisibles[positions[position]]))
        valeurs.append(None)  # for cells that are not text at all (position -1)
        positions = np.where(positions < 0, len(valeurs) - 1, positions)
        distinctes = pd.Series(valeurs, dtype=object)
        type_pandas = _TYPES_PANDAS.get(colonne.type)
        if type_pandas:
            distinctes = distinctes.astype(type_pandas)
        typee[colonne.nom] = pd.Series(
            distinctes.array.take(positions), index=typee.index, dtype=type_pandas or object
        )
    return typee, problemes

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
import math
import re
import unicodedata
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
    """A file that is neither UTF-16 (with its mark), UTF-8 nor Windows-1252: its message names
    the line and the byte."""


def decoder(contenu: bytes) -> str:
    """Text of a CSV file (see `_decoder`)."""
    return _decoder(contenu)[0]


def _decoder(contenu: bytes) -> tuple[str, str]:
    """Text of a CSV file and the encoding it was read in: UTF-16 when it starts with its
    byte-order mark (Excel's « Texte Unicode »), else UTF-8 (with or without BOM), else
    Windows-1252; else `EncodageInconnu`."""
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        return contenu.decode("utf-16"), "utf-16"
    try:
        return contenu.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return contenu.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        ligne = contenu[: exc.start].count(b"\n") + 1
        raise EncodageInconnu(
            f"encodage non reconnu : l'octet 0x{contenu[exc.start]:02X} de la ligne {ligne} n'existe ni en "
            "UTF-8 ni en Windows-1252 (un fichier « CSV (Macintosh) » ?) ; ouvrez-le dans un tableur et "
            "enregistrez-le en « CSV UTF-8 »"
        ) from None


def _lignes_utf8(contenu: bytes) -> list[int]:
    """Lines (numbered as a spreadsheet shows them) of a file read as Windows-1252 that are
    UTF-8: read so, they would show « Ã© » for « é »."""
    utf8 = []
    for n, ligne in enumerate(contenu.splitlines(), start=1):
        if ligne.isascii():
            continue
        try:
            ligne.decode("utf-8")
        except UnicodeDecodeError:
            continue
        utf8.append(n)
    return utf8


def _separateur(premiere_ligne: str) -> str:
    return ";" if premiere_ligne.count(";") >= premiere_ligne.count(",") else ","


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
    melangees = _lignes_utf8(contenu) if encodage == "cp1252" else []
    if melangees:
        return None, [
            Probleme(
                fichier,
                None,
                n,
                None,
                None,
                "encodages mélangés : cette ligne est en UTF-8, le reste du fichier en Windows-1252 (une "
                "ligne collée depuis un autre fichier) ; ses accents seraient mal lus. Ouvrez le fichier "
                "dans un tableur et enregistrez-le en « CSV UTF-8 »",
            )
            for n in melangees
        ]
    lignes = texte.splitlines()
    if not lignes or not lignes[0].strip():
        return None, [Probleme(fichier, None, 1, None, None, "fichier vide : la ligne d'en-tête manque")]
    separateur = _separateur(lignes[0])
    if '"' not in texte:
        return _lire_sans_guillemets(texte, separateur, fichier, table)
    # Quoted cells may span lines: the reader tells each record's line.
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    en_tete = [_nom_colonne(c) for c in next(lecteur)]
    problemes = _doublons_d_en_tete(en_tete, fichier, None)
    rangs, index = [], []
    for rang in lecteur:
        if "".join(rang).strip():
            if len(rang) == len(en_tete):
                rangs.append(rang)
                index.append(lecteur.line_num)
            else:
                problemes.append(_mauvais_rang(fichier, lecteur.line_num, len(rang), len(en_tete)))
    cadre = pd.DataFrame(
        rangs, columns=range(len(en_tete)), index=pd.Index(index, name="ligne"), dtype=object
    )
    cadre, hors = _colonnes_nommees(cadre, en_tete, fichier)
    return TableBrute(table, fichier, None, _sans_doublons(cadre)), problemes + hors


def _lire_sans_guillemets(
    texte: str, separateur: str, fichier: str, table: str
) -> tuple[TableBrute, list[Probleme]]:
    """Without quotes a record is a line: lines are checked here and the cells split by
    pandas' C parser (the `csv` module would take seconds on a national file)."""
    lignes = texte.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    en_tete = [_nom_colonne(c) for c in lignes[0].split(separateur)]
    problemes = _doublons_d_en_tete(en_tete, fichier, None)
    attendus = len(en_tete) - 1
    bonnes, index = [], []
    for ligne, texte_ligne in enumerate(lignes[1:], start=2):
        separateurs = texte_ligne.count(separateur)
        if texte_ligne.replace(separateur, "").strip():
            if separateurs == attendus:
                bonnes.append(texte_ligne)
                index.append(ligne)
            else:
                problemes.append(_mauvais_rang(fichier, ligne, separateurs + 1, attendus + 1))
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
    cadre, hors = _colonnes_nommees(cadre, en_tete, fichier)
    return TableBrute(table, fichier, None, _sans_doublons(cadre)), problemes + hors


def _colonnes_nommees(
    cadre: pd.DataFrame, en_tete: list[str], fichier: str
) -> tuple[pd.DataFrame, list[Probleme]]:
    """The columns with a header, named. Columns without one (the `;;;` an Excel export leaves
    at the end of each line) are harmless when empty; a filled cell there is refused like an
    unknown column, named by its line and column number, its content never repeated."""
    problemes = []
    for j, nom in enumerate(en_tete):
        if nom:
            continue
        remplies = cadre.iloc[:, j].fillna("").astype(str).str.strip() != ""
        problemes += [
            _hors_des_colonnes(fichier, None, int(ligne), f"colonne {j + 1}", "cellule")
            for ligne in cadre.index[remplies.to_numpy()]
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


def lire_classeur(chemin: Path, fichier: str) -> tuple[dict[str, TableBrute], list[Probleme]]:
    """Read every sheet of a collection workbook, one table per sheet."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        classeur = openpyxl.load_workbook(chemin, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for broken files
        return {}, [Probleme(fichier, None, None, None, None, _pourquoi_illisible(chemin))]
    tables, problemes = {}, []
    try:
        for feuille in classeur.worksheets:
            nom = feuille.title.strip().lower()  # « Postes », « POSTES » name the sheet postes
            if nom in FEUILLES_IGNOREES:
                continue
            if nom not in contrat.TABLES or not contrat.TABLES[nom].annuelle:
                attendues = ", ".join(contrat.TABLES_ANNUELLES)
                problemes.append(
                    Probleme(
                        fichier,
                        feuille.title,
                        None,
                        None,
                        None,
                        f"feuille inconnue (attendues : {attendues})",
                    )
                )
                continue
            # Read the cells actually present: a stale <dimension> (files from other generators)
            # would hide rows and columns.
            feuille.reset_dimensions()
            rangs_bruts = feuille.iter_rows(values_only=True)
            en_tete_brut = next(rangs_bruts, None)
            if not en_tete_brut or not any(c is not None for c in en_tete_brut):
                problemes.append(Probleme(fichier, nom, 1, None, None, "la ligne d'en-tête manque"))
                continue
            en_tete = [_nom_colonne(_texte_cellule(c)) for c in en_tete_brut]
            nommees = [j for j, c in enumerate(en_tete) if c]
            en_tete = [en_tete[j] for j in nommees]
            lues = set(nommees)
            problemes += _doublons_d_en_tete(en_tete, fichier, nom)
            rangs, index = [], []
            for ligne, rang in enumerate(rangs_bruts, start=2):
                cellules = [_texte_cellule(rang[j]) if j < len(rang) else "" for j in nommees]
                for j, valeur in enumerate(rang):
                    if j not in lues and _texte_cellule(valeur).strip():
                        lettre = get_column_letter(j + 1)
                        problemes.append(
                            _hors_des_colonnes(
                                fichier, nom, ligne, f"colonne {lettre}", f"cellule {lettre}{ligne}"
                            )
                        )
                if any(c.strip() for c in cellules):
                    rangs.append(cellules)
                    index.append(ligne)
            tables[nom] = TableBrute(nom, fichier, nom, _cadre(en_tete, rangs, index))
    finally:
        classeur.close()
    return tables, problemes


def _hors_des_colonnes(fichier: str, feuille: str | None, ligne: int, colonne: str, cellule: str) -> Probleme:
    """A filled cell under no header (a note typed beside the table, the `;;;` of an export, a
    cleared header): refused like an unknown column — nothing outside the contract is read —
    and named by its place, not its content. The same words for a workbook and a CSV."""
    return Probleme(
        fichier,
        feuille,
        ligne,
        f"{colonne} (sans en-tête)",
        None,
        f"{cellule} remplie hors des colonnes nommées : elle est refusée (aucune donnée hors du contrat de "
        "données) ; effacez-la, ou donnez un en-tête à sa colonne s'il s'agit d'une colonne du contrat",
    )


def _pourquoi_illisible(chemin: Path) -> str:
    """What an unreadable workbook is, and what to do, in the officer's words."""
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


def _sans_doublons(cadre: pd.DataFrame) -> pd.DataFrame:
    """The first of columns with the same name (the duplicate is reported apart)."""
    return cadre if cadre.columns.is_unique else cadre.loc[:, ~cadre.columns.duplicated()]


def _nom_colonne(nom: str) -> str:
    return nom.replace("\ufeff", "").strip().lower()


def _texte_cellule(valeur) -> str:
    """The text of an xlsx cell, as the CSV path would have it."""
    if valeur is None:
        return ""
    if isinstance(valeur, dt.datetime):
        if valeur.time() == dt.time(0):
            return valeur.date().isoformat()
        return valeur.isoformat(sep=" ")
    if isinstance(valeur, dt.date):
        return valeur.isoformat()
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
    nombre = _nombre(valeur)
    if not nombre.is_integer():
        raise ValueError
    return int(nombre)


def _decimal(valeur: str) -> float:
    return _nombre(valeur)


# « 90.500 »: a dot followed by groups of exactly three digits may be a French thousands
# separator (90 500 €) or a decimal point (90,5 €); an amount written so is refused.
_MILLIERS_AMBIGUS = re.compile(r"^\s*\d{1,3}(\.\d{3})+\s*$")


def _montant(valeur: str) -> float:
    if _MILLIERS_AMBIGUS.match(valeur):
        raise ValueError
    return _nombre(valeur)


def _date(valeur: str) -> pd.Timestamp:
    texte = valeur.strip()
    for forme in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
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

MONTANT_ATTENDU = (
    "un montant en euros est attendu ; un point suivi de trois chiffres (90.500) est ambigu : "
    "écrivez 90500 ou 90 500 pour quatre-vingt-dix mille cinq cents euros, 90,5 pour "
    "quatre-vingt-dix euros cinquante"
)

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
        if colonne.type == contrat.DECIMAL and colonne.nom.startswith("montant"):
            analyse, attendu = _montant, MONTANT_ATTENDU
        cellules = brute.cellules[colonne.nom]
        positions, textes = pd.factorize(cellules.astype(object), use_na_sentinel=True)
        valeurs, illisibles = [], []
        for i, brut in enumerate(textes):
            texte = str(brut)
            if not texte.strip():
                valeurs.append(None)
                continue
            try:
                valeurs.append(analyse(texte))
            except (ValueError, OverflowError):
                valeurs.append(None)
                illisibles.append(i)
        for position in np.flatnonzero(np.isin(positions, illisibles)):
            ligne, brut = cellules.index[position], cellules.iloc[position]
            problemes.append(brute.lieu(ligne, colonne.nom, brut, attendu))
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

"""The collection workbook partners fill in: one sheet per yearly table of the contract.

Headers are the contract's column names (so a filled workbook is read back with no
conversion, as `AAAA/collecte.xlsx`), each with a comment explaining it; every enumeration
has a drop-down list, and so do neighbourhood codes and communes when the territory is
known; number, date and time formats are set. A « Lisez-moi » sheet explains the rest.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evaluation.donnees import contrat
from evaluation.donnees.collecte import AGENT, TABLES_DE_L_AGENT, feuilles_de
from evaluation.donnees.territoire import Territoire
from evaluation.io import ecrire_atomique
from evaluation.outils.collecte import MOT_CLE, prerempli, prerempli_agent

LIGNES = 500  # rows prepared with formats and drop-downs (below the pre-filled ones)
FEUILLE_LISTES = "listes"
FORMATS = {
    contrat.DATE: "DD/MM/YYYY",
    contrat.DECIMAL: "0.00",
    contrat.ENTIER: "0",
    contrat.HEURE: "@",
    contrat.TEXTE: "@",
}
ENTETE = PatternFill("solid", fgColor="DDEBF7")

LISEZ_MOI = """\
Classeur de collecte — présence humaine dans les quartiers prioritaires (fiche 4.2.2)
{territoire}
Une feuille par table ; la première ligne de chaque feuille porte les noms de colonnes : ne les modifiez pas.
Survolez un en-tête pour lire sa définition. Les listes déroulantes donnent les valeurs admises.
Une ligne par enregistrement ; ne laissez pas de ligne d'en-tête supplémentaire ni de total.
Aucune donnée personnelle : pas de nom de personne, pas de texte libre sur des personnes.
Dates au format JJ/MM/AAAA ; heures au format HH:MM ; nombres décimaux avec une virgule.
Colonnes « copilotage » et « dispositifs_presents » : plusieurs codes séparés par « | » (ex. prefecture|ville).
Le classeur rempli se dépose tel quel dans le dossier de l'année : AAAA/collecte.xlsx,
puis : python -m evaluation validate --year AAAA
Chaque problème est signalé avec la feuille, la ligne et la colonne à corriger.
Les fichiers quartiers.csv et objectifs.csv sont tenus par la personne chargée de l'évaluation."""
PARTENAIRE = (
    "Ce classeur ne porte que les feuilles que vous remplissez. Vos postes encore actifs fin de l'année "
    "passée et leurs plages sont déjà saisis : mettez à jour les dates de fin, corrigez, ajoutez les "
    "nouveaux postes. La feuille activite porte déjà une ligne par poste et par mois : saisissez-y les "
    "nombres de l'année (une ligne laissée sans aucun nombre est ignorée ; une ligne commencée se remplit "
    "en entier, 0 compris) ; les remontées sont à saisir pour l'année. Renvoyez-le à la personne chargée "
    "de l'évaluation, qui le dépose dans AAAA/partenaires/."
)
NOUVEAU_PARTENAIRE = (
    "Ce classeur ne porte que les feuilles que vous remplissez : saisissez vos postes, leurs plages de "
    "présence, leur activité mensuelle (une ligne par poste et par mois, 0 compris) et vos remontées de "
    "l'année. Renvoyez-le à la personne chargée de l'évaluation, qui le dépose dans AAAA/partenaires/."
)
DE_L_AGENT = (
    "Ce classeur est celui de la personne chargée de l'évaluation : il ne porte que les feuilles qu'elle "
    "remplit elle-même (réunions, financements, outils du réseau) ; les postes, plages, activité et "
    "remontées viennent des classeurs des partenaires, déposés dans AAAA/partenaires/."
)
OUTILS_DEJA_SAISIS = (
    "Les outils du réseau de l'année passée sont déjà saisis dans la feuille outils : mettez à jour leur "
    "statut (en_projet, en_service, abandonne), corrigez, ajoutez les nouveaux."
)


def _listes(t: Territoire | None, annee: int | None) -> dict[str, tuple[str, ...]]:
    """Value lists for drop-downs, by name: enumerations, then the territory's own."""
    listes: dict[str, tuple[str, ...]] = {}
    for table in contrat.TABLES.values():
        for c in table.colonnes:
            if c.type == contrat.ENUM:
                listes[f"{table.nom}.{c.nom}"] = c.valeurs
    if t is not None:
        q = t.quartiers_actifs(annee) if annee else t.quartiers
        communes = tuple(sorted(q["commune"].unique()))
        # « TMVL-Q01 — Sanitas »: a partner tells which code is its neighbourhood; read as the code.
        nommes = tuple(
            f"{c}{contrat.SEPARATEUR_DE_NOM}{n}" if isinstance(n, str) and n.strip() else c
            for c, n in sorted(zip(q["code_qpv"], q["nom"], strict=True))
        )
        listes["code_qpv"] = nommes
        listes["commune"] = communes
        listes["perimetre_communal"] = (contrat.AGGLOMERATION, *communes)
        listes["perimetre"] = (contrat.AGGLOMERATION, *communes, *nommes)
    return listes


def _liste_de(table: str, colonne: str, listes: dict[str, tuple[str, ...]]) -> str | None:
    if f"{table}.{colonne}" in listes:
        return f"{table}.{colonne}"
    if colonne in ("code_qpv", "commune") and colonne in listes:
        return colonne
    if colonne == "perimetre" and "perimetre" in listes:
        return "perimetre" if table == "financements" else "perimetre_communal"
    return None


# What a cell of each type takes, in the words of the person who fills it.
A_SAISIR = {
    contrat.TEXTE: "un texte",
    contrat.ENTIER: "un nombre entier",
    contrat.DECIMAL: "un nombre, décimales après une virgule (0,5)",
    contrat.DATE: "une date JJ/MM/AAAA",
    contrat.HEURE: "une heure HH:MM",
    contrat.ENUM: "une valeur de la liste déroulante",
    contrat.LISTE: "une ou plusieurs valeurs de la liste, séparées par |",
}


def _commentaire(c: contrat.Colonne) -> str:
    """A header's comment: what the column holds, what to type, whether it may stay empty."""
    bornes = ""
    if c.minimum is not None and c.maximum is not None:
        bornes = f", de {c.minimum:g} à {c.maximum:g}"
    elif c.minimum is not None:
        bornes = f", {'plus grand que' if c.minimum_strict else 'au moins'} {c.minimum:g}"
    lignes = [
        c.description,
        f"À saisir : {A_SAISIR.get(c.type, 'un texte')}{bornes} ; {'obligatoire' if c.requis else 'peut rester vide'}",
    ]
    if c.valeurs:
        lignes.append(f"Valeurs admises : {', '.join(c.valeurs)}")
    return "\n".join(lignes)


def classeur(
    t: Territoire | None = None,
    annee: int | None = None,
    partenaire: str | None = None,
    feuilles: list[str] | None = None,
    lignes: dict[str, pd.DataFrame] | None = None,
    agent: bool = False,
) -> Workbook:
    """The collection workbook of `annee`; for one partner, only its `feuilles`, its name in
    the « Lisez-moi » sheet and the file's properties, and its `lignes` of last year written
    in (see `outils.collecte`); with `agent`, the officer's own workbook (its `feuilles`, its
    `lignes`: last year's tools), said so in « Lisez-moi »."""
    wb = Workbook()
    lisez_moi = wb.active
    lisez_moi.title = "Lisez-moi"
    nom = f"Territoire : {t.nom} — année {annee}" if t is not None and annee else "Territoire : (à compléter)"
    texte = LISEZ_MOI.format(territoire=nom)
    if agent:
        deja = (lignes or {}).get("outils")
        ajout = DE_L_AGENT + (f"\n{OUTILS_DEJA_SAISIS}" if deja is not None and not deja.empty else "")
        texte = texte.replace("\n", f"\n{AGENT}\n{ajout}\n", 1)
        # Her workbook beside the partners': the campaign is tracked first (the guide's order).
        texte = texte.replace("evaluation validate --year", "evaluation collecte --year")
        wb.properties.title = f"Collecte {annee or ''} — {AGENT}".replace("  ", " ")
    elif partenaire:
        # The officer's own steps (where the workbook goes, the command) are not the partner's.
        texte = texte.split("\nLe classeur rempli se dépose")[0]
        deja = (lignes or {}).get("postes")  # its posts of last year, pre-filled: or a new partner's
        consigne = PARTENAIRE if deja is not None and not deja.empty else NOUVEAU_PARTENAIRE
        texte = texte.replace("\n", f"\nPartenaire : {partenaire}\n{consigne}\n", 1)
        wb.properties.keywords = f"{MOT_CLE} {partenaire}"
        wb.properties.title = f"Collecte {annee or ''} — {partenaire}".replace("  ", " ")
    if feuilles is not None and "reunions" not in feuilles:  # the meetings' columns are not in it
        texte = "\n".join(x for x in texte.splitlines() if not x.startswith("Colonnes « copilotage »"))
    if annee:  # the year's folder and command (not the date format « JJ/MM/AAAA »)
        texte = texte.replace("AAAA/", f"{annee}/").replace("--year AAAA", f"--year {annee}")
    wb.properties.creator = "evaluation"
    for ligne in texte.splitlines():
        lisez_moi.append([ligne])
    lisez_moi["A1"].font = Font(bold=True, size=13)
    lisez_moi.column_dimensions["A"].width = 110

    listes = _listes(t, annee)
    feuille_listes = wb.create_sheet(FEUILLE_LISTES)
    plages: dict[str, str] = {}
    for i, (nom_liste, valeurs) in enumerate(listes.items(), start=1):
        lettre = get_column_letter(i)
        feuille_listes.cell(1, i, nom_liste)
        for j, v in enumerate(valeurs, start=2):
            feuille_listes.cell(j, i, v)
        plages[nom_liste] = f"{FEUILLE_LISTES}!${lettre}$2:${lettre}${len(valeurs) + 1}"
    feuille_listes.sheet_state = "hidden"

    for table in (contrat.TABLES[n] for n in contrat.TABLES_ANNUELLES if feuilles is None or n in feuilles):
        ws = wb.create_sheet(table.nom)
        ws.freeze_panes = "A2"
        deja = (lignes or {}).get(table.nom)
        # Room below the pre-filled rows too (a large partner's 12 activity rows per post).
        n = LIGNES + (0 if deja is None else len(deja))
        for i, c in enumerate(table.colonnes, start=1):
            cellule = ws.cell(1, i, c.nom)
            cellule.font = Font(bold=True)
            cellule.fill = ENTETE
            cellule.alignment = Alignment(horizontal="center")
            cellule.comment = Comment(_commentaire(c), "evaluation", width=320, height=140)
            lettre = get_column_letter(i)
            ws.column_dimensions[lettre].width = max(14, len(c.nom) + 4)
            for ligne in range(2, n + 2):
                ws.cell(ligne, i).number_format = FORMATS.get(c.type, "@")
            nom_liste = _liste_de(table.nom, c.nom, listes)
            if nom_liste and listes[nom_liste]:
                dv = DataValidation(
                    type="list",
                    formula1=f"={plages[nom_liste]}",
                    allow_blank=not c.requis,
                    showErrorMessage=True,
                    errorTitle="Valeur non admise",
                    error=f"Choisissez une valeur de la liste pour « {c.nom} ».",
                )
                dv.add(f"{lettre}2:{lettre}{n + 1}")
                ws.add_data_validation(dv)
        if deja is not None:
            for i, rang in enumerate(deja[list(table.noms)].itertuples(index=False), start=2):
                for j, valeur in enumerate(rang, start=1):
                    ws.cell(i, j, _valeur_de_cellule(valeur))
    return wb


def _valeur_de_cellule(valeur):
    """A typed value as a spreadsheet cell holds it: missing → empty, timestamps → dates."""
    if (
        valeur is None
        or valeur is pd.NA
        or (isinstance(valeur, float) and math.isnan(valeur))
        or valeur is pd.NaT
    ):
        return None
    if isinstance(valeur, pd.Timestamp):
        return valeur.to_pydatetime()
    if hasattr(valeur, "item"):  # numpy scalars
        return valeur.item()
    return valeur


def ecrire_classeur(
    chemin: Path,
    t: Territoire | None = None,
    annee: int | None = None,
    partenaire: str | None = None,
    toutes_feuilles: bool = False,
    agent: bool = False,
) -> Path:
    """The year's collection workbook; for one partner (`outils.collecte`), its own sheets,
    pre-filled with its posts still active last year, their slots and its activity rows to
    fill; with `agent`, the officer's own sheets, pre-filled with last year's tools."""
    if agent:
        precedente = annee - 1 if annee else None
        wb = classeur(t, annee, None, list(TABLES_DE_L_AGENT), prerempli_agent(t, precedente), agent=True)
    elif partenaire is None:
        wb = classeur(t, annee)
    else:
        precedente = annee - 1 if annee else None
        wb = classeur(
            t,
            annee,
            partenaire,
            feuilles_de(t, precedente, partenaire, toutes_feuilles),
            prerempli(t, precedente, partenaire),
        )
    return ecrire_atomique(Path(chemin), wb.save)

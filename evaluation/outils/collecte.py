"""The collection campaign as it runs: one workbook per partner, pre-filled from last year,
then tracked until every partner has answered.

A partner is a `structure` of last year's posts (a landlord, an employer, a city's police,
the Département…). Its workbook holds the sheets it fills — its posts, their weekly slots and
monthly activity, and the field signals when its schemes raised some last year — pre-filled
with its posts still active at the end of last year (no `date_fin`), their slots, and one
activity row per post and month with only the post and month written in: a partner updates
end dates, adds new posts and types counts instead of keys. Counts (activity, signals) are
never pre-filled, and an activity row left with its counts empty reads as no row
(`contrat.PREPAREES`). Its name is in the « Lisez-moi » sheet and in the file's properties
(keywords « partenaire: … »), so that a returned file is recognised whatever its name. Filled
workbooks go to `AAAA/partenaires/`; `suivi` tells who answered what.

The officer's own workbook (`template --agent`, deposited as `AAAA/collecte.xlsx`) holds the
tables the officer keeps (`TABLES_DE_L_AGENT`), last year's tools written in (`prerempli_agent`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from evaluation import formats
from evaluation.donnees import contrat
from evaluation.donnees.collecte import (
    AGENT,
    TABLES_DE_L_AGENT,
    feuilles_de,
    fichiers_de_l_agent,
    partenaire_du_classeur,
    partenaires,
    postes_de,
)
from evaluation.donnees.lecture import lire_classeur, lire_csv
from evaluation.donnees.problemes import DonneesInvalides, Probleme
from evaluation.donnees.proprietes import MOT_CLE as MOT_CLE  # re-exported: outils.classeur writes it
from evaluation.donnees.proprietes import proprietes as _proprietes
from evaluation.donnees.territoire import (
    LUS,
    PARTENAIRES,
    Territoire,
    charger,
    classeurs_hors_partenaires,
    fichiers_des_partenaires,
)
from evaluation.io import ecrire_atomique


def prerempli(t: Territoire | None, annee: int | None, partenaire: str) -> dict[str, pd.DataFrame]:
    """Last year's rows a partner finds in its workbook: its posts still active at the end of
    `annee` (no `date_fin`), their weekly slots, and the next year's activity rows of those posts
    (one per post and month, only `contrat.PREPAREES` written, the counts empty)."""
    if t is None or annee not in t.annees:
        return {}
    postes = postes_de(t, annee, partenaire)
    actifs = postes[postes["date_fin"].isna()]
    plages = t.annee(annee).plages
    return {
        "postes": actifs.reset_index(drop=True),
        "plages": plages[plages["id_poste"].isin(set(actifs["id_poste"]))].reset_index(drop=True),
        "activite": activite_a_remplir(list(dict.fromkeys(actifs["id_poste"]))),
    }


def activite_a_remplir(postes: list[str]) -> pd.DataFrame:
    """One activity row per post and month (1 to 12), the post and month written in and the
    counts empty: a partner types numbers, not keys."""
    cles = contrat.PREPAREES["activite"]  # the post, the month
    lignes = [dict(zip(cles, (p, mois), strict=True)) for p in postes for mois in range(1, 13)]
    return pd.DataFrame(lignes, columns=list(contrat.TABLES["activite"].noms)).astype(object)


def prerempli_agent(t: Territoire | None, annee: int | None) -> dict[str, pd.DataFrame]:
    """Last year's rows the officer finds in its own workbook: the network's tools of `annee`
    (every column), their status to update."""
    if t is None or annee not in t.annees:
        return {}
    return {"outils": t.annee(annee).outils.reset_index(drop=True)}


def _annee_du_titre(titre: str) -> int | None:
    """The year `template` wrote in a workbook's title (« Collecte 2026 — Régie Plus »): a
    partner returning last year's workbook is told so."""
    trouve = re.match(r"Collecte (\d{4})\b", titre)
    return int(trouve.group(1)) if trouve else None


COLONNES_SUIVI = [
    "partenaire",
    "fichier",
    "recu",
    "feuilles_remplies",
    *contrat.TABLES_ANNUELLES,
    "problemes",
    "manque",
    "corrections",
]
# One list of corrections per partner, to attach to an email: data/processed/AAAA/corrections/.
CORRECTIONS = "corrections"
COLONNES_CORRECTIONS = ["fichier", "feuille", "ligne", "colonne", "valeur lue", "ce qui est attendu"]


RETOUR_INCOMPLET = "retour incomplet"


def incomplet(vides: list[str]) -> str:
    """What the tracking table says of a returned workbook with a sheet its partner fills left
    empty (returned as it was sent, say): « retour incomplet : feuille activite vide ; … »."""
    n = len(vides)
    return (
        f"{RETOUR_INCOMPLET} : {formats.pluriel(n, 'feuille')} {formats.enumerer(vides)} "
        f"{formats.pluriel(n, 'vide')} ; tant qu'il l'est, ce classeur compte comme manquant et les chiffres "
        "qui en dépendent sont « n. m. » (non mesurable)"
    )


def suivi(dossier: Path, annee: int) -> pd.DataFrame:
    """For each partner expected (those of the year before), each file received in
    `AAAA/partenaires/` (or dropped elsewhere in the year folder) and the officer's own part
    (the year's workbook or CSV files): received or not, the sheets filled, the rows per table,
    the problems found in it, and what is still missing — an expected sheet left empty, a post
    of last year gone without an end date, two files from one partner, a file in a format the
    tool does not read, a workbook outside `partenaires/`, no file at all.

    A problem goes to the partner of the file it names, a problem of the officer's files (or of
    the year folder itself) to the officer; those outside the year (quartiers.csv…) are counted
    in `attrs["autres_problemes"]`. Each partner with something to correct has one list
    (`attrs["corrections"]`, by path relative to `data/processed/AAAA/`; `ecrire_corrections`),
    named in the `corrections` column of its rows."""
    dossier = Path(dossier)
    rep = dossier / str(annee)
    precedente = annee - 1
    try:
        avant = charger(dossier, [precedente])
    except Exception:  # no previous year, or it does not validate: no partner is expected
        avant = None
    attendus = partenaires(avant, precedente) if avant is not None else []
    par_fichier: dict[str, list[Probleme]] = {}
    try:
        if rep.is_dir():  # before any file arrives, every partner is missing
            charger(dossier, [annee])
    except DonneesInvalides as exc:
        for p in exc.problemes:
            par_fichier.setdefault(p.fichier, []).append(p)
    lignes: list[dict] = []
    for chemin in fichiers_des_partenaires(rep):  # spreadsheets: a cover letter is no return
        fichier = chemin.relative_to(dossier).as_posix()
        lisible = chemin.suffix.lower() in LUS
        feuilles = lire_classeur(chemin, fichier)[0] if lisible else {}
        mots_cles, titre = _proprietes(chemin)
        nom = partenaire_du_classeur(chemin, attendus, feuilles, mots_cles)
        comptes = _lignes_par_table(feuilles)
        manque = []
        if not lisible:
            manque.append(
                f"fichier {chemin.suffix or 'sans extension'} non lu : enregistrez-le au format .xlsx"
            )
        elif (ecrite := _annee_du_titre(titre)) and ecrite != annee:
            manque.append(f"classeur de {ecrite} (année écrite dans le classeur) : renvoyez celui de {annee}")
        elif nom in attendus:
            illisibles = [
                t for t in feuilles_de(avant, precedente, nom) if t in feuilles and feuilles[t] is None
            ]
            vides = [
                t
                for t in feuilles_de(avant, precedente, nom)
                if not comptes.get(t, 0) and t not in illisibles
            ]
            manque += [f"feuille {t} illisible (voir validate)" for t in illisibles]
            if vides:
                manque.append(incomplet(vides))
            if feuilles.get("postes") is not None:  # an unreadable postes sheet: validate says why
                manque += _postes_effaces(avant, precedente, nom, feuilles.get("postes"))
        lignes.append(_ligne(nom, fichier, comptes, par_fichier.get(fichier, []), manque))
    # A partner's workbook dropped outside partenaires/ (beside collecte.xlsx, say): not read,
    # filed under its partner. Moving it is the officer's job: not in the partner's list.
    for chemin, _ in classeurs_hors_partenaires(rep):
        fichier = chemin.relative_to(dossier).as_posix()
        feuilles = lire_classeur(chemin, fichier)[0]
        nom = partenaire_du_classeur(chemin, attendus, feuilles)
        egare = f"classeur déposé hors de {PARTENAIRES}/ : déplacez-le dans {annee}/{PARTENAIRES}/"
        ligne = _ligne(nom, fichier, _lignes_par_table(feuilles), par_fichier.get(fichier, []), [egare])
        lignes.append(ligne | {"_au_partenaire": False})
    # Two files from one partner: both are read, which double-counts or duplicates its rows.
    par_nom: dict[str, list[str]] = {}
    for ligne in lignes:
        par_nom.setdefault(ligne["partenaire"], []).append(ligne["fichier"].rpartition("/")[2])
    for ligne in lignes:
        autres = par_nom[ligne["partenaire"]]
        if len(autres) > 1:
            ligne["_manque"].append(
                f"plusieurs fichiers pour ce partenaire ({', '.join(autres)}) : n'en gardez qu'un"
            )
    recus = set(par_nom)
    for nom in attendus:
        if nom not in recus:
            lignes.append(_ligne(nom, "", {}, [], ["classeur non reçu"], recu=False))
    # The officer's: the problems of the year's files no partner's row names.
    des_partenaires = {ligne["fichier"] for ligne in lignes}
    siens = [
        p
        for f, ps in par_fichier.items()
        if f.startswith(f"{annee}/") and f not in des_partenaires
        for p in ps
    ]
    lignes.append(_ligne_de_l_agent(dossier, rep, siens))
    listes = _corrections(lignes)
    for ligne in lignes:
        ligne["manque"] = " ; ".join(ligne["_manque"])
        ligne["problemes"] = len(ligne["_problemes"])
    table = pd.DataFrame(lignes, columns=COLONNES_SUIVI)
    # Problems outside the year's files (quartiers.csv, objectifs.csv…): counted in the total.
    table.attrs["autres_problemes"] = sum(
        len(ps) for f, ps in par_fichier.items() if not f.startswith(f"{annee}/")
    )
    table.attrs["corrections"] = listes
    return table


def _corrections(lignes: list[dict]) -> dict[str, dict]:
    """Each partner's list of corrections (its files' problems, then what is still missing from
    them), by path relative to `data/processed/AAAA/` (`corrections/<slug>.xlsx`): a partner
    whose file has a problem, or is received with something missing, has one; each of its rows
    names it in `corrections`."""
    par_partenaire: dict[str, list[dict]] = {}
    for ligne in lignes:
        # A partner that sent nothing has nothing to correct: only its workbook to send.
        if not ligne["_au_partenaire"] or (ligne["recu"] != "oui" and not ligne["_problemes"]):
            continue
        vide = dict.fromkeys(COLONNES_CORRECTIONS)
        rangs = [
            dict(
                zip(
                    COLONNES_CORRECTIONS,
                    (p.fichier, p.feuille, p.ligne, p.colonne, p.valeur, p.message),
                    strict=True,
                )
            )
            for p in ligne["_problemes"]
        ] + [vide | {"fichier": ligne["fichier"], "ce qui est attendu": m} for m in ligne["_manque"]]
        if rangs:
            par_partenaire.setdefault(ligne["partenaire"], []).extend(rangs)
    chemins: dict[str, str] = {}
    for nom in par_partenaire:
        base = formats.slug(nom)
        chemin, n = f"{CORRECTIONS}/{base}.xlsx", 1
        while chemin in chemins.values():  # two names with one slug
            n += 1
            chemin = f"{CORRECTIONS}/{base}-{n}.xlsx"
        chemins[nom] = chemin
    for ligne in lignes:
        ligne["corrections"] = chemins.get(ligne["partenaire"], "")
    return {chemins[nom]: {"partenaire": nom, "lignes": rangs} for nom, rangs in par_partenaire.items()}


def ecrire_corrections(table: pd.DataFrame, sortie: Path, annee: int) -> list[Path]:
    """Write each partner's list of corrections (`suivi`'s `attrs["corrections"]`) under
    `sortie` (`data/processed/AAAA/`), atomically, one small workbook each: the header on line
    1, one row per problem or missing item, the columns in French, wide enough to read. The
    lists of partners with nothing left to correct are removed."""
    ecrits = []
    for relatif, liste in table.attrs.get("corrections", {}).items():
        chemin = sortie / relatif
        ecrire_atomique(chemin, lambda p, liste=liste: _ecrire_liste(p, liste, annee))
        ecrits.append(chemin)
    dossier = sortie / CORRECTIONS
    if dossier.is_dir():
        for ancien in dossier.glob("*.xlsx"):
            if ancien not in ecrits:
                ancien.unlink()
        if not any(dossier.iterdir()):
            dossier.rmdir()
    return ecrits


def _ecrire_liste(chemin: Path, liste: dict, annee: int) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.title = "À corriger"
    classeur.properties.title = f"Corrections {annee} — {liste['partenaire']}"
    feuille.append(COLONNES_CORRECTIONS)
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
    feuille.freeze_panes = "A2"
    for rang, valeurs in enumerate(liste["lignes"], start=2):
        for col, nom in enumerate(COLONNES_CORRECTIONS, start=1):
            cellule = feuille.cell(rang, col, valeurs[nom])
            if isinstance(valeurs[nom], str):
                cellule.data_type = "s"  # a value read « =A1 » is shown, not calculated
            cellule.alignment = Alignment(wrap_text=True, vertical="top")
    for lettre, largeur in zip("ABCDEF", (38, 14, 7, 22, 22, 90), strict=True):
        feuille.column_dimensions[lettre].width = largeur
    classeur.save(chemin)


def _lignes_par_table(feuilles: dict) -> dict[str, int]:
    """Rows read per table of one file (0 for a sheet that could not be read)."""
    return {t: len(b.cellules) if b is not None else 0 for t, b in feuilles.items()}


def _ligne(
    nom: str,
    fichier: str,
    comptes: dict[str, int],
    problemes: list[Probleme],
    manque: list[str],
    recu=True,
) -> dict:
    """One row of the tracking table; `_problemes` and `_manque` (lists) make its problem count,
    its `manque` and its partner's list of corrections."""
    return {
        "partenaire": nom,
        "fichier": fichier,
        "recu": "oui" if recu else "non",
        "feuilles_remplies": ", ".join(t for t in contrat.TABLES_ANNUELLES if comptes.get(t, 0)),
        **{t: comptes.get(t, 0) for t in contrat.TABLES_ANNUELLES},
        "_problemes": list(problemes),
        "_manque": list(manque),
        "_au_partenaire": True,
    }


def _postes_effaces(avant: Territoire | None, annee: int, partenaire: str, postes) -> list[str]:
    """The partner's posts still active at the end of `annee` (pre-filled in its workbook) that
    its returned workbook no longer holds: deleted instead of given an end date."""
    actifs = prerempli(avant, annee, partenaire).get("postes")
    if actifs is None or actifs.empty:
        return []
    rendus = set() if postes is None else {str(x).strip() for x in postes.cellules.get("id_poste", [])}
    effaces = sorted(set(actifs["id_poste"]) - rendus)
    if not effaces:
        return []
    n = len(effaces)
    return [
        f"{formats.accorder(n, 'poste')} de {annee} {formats.pluriel(n, 'effacé')} sans date de fin "
        f"({', '.join(effaces[:5])}{' …' if n > 5 else ''}) : {formats.pluriel(n, 'remettez-le', 'remettez-les')} "
        "avec la date de fin du poste"
    ]


def _ligne_de_l_agent(dossier: Path, rep: Path, problemes: list[Probleme]) -> dict:
    """The officer's own part: the year's workbook (or CSV files) for meetings, funding and
    tools, beside the partners' workbooks."""
    comptes: dict[str, int] = {}
    fichiers = fichiers_de_l_agent(rep)
    fichier = ", ".join(p.relative_to(dossier).as_posix() for p in fichiers)
    for p in fichiers:
        if p.suffix.lower() in LUS:
            comptes = _lignes_par_table(lire_classeur(p, fichier)[0])
        elif (table := p.stem.strip().lower()) in contrat.TABLES_ANNUELLES:
            brute, _ = lire_csv(p, p.name, table)
            comptes[table] = 0 if brute is None else len(brute.cellules)
    vides = [t for t in TABLES_DE_L_AGENT if not comptes.get(t, 0)]
    manque = []
    if not fichier:
        manque.append(
            "ni collecte.xlsx ni fichiers CSV : réunions, financements et outils du réseau à saisir"
        )
    elif vides:
        manque.append(", ".join(f"{t} vide" for t in vides))
    return _ligne(AGENT, fichier, comptes, problemes, manque, recu=bool(fichier))


def resume(table: pd.DataFrame) -> str:
    """The tracking table's last line: how many workbooks came (and how many of them came back
    incomplete), whether the officer's own part is missing, how many problems are left, and
    whether the collection is complete (`complet`)."""
    des_partenaires = table[table["partenaire"] != AGENT]
    recus = int((des_partenaires["recu"] == "oui").sum())
    incomplets = int(des_partenaires["manque"].str.contains(RETOUR_INCOMPLET, regex=False).sum())
    agent = table[table["partenaire"] == AGENT]
    problemes = int(table["problemes"].sum()) + int(table.attrs.get("autres_problemes", 0))
    phrase = (
        f"{formats.accorder(recus, 'classeur reçu', 'classeurs reçus')} pour "
        f"{formats.accorder(des_partenaires['partenaire'].nunique(), 'partenaire')}"
    )
    if incomplets:
        phrase += f", dont {incomplets} {formats.pluriel(incomplets, 'incomplet')}"
    if len(agent) and (agent["recu"].iloc[0] != "oui" or agent["manque"].iloc[0]):
        phrase += " ; votre propre saisie (réunions, financements, outils) manque ou est incomplète"
    phrase += f" ; {formats.accorder(problemes, 'problème')} à corriger"
    return phrase + (" ; collecte complète." if complet(table) else " ; collecte incomplète.")


def complet(table: pd.DataFrame) -> bool:
    """Every expected partner answered, nothing is missing, and the data validate."""
    return (
        not table.empty
        and (table["recu"] == "oui").all()
        and (table["manque"] == "").all()
        and table["problemes"].sum() == 0
        and not table.attrs.get("autres_problemes", 0)
    )

"""The sheet's calendar: « objectifs à réactualiser chaque année ».

`scorer` judges the year's targets of `objectifs.csv`; `proposer` drafts next year's targets
by the rules below, each with its origin and reason, in the `objectifs.csv` format so that
an officer reviews them and appends them to the raw file themselves.

A value and its target are compared at the precision the reports show (`comme_affiche`):
a target shown met is met, and a « maintain » target is the value as shown, never below it.

Proposal rules. The sheet (Fiche 4.2.2) says: « augmenter dans les territoires sous-dotés et
maintenir dans les autres », « maintien des correspondants de quartiers voire création dans
les quartiers entrants ». Everything else — the threshold, the step, the other indicators'
levels — is the package's proposal and says so (`origine`):

- C1, per QPV (the sheet asks for it; threshold and step are the package's, so a raise is
  « proposé par l'outil », a « maintain » « selon la fiche »): a *sous-doté* QPV (C1 below
  `seuil_sous_dotation` × the C1 of all QPVs together) gets « au moins »
  min(threshold, C1 + `pas_objectif_c1`); any other QPV keeps at least this year's value.
  The year's verdict on the sheet's objective 1 (C10) feeds the rule: a QPV that missed it
  says so in its reason, and one to be maintained that fell (and is not under-served now)
  gets at least last year's level back (« selon la fiche »).
- R3, per QPV (sheet): a QPV with correspondants de quartier keeps at least as many; an
  *entrant* QPV (entered after the first year of the 2015 list) without one gets « au moins 1 ».
- R1, per commune (package): at least max(this year's meetings, `reunions_reseau_minimum`);
  for the agglomeration, at least this year's meetings.
- R2, R4 and the tools in service (N5.en_service), agglomeration (package): at least this
  year's level. R5 (tools created in the year) gets no rule: a creation is not kept up.
- A value resting on a missing return (an incomplete collection, `mesure`) is the basis of
  no rule; this year's target on it is carried over as it was (« objectif non mesurable
  reconduit »).
- A request of the comité de pilotage (`Demande`, written « demande: H3 dans les QPV
  sous-dotés » in its analysis) that a rule can serve (comité): for an indicator computed for
  the QPVs and the agglomeration alike, each QPV of the request's scope gets at least
  max(its value, the agglomeration's value) — the agglomeration's level where it is below,
  its own where it is above; `servir` says why when no rule can serve a request.
- Every target of this year (package): a target missed is proposed again, never lowered to
  the value that missed it (« objectif non atteint reconduit », at the rule's level when a
  rule asks for more); a target met that no rule covers is proposed at this year's level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.donnees.territoire import Territoire
from evaluation.formats import ESPACE_INSECABLE, accorder, arrondi, nombre, pourcentage
from evaluation.indicateurs import INDICATEURS, Perimetres, indicateur_de, libelle_code, tableau
from evaluation.indicateurs.couverture import (
    ATTENDU,
    c1_etp_pour_mille_habitants,
    c5_sous_dote,
    seuil_sous_dotation,
)
from evaluation.indicateurs.mesure import non_mesurables
from evaluation.io import ecrire_atomique, ecrire_csv_atomique

ATTEINT, NON_ATTEINT, NON_MESURABLE = "atteint", "non atteint", "non mesurable"
FICHE, OUTIL, RECONDUIT = "selon la fiche", "proposé par l'outil", "objectif non atteint reconduit"
DEMANDE = "demandé par le comité de pilotage"
# Where a request of the comité applies, as its analysis writes it.
PORTEES = {"qpv_sous_dotes": "dans les QPV sous-dotés", "chaque_qpv": "dans chaque QPV"}


@dataclass(frozen=True)
class Demande:
    """A request of the comité de pilotage for next year's targets: an indicator, a scope
    (a key of PORTEES), within the perimeter of the analysis it was written in."""

    perimetre: str  # AGGLOMERATION or a commune
    indicateur: str
    portee: str

    @property
    def libelle(self) -> str:
        return f"{self.indicateur} {PORTEES[self.portee]}"


RECONDUIT_NON_MESURE = "objectif non mesurable reconduit"
COLONNES_OBJECTIFS = ["annee", "indicateur", "perimetre", "cible", "sens"]
SIGNE = {"au_moins": "≥", "au_plus": "≤"}


def montrer(code: str, valeur: float) -> str:
    """A value or target of `code` as the reports show it."""
    return indicateur_de(code).formater(valeur)


def montrer_ecart(code: str, ecart: float) -> str:
    """A target's gap as the reports and the command line show it: « +3 », « −0,12 », « −4 pts »
    (a share's, in percentage points), « = », « – »."""
    i = indicateur_de(code)
    return formats.ecart(0.0, ecart, i.decimales, points=i.pourcentage)


def scorer(t: Territoire, annee: int, valeurs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each target of `annee`: its value, status (atteint / non atteint / non mesurable),
    gap (valeur − cible, both as shown) and, when not measurable, why."""
    valeurs = tableau(t, [annee]) if valeurs is None else valeurs[valeurs["annee"] == annee]
    par_cle = valeurs.set_index(["indicateur", "perimetre"])["valeur"].to_dict()
    objectifs = t.objectifs[t.objectifs["annee"] == annee]
    incomplets = non_mesurables(t, annee)
    lignes = []
    for o in objectifs.itertuples():
        valeur = par_cle.get((o.indicateur, o.perimetre))
        statut, ecart, explication = NON_MESURABLE, math.nan, ""
        if (o.perimetre, o.indicateur) in incomplets:
            explication, valeur = incomplets[(o.perimetre, o.indicateur)], math.nan
        elif valeur is None:
            explication = _pourquoi_absent(t, annee, o.indicateur, o.perimetre)
            valeur = math.nan
        elif math.isnan(valeur):
            explication = "valeur non calculable (population nulle ou absente)"
        else:
            i = indicateur_de(o.indicateur)
            ecart = arrondi(i.comme_affiche(valeur) - i.comme_affiche(o.cible), i.decimales + 2)
            ok = ecart >= 0 if o.sens == "au_moins" else ecart <= 0
            statut = ATTEINT if ok else NON_ATTEINT
        lignes.append(
            {
                "indicateur": o.indicateur,
                "perimetre": o.perimetre,
                "cible": float(o.cible),
                "sens": o.sens,
                "valeur": valeur,
                "statut": statut,
                "ecart": ecart,
                "explication": explication,
            }
        )
    return pd.DataFrame(
        lignes,
        columns=["indicateur", "perimetre", "cible", "sens", "valeur", "statut", "ecart", "explication"],
    )


def _pourquoi_absent(t: Territoire, annee: int, indicateur: str, perimetre: str) -> str:
    codes = set(t.quartiers["code_qpv"])
    par_qpv = indicateur_de(indicateur).perimetres is Perimetres.QPV
    if perimetre in codes:
        actif = perimetre in set(t.quartiers_actifs(annee)["code_qpv"])
        if not actif:
            return f"le quartier {perimetre} n'est pas actif en {annee}"
        if not par_qpv:
            return f"{indicateur} se calcule pour l'agglomération et les communes, pas par quartier"
        return f"{perimetre} n'est pas un QPV en {annee} (quartier de veille active)"
    if par_qpv:
        return f"{indicateur} se calcule par QPV, pas pour « {perimetre} »"
    return f"la commune {perimetre} n'a pas de QPV actif en {annee}"


def _bases(t: Territoire, annee: int, valeurs: pd.DataFrame | None) -> tuple[pd.Series, set]:
    """The year's values the rules stand on, by (code, perimeter), and the (perimeter, code)
    resting on a missing return: those values are no basis for a target (NaN here)."""
    valeurs = tableau(t, [annee]) if valeurs is None else valeurs[valeurs["annee"] == annee]
    incomplets = non_mesurables(t, annee)
    v = valeurs.set_index(["indicateur", "perimetre"])["valeur"]
    return v.mask([(p, c) in incomplets for c, p in v.index]), incomplets


def pourquoi_sans_proposition(
    t: Territoire, annee: int, valeurs: pd.DataFrame | None, demande: Demande
) -> str:
    """Why no rule serves `demande` ('' when one does): what a report says of a request."""
    return repondre(t, annee, valeurs, demande)[1]


def repondre(
    t: Territoire, annee: int, valeurs: pd.DataFrame | None, demande: Demande
) -> tuple[tuple[str, ...], str]:
    """The QPVs whose proposed target of `demande.indicateur` answers `demande` — the very
    ones `proposer` serves, whichever rule sets their target at last (a target of the year
    missed and carried over is one: its origin is then « reconduit », no longer the comité's)
    — and why none does ('' when some do)."""
    cibles, pourquoi = servir(t, annee, *_bases(t, annee, valeurs), demande)
    return tuple(q for q, _, _ in cibles), pourquoi


def servir(
    t: Territoire, annee: int, v: pd.Series, incomplets: set, demande: Demande
) -> tuple[list[tuple[str, float, str]], str]:
    """The targets (QPV, level, reason) that serve `demande` from the year's values `v` (by
    (code, perimeter)), or none and why no rule can serve it."""
    code = demande.indicateur
    i = indicateur_de(code)
    if i.perimetres is not Perimetres.TOUS:
        return (
            [],
            f"{code} ne se calcule pas à la fois par QPV et pour l'agglomération : aucune règle de l'outil",
        )
    if "remontees" in i.lit:
        return [], (
            f"{code} repose sur les remontées de terrain, couvertes par le secret : pas d'objectif par QPV"
        )
    reference = v.get((code, AGGLOMERATION), float("nan"))
    if math.isnan(reference):
        return [], f"{code} de l'agglomération n'est pas connu en {annee} : pas de niveau de référence"
    qpv = t.quartiers_actifs(annee, "qpv")
    if demande.perimetre != AGGLOMERATION:
        qpv = qpv[qpv["commune"] == demande.perimetre]
    if demande.portee == "qpv_sous_dotes":
        sous_dotes = c5_sous_dote(t, annee)
        qpv = qpv[qpv["code_qpv"].map(sous_dotes) == 1]
        if qpv.empty:
            return [], f"aucun QPV sous-doté en {annee}"
    cibles = []
    for q in qpv["code_qpv"]:
        if (q, code) in incomplets:
            continue
        valeur = v.get((code, q), float("nan"))
        niveau = f"{montrer(code, reference)} pour l'agglomération en {annee}"
        if not math.isnan(valeur) and valeur >= reference:
            raison = f"déjà au niveau de l'agglomération ({montrer(code, valeur)}, {niveau}) : le garder"
            cible = valeur
        else:
            ici = (
                f"{montrer(code, valeur)} en {annee}" if not math.isnan(valeur) else f"sans valeur en {annee}"
            )
            raison = f"{ici} : au moins le niveau de l'agglomération ({niveau})"
            cible = reference
        cibles.append((q, cible, f"demande du comité de pilotage ({demande.libelle}) : {raison}"))
    if not cibles:
        return [], f"aucune valeur de {code} mesurable en {annee} dans les QPV concernés"
    return cibles, ""


def proposer(
    t: Territoire, annee: int, valeurs: pd.DataFrame | None = None, demandes: tuple[Demande, ...] = ()
) -> pd.DataFrame:
    """Targets for `annee + 1` by the module's rules, with the origin and reason of each;
    `demandes`, the comité's requests of the year's analysis, each served where a rule can."""
    v, incomplets = _bases(t, annee, valeurs)
    suivante = annee + 1
    p = t.parametres
    propositions: dict[tuple[str, str], dict] = {}

    def ajouter(indicateur, perimetre, cible, origine, raison, sens="au_moins"):
        if math.isnan(cible):
            return  # not measurable this year: no rule applies
        propositions[(indicateur, perimetre)] = {
            "annee": suivante,
            "indicateur": indicateur,
            "perimetre": perimetre,
            "cible": indicateur_de(indicateur).comme_affiche(float(cible)),
            "sens": sens,
            "origine": origine,
            "raison": raison,
        }

    for commune in t.communes_actives(annee):
        r1 = v[("R1", commune)]
        minimum = p["reunions_reseau_minimum"]
        raison = (
            f"structurer le réseau de chaque ville : au moins {accorder(minimum, 'réunion')} par commune"
            if r1 < minimum
            else f"maintenir le rythme de {annee} ({accorder(r1, 'réunion')})"
        )
        ajouter("R1", commune, max(r1, minimum), OUTIL, raison)
    r1 = v[("R1", AGGLOMERATION)]
    ajouter("R1", AGGLOMERATION, r1, OUTIL, f"maintenir le rythme de {annee} ({accorder(r1, 'réunion')})")
    ajouter(
        "R2",
        AGGLOMERATION,
        v[("R2", AGGLOMERATION)],
        OUTIL,
        f"au moins les adultes-relais en exercice fin {annee} ({nombre(v[('R2', AGGLOMERATION)])})",
    )
    ajouter(
        "R4",
        AGGLOMERATION,
        v[("R4", AGGLOMERATION)],
        OUTIL,
        f"maintenir les moyens de la prévention spécialisée de {annee} ({montrer('R4', v[('R4', AGGLOMERATION)])} ETP)",
    )
    ajouter(
        "N5.en_service",
        AGGLOMERATION,
        v[("N5.en_service", AGGLOMERATION)],
        OUTIL,
        f"maintenir les outils du réseau en service fin {annee} ({nombre(v[('N5.en_service', AGGLOMERATION)])})",
    )

    qpv = t.quartiers_actifs(annee, "qpv")
    premiere = int(t.quartiers.loc[t.quartiers["statut"] == "qpv", "annee_entree"].min())
    for q in qpv.itertuples():
        r3 = v[("R3", q.code_qpv)]
        if math.isnan(r3):
            continue
        if r3 > 0:
            ajouter(
                "R3",
                q.code_qpv,
                r3,
                FICHE,
                f"maintenir les correspondants de quartier ({nombre(r3)} fin {annee})",
            )
        elif q.annee_entree > premiere:
            ajouter(
                "R3",
                q.code_qpv,
                1,
                FICHE,
                f"quartier entrant en {q.annee_entree} sans correspondant : en créer un",
            )

    seuil = seuil_sous_dotation(t, annee)
    precedente = annee - 1
    c1_avant = (
        c1_etp_pour_mille_habitants(t, precedente) if precedente in t.annees else pd.Series(dtype=float)
    )
    sous_dote_avant = c5_sous_dote(t, precedente) if precedente in t.annees else pd.Series(dtype=float)
    for q in qpv.itertuples():
        c1 = v[("C1", q.code_qpv)]
        if math.isnan(c1) or (q.code_qpv, "C5") in incomplets:  # raise or maintain: unknown
            continue
        # This year's verdict on the sheet's objective 1 (C10): a missed raise or a fall is
        # said in the reason, and a fall where presence was to be maintained is made good.
        manque = ""
        if v.get(("C10", q.code_qpv)) == 0:
            avant = c1_avant[q.code_qpv]
            attendu = ATTENDU[1.0 if sous_dote_avant.get(q.code_qpv) == 1 else 0.0]
            manque = (
                f"objectif 1 de la fiche non atteint en {annee} ({attendu} : {montrer('C1', avant)} en "
                f"{precedente}, {montrer('C1', c1)} en {annee})"
            )
        if c1 < seuil:
            cible, origine = min(seuil, c1 + p["pas_objectif_c1"]), OUTIL
            raison = (
                f"QPV sous-doté : {montrer('C1', c1)} ETP pour 1 000 habitants, sous le seuil de "
                f"{nombre(seuil, 2)} ({pourcentage(p['seuil_sous_dotation'])} de la présence de l'ensemble des "
                f"QPV de l'agglomération, seuil proposé par l'outil) : hausse vers le seuil, par pas de "
                f"{nombre(p['pas_objectif_c1'], 2)} (la fiche demande d'augmenter la présence dans les "
                "territoires sous-dotés)"
            )
            if manque:
                raison = f"{manque} ; {raison}"
        elif manque:
            cible, origine = max(c1, c1_avant[q.code_qpv]), FICHE
            raison = f"{manque} : retrouver au moins le niveau de {precedente}"
        else:
            cible, origine = c1, FICHE
            raison = f"maintenir la présence ({montrer('C1', c1)} ETP pour 1 000 habitants en {annee})"
        ajouter("C1", q.code_qpv, cible, origine, raison)

    for demande in demandes:
        for q, cible, raison in servir(t, annee, v, incomplets, demande)[0]:
            deja = propositions.get((demande.indicateur, q))
            if deja is None or deja["cible"] < cible:
                ajouter(demande.indicateur, q, cible, DEMANDE, raison)

    for s in scorer(t, annee, valeurs).itertuples():
        cle, signe = (s.indicateur, s.perimetre), SIGNE[s.sens]
        deja = propositions.get(cle)
        if s.statut == NON_ATTEINT:
            plus_exigeante = (
                deja is not None
                and deja["sens"] == s.sens
                and (deja["cible"] >= s.cible if s.sens == "au_moins" else deja["cible"] <= s.cible)
            )
            raison = (
                f"objectif {annee} non atteint ({montrer(s.indicateur, s.valeur)} pour une cible "
                f"{signe}{ESPACE_INSECABLE}{montrer(s.indicateur, s.cible)}) : reconduit, pas abaissé"
            )
            if plus_exigeante:
                ajouter(*cle, deja["cible"], RECONDUIT, f"{raison} ; {deja['raison']}", sens=s.sens)
            elif deja is not None and deja["origine"] == DEMANDE and deja["sens"] == s.sens:
                # The target carried over answers the comité's request too: the reason says so.
                ajouter(
                    *cle,
                    s.cible,
                    RECONDUIT,
                    f"{raison}, ce qui répond aussi à la {deja['raison']}",
                    sens=s.sens,
                )
            else:
                ajouter(*cle, s.cible, RECONDUIT, raison, sens=s.sens)
        elif s.statut == NON_MESURABLE and (s.perimetre, s.indicateur) in incomplets:
            ajouter(
                *cle,
                s.cible,
                RECONDUIT_NON_MESURE,
                f"objectif {annee} non mesurable ({s.explication}) : reconduit tel quel",
                sens=s.sens,
            )
        elif s.statut == ATTEINT and deja is None:
            niveau = max(s.valeur, s.cible) if s.sens == "au_moins" else min(s.valeur, s.cible)
            ajouter(
                *cle,
                niveau,
                OUTIL,
                f"objectif {annee} atteint ({montrer(s.indicateur, s.valeur)}) : garder au moins ce niveau"
                if s.sens == "au_moins"
                else f"objectif {annee} atteint ({montrer(s.indicateur, s.valeur)}) : ne pas dépasser ce niveau",
                sens=s.sens,
            )
    # A stable order, whichever rule added a row: indicators in registry order, then the
    # communes, the agglomeration and the neighbourhoods in the contract's order.
    rang_code = {c: i for i, c in enumerate(INDICATEURS)}
    rang_perimetre = {
        p: i for i, p in enumerate([*t.communes_actives(annee), AGGLOMERATION, *qpv["code_qpv"]])
    }
    lignes = sorted(
        propositions.values(),
        key=lambda r: (
            rang_code[r["indicateur"].partition(".")[0]],
            rang_perimetre.get(r["perimetre"], len(rang_perimetre)),
            r["indicateur"],
            r["perimetre"],
        ),
    )
    return pd.DataFrame(lignes, columns=[*COLONNES_OBJECTIFS, "origine", "raison"])


def ecrire_propositions(
    t: Territoire, propositions: pd.DataFrame, rep: Path, annee_cible: int
) -> tuple[Path, Path]:
    """Write the proposal under `rep` twice: `objectifs_proposes_AAAA.csv` in the objectifs.csv
    format (comma, decimal point, no reason column), to be appended to it, and
    `objectifs_proposes_AAAA.xlsx` for the comité to read in a spreadsheet. Returns both paths."""
    chemin = rep / f"objectifs_proposes_{annee_cible}.csv"
    ecrire_csv_atomique(propositions[COLONNES_OBJECTIFS], chemin)
    return chemin, ecrire_atomique(
        chemin.with_suffix(".xlsx"), lambda p: _classeur(t, propositions, annee_cible).save(p)
    )


# The readable copy's columns and widths (in characters).
COLONNES_CLASSEUR = {
    "Année": 8,
    "Indicateur": 13,
    "Libellé": 48,
    "Périmètre": 28,
    "Sens": 10,
    "Cible": 10,
    "Unité": 26,
    "Origine": 30,
    "Raison": 80,
}
SENS = {"au_moins": "au moins", "au_plus": "au plus"}


def format_excel(code: str) -> str:
    """The number format of a value of `code` in a workbook, at the reports' precision: « 0 »,
    « #,##0.00 » (a French spreadsheet shows « 1 234,50 »), « 0\\ % » (« 80 % »)."""
    i = indicateur_de(code)
    decimales = "." + "0" * i.decimales if i.decimales else ""
    return f"0{decimales}\\ %" if i.pourcentage else f"#,##0{decimales}"


def _classeur(t: Territoire, propositions: pd.DataFrame, annee_cible: int):
    """The proposal as the comité reads it: names, labels, units, origins and reasons; each
    target a number in the indicator's format; a bold, frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    noms = {
        AGGLOMERATION: "Agglomération",
        **dict(zip(t.quartiers["code_qpv"], t.quartiers["nom"], strict=True)),
    }
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = f"Objectifs {annee_cible}"
    classeur.properties.title = f"Objectifs proposés pour {annee_cible} — {t.nom}"
    feuille.append(list(COLONNES_CLASSEUR))
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
    feuille.freeze_panes = "A2"
    for p in propositions.itertuples():
        i = indicateur_de(p.indicateur)
        feuille.append(
            [
                int(p.annee),
                p.indicateur,
                libelle_code(p.indicateur),
                noms.get(p.perimetre, p.perimetre),
                SENS[p.sens],
                float(p.cible),
                "%" if i.pourcentage else i.unite,
                p.origine,
                p.raison,
            ]
        )
        ligne = feuille[feuille.max_row]
        for cellule in ligne:
            if isinstance(cellule.value, str):
                cellule.data_type = "s"  # a name read « =A1 » is shown, not calculated
            cellule.alignment = Alignment(wrap_text=True, vertical="top")
        ligne[5].number_format = format_excel(p.indicateur)
    for rang, largeur in enumerate(COLONNES_CLASSEUR.values(), start=1):
        feuille.column_dimensions[get_column_letter(rang)].width = largeur
    return classeur

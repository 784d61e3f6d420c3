"""What a year's incomplete collection leaves unmeasured.

While a year is collected partner by partner (`evaluation.outils.collecte`), a partner who
has not sent its workbook has not given the year's rows of its sheets (its posts, their
slots and activity, its field signals when its schemes raised some last year), and the
officer's own part missing leaves the year's meetings, funding and tools out. Whatever is
computed from those tables where that partner works is not a fact of the year: a missing
return is not a zero.

`non_mesurables` gives, for a year, each (perimetre, code) whose value rests on a missing
return, with why: every code reading one of the partner's tables (`Indicateur.lit`) and
counting one of its schemes (`Indicateur.dispositifs`, a family's key with `par_dispositif`;
every scheme by default — a landlord's missing return leaves the Département's educators
measured) at the QPVs of its posts of last year, their communes, the agglomeration and the
constant list of QPVs; its field signals everywhere it works; at every perimeter for a code
whose value anywhere rests on the whole agglomeration (`Indicateur.sur_toute_l_agglomeration`:
the under-served threshold); every code reading the officer's tables at every perimeter. The published table marks them « n. m. »
(`publication.publier`), targets on them are « non mesurable » and carried over
(`objectifs`), and sentences say so.
"""

from __future__ import annotations

import pandas as pd

from evaluation.donnees.collecte import (
    AGENT,
    TABLES_DE_L_AGENT,
    feuilles_de,
    manquants,
    postes_de,
    retours_incomplets,
)
from evaluation.donnees.contrat import AGGLOMERATION, LIBELLES_TABLES
from evaluation.donnees.territoire import Territoire
from evaluation.formats import accorder, enumerer, nombre
from evaluation.indicateurs.geographie import LISTE_CONSTANTE
from evaluation.indicateurs.registre import INDICATEURS

NON_MESURABLE = "n. m."
COLLECTE_INCOMPLETE = "collecte incomplète"
# A table whose rows fall below this share of last year's, when last year had at least
# `LIGNES_MIN` rows, is said to have fallen (`tables_en_baisse`): a partial return, most often.
PART_EN_BAISSE = 0.5
LIGNES_MIN = 10


def note() -> str:
    """The note a table showing « n. m. » needs."""
    return f"« {NON_MESURABLE} » : non mesurable, un partenaire ou la saisie de l'agent manque ({COLLECTE_INCOMPLETE})"


def non_mesurables(t: Territoire, annee: int) -> dict[tuple[str, str], str]:
    """Each (perimetre, code) of `annee` that rests on a missing return, with the reason
    (« collecte incomplète : … n'a pas envoyé ses données »); empty when nothing is missing."""
    absents = manquants(t, annee)
    if not absents:
        return {}
    return t.memo(("non_mesurables", annee), lambda: _non_mesurables(t, annee, absents))


def _non_mesurables(t: Territoire, annee: int, absents: list[str]) -> dict[tuple[str, str], str]:
    quartiers = t.quartiers_actifs(annee)
    tous = [AGGLOMERATION, LISTE_CONSTANTE, *t.communes_actives(annee), *quartiers["code_qpv"]]
    # For each table and perimeter, who has not answered and for which schemes (None: all).
    manque: dict[str, dict[str, list[tuple[str, frozenset[str] | None]]]] = {}
    incomplets = retours_incomplets(t, annee)
    for absent in absents:
        if absent == AGENT:
            for table in incomplets.get(AGENT) or TABLES_DE_L_AGENT:
                for p in tous:
                    manque.setdefault(table, {}).setdefault(p, []).append((absent, None))
            continue
        siens = postes_de(t, annee - 1, absent)
        for table in incomplets.get(absent) or feuilles_de(t, annee - 1, absent):
            dispositifs = None if table == "remontees" else frozenset(siens["dispositif"])
            for p in {AGGLOMERATION, LISTE_CONSTANTE, *siens["commune"], *siens["code_qpv"]}:
                manque.setdefault(table, {}).setdefault(p, []).append((absent, dispositifs))
    resultat: dict[tuple[str, str], str] = {}
    for i in INDICATEURS.values():
        for publie in i.codes:
            cle = publie.partition(".")[2]
            schemes = {cle} if i.par_dispositif else set(i.dispositifs) or None
            touches: dict[str, set[str]] = {}
            for table in i.lit:
                for p, qui in manque.get(table, {}).items():
                    for absent, siens in qui:
                        if siens is None or schemes is None or schemes & siens:
                            touches.setdefault(p, set()).add(absent)
            if i.sur_toute_l_agglomeration and touches:
                qui = set().union(*touches.values())
                touches = {p: qui for p in tous}
            for p, qui in touches.items():
                resultat[(p, publie)] = raison(sorted(qui), incomplets)
    return resultat


def de(nom: str) -> str:
    """« de Tours Habitat », « d'Association Jeunesse et Habitat » (elided before a vowel)."""
    return f"d'{nom}" if nom[:1].lower() in "aeéèêiîoôu" else f"de {nom}"


def raison(qui: list[str], incomplets=()) -> str:
    """« collecte incomplète : données de Tours Habitat non reçues », « … de Régie Plus
    incomplètes » for a workbook returned with a sheet left empty (`incomplets`)."""
    noms = sorted(set(qui), key=lambda n: (n == AGENT, n))
    mots = [("la personne chargée de l'évaluation" if n == AGENT else n) for n in noms]
    absents = [m for n, m in zip(noms, mots, strict=True) if n not in incomplets]
    partiels = [m for n, m in zip(noms, mots, strict=True) if n in incomplets]
    dits = [f"données {de(enumerer(absents))} non reçues"] if absents else []
    dits += [f"données {de(enumerer(partiels))} incomplètes"] if partiels else []
    return f"{COLLECTE_INCOMPLETE} : {' ; '.join(dits)}"


def tables_en_baisse(
    volumes: pd.DataFrame, annee: int, manquants=(), incomplets=()
) -> list[tuple[str, int, int]]:
    """(table, rows of `annee`, rows of the year before) for each yearly table of `volumes`
    (rows per table and year, `Territoire.volumes` or a commune's) with fewer than half last
    year's rows, when last year had `LIGNES_MIN` or more: what a return incomplete in a way
    no sheet left empty shows (one month of activity typed out of twelve) looks like. While a
    partner's return is missing or incomplete (`manquants`, `incomplets` as `collecte.manquants`
    and `retours_incomplets` give them) the banner says the figures are incomplete, and none is
    listed; the officer's tables are left out while her part is missing. No judgement is made:
    the figures stay published, the reader is told to weigh them."""
    if annee not in volumes.columns or annee - 1 not in volumes.columns:
        return []
    if any(m != AGENT for m in manquants):
        return []
    sans = (dict(incomplets).get(AGENT) or TABLES_DE_L_AGENT) if AGENT in manquants else ()
    return [
        (str(table), int(n), int(avant))
        for table, n, avant in zip(volumes.index, volumes[annee], volumes[annee - 1], strict=True)
        if avant >= LIGNES_MIN and n < PART_EN_BAISSE * avant and table not in sans
    ]


def phrase_en_baisse(baisses: list[tuple[str, int, int]], annee: int) -> str:
    """« Données de 2026 bien moins nombreuses qu'en 2025 : activité mensuelle 820 lignes contre
    2 240 ; … »: the warning of `tables_en_baisse`, for the synthesis and `build`'s output."""
    tables = [
        f"{LIBELLES_TABLES.get(table, table).lower()} {accorder(n, 'ligne')} contre {nombre(avant)}"
        for table, n, avant in baisses
    ]
    return (
        f"Données de {annee} bien moins nombreuses qu'en {annee - 1} (moins de la moitié des lignes) : "
        f"{enumerer(tables)} ; si des classeurs ont été renvoyés en partie remplis, les chiffres qui en "
        "dépendent sont sous-estimés : à vérifier avec les partenaires avant de les lire."
    )

"""The published indicator table: every value a reader sees, small counts masked once.

`publier` takes the long indicator table (annee, perimetre, indicateur, valeur) and returns
it with a `masque` column: « < 5 » or « s » (see `evaluation.indicateurs.secret`) on the counts of field
signals that must not be shown, whose `valeur` is then missing; empty elsewhere. The counts
of field signals are V1 (every perimeter, the neighbourhoods included), V2.* (by theme: every
perimeter), V3.* (by source) and V5.* (by follow-up): agglomeration and communes.

All of a year's counts are protected together, with every equation a reader could write
between them (a neighbourhood's themes sum to its total, a commune's neighbourhoods to the
commune, the communes to the agglomeration, the constant list and the other neighbourhoods
to the agglomeration…), then audited as a reader would attack them, all equations at once
(`secret.auditer`). Every page and export reads this one table, so a cell is masked on all of
them or on none. The unmasked table stays with the officer (`data/processed/`).

Shares and medians of signals (the indicators that declare their `comptes`: V4, V6, V7, E6)
give counts away too: a share shown beside its denominator is its numerator (2/7 printed as
0,285714 pins a masked 7). Each of them enters the protection as two counts, its numerator
and the rest of its denominator (auxiliary cells, never shown themselves), tied to the
published counts (the denominator is V1 where it is; V4's rest is V5.aucune; a commune's
counts are its neighbourhoods' plus what its quartiers de veille active hide) and to each
other across perimeters. The figure is published at a perimeter only where both counts stay
visible — each at least 5 — and is masked « s » elsewhere, on every page and export alike.

A figure of the posts' monthly activity (E1–E5, which declare their `declarants`) is masked
« s » where it would describe one or two people's work — at a perimeter where fewer than
`secret.POSTES_MINIMUM` posts reported activity (a contacts-per-ETP of one post is one
employee's) — and wherever a difference of published figures would (a commune's figure less
its other QPVs', the ETP being published): `secret.proteger_par_unites`. A reader is assumed
to know each perimeter's declaring ETP, so publishing a figure is publishing its total.

During an incomplete collection, every value resting on a missing return reads « n. m. »
(non mesurable, `evaluation.indicateurs.mesure`), never a figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.donnees.contrat import AGGLOMERATION, SOURCES_REMONTEES, SUITES, THEMES
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.geographie import LISTE_CONSTANTE, qpv_constants
from evaluation.indicateurs.mesure import NON_MESURABLE, non_mesurables
from evaluation.indicateurs.registre import INDICATEURS
from evaluation.indicateurs.secret import SECONDAIRE, Equation, proteger, proteger_par_unites
from evaluation.indicateurs.table import tableau_memorise

COMPTES_DE_REMONTEES = ("V1", "V2", "V3", "V5")


def est_un_compte(codes) -> np.ndarray:
    """True for the codes whose values are counts of field signals (masked when small)."""
    return (
        pd.Series(np.asarray(codes, dtype=object)).str.partition(".")[0].isin(COMPTES_DE_REMONTEES).to_numpy()
    )


# V4's counts: signals with a follow-up, and the rest, which is V5.aucune under another name.
SYNONYMES = {"V4": "V5.aucune"}
# The shares whose denominator is every signal of the perimeter (V1) by definition; V7's (the
# dated follow-ups) may equal V1 some year, but a reader cannot know it.
SUR_TOUTES_LES_REMONTEES = frozenset({"V4", "E6"})


def sur_des_comptes() -> dict[str, str]:
    """Each code derived from counts of signals (a share, a median), with the code under which
    its counts enter the protection (codes sharing one counting function share their counts:
    V6 and V7 rest on the same dated follow-ups)."""
    premiers: dict[object, str] = {}
    return {
        code: premiers.setdefault(i.comptes, code) for code, i in INDICATEURS.items() if i.comptes is not None
    }


def publier(t: Territoire, table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its `masque` column, the masked values removed (see the module)."""
    annees = sorted(table["annee"].unique().tolist())
    masques = pd.Series("", index=table.index, dtype=object)
    derives = sur_des_comptes()
    proteges = est_un_compte(table["indicateur"]) | table["indicateur"].isin(derives).to_numpy()
    for annee, lignes in table[proteges].groupby("annee", sort=True):
        annee = int(annee)
        comptes = lignes[est_un_compte(lignes["indicateur"])]
        cles = list(zip(comptes["perimetre"], comptes["indicateur"], strict=True))
        valeurs = dict(zip(cles, comptes["valeur"].to_numpy(dtype=float), strict=True))
        equations = equations_des_remontees(t, annee, annees, valeurs)
        auxiliaires, caches = comptes_des_parts(t, annee, set(derives.values()), valeurs, equations)
        paires = {(p, c): [(p, c[:-1] + "nr"[c.endswith("n")])] for p, c in auxiliaires}
        marques = proteger(valeurs, equations, auxiliaires=auxiliaires, caches=caches, paires=paires)
        parts = lignes[~est_un_compte(lignes["indicateur"])]
        masques.loc[comptes.index] = [marques.get(c, "") for c in cles]
        masques.loc[parts.index] = [
            SECONDAIRE
            if any((p, f"{derives[code]}#{k}") in marques for k in ("n", "r")) or marques.get((p, "V1"))
            else ""
            for p, code in zip(parts["perimetre"], parts["indicateur"], strict=True)
        ]
    # An activity figure resting on fewer than POSTES_MINIMUM posts describes people's work:
    # masked, with the figures whose differences would give it away (`secret`).
    for annee in annees:
        for declarants, codes in activites().items():
            lignes = (table["annee"] == annee).to_numpy() & table["indicateur"].isin(codes).to_numpy()
            masques[
                lignes & table["perimetre"].isin(activite_masquee(t, int(annee), declarants)).to_numpy()
            ] = SECONDAIRE
    # What rests on a missing return is no figure (`mesure`).
    absents = {(int(a), p, c) for a in annees for p, c in non_mesurables(t, int(a))}
    if absents:
        cles = zip(table["annee"], table["perimetre"], table["indicateur"], strict=True)
        masques[np.fromiter(((int(a), p, c) in absents for a, p, c in cles), bool, len(table))] = (
            NON_MESURABLE
        )
    publie = table.assign(masque=masques)
    publie.loc[publie["masque"] != "", "valeur"] = np.nan
    return publie


def activites() -> dict[object, list[str]]:
    """The codes of activity figures (`Indicateur.declarants`), by the function giving the
    posts they rest on: codes sharing one are masked together."""
    familles: dict[object, list[str]] = {}
    for i in INDICATEURS.values():
        if i.declarants is not None:
            familles.setdefault(i.declarants, []).extend(i.codes)
    return familles


def activite_masquee(t: Territoire, annee: int, declarants) -> set[str]:
    """The perimeters where the activity figures resting on `declarants` are masked: the
    agglomeration, the active communes and the QPVs have a figure; a commune's sums run over
    its neighbourhoods, the agglomeration's over every neighbourhood (`base.cumuler`)."""
    unites = declarants(t, annee)
    communes = set(t.communes_actives(annee))
    parent: dict[str, str] = {c: AGGLOMERATION for c in communes}
    for n in unites:
        c = t.commune_du_code[n]
        parent[n] = c if c in communes else AGGLOMERATION
    qpv = t.quartiers_actifs(annee, "qpv")["code_qpv"].tolist()
    publies = [AGGLOMERATION, *t.communes_actives(annee), *qpv]
    return proteger_par_unites(unites, parent, publies)


def comptes_des_parts(
    t: Territoire,
    annee: int,
    codes: set[str],
    valeurs: dict[tuple[str, str], float],
    equations: list[Equation],
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The counts behind the shares and medians of `codes`, added to `valeurs` and `equations`
    in place: per perimeter (p, « CODE#n ») its numerator and (p, « CODE#r ») the rest of its
    denominator, auxiliary cells; where a total is more than the sum of its parts (a commune's
    quartiers de veille active, which have no share of their own), the difference is a cell no
    reader sees. Returns (auxiliary cells, hidden cells)."""
    auxiliaires: set[tuple[str, str]] = set()
    caches: set[tuple[str, str]] = set()
    parts: dict[str, dict] = {}
    quartiers = t.quartiers_actifs(annee)
    commune_de = dict(zip(quartiers["code_qpv"], quartiers["commune"], strict=True))
    actives = set(t.communes_actives(annee))
    for code in sorted(codes):
        numerateur, denominateur = INDICATEURS[code].comptes(t, annee)
        cellules = parts[code] = {}
        for p in numerateur.index:
            n, d = float(numerateur[p]), float(denominateur[p])
            cellules[p] = ((p, f"{code}#n"), (p, f"{code}#r"))
            valeurs[cellules[p][0]], valeurs[cellules[p][1]] = n, d - n
            auxiliaires.update(cellules[p])
            if code in SUR_TOUTES_LES_REMONTEES and (p, "V1") in valeurs:
                equations.append(((p, "V1"), list(cellules[p])))
            if code in SYNONYMES and (p, SYNONYMES[code]) in valeurs:
                equations.append((cellules[p][1], [(p, SYNONYMES[code])]))
        communes = [p for p in cellules if p in actives]
        niveaux = [(AGGLOMERATION, communes)] if AGGLOMERATION in cellules else []
        niveaux += [(c, [n for n in cellules if commune_de.get(n) == c]) for c in communes]
        for total, membres in niveaux:
            if total == AGGLOMERATION or membres:
                for k in (0, 1):
                    parties = [cellules[m][k] for m in membres]
                    reste = valeurs[cellules[total][k]] - sum(valeurs[x] for x in parties)
                    if reste > 1e-9:
                        cache = (total, f"{code}#{'nr'[k]}~hors")
                        valeurs[cache] = reste
                        caches.add(cache)
                        parties.append(cache)
                    equations.append((cellules[total][k], parties))
    # Every count of a share of follow-ups lies within the signals followed up (V4's numerator):
    # dated follow-ups (V6, V7) and those within 2 days (E6) are among them, the rest hidden.
    suivies = parts.get(next((c for c in SYNONYMES if c in parts), ""), {})
    for code, cellules in parts.items():
        if code in SYNONYMES:
            continue
        for p, (numerateur, reste) in cellules.items():
            if p not in suivies:
                continue
            total = suivies[p][0]
            # A share of every signal (E6): only its numerator lies within the follow-ups.
            compris = [numerateur] if code in SUR_TOUTES_LES_REMONTEES else [numerateur, reste]
            ecart = valeurs[total] - sum(valeurs[c] for c in compris)
            if ecart < -1e-9:
                continue  # not a part of the follow-ups (not the case of the package's shares)
            cache = (p, f"{code}#~suivies")
            valeurs[cache] = ecart
            caches.add(cache)
            equations.append((total, [*compris, cache]))
    return auxiliaires, caches


def equations_des_remontees(
    t: Territoire, annee: int, annees: list[int], valeurs: dict[tuple[str, str], float]
) -> list[Equation]:
    """Every sum a reader could check between the year's published counts of signals
    (cells are (perimetre, indicateur)); only those that hold exactly are kept."""
    quartiers = t.quartiers_actifs(annee)["code_qpv"].tolist()
    par_commune: dict[str, list[str]] = {c: [] for c in t.communes_actives(annee)}
    hors_communes = []
    for n in quartiers:
        par_commune.get(t.commune_du_code[n], hors_communes).append(n)
    communes = list(par_commune)
    themes = [f"V2.{x}" for x in THEMES]
    sources = [f"V3.{x}" for x in SOURCES_REMONTEES]
    suites = [f"V5.{x}" for x in SUITES]
    equations: list[Equation] = []

    def somme(total: tuple[str, str], parties: list[tuple[str, str]]) -> None:
        connues = total in valeurs and parties and all(p in valeurs for p in parties)
        if connues and abs(valeurs[total] - sum(valeurs[p] for p in parties)) < 1e-9:
            equations.append((total, parties))

    for n in quartiers:
        somme((n, "V1"), [(n, c) for c in themes])
    for p in [*communes, AGGLOMERATION]:
        for famille in (themes, sources, suites):
            somme((p, "V1"), [(p, c) for c in famille])
    for c, membres in par_commune.items():
        for code in ("V1", *themes):
            somme((c, code), [(n, code) for n in membres])
    for code in ("V1", *themes):
        somme((AGGLOMERATION, code), [(c, code) for c in communes] + [(n, code) for n in hors_communes])
        somme((AGGLOMERATION, code), [(n, code) for n in quartiers])
    for code in (*sources, *suites):
        somme((AGGLOMERATION, code), [(c, code) for c in communes])
    constants = set(qpv_constants(t, annees))
    somme((LISTE_CONSTANTE, "V1"), [(n, "V1") for n in quartiers if n in constants])
    somme(
        (AGGLOMERATION, "V1"),
        [(LISTE_CONSTANTE, "V1")] + [(n, "V1") for n in quartiers if n not in constants],
    )
    return equations


def publie_memorise(t: Territoire, annees: list[int]) -> pd.DataFrame:
    """`publier` of the indicator table of `annees`, computed once per territory and years."""
    return t.memo(("publie", tuple(annees)), lambda: publier(t, tableau_memorise(t, annees)))

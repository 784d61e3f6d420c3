"""An integer attack on what is published about field signals, written apart from the
package's own masking and audit (`evaluation.indicateurs.secret`), as a reader would mount it.

The reader's unknowns are the year's signals counted per (neighbourhood, theme), per
(commune, source) and per (commune, follow-up) — any such tables with equal totals per commune
describe a possible year — plus, for the shares, the signals followed up within 2 days per
neighbourhood and the dated follow-ups and those within 7 days per commune. Every published
figure is a constraint: a visible count is exact; « < 5 » is 0 to 4; « s » is at least 5
(every count below 5 reads « < 5 »); a share is its numerator over its denominator, to the
precision it is published, over a denominator of at least 1. For each masked count, integer programs (`scipy.optimize.milp`)
find its smallest and largest possible values and whether one lies between: a masked count
must keep at least three possible values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from evaluation.donnees.contrat import AGGLOMERATION, SOURCES_REMONTEES, SUITES, THEMES
from evaluation.indicateurs.geographie import LISTE_CONSTANTE, qpv_constants

COMPTES = ("V1", "V2", "V3", "V5")


@dataclass
class Modele:
    variables: dict[tuple, int] = field(default_factory=dict)
    lignes: list[tuple[dict[int, float], float, float]] = field(default_factory=list)

    def var(self, *cle) -> int:
        return self.variables.setdefault(cle, len(self.variables))

    def contrainte(self, terme: dict[int, float], bas: float, haut: float) -> None:
        self.lignes.append((terme, bas, haut))


def _somme(*termes: dict[int, float], facteurs=None) -> dict[int, float]:
    total: dict[int, float] = {}
    for k, terme in enumerate(termes):
        f = 1.0 if facteurs is None else facteurs[k]
        for i, a in terme.items():
            total[i] = total.get(i, 0.0) + f * a
    return total


def attaquer(t, publie: pd.DataFrame, annee: int, annees: list[int], precision: dict[str, float]) -> dict:
    """{masked count cell: (smallest, largest, whether a value lies between)} for the cells
    that keep fewer than three possible values; `precision` gives each share's half rounding
    step as published (0.005 for a share shown to the percent)."""
    q = t.quartiers_actifs(annee)
    commune_de = dict(zip(q["code_qpv"], q["commune"], strict=True))
    communes = set(t.communes_actives(annee))
    paquet = {n: (c if c in communes else f"hors:{n}") for n, c in commune_de.items()}
    paquets = sorted(set(paquet.values()))
    constants = set(qpv_constants(t, annees))
    qpv = set(q.loc[q["statut"] == "qpv", "code_qpv"])
    m = Modele()
    x = {(n, th): m.var("x", n, th) for n in commune_de for th in THEMES}
    y = {(b, s): m.var("y", b, s) for b in paquets for s in SOURCES_REMONTEES}
    z = {(b, k): m.var("z", b, k) for b in paquets for k in SUITES}
    e = {n: m.var("e", n) for n in commune_de}  # followed up within 2 days
    d = {b: m.var("d", b) for b in paquets}  # dated follow-ups
    w = {b: m.var("w", b) for b in paquets}  # dated follow-ups within 7 days

    def quartiers_de(p: str) -> list[str]:
        if p == AGGLOMERATION:
            return list(commune_de)
        if p.startswith(LISTE_CONSTANTE):
            return [n for n in commune_de if n in constants]
        if p in commune_de:
            return [p]
        return [n for n in commune_de if commune_de[n] == p]

    def paquets_de(p: str) -> list[str]:
        return paquets if p == AGGLOMERATION else [p]

    def v1(p: str) -> dict[int, float]:
        return {x[(n, th)]: 1.0 for n in quartiers_de(p) for th in THEMES}

    def aucune(p: str) -> dict[int, float]:
        return {z[(b, "aucune")]: 1.0 for b in paquets_de(p)}

    def expression(p: str, code: str) -> dict[int, float]:
        famille, _, cle = code.partition(".")
        if famille == "V1":
            return v1(p)
        if famille == "V2":
            return {x[(n, cle)]: 1.0 for n in quartiers_de(p)}
        table = y if famille == "V3" else z
        return {table[(b, cle)]: 1.0 for b in paquets_de(p)}

    for b in paquets:  # one total per commune, whichever way the signals are counted
        membres = [n for n in commune_de if paquet[n] == b]
        total = {x[(n, th)]: 1.0 for n in membres for th in THEMES}
        for table, cles in ((y, SOURCES_REMONTEES), (z, SUITES)):
            m.contrainte(_somme(total, {table[(b, c)]: 1.0 for c in cles}, facteurs=[1, -1]), 0, 0)
        suivies = _somme(total, {z[(b, "aucune")]: 1.0}, facteurs=[1, -1])
        m.contrainte(_somme(suivies, {d[b]: 1.0}, facteurs=[1, -1]), 0, np.inf)
        m.contrainte(_somme({d[b]: 1.0}, {w[b]: 1.0}, facteurs=[1, -1]), 0, np.inf)
        m.contrainte(_somme(suivies, {e[n]: 1.0 for n in membres}, facteurs=[1, -1]), 0, np.inf)
    for n in commune_de:
        m.contrainte(_somme(v1(n), {e[n]: 1.0}, facteurs=[1, -1]), 0, np.inf)

    lignes = publie[publie["annee"] == annee]
    masquees = []
    for p, code, valeur, marque in zip(
        lignes["perimetre"], lignes["indicateur"], lignes["valeur"], lignes["masque"], strict=True
    ):
        famille = code.partition(".")[0]
        if famille in COMPTES:
            terme = expression(p, code)
            if marque == "< 5":
                m.contrainte(terme, 0, 4)
                masquees.append((p, code))
            elif marque == "s":
                m.contrainte(terme, 5, np.inf)
                masquees.append((p, code))
            else:
                m.contrainte(terme, valeur, valeur)
            continue
        if marque or pd.isna(valeur) or code not in precision:
            continue
        bas, haut = valeur - precision[code] - 1e-9, valeur + precision[code] + 1e-9
        if code == "V4":
            numerateur, denominateur = _somme(v1(p), aucune(p), facteurs=[1, -1]), v1(p)
        elif code == "E6":
            membres = [n for n in quartiers_de(p) if p != n or n in qpv]
            numerateur, denominateur = {e[n]: 1.0 for n in membres}, v1(p)
        else:  # V7
            numerateur = {w[b]: 1.0 for b in paquets_de(p)}
            denominateur = {d[b]: 1.0 for b in paquets_de(p)}
        # bas × denominateur ≤ numerateur ≤ haut × denominateur, and a share has a denominator
        m.contrainte(denominateur, 1, np.inf)
        m.contrainte(_somme(numerateur, denominateur, facteurs=[1, -bas]), 0, np.inf)
        m.contrainte(_somme(numerateur, denominateur, facteurs=[1, -haut]), -np.inf, 0)

    n = len(m.variables)
    a = np.zeros((len(m.lignes), n))
    for i, (terme, _, _) in enumerate(m.lignes):
        for j, coef in terme.items():
            a[i, j] = coef
    contraintes = LinearConstraint(a, [b for _, b, _ in m.lignes], [h for _, _, h in m.lignes])

    def extreme(terme: dict[int, float], sens: float, bas=-np.inf, haut=np.inf):
        objectif = np.zeros(n)
        for j, coef in terme.items():
            objectif[j] = sens * coef
        extra = [contraintes]
        if np.isfinite(bas) or np.isfinite(haut):
            ligne = np.zeros((1, n))
            for j, coef in terme.items():
                ligne[0, j] = coef
            extra.append(LinearConstraint(ligne, bas, haut))
        r = milp(objectif, constraints=extra, integrality=np.ones(n), bounds=Bounds(0, np.inf))
        if r.status == 3 or (r.x is None and "unbounded" in r.message):
            return np.inf  # no largest value (HiGHS may say « infeasible or unbounded »)
        if r.x is None:
            assert r.status == 2, r.message  # only « no solution » may leave no answer
            return None
        return round(sum(coef * r.x[j] for j, coef in terme.items()))

    exposees = {}
    for cellule in masquees:
        terme = expression(*cellule)
        plus_petit, plus_grand = extreme(terme, 1.0), extreme(terme, -1.0)
        assert plus_petit is not None, f"no year fits what is published for {annee}"
        if plus_grand == np.inf:
            continue
        milieu = (
            plus_grand - plus_petit >= 2 and extreme(terme, 1.0, plus_petit + 1, plus_grand - 1) is not None
        )
        if not milieu:
            exposees[cellule] = (plus_petit, plus_grand)
    return exposees

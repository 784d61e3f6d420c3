"""Statistical disclosure control for published counts of field signals.

CLSPD and cellule de veille exchanges are confidential (Code de la sécurité intérieure,
L132-5). Following INSEE and SSMSI practice, every published count below 5 is shown as
« < 5 » (primary masking), and further cells are masked wherever a published total would
let a reader recompute a masked one (secondary masking). A cell masked for the second reason
is shown « s », never « < 5 »: its value may be 5 or more.

Published counts are tied by equations: a total equals the sum of its parts (a
neighbourhood's signals are the sum of its themes, a commune's the sum of its
neighbourhoods…). Rule: no equation may have exactly one masked cell, nor masked parts that a
reader pins by their bounds under a visible total (counts are never negative and « < 5 » is
at most 4: parts adding up to 0 are all 0, « < 5 » parts adding up to 4 each are all 4).
While one has, its smallest visible part is masked (its total when no part is left visible);
cells never shown themselves (`auxiliaires`: the numerator of a share…) are masked first, which
hides the share rather than a published count.

Equations taken one at a time are not enough: a reader combines them all, with the bounds of
the marks and whole numbers. So `proteger` then audits what it would publish (`auditer`): for
every masked cell, the smallest and the largest value it can take among all whole-number
solutions of every equation together (visible cells fixed, « < 5 » between 0 and 4, « s » at
least 5 since every count below 5 reads « < 5 », cells never shown at least 0), and whether a
value lies between them. For a masked cell left with fewer than three possible values, the
cells near it are tried masked one at a time and the cheapest trial that makes it safe is
kept (a count costs its value, an auxiliary cell 1: hiding a share is preferred to hiding a
large total), and the audit starts again (linear programs kept warm in HiGHS, mixed-integer
ones through `scipy.optimize.milp` when the relaxation is not whole). The search is greedy: the
masking is safe, not the smallest possible; it runs with two readers (one who knows a hidden
share's other count, one who misses both) and keeps the masking that hides the least.

`indicateurs.publication` gives `proteger` the whole published table of a year at once, shares
included through their numerators and denominators, so that a cell shown on several pages is
masked on all of them or on none.

Figures of the posts' monthly activity (contacts per ETP…) are protected by another rule, the
threshold rule of business statistics (INSEE's « secret statistique » asks at least three
units): a figure resting on one or two posts describes one or two people's work.
`proteger_par_unites` masks, in a tree of sums (neighbourhoods → communes → agglomeration,
with neighbourhoods that have no figure of their own), every published figure, and every
difference of published figures a reader can form, resting on 1 to `POSTES_MINIMUM` − 1
posts. In a tree, what a reader derives from published sums is exactly the sums of
« remainders »: each published node minus its nearest published descendants, and unions of
them; so the rule holds when every remainder rests on no post or on at least
`POSTES_MINIMUM`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

SEUIL = 5
PRIMAIRE = "< 5"
SECONDAIRE = "s"
CACHE = "cache"  # a cell never shown (a share's numerator whose share is not published…)
VALEURS_MINIMALES = 3  # a masked cell keeps at least this many possible values
# The fewest posts an activity figure (or a difference of them) may rest on: below, it would
# describe one or two people's work (`proteger_par_unites`).
POSTES_MINIMUM = 3
PROFONDEUR, ESSAIS = 3, 8  # how far from an exposed cell, and how many cells, a fix is sought

Equation = tuple[Hashable, Sequence[Hashable]]  # (total, its parts)


def note(cellules: Iterable[str]) -> str:
    """The note a table of counts needs, for the marks it shows: « < 5 » and « s » explained,
    only those present; '' when it shows none."""
    presentes = set(cellules)
    morceaux = []
    if PRIMAIRE in presentes:
        morceaux.append(f"« {PRIMAIRE} » : moins de 5 remontées")
    if SECONDAIRE in presentes:
        morceaux.append(
            f"« {SECONDAIRE} » : valeur masquée pour qu'un total ou une part ne permette pas de retrouver un "
            "compte masqué"
        )
    return " ; ".join(morceaux)


def _aux_bornes(total, parties, masques, valeurs, seuil) -> bool:
    """Whether a reader pins the masked parts under a visible total by their bounds: a count is
    never negative and a « < 5 » is at most 4, so masked parts adding up to 0 are all 0, and
    « < 5 » parts adding up to 4 each are all 4."""
    if total in masques:
        return False
    masquees = [c for c in parties if c in masques]
    if not masquees:
        return False
    somme = sum(valeurs[c] for c in masquees)
    primaires = all(masques[c] == PRIMAIRE for c in masquees)
    return somme == 0 or (primaires and somme == (seuil - 1) * len(masquees))


def proteger(
    valeurs: Mapping[Hashable, float],
    equations: Iterable[Equation],
    seuil: int = SEUIL,
    auxiliaires: Collection[Hashable] = (),
    caches: Collection[Hashable] = (),
    paires: Mapping[Hashable, Sequence[Hashable]] | None = None,
) -> dict[Hashable, str]:
    """The cells of `valeurs` to mask, with their mark: `PRIMAIRE` for counts below `seuil`,
    `SECONDAIRE` for those masked so that no equation has exactly one masked cell and no
    masked cell keeps fewer than `VALEURS_MINIMALES` possible values (`auditer`); `CACHE` for
    `caches`, cells no reader ever sees. `auxiliaires` (counts never shown, behind a share)
    are the first candidates of the propagation and cost 1 in the audit's trials.
    `paires` gives cells a reader sees together or not at all (a share's numerator and the
    rest of its denominator: the share is published with both or neither). The greedy search
    is run twice, treating a hidden share's other count as known (a stricter reader) and
    masking the pair together, and the masking that loses the least is kept: the sum of the
    secondary counts' values, an auxiliary cell counting 1 (both are safe; neither is better
    every year). Ties between equally small candidates go to the first in `valeurs`' order
    (deterministic)."""
    equations = [(total, tuple(parties)) for total, parties in equations]
    auxiliaires = frozenset(auxiliaires)

    def perte(m: dict[Hashable, str]) -> float:
        return sum(1 if c in auxiliaires else valeurs[c] for c, marque in m.items() if marque == SECONDAIRE)

    essais = [_proteger(valeurs, equations, seuil, auxiliaires, caches, {})]
    if paires:
        essais.append(_proteger(valeurs, equations, seuil, auxiliaires, caches, paires))
    return min(essais, key=perte)  # the first on a tie


def _proteger(valeurs, equations, seuil, auxiliaires, caches, paires) -> dict[Hashable, str]:
    ordre = {c: i for i, c in enumerate(valeurs)}
    masques = {c: PRIMAIRE for c, v in valeurs.items() if v < seuil}
    masques |= {c: CACHE for c in sorted(caches, key=ordre.__getitem__)}
    par_cellule: dict[Hashable, list[int]] = {}
    for i, (total, parties) in enumerate(equations):
        for c in (total, *parties):
            par_cellule.setdefault(c, []).append(i)

    def masquer(m: dict[Hashable, str], c: Hashable) -> list[int]:
        """Mask `c` « s » in `m`, with the cells masked with it; the equations to look at again."""
        revoir = []
        for x in (c, *paires.get(c, ())):
            if x not in m:
                m[x] = SECONDAIRE
                revoir += par_cellule.get(x, [])
        return revoir

    for c in [c for c in masques if c in paires]:
        masquer(masques, c)

    def cle(c):
        return (c not in auxiliaires, valeurs[c], ordre[c])

    def propager(m: dict[Hashable, str], a_revoir: Iterable[int]) -> None:
        """Mask in `m` until no equation has one masked cell or parts pinned by their bounds."""
        a_revoir = deque(a_revoir)
        while a_revoir:
            total, parties = equations[a_revoir.popleft()]
            seule = sum(c in m for c in (total, *parties)) == 1
            if not (seule or _aux_bornes(total, parties, m, valeurs, seuil)):
                continue
            libres = [c for c in parties if c not in m]
            candidats = [c for c in (*libres, total) if c in auxiliaires and c not in m]
            choix = min(candidats or libres or [total], key=cle)
            a_revoir.extend(masquer(m, choix))

    def voisines(fuite: Hashable) -> list[Hashable]:
        """The visible cells within `PROFONDEUR` equations of `fuite`: the nearest first, then
        the smallest."""
        vues, couche, trouvees = {fuite}, {fuite}, []
        for profondeur in range(PROFONDEUR):
            suivante = set()
            for c in couche:
                for i in par_cellule.get(c, ()):
                    suivante.update(x for x in (equations[i][0], *equations[i][1]) if x not in vues)
            vues |= suivante
            trouvees += [(profondeur, c) for c in suivante if c not in masques]
            couche = suivante
        trouvees.sort(key=lambda pc: (pc[0], valeurs[pc[1]], ordre[pc[1]]))
        return [c for _, c in trouvees]

    propager(masques, range(len(equations)))
    # Masking one more cell only widens what a reader must consider: a cell found safe stays
    # safe, so each round audits again only the cells still exposed and those newly masked.
    # For an exposed cell, of the nearby cells whose masking makes it safe (the first `ESSAIS`
    # of `voisines`), the cheapest is masked, else its smallest visible neighbour.
    a_auditer = None
    while fuites := auditer(valeurs, equations, masques, seuil, auxiliaires, a_auditer):
        avant = set(masques)
        for fuite in sorted(fuites, key=ordre.__getitem__):  # the same cells in every process
            if fuite not in auditer(valeurs, equations, masques, seuil, auxiliaires, {fuite}):
                continue  # made safe by the fix of an earlier cell of this round
            meilleur = None
            for c in voisines(fuite)[:ESSAIS]:
                essai = dict(masques)
                propager(essai, masquer(essai, c))
                cout = sum(1 if x in auxiliaires else valeurs[x] for x in essai.keys() - masques.keys())
                if (meilleur is None or cout < meilleur[0]) and not auditer(
                    valeurs, equations, essai, seuil, auxiliaires, {fuite}
                ):
                    meilleur = (cout, essai)
            if meilleur is not None:
                masques.clear()
                masques.update(meilleur[1])
            else:  # no single cell makes it safe: its smallest visible neighbour, a count first
                proches = {c for i in par_cellule.get(fuite, ()) for c in (equations[i][0], *equations[i][1])}
                proches = [c for c in proches if c not in masques]
                if proches:
                    choix = min(proches, key=lambda c: (c in auxiliaires, valeurs[c], ordre[c]))
                    propager(masques, masquer(masques, choix))
        if set(masques) == avant:
            break  # nothing left to mask around the cells still exposed
        a_auditer = set(fuites) | (set(masques) - avant)
    return masques


def auditer(
    valeurs: Mapping[Hashable, float],
    equations: Sequence[Equation],
    masques: Mapping[Hashable, str],
    seuil: int = SEUIL,
    auxiliaires: Collection[Hashable] = (),
    seulement: Collection[Hashable] | None = None,
) -> list[Hashable]:
    """The masked cells a reader narrows to fewer than `VALEURS_MINIMALES` values by combining
    every equation, whole numbers and the bounds of the marks (see the module); only those of
    `seulement` when given. Cells are the keys of `valeurs`; masked cells that appear in no
    equation are safe by their mark alone. A masked auxiliary cell is not shown with a mark: a
    reader knows only that it is ≥ 0, and it need not keep three values itself.

    Visible cells are constants: the unknowns split into independent groups (masked cells
    linked by an equation), each solved on its own."""
    auxiliaires = frozenset(auxiliaires)
    groupe = {c: c for c in masques}

    def racine(c):
        while groupe[c] != c:
            groupe[c] = groupe[groupe[c]]
            c = groupe[c]
        return c

    for total, parties in equations:
        inconnues = [c for c in (total, *parties) if c in masques]
        for c in inconnues[1:]:
            groupe[racine(c)] = racine(inconnues[0])
    par_groupe: dict[Hashable, list[int]] = {}
    for k, (total, parties) in enumerate(equations):
        premiere = next((c for c in (total, *parties) if c in masques), None)
        if premiere is not None:
            par_groupe.setdefault(racine(premiere), []).append(k)
    exposees = []
    for indices in par_groupe.values():
        exposees += _auditer_groupe(
            valeurs, [equations[k] for k in indices], masques, seuil, auxiliaires, seulement
        )
    return exposees


def _auditer_groupe(valeurs, equations, masques, seuil, auxiliaires, seulement) -> list[Hashable]:
    cellules = list(
        dict.fromkeys(c for total, parties in equations for c in (total, *parties) if c in masques)
    )
    a_voir = [
        c
        for c in cellules
        if masques[c] != CACHE and c not in auxiliaires and (seulement is None or c in seulement)
    ]
    if not a_voir:
        return []
    # The solvers (≈ 0.4 s to import) only when a masked cell is checked: reading the marks'
    # constants (as the report's sections do) does not load them.
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    indice = {c: i for i, c in enumerate(cellules)}
    lignes, colonnes, coefficients = [], [], []
    second_membre = np.zeros(len(equations))
    for k, (total, parties) in enumerate(equations):
        for c, a in ((total, 1.0), *((p, -1.0) for p in parties)):
            if c in indice:
                lignes.append(k)
                colonnes.append(indice[c])
                coefficients.append(a)
            else:
                second_membre[k] -= a * valeurs[c]
    matrice = sparse.coo_array((coefficients, (lignes, colonnes)), shape=(len(equations), len(cellules)))
    contrainte = LinearConstraint(matrice.tocsr(), second_membre, second_membre)
    bas = np.array([_bornes(c, valeurs, masques, seuil, auxiliaires)[0] for c in cellules])
    haut = np.array([_bornes(c, valeurs, masques, seuil, auxiliaires)[1] for c in cellules])
    entiers = np.ones(len(cellules))

    releve = _Relaxation(matrice.tocsc(), second_membre, bas, haut)

    def extreme(i: int, sens: float, bas_i: float, haut_i: float) -> float | None:
        """The smallest (sens 1) or largest (sens −1) whole value of cell i, None if none."""
        # The linear relaxation first (HiGHS's simplex, warm from the previous query): when its
        # optimum is in whole numbers, it is the answer; otherwise the mixed-integer program.
        statut, x = releve.optimum(i, sens, bas_i, haut_i)
        if statut == "non_borne":
            return np.inf * -sens
        if statut == "impossible":
            return None
        if np.allclose(x, np.round(x), atol=1e-7):
            return round(x[i])
        objectif = np.zeros(len(cellules))
        objectif[i] = sens
        b, h = bas.copy(), haut.copy()
        b[i], h[i] = bas_i, haut_i
        r = milp(objectif, constraints=contrainte, integrality=entiers, bounds=Bounds(b, h))
        if r.status == 3:  # unbounded
            return np.inf * -sens
        return None if r.x is None else round(r.x[i])

    exposees = []
    for c in a_voir:
        i = indice[c]
        vraie = valeurs[c]
        plus_petit = extreme(i, 1.0, bas[i], haut[i])
        plus_grand = extreme(i, -1.0, bas[i], haut[i])
        if plus_petit is None or plus_grand is None:
            continue  # no solution: the equations do not hold for these values (not a reader's case)
        connues = {plus_petit, plus_grand, vraie}
        if len(connues) >= VALEURS_MINIMALES:
            continue
        if plus_grand - plus_petit < VALEURS_MINIMALES - 1 or (
            extreme(i, 1.0, plus_petit + 1, plus_grand - 1) is None
        ):
            exposees.append(c)  # one value, or two with nothing between them
    return exposees


def proteger_par_unites(
    unites: Mapping[Hashable, frozenset],
    parent: Mapping[Hashable, Hashable],
    publies: Sequence[Hashable],
    minimum: int = POSTES_MINIMUM,
) -> set[Hashable]:
    """The nodes of `publies` to mask so that no published figure, nor any difference of them,
    rests on 1 to `minimum` − 1 units (see the module).

    `unites` gives each leaf of the tree its units (the posts that reported activity there);
    `parent` each node but the root its parent; `publies` the nodes with a figure of their own,
    in the order ties are broken. Figures masked because they rest on too few units are masked
    first; then, while a published node's remainder (itself minus its nearest published
    descendants) rests on too few units, the deepest such node first, the node that merges it
    away and rests on the fewest units is masked: one of those descendants (its remainder joins the node's) or the node
    itself (its remainder joins its nearest published ancestor's), the descendant on a tie."""

    def chaine(n):
        while n is not None:
            yield n
            n = parent.get(n)

    sous: dict[Hashable, set] = {}
    for feuille, u in unites.items():
        for n in chaine(feuille):
            sous.setdefault(n, set()).update(u)
    ordre = {n: i for i, n in enumerate(publies)}
    profondeur = {n: sum(1 for _ in chaine(n)) for n in publies}
    masques = {n for n in publies if 0 < len(sous.get(n, ())) < minimum}
    while True:
        visibles = [n for n in publies if n not in masques]
        visible = set(visibles)

        def proche(n, visible=visible):
            return next((a for a in chaine(n) if a in visible), None)

        restes: dict[Hashable, set] = {n: set() for n in visibles}
        for feuille, u in unites.items():
            if (p := proche(feuille)) is not None:
                restes[p] |= u
        fuites = [n for n in visibles if 0 < len(restes[n]) < minimum]
        if not fuites:
            return masques
        fuite = max(fuites, key=lambda n: (profondeur[n], -ordre[n]))  # the finest level first
        dessous = [d for d in visibles if d != fuite and d in parent and proche(parent[d]) == fuite]
        candidats = [d for d in dessous if len(restes[fuite] | restes[d]) >= minimum] + [fuite]
        masques.add(min(candidats, key=lambda c: (len(sous.get(c, ())), c == fuite, ordre[c])))


@contextlib.contextmanager
def _sans_bandeau():
    """HiGHS prints its banner on the process's standard output when its first solver is
    made, before any option can silence it: that output goes nowhere."""
    sys.stdout.flush()
    try:
        sortie = os.dup(1)
    except OSError:  # no standard output to protect
        yield
        return
    with open(os.devnull, "w") as nulle:
        os.dup2(nulle.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(sortie, 1)
            os.close(sortie)


class _Relaxation:
    """One group's equations as a linear program kept in HiGHS: each query changes one cell's
    objective and bounds, and the simplex starts from the previous basis."""

    def __init__(self, matrice: sparse.csc_array, second_membre, bas, haut):
        import highspy

        self.bas, self.haut = bas, haut
        with _sans_bandeau():
            self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = matrice.shape[1], matrice.shape[0]
        lp.col_cost_ = np.zeros(matrice.shape[1])
        lp.col_lower_ = bas
        lp.col_upper_ = np.where(np.isinf(haut), highspy.kHighsInf, haut)
        lp.row_lower_ = lp.row_upper_ = second_membre
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrice.indptr
        lp.a_matrix_.index_ = matrice.indices
        lp.a_matrix_.value_ = matrice.data
        self.h.passModel(lp)

    def optimum(self, i: int, sens: float, bas_i: float, haut_i: float) -> tuple[str, np.ndarray | None]:
        import highspy

        h = self.h
        h.changeColCost(i, sens)
        h.changeColBounds(i, bas_i, highspy.kHighsInf if np.isinf(haut_i) else haut_i)
        h.run()
        statut = h.getModelStatus()
        x = np.array(h.getSolution().col_value) if statut == highspy.HighsModelStatus.kOptimal else None
        h.changeColCost(i, 0.0)
        h.changeColBounds(i, self.bas[i], highspy.kHighsInf if np.isinf(self.haut[i]) else self.haut[i])
        if statut == highspy.HighsModelStatus.kOptimal:
            return "optimal", x
        if statut == highspy.HighsModelStatus.kUnbounded:
            return "non_borne", None
        if statut == highspy.HighsModelStatus.kInfeasible:
            return "impossible", None
        return (
            "non_borne" if statut == highspy.HighsModelStatus.kUnboundedOrInfeasible else "impossible",
            None,
        )


def _bornes(c, valeurs, masques, seuil, auxiliaires) -> tuple[float, float]:
    """What a reader knows of a cell: its value when shown, else the range of its mark."""
    marque = masques.get(c)
    if marque is None:
        return valeurs[c], valeurs[c]
    if c in auxiliaires:
        return 0.0, np.inf
    if marque == PRIMAIRE:
        return 0.0, float(seuil - 1)
    if marque == SECONDAIRE:
        return float(seuil), np.inf
    return 0.0, np.inf

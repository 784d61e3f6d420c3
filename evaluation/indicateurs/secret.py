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
While one has, its smallest visible part is masked (its total when no part is left visible). `proteger`
applies the rule to any set of cells and equations: `indicateurs.publication` gives it the
whole published table of a year at once, so that a cell shown on several pages is masked on
all of them or on none.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence

SEUIL = 5
PRIMAIRE = "< 5"
SECONDAIRE = "s"

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
            f"« {SECONDAIRE} » : compte masqué pour qu'un total ne permette pas de retrouver un compte inférieur à 5"
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
    valeurs: Mapping[Hashable, float], equations: Iterable[Equation], seuil: int = SEUIL
) -> dict[Hashable, str]:
    """The cells of `valeurs` to mask, with their mark: `PRIMAIRE` for counts below `seuil`,
    `SECONDAIRE` for those masked so that no equation has exactly one masked cell. Ties
    between equally small candidates go to the first in `valeurs`' order (deterministic)."""
    ordre = {c: i for i, c in enumerate(valeurs)}
    masques = {c: PRIMAIRE for c, v in valeurs.items() if v < seuil}
    equations = [(total, tuple(parties)) for total, parties in equations]
    par_cellule: dict[Hashable, list[int]] = {}
    for i, (total, parties) in enumerate(equations):
        for c in (total, *parties):
            par_cellule.setdefault(c, []).append(i)
    a_revoir = deque(range(len(equations)))
    while a_revoir:
        total, parties = equations[a_revoir.popleft()]
        seule = sum(c in masques for c in (total, *parties)) == 1
        if not (seule or _aux_bornes(total, parties, masques, valeurs, seuil)):
            continue
        candidats = [c for c in parties if c not in masques] or [total]
        choix = min(candidats, key=lambda c: (valeurs[c], ordre[c]))
        masques[choix] = SECONDAIRE
        a_revoir.extend(par_cellule[choix])
    return masques

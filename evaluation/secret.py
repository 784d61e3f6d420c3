"""Statistical disclosure control for published counts of field signals.

CLSPD and cellule de veille exchanges are confidential (Code de la sécurité intérieure,
L132-5). Following INSEE and SSMSI practice, every published count below 5 is shown as
« < 5 » (primary masking), and further cells are masked wherever a row or column total
would let a reader recompute a masked one (secondary masking).

Secondary rule: the table with its totals is a set of equations (each row and each column,
with its total); no equation may have exactly one masked entry. While one has, the smallest
visible inner cell of that line is masked (its total when no inner cell is left).
"""

from __future__ import annotations

import pandas as pd

SEUIL = 5
MASQUE = "< 5"
TOTAL = "Total"


def masque(comptes: pd.DataFrame, seuil: int = SEUIL) -> pd.DataFrame:
    """Boolean mask of the cells to hide in `comptes` with a total row and column appended."""
    t = avec_totaux(comptes)
    cache = t < seuil
    n, m = t.shape
    lignes = [[(i, j) for j in range(m)] for i in range(n)] + [[(i, j) for i in range(n)] for j in range(m)]
    change = True
    while change:
        change = False
        for ligne in lignes:
            caches = [c for c in ligne if cache.iat[c]]
            if len(caches) != 1:
                continue
            visibles = [c for c in ligne if not cache.iat[c]]
            internes = [c for c in visibles if c[0] < n - 1 and c[1] < m - 1]
            candidats = internes or visibles
            if not candidats:
                continue
            choix = min(candidats, key=lambda c: (t.iat[c], c))
            cache.iat[choix] = True
            change = True
    return cache


def avec_totaux(comptes: pd.DataFrame) -> pd.DataFrame:
    t = comptes.copy()
    t[TOTAL] = t.sum(axis=1)
    t.loc[TOTAL] = t.sum(axis=0)
    return t.astype(int)


def masquer(comptes: pd.DataFrame, seuil: int = SEUIL) -> pd.DataFrame:
    """`comptes` with totals, as text: small counts and those that would reveal them → « < 5 »."""
    t = avec_totaux(comptes)
    cache = masque(comptes, seuil)
    return t.astype(str).mask(cache, MASQUE)

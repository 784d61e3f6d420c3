"""Lookups in the long indicator table, shared by every report of a batch.

A report asks the table for one perimeter's values (its commune, its neighbourhoods, the
agglomeration) and for one code's values across perimeters. At national scale the table has
≈ 780 k rows: filtering or indexing it again for each report cost ≈ 0.3 s per report. The
table is grouped once per territory and years (`consultation`), and each lookup reads only
its rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.publication import publie_memorise


class Consultation:
    """Rows of the published table (annee, perimetre, indicateur, valeur, masque) by
    perimeter and by code.

    Returned tables and series are shared: callers must not modify them in place."""

    def __init__(self, table: pd.DataFrame):
        self.table = table
        self._par_perimetre = table.groupby("perimetre", sort=False).indices
        self._par_code = table.groupby("indicateur", sort=False).indices
        self._annuelles: dict[tuple[str, int], pd.Series] = {}
        masques = table[table["masque"] != ""]
        self.marques: dict[tuple[str, str, int], str] = dict(
            zip(
                zip(masques["indicateur"], masques["perimetre"], masques["annee"].astype(int), strict=True),
                masques["masque"],
                strict=True,
            )
        )

    def du_perimetre(self, perimetre: str) -> pd.DataFrame:
        """Every row of one perimeter (every code, every year), in the table's order."""
        return self.table.iloc[self._par_perimetre.get(perimetre, np.empty(0, dtype=int))]

    def lignes(self, perimetres: list[str]) -> np.ndarray:
        """Positions of every row of `perimetres`, in that order."""
        vide = np.empty(0, dtype=int)
        return np.concatenate([vide, *(self._par_perimetre.get(p, vide) for p in perimetres)])

    def du_code(self, code: str) -> pd.DataFrame:
        """Every row of one published code (every perimeter, every year), in the table's order."""
        return self.table.iloc[self._par_code.get(code, np.empty(0, dtype=int))]

    def valeurs(self, perimetre: str) -> dict[tuple[str, int], float]:
        """One perimeter's values by (code, year); a pair without a row is absent (a value that
        could not be computed is NaN)."""
        d = self.du_perimetre(perimetre)
        return dict(
            zip(
                zip(d["indicateur"].tolist(), d["annee"].tolist(), strict=True),
                d["valeur"].tolist(),
                strict=True,
            )
        )

    def valeurs_annee(self, code: str, annee: int) -> pd.Series:
        """One code for one year, indexed by perimeter (sorted)."""
        cle = (code, annee)
        if cle not in self._annuelles:
            d = self.du_code(code)
            d = d[d["annee"] == annee]
            self._annuelles[cle] = pd.Series(
                d["valeur"].to_numpy(dtype=float),
                index=pd.Index(d["perimetre"].to_numpy(), name="perimetre"),
                name="valeur",
            ).sort_index()
        return self._annuelles[cle]


def consultation(t: Territoire, annees: list[int]) -> Consultation:
    """The lookups of the published table of `annees`, built once per territory and years."""
    return t.memo(("consultation", tuple(annees)), lambda: Consultation(publie_memorise(t, annees)))

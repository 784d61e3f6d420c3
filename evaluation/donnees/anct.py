"""What the pipeline reads of ANCT's open data, once imported (`evaluation.outils.anct` imports
them): the years flagged as part-year, a contract's yearly totals, a contract's name."""

from __future__ import annotations

import pandas as pd


def annees_partielles(tidy: pd.DataFrame) -> set[int]:
    """The years `importer` flagged as probably part-year (none in a table written before the
    flag existed)."""
    if tidy.empty or "annee_partielle" not in tidy.columns:
        return set()
    return {int(a) for a in tidy.loc[tidy["annee_partielle"].eq("oui").fillna(False), "annee"]}


def pour_contrat(tidy: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Yearly totals of the contract(s) `codes` (a territory may have one code per period),
    with whether the year's ANCT file is partial."""
    d = tidy[tidy["code_contrat"].isin(codes)]
    totaux = d.groupby("annee")[["postes", "employeurs", "montant_etat_eur"]].sum()
    return totaux.assign(
        codes=d.groupby("annee")["code_contrat"].agg(lambda c: ", ".join(sorted(c))),
        partielle=totaux.index.isin(annees_partielles(tidy)),
    )


def nom_du_contrat(libelle: str) -> str:
    """ANCT's name of a contract without its département prefix (« 37 - Tours Métropole… »)."""
    return str(libelle).partition(" - ")[2] or str(libelle)

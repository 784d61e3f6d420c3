"""The contract among France's contrats de ville: adultes-relais posts per 10,000 QPV
inhabitants (ANCT's national table, `anct_contrats.csv`, written by `import-anct --contrats`).

Definitions, in one place:
- the **distribution** of a year is every contract of the list in force that year with a QPV
  population and known posts (contracts ANCT funded no post for count, at 0); the contracts
  left out, and why, are `laisses_hors` (the national table's `hors_repartition`, set by
  `outils.anct.national`: doubtful or missing population, posts unknown because the year's
  file lacks the département or because a contract has none under its new code while its
  predecessor had some the year before);
- **quantiles** (deciles, quartiles, median) are pandas' linear interpolation between ranks;
- the **rank** is 1 + the number of contracts with a strictly higher rate (ties share a rank);
- the **share below** is the share of contracts with a strictly lower rate, plus half of those
  with the same rate, the contract itself included (a mid-rank percentile: 50 % at the median);
- the **peers** are the contracts closest in QPV population (absolute difference, then code),
  the contract itself excluded.
"""

from __future__ import annotations

import pandas as pd

TAUX = "postes_pour_10000"
QUANTILES = {"d1": 0.1, "q1": 0.25, "mediane": 0.5, "q3": 0.75, "d9": 0.9}


def repartition(contrats: pd.DataFrame, annee: int) -> pd.DataFrame:
    """The contracts of the distribution of `annee` (with a rate), sorted by code."""
    d = contrats[(contrats["annee"] == annee) & contrats[TAUX].notna()]
    return d.sort_values("code_contrat").reset_index(drop=True)


def quantiles(taux: pd.Series) -> dict[str, float]:
    """Deciles 1 and 9, quartiles, median, and the number of contracts."""
    valeurs = taux.astype(float)
    return {"contrats": len(valeurs), **{k: float(valeurs.quantile(q)) for k, q in QUANTILES.items()}}


def position(contrats: pd.DataFrame, annee: int, codes: list[str]) -> dict | None:
    """Where the contract (one of `codes`: a territory has one code per list) stands in the
    distribution of `annee`, with the distribution's quantiles; None when it is not in it (no
    row, or no population)."""
    d = repartition(contrats, annee)
    lignes = d[d["code_contrat"].isin(codes)]
    if lignes.empty:
        return None
    ligne = lignes.iloc[0]
    taux = d[TAUX].astype(float)
    valeur = float(ligne[TAUX])
    return {
        "annee": int(annee),
        "geographie": int(ligne["geographie"]),
        "code_contrat": str(ligne["code_contrat"]),
        "libelle": str(ligne["libelle"]),
        "departement": ligne.get("departement"),
        "population_qpv": float(ligne["population_qpv"]),
        "postes": int(ligne["postes"]),
        TAUX: valeur,
        "rang": int((taux > valeur).sum()) + 1,
        "part_en_dessous": float(((taux < valeur).sum() + 0.5 * (taux == valeur).sum()) / len(d)),
        "aide_par_poste_eur": float(ligne["aide_par_poste_eur"]),
        "aide_usuelle_eur": float(ligne["aide_usuelle_eur"]),
        "partielle": ligne["annee_partielle"] == "oui",
        **quantiles(taux),
    }


def positions(contrats: pd.DataFrame, annees: list[int], codes: list[str]) -> pd.DataFrame:
    """`position` for each of `annees` where the contract is in the distribution, one row per
    year (index `annee`)."""
    lignes = [p for a in annees if (p := position(contrats, a, codes)) is not None]
    colonnes = [
        "annee",
        "geographie",
        "code_contrat",
        "libelle",
        "departement",
        "population_qpv",
        "postes",
        TAUX,
        "rang",
        "part_en_dessous",
        "aide_par_poste_eur",
        "aide_usuelle_eur",
        "partielle",
        "contrats",
        *QUANTILES,
    ]
    return pd.DataFrame(lignes, columns=colonnes).set_index("annee")


def voisins(contrats: pd.DataFrame, annee: int, code: str, n: int = 10) -> pd.DataFrame:
    """The `n` contracts of the distribution of `annee` closest to `code` in QPV population,
    nearest first."""
    d = repartition(contrats, annee)
    population = float(d.loc[d["code_contrat"] == code, "population_qpv"].iloc[0])
    autres = d[d["code_contrat"] != code].assign(distance=lambda x: (x["population_qpv"] - population).abs())
    return (
        autres.sort_values(["distance", "code_contrat"])
        .head(n)
        .drop(columns="distance")
        .reset_index(drop=True)
    )


# The reasons a contract of the list in force leaves a year's distribution (`hors_repartition`
# of the national table, written by `import-anct --contrats`), by the start of their text.
EXCLUSIONS = {
    "population des QPV douteuse": "dont la population des QPV de la liste est plus du double de celle de 2015",
    "postes inconnus : département absent": (
        "dont les postes sont inconnus (département absent du fichier de l'ANCT de l'année)"
    ),
    "postes inconnus : aucun poste": (
        "dont les postes sont inconnus (aucun poste sous le nouveau code alors que le contrat précédent en "
        "avait l'année d'avant)"
    ),
    "sans population": "sans population des QPV dans la liste",
}


def laisses_hors(contrats: pd.DataFrame, annee: int) -> pd.DataFrame:
    """The contracts of the list in force in `annee` left out of its distribution: code, name,
    département(s), why (`hors_repartition`) and the reason's key (`raison`, one of
    EXCLUSIONS), by reason then code. Contracts absent from the list are not among them: they
    are not contracts of the list."""
    colonnes = ["code_contrat", "libelle", "departement", "hors_repartition", "raison"]
    if "hors_repartition" not in contrats.columns:
        return pd.DataFrame(columns=colonnes)
    d = contrats[(contrats["annee"] == annee) & contrats["hors_repartition"].notna()]
    raisons = d["hors_repartition"].astype(str)
    d = d.assign(
        raison=raisons.map(lambda r: next((k for k in EXCLUSIONS if r.startswith(k)), None)),
        departement=d["departement"] if "departement" in d.columns else None,
    )
    d = d[d["raison"].notna()]
    ordre = {k: i for i, k in enumerate(EXCLUSIONS)}
    d = d.assign(_ordre=d["raison"].map(ordre)).sort_values(["_ordre", "code_contrat"])
    return d[colonnes].reset_index(drop=True)


def exclus(contrats: pd.DataFrame, annee: int) -> dict[str, int]:
    """How many contracts of the list in force in `annee` are out of its distribution, by
    reason (EXCLUSIONS' keys, in their order): `laisses_hors` counted."""
    comptes = laisses_hors(contrats, annee)["raison"].value_counts()
    return {k: int(comptes[k]) for k in EXCLUSIONS if k in comptes}

"""Write a valid contract-v1 territory of any size, for the scale benchmarks.

Default: about 800 communes, about 1,500 QPVs (plus areas under active watch), six years
(2020–2025), with table sizes per neighbourhood like the bundled sample's: about 10 post
rows, 30 weekly slots, 110 monthly activity rows and 18 field signals per QPV and year.
The same arguments always write the same bytes (seeded generator). Names are synthetic
(« Commune 0001 », « SYN-Q0001 »): nothing here describes a real place.

Usage: python benchmarks/make_synthetic.py OUT [--communes 800] [--qpv 1500] [--annees 6]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.donnees import contrat

PREMIERE_ANNEE = 2020
POIDS_DISPOSITIFS = {
    "educateur_prevention": 0.25,
    "mediateur": 0.2,
    "adulte_relais": 0.2,
    "correspondant_quartier": 0.15,
    "police_municipale": 0.12,
    "delegue_prefet": 0.03,
    "autre": 0.05,
}


def _quartiers(rng: np.random.Generator, communes: int, qpv: int, annees: list[int]) -> pd.DataFrame:
    # Every commune has at least one QPV; the others go where the population is.
    par_commune = np.ones(communes, dtype=int) + rng.multinomial(
        qpv - communes, rng.dirichlet(np.full(communes, 0.6))
    )
    noms = [f"Commune {i + 1:04d}" for i in range(communes)]
    commune = np.repeat(noms, par_commune)
    n = len(commune)
    veille = max(1, n // 10)
    commune = np.concatenate([commune, rng.choice(noms, veille)])
    total = n + veille
    entree = np.where(rng.random(total) < 0.05, annees[len(annees) // 2], 2015)
    sortie = np.where(rng.random(total) < 0.03, annees[len(annees) // 2 - 1], 0)
    sortie = np.where(entree > 2015, 0, sortie)
    return pd.DataFrame(
        {
            "code_qpv": [f"SYN-Q{i + 1:04d}" for i in range(n)]
            + [f"SYN-V{i + 1:04d}" for i in range(veille)],
            "nom": [f"Quartier {i + 1:04d}" for i in range(n)]
            + [f"Veille {i + 1:04d}" for i in range(veille)],
            "commune": commune,
            "population": rng.integers(1_000, 15_000, total),
            "annee_population": 2018,
            "statut": ["qpv"] * n + ["veille_active"] * veille,
            "annee_entree": entree,
            "annee_sortie": [str(s) if s else "" for s in sortie],
        }
    )


def _actifs(quartiers: pd.DataFrame, annee: int) -> pd.DataFrame:
    sortie = pd.to_numeric(quartiers["annee_sortie"], errors="coerce").fillna(9999)
    return quartiers[(quartiers["annee_entree"] <= annee) & (sortie >= annee)]


def _dates(rng: np.random.Generator, annee: int, n: int) -> pd.Series:
    jours = rng.integers(0, 365, n)
    return pd.Series(pd.Timestamp(f"{annee}-01-01") + pd.to_timedelta(jours, unit="D"))


def _annee(rng: np.random.Generator, quartiers: pd.DataFrame, annee: int) -> dict[str, pd.DataFrame]:
    actifs = _actifs(quartiers, annee)
    # postes: about 10 rows per neighbourhood; one post in ten also serves a second QPV of
    # its commune (ETP split in two halves).
    nb = rng.poisson(9, len(actifs)) + 1
    q = actifs.loc[actifs.index.repeat(nb)].reset_index(drop=True)
    n = len(q)
    ids = np.array([f"SYN-P{annee}-{i + 1:06d}" for i in range(n)])
    dispositif = rng.choice(list(POIDS_DISPOSITIFS), n, p=list(POIDS_DISPOSITIFS.values()))
    postes = pd.DataFrame(
        {
            "id_poste": ids,
            "dispositif": dispositif,
            "structure": [
                f"Structure {c[-4:]}-{d[:3]}" for c, d in zip(q["commune"], dispositif, strict=True)
            ],
            "commune": q["commune"].to_numpy(),
            "code_qpv": q["code_qpv"].to_numpy(),
            "etp": rng.choice([1.0, 1.0, 1.0, 0.8, 0.5], n),
            "financeur": rng.choice(contrat.FINANCEURS, n),
            "vacant": np.where(rng.random(n) < 0.05, "oui", "non"),
            "date_debut": "",
            "date_fin": "",
        }
    )
    voisins = actifs.groupby("commune")["code_qpv"].agg(list)
    partages = []
    for i in np.flatnonzero(rng.random(n) < 0.1):
        autres = [c for c in voisins[postes.at[i, "commune"]] if c != postes.at[i, "code_qpv"]]
        if autres:
            postes.at[i, "etp"] = 0.5
            partages.append({**postes.loc[i].to_dict(), "code_qpv": autres[0]})
    postes = pd.concat([postes, pd.DataFrame(partages)], ignore_index=True)
    # plages: three distinct days per post row.
    lignes = postes.loc[postes.index.repeat(3), ["id_poste", "code_qpv"]].reset_index(drop=True)
    jours = np.array(contrat.JOURS[:6])
    ordre = np.argsort(rng.random((len(postes), len(jours))), axis=1)[:, :3]
    debut = rng.choice([9, 10, 14, 16], len(lignes))
    plages = lignes.assign(
        jour=jours[ordre].ravel(),
        debut=[f"{h:02d}:00" for h in debut],
        fin=[f"{h + d:02d}:30" for h, d in zip(debut, rng.integers(1, 4, len(lignes)), strict=True)],
        lieu=rng.choice(contrat.LIEUX, len(lignes)),
    )
    # activite: twelve months per post.
    uniques = postes["id_poste"].unique()
    m = len(uniques) * 12
    activite = pd.DataFrame(
        {
            "id_poste": np.repeat(uniques, 12),
            "mois": np.tile(np.arange(1, 13), len(uniques)),
            "contacts": rng.poisson(45, m),
            "orientations": rng.poisson(5, m),
            "conflits": rng.poisson(3, m),
            "actions_collectives": rng.poisson(1, m),
            "signalements_techniques": rng.poisson(2, m),
        }
    )
    # remontees: about 18 per neighbourhood.
    r = actifs.loc[actifs.index.repeat(rng.poisson(18, len(actifs)))]
    k = len(r)
    date = _dates(rng, annee, k)
    suite = rng.choice(contrat.SUITES, k)
    delai = pd.Series(pd.to_timedelta(rng.integers(0, 20, k), unit="D"))
    date_suite = (date + delai).where((date + delai).dt.year == annee, date)
    remontees = pd.DataFrame(
        {
            "date": date.dt.strftime("%Y-%m-%d"),
            "code_qpv": r["code_qpv"].to_numpy(),
            "source": rng.choice(contrat.SOURCES_REMONTEES, k),
            "theme": rng.choice(contrat.THEMES, k),
            "suite": suite,
            "date_suite": np.where(suite == "aucune", "", date_suite.dt.strftime("%Y-%m-%d")),
        }
    )
    # reunions: about three per commune, a dozen for the agglomeration.
    communes = actifs["commune"].unique()
    perimetre = np.concatenate(
        [np.repeat(communes, rng.poisson(3, len(communes))), [contrat.AGGLOMERATION] * 12]
    )
    j = len(perimetre)
    reunions = pd.DataFrame(
        {
            "date": _dates(rng, annee, j).dt.strftime("%Y-%m-%d"),
            "instance": rng.choice(contrat.INSTANCES, j),
            "perimetre": perimetre,
            "copilotage": rng.choice(["ville", "ville|prefecture", "prefecture|ville|bailleur"], j),
            "participants": rng.integers(5, 40, j),
            "dispositifs_presents": rng.choice(
                ["mediateur|adulte_relais", "educateur_prevention|mediateur|police_municipale", ""], j
            ),
        }
    )
    financements = (
        postes.groupby(["commune", "dispositif", "financeur"], as_index=False)["etp"]
        .sum()
        .rename(columns={"commune": "perimetre"})
    )
    financements["montant_eur"] = (financements.pop("etp") * 38_000).round(0)
    outils = pd.DataFrame(
        {
            "nom": [f"Annuaire {c}" for c in communes],
            "type": "annuaire",
            "perimetre": communes,
            "statut": "en_service",
            "date_mise_en_service": f"{annee - 1}-09-01",
        }
    )
    return {
        "postes": postes,
        "plages": plages,
        "reunions": reunions,
        "remontees": remontees,
        "activite": activite,
        "financements": financements,
        "outils": outils,
    }


def ecrire(dossier: Path, communes: int = 800, qpv: int = 1500, annees: int = 6, graine: int = 4_2_2) -> Path:
    """Write the synthetic territory into `dossier` (created) and return it."""
    rng = np.random.default_rng(graine)
    liste = list(range(PREMIERE_ANNEE, PREMIERE_ANNEE + annees))
    dossier.mkdir(parents=True, exist_ok=True)
    (dossier / "territoire.yml").write_text(
        "nom: Territoire synthétique\ncode_contrat: SYN\ndonnees_exemple: true\n", encoding="utf-8"
    )
    quartiers = _quartiers(rng, communes, qpv, liste)
    quartiers.to_csv(dossier / "quartiers.csv", index=False)
    objectifs = pd.DataFrame(
        [
            {"annee": a, "indicateur": i, "perimetre": contrat.AGGLOMERATION, "cible": c, "sens": "au_moins"}
            for a in liste[1:]
            for i, c in (("R1", 2), ("R4", 100))
        ],
        columns=list(contrat.TABLES["objectifs"].noms),
    )
    objectifs.to_csv(dossier / "objectifs.csv", index=False)
    for annee in liste:
        tables = _annee(rng, quartiers, annee)
        (dossier / str(annee)).mkdir(exist_ok=True)
        for nom, table in tables.items():
            table[list(contrat.TABLES[nom].noms)].to_csv(dossier / str(annee) / f"{nom}.csv", index=False)
    return dossier


def main() -> None:
    p = argparse.ArgumentParser(description="Écrit un territoire synthétique valide (contrat v1).")
    p.add_argument("sortie", type=Path, help="dossier à écrire")
    p.add_argument("--communes", type=int, default=800)
    p.add_argument("--qpv", type=int, default=1500)
    p.add_argument("--annees", type=int, default=6)
    args = p.parse_args()
    ecrire(args.sortie, args.communes, args.qpv, args.annees)
    lignes = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in args.sortie.rglob("*.csv"))
    print(f"Territoire synthétique écrit dans {args.sortie} : {lignes} lignes de données.")


if __name__ == "__main__":
    main()

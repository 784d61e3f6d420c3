"""ANCT open data on adultes-relais posts (Licence Ouverte 2.0, « ANCT — données Dauphin/ASP»).

Input: one JSON array per year (or a CSV with the same fields), one record per funded post
with `id_poste, code_tiers, raison_sociale, annee, montant, code_cv, insee_dep, insee_reg`.
Output: a tidy table, one row per year and contract: `annee, code_contrat, postes` (distinct
`id_poste`), `employeurs` (distinct `code_tiers`), `montant_etat_eur` (sum of `montant`).

Real quirks are reported, never hidden: records without `code_cv` (kept out of every
contract, counted), records without `insee_dep`/`insee_reg`, repeated `id_poste` (counted
once), amounts that differ from the year's usual aid per post (the most frequent one), and a
year whose usual aid per post is far below the previous year's (< 60 %): « année probablement
partielle », flagged in the table (`annee_partielle`) so that reports show its amounts as
partial (no aid per post, no ratio to the national aid).
Names of employers are read but never written: the tidy table holds counts only.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaluation.donnees.lecture import EncodageInconnu, decoder
from evaluation.donnees.problemes import ErreurUtilisateur
from evaluation.formats import accorder, euros, nombre, pourcentage

CHAMPS = ("id_poste", "code_tiers", "raison_sociale", "annee", "montant", "code_cv", "insee_dep", "insee_reg")
COLONNES = ["annee", "code_contrat", "postes", "employeurs", "montant_etat_eur", "annee_partielle"]
# A year whose usual aid per post is below this share of the previous year's is probably a
# part-year file (ANCT publishes a year before its last payments: 2025's usual amount was
# 7 164 € against 22 811 € in 2024).
SEUIL_PARTIELLE = 0.6
FICHIER = "anct_adultes_relais.csv"


@dataclass(frozen=True)
class Anomalie:
    annee: int
    anomalie: str
    enregistrements: int
    detail: str

    def __str__(self) -> str:
        return f"{self.annee} — {self.anomalie} : {accorder(self.enregistrements, 'enregistrement')} ; {self.detail}"


def lire(chemin: Path) -> pd.DataFrame:
    """Records of one ANCT file (JSON array or CSV), every field as text or missing."""
    try:
        texte = decoder(chemin.read_bytes())
    except OSError as exc:
        raise ErreurUtilisateur(f"Lecture impossible de {chemin} : {exc}") from None
    except EncodageInconnu as exc:
        raise ErreurUtilisateur(f"{chemin.name} : {exc}") from None
    if texte.lstrip().startswith("["):
        try:
            enregistrements = json.loads(texte)
        except json.JSONDecodeError as exc:
            raise ErreurUtilisateur(
                f"{chemin.name} : JSON illisible (ligne {exc.lineno}) : {exc.msg}"
            ) from None
    else:
        premiere = texte.splitlines()[0] if texte else ""
        sep = ";" if premiere.count(";") > premiere.count(",") else ","
        enregistrements = list(csv.DictReader(io.StringIO(texte), delimiter=sep))
    if not isinstance(enregistrements, list) or not all(isinstance(r, dict) for r in enregistrements):
        raise ErreurUtilisateur(f"{chemin.name} : un tableau d'enregistrements ANCT est attendu")
    table = pd.DataFrame(enregistrements)
    manquants = [c for c in ("id_poste", "annee", "montant") if c not in table.columns]
    if manquants:
        raise ErreurUtilisateur(f"{chemin.name} : champs ANCT absents : {', '.join(manquants)}")
    for champ in CHAMPS:
        if champ not in table.columns:
            table[champ] = None
    table = table[list(CHAMPS)].astype(object).where(table[list(CHAMPS)].notna(), None)
    for champ in ("code_cv", "insee_dep", "insee_reg", "id_poste", "code_tiers"):
        table[champ] = table[champ].map(
            lambda v: str(v).strip() if v not in (None, "") and str(v).strip() else None
        )
    table["annee"] = pd.to_numeric(table["annee"], errors="coerce").astype("Int64")
    table["montant"] = pd.to_numeric(
        table["montant"].map(lambda v: str(v).replace(",", ".") if v is not None else None), errors="coerce"
    )
    table["fichier"] = chemin.name
    return table


def importer(fichiers: list[Path]) -> tuple[pd.DataFrame, list[Anomalie]]:
    """The tidy table of every year and contract in `fichiers`, and the quirks found."""
    if not fichiers:
        raise ErreurUtilisateur("Aucun fichier ANCT donné.")
    brut = pd.concat([lire(Path(f)) for f in fichiers], ignore_index=True)
    anomalies: list[Anomalie] = []
    usuels: dict[int, float] = {}
    sans_annee = brut["annee"].isna().sum()
    if sans_annee:
        raise ErreurUtilisateur(f"{accorder(sans_annee, 'enregistrement')} de l'ANCT sans année lisible")
    for annee, d in brut.groupby("annee"):
        annee = int(annee)
        n = int(d["code_cv"].isna().sum())
        if n:
            anomalies.append(
                Anomalie(
                    annee,
                    "sans code_cv",
                    n,
                    "rattachés à aucun contrat de ville, exclus des comptes par contrat",
                )
            )
        n = int((d["insee_dep"].isna() | d["insee_reg"].isna()).sum())
        if n:
            anomalies.append(
                Anomalie(
                    annee, "sans insee_dep ou insee_reg", n, "gardés : le contrat suffit au rattachement"
                )
            )
        repetes = d["id_poste"].duplicated(keep=False)
        if repetes.any():
            anomalies.append(
                Anomalie(
                    annee,
                    "id_poste répété",
                    int(repetes.sum()),
                    f"{accorder(d.loc[repetes, 'id_poste'].nunique(), 'poste présent', 'postes présents')} "
                    "plusieurs fois, comptés une fois",
                )
            )
        usuel = d["montant"].mode()
        if len(usuel):
            usuel = float(usuel.iloc[0])
            usuels[annee] = usuel
            ecarts = d[(d["montant"] - usuel).abs() > 0.01]
            if len(ecarts):
                anomalies.append(
                    Anomalie(
                        annee,
                        "montant différent de l'aide usuelle",
                        len(ecarts),
                        f"aide usuelle de l'année {nombre(usuel, 2)} € ; montants de {nombre(ecarts['montant'].min(), 2)} "
                        f"à {nombre(ecarts['montant'].max(), 2)} € (temps partiel, entrée ou sortie en cours d'année)",
                    )
                )
    partielles = _annees_partielles(usuels, brut, anomalies)
    avec_contrat = brut[brut["code_cv"].notna()]
    par_poste = avec_contrat.drop_duplicates(["annee", "code_cv", "id_poste"])
    tidy = (
        avec_contrat.groupby(["annee", "code_cv"])
        .agg(postes=("id_poste", "nunique"), employeurs=("code_tiers", "nunique"))
        .join(par_poste.groupby(["annee", "code_cv"])["montant"].sum().rename("montant_etat_eur"))
        .reset_index()
        .rename(columns={"code_cv": "code_contrat"})
    )
    tidy["annee"] = tidy["annee"].astype(int)
    tidy["montant_etat_eur"] = tidy["montant_etat_eur"].round(2)
    tidy["annee_partielle"] = tidy["annee"].map(lambda a: "oui" if a in partielles else "non")
    return tidy[COLONNES].sort_values(["annee", "code_contrat"]).reset_index(drop=True), anomalies


def _annees_partielles(usuels: dict[int, float], brut: pd.DataFrame, anomalies: list[Anomalie]) -> set[int]:
    """Years whose usual aid per post is below SEUIL_PARTIELLE of the previous year's, each
    reported with the two amounts."""
    partielles = set()
    for annee, usuel in sorted(usuels.items()):
        precedent = usuels.get(annee - 1)
        if precedent and usuel < SEUIL_PARTIELLE * precedent:
            partielles.add(annee)
            anomalies.append(
                Anomalie(
                    annee,
                    "année probablement partielle",
                    int((brut["annee"] == annee).sum()),
                    f"aide usuelle par poste de {euros(usuel, 2)} contre {euros(precedent, 2)} en {annee - 1} "
                    f"({pourcentage(usuel / precedent)}) : le fichier ne couvre sans doute qu'une partie de "
                    "l'année ; ses montants sont présentés comme partiels dans les rapports (ni aide par poste, "
                    "ni rapport à l'aide nationale)",
                )
            )
    return partielles


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

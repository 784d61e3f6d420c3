"""ANCT open data on adultes-relais posts (Licence Ouverte 2.0, « ANCT — données Dauphin/ASP»).

Input: one JSON array per year (or a CSV with the same fields), one record per funded post
with `id_poste, code_tiers, raison_sociale, annee, montant, code_cv, insee_dep, insee_reg`.
Output: a tidy table, one row per year and contract: `annee, code_contrat, postes` (distinct
`id_poste`), `employeurs` (distinct `code_tiers`), `montant_etat_eur` (sum of `montant`).

Real quirks are reported, never hidden: records without `code_cv` (kept out of every
contract, counted), records without `insee_dep`/`insee_reg`, a joined code naming several
contracts (« CV380CV384 », 2020–2023: the post goes to the first contract named, the one ANCT
records the same posts under from 2024 on), an `id_poste` repeated under one contract (counted
once) or recorded under several contracts (counted under each here; once in the national table
when those codes are one contract), amounts that differ from the year's usual aid per post (the
most frequent one), and a year whose usual aid per post is far below the previous year's
(< 60 %; the previous year's file, or when it is not given the amount the package knows,
`evaluation.references.AIDE_ADULTE_RELAIS`): « année probablement partielle », flagged in the
table (`annee_partielle`) so that reports show its amounts as partial (no aid per post, no
ratio to the national aid).
Names of employers are read but never written: the tidy table holds counts only.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaluation.donnees import contrat
from evaluation.donnees.anct import annees_partielles, nom_du_contrat
from evaluation.donnees.lecture import EncodageInconnu, decoder
from evaluation.donnees.lecture import code as normaliser
from evaluation.donnees.problemes import ErreurUtilisateur
from evaluation.formats import accorder, enumerer, euros, nombre, pourcentage
from evaluation.references import AIDE_ADULTE_RELAIS

CHAMPS = ("id_poste", "code_tiers", "raison_sociale", "annee", "montant", "code_cv", "insee_dep", "insee_reg")
COLONNES = ["annee", "code_contrat", "postes", "employeurs", "montant_etat_eur", "annee_partielle"]
# A year whose usual aid per post is below this share of the previous year's is probably a
# part-year file (ANCT publishes a year before its last payments: 2025's usual amount was
# 7 164 € against 22 811 € in 2024).
SEUIL_PARTIELLE = 0.6
FICHIER = "anct_adultes_relais.csv"
# One ANCT contract code: CV + 3 digits (2015 list), CN + 5 characters + a letter (2024 list,
# « CN03702M », « CN02A02I »). Several of them written together name several contracts.
CODE = r"CV\d{3}|CN[0-9AB]{5}[A-Z]"
_JOINT = re.compile(rf"(?:{CODE}){{2,}}")


def codes_nommes(code: str | None) -> list[str]:
    """The contracts a joined code names (« CV380CV384 » → CV380, CV384); [] for one code."""
    return re.findall(CODE, code) if isinstance(code, str) and _JOINT.fullmatch(code) else []


@dataclass(frozen=True)
class Anomalie:
    annee: int | str  # a year, or the list of contracts concerned (« liste de 2015 »)
    anomalie: str
    enregistrements: int
    detail: str
    unite: str = "enregistrement"  # what `enregistrements` counts

    def __str__(self) -> str:
        return (
            f"{self.annee} — {self.anomalie} : {accorder(self.enregistrements, self.unite)} ; {self.detail}"
        )


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
    tidy, anomalies, _, _ = _importer(fichiers)
    return tidy, anomalies


def _importer(fichiers: list[Path]) -> tuple[pd.DataFrame, list[Anomalie], dict[int, float], pd.DataFrame]:
    """`importer`, with each year's usual aid per post (its most frequent amount) and the posts
    themselves (one row per year, contract code and `id_poste`: `annee, code_cv, id_poste,
    code_tiers, montant, insee_dep`, joined codes resolved); the départements each year's file
    covers are in `tidy.attrs["departements"]`."""
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
        if joints := _codes_joints(d):
            anomalies.append(joints)
        n = int((d["insee_dep"].isna() | d["insee_reg"].isna()).sum())
        if n:
            anomalies.append(
                Anomalie(
                    annee, "sans insee_dep ou insee_reg", n, "gardés : le contrat suffit au rattachement"
                )
            )
        repetes = d["id_poste"].notna() & d.duplicated(["code_cv", "id_poste"], keep=False)
        if repetes.any():
            anomalies.append(
                Anomalie(
                    annee,
                    "id_poste répété",
                    int(repetes.sum()),
                    f"{accorder(d.loc[repetes, 'id_poste'].nunique(), 'poste présent', 'postes présents')} "
                    "plusieurs fois sous le même contrat, comptés une fois",
                )
            )
        if plusieurs := _sous_plusieurs_contrats(d):
            anomalies.append(plusieurs)
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
    brut["code_cv"] = brut["code_cv"].map(_premier_contrat)
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
    tidy = tidy[COLONNES].sort_values(["annee", "code_contrat"]).reset_index(drop=True)
    # Posts per département and year: a département missing from a year's file is told apart
    # from one whose few posts ended (see `national`).
    tidy.attrs["departements"] = {
        int(a): d.groupby("insee_dep")["id_poste"].nunique().to_dict()
        for a, d in avec_contrat.groupby("annee")
    }
    postes = par_poste[par_poste["id_poste"].notna()][
        ["annee", "code_cv", "id_poste", "code_tiers", "montant", "insee_dep"]
    ]
    return tidy, anomalies, usuels, postes.assign(annee=postes["annee"].astype(int)).reset_index(drop=True)


def _premier_contrat(code):
    """The contract a post recorded under `code` goes to: the first one a joined code names."""
    return (codes_nommes(code) or [code])[0]


def _codes_joints(d: pd.DataFrame) -> Anomalie | None:
    """The records of one year under a joined code (« CV380CV384 »), which `_importer` gives to
    the first contract named, reported with where they go."""
    joints = d["code_cv"].map(codes_nommes)
    joints = d.loc[joints.str.len() > 0, "code_cv"]
    if joints.empty:
        return None
    details = [
        f"{code} → {codes_nommes(code)[0]} ({accorder(n, 'enregistrement')}, aucun pour "
        f"{enumerer(codes_nommes(code)[1:])})"
        for code, n in joints.value_counts().sort_index().items()
    ]
    return Anomalie(
        int(d["annee"].iloc[0]),
        "code_cv joint (plusieurs contrats nommés)",
        len(joints),
        f"{' ; '.join(details)} : chaque poste est rattaché au premier contrat nommé, sous lequel l'ANCT "
        "enregistre ces postes par la suite, et n'est compté qu'une fois",
    )


def _sous_plusieurs_contrats(d: pd.DataFrame) -> Anomalie | None:
    """The posts of one year recorded under several contract codes (joined codes resolved)."""
    codes = d["code_cv"].map(_premier_contrat)
    avec = d.assign(code_cv=codes)[codes.notna() & d["id_poste"].notna()].drop_duplicates(
        ["code_cv", "id_poste"]
    )
    par_poste = avec.groupby("id_poste")["code_cv"].agg(lambda c: " et ".join(sorted(c)))
    plusieurs = par_poste[avec.groupby("id_poste")["code_cv"].nunique() > 1]
    if plusieurs.empty:
        return None
    paires = plusieurs.value_counts()
    return Anomalie(
        int(d["annee"].iloc[0]),
        "id_poste sous plusieurs contrats",
        int(avec["id_poste"].isin(plusieurs.index).sum()),
        f"{accorder(len(plusieurs), 'poste déclaré', 'postes déclarés')} sous plusieurs codes de contrat "
        f"({_quelques([f'{p} : {nombre(n)}' for p, n in paires.items()])}) : comptés sous chacun dans {FICHIER} ; "
        "dans la table nationale, une fois quand ces codes sont un même contrat (sur plusieurs départements, "
        "ou ancien et nouveau code)",
    )


def _annees_partielles(usuels: dict[int, float], brut: pd.DataFrame, anomalies: list[Anomalie]) -> set[int]:
    """Years whose usual aid per post is below SEUIL_PARTIELLE of the previous year's (from the
    previous year's file, or when it is not given from AIDE_ADULTE_RELAIS: a new year's file
    is usually imported alone), each reported with the two amounts."""
    partielles = set()
    for annee, usuel in sorted(usuels.items()):
        precedent, source = usuels.get(annee - 1), ""
        if precedent is None and annee - 1 in AIDE_ADULTE_RELAIS:
            precedent = float(AIDE_ADULTE_RELAIS[annee - 1])
            source = f" selon l'outil (fichier de l'ANCT de {annee - 1} non donné)"
        if precedent and usuel < SEUIL_PARTIELLE * precedent:
            partielles.add(annee)
            anomalies.append(
                Anomalie(
                    annee,
                    "année probablement partielle",
                    int((brut["annee"] == annee).sum()),
                    f"aide usuelle par poste de {euros(usuel, 2)} contre {euros(precedent, 2)} en {annee - 1}{source} "
                    f"({pourcentage(usuel / precedent)}) : le fichier ne couvre sans doute qu'une partie de "
                    "l'année ; ses montants sont présentés comme partiels dans les rapports (ni aide par poste, "
                    "ni rapport à l'aide nationale)",
                )
            )
    return partielles


# --------------------------------------------------------------------------- contracts


FICHIER_NATIONAL = "anct_contrats.csv"
COLONNES_NATIONALES = list(contrat.TABLES["anct_contrats"].noms)  # one definition: the contract's
# A 2024 contract whose QPV population is more than this many times its 2015 one (same EPCI or
# same name) is doubtful: the 2024 list gives, e.g., 683 713 for the Métropole européenne de Lille
# against 207 382 in 2015, and 9 million QPV inhabitants in all against 5.4.
POPULATION_DOUTEUSE = 2.0
DEPARTEMENT_SUIVI = 10
# A contract of the later list whose place (`codgeo`) and name match none of the earlier list
# has for predecessor the single nearest contract of its département within this distance:
# ANCT's lists place each contract at one point, and a reshaped EPCI's point moves by a few
# kilometres (« Boucle Nord de Seine » is 2.8 km from the « CA Argenteuil - Bezons » it took
# over; Saint-Louis Agglomération 4.2 km from the CC des Trois Frontières). A wrong match can
# only make a contract's posts unknown, never give it posts.
PROCHE_KM = 5.0
# The contracts of 2015 (codes CV…) are in force through 2023; the « Engagements Quartiers
# 2030 » contracts (codes CN…), on the priority geography of 1 January 2024, from 2024.
GEOGRAPHIES = {"CV": 2015, "CN": 2024}


def geographie(annee: int) -> int:
    """The list of contracts in force in `annee`: 2015's through 2023, 2024's from 2024."""
    return 2024 if annee >= 2024 else 2015


def _point(entite: dict) -> tuple[float, float] | None:
    """A feature's point (longitude, latitude), None without one."""
    geometrie = entite.get("geometry") or {}
    xy = geometrie.get("coordinates") if geometrie.get("type") == "Point" else None
    try:
        return (float(xy[0]), float(xy[1])) if xy and len(xy) >= 2 else None
    except (TypeError, ValueError):
        return None


def lire_contrats(chemin: Path) -> tuple[int, pd.DataFrame, dict[str, str], list[Anomalie]]:
    """One list of contracts (ANCT's GeoJSON, properties `code_cv`, `lib_cv`, `codgeo`,
    `insee_dep`, `pop` = the contract's QPV population, and a point): its geography (2015 or
    2024, from its codes), one row per contract (`code_contrat`, `libelle`, `population_qpv`,
    `departements`, `codgeo`, `point`), the codes whose posts go to another contract of the
    list (code → contract), and the quirks found. A contract listed twice with the same
    population (one line per member EPCI or commune) is counted once; with different
    populations (a contract over two départements), they are added. Codes of the same list at
    the same place (`codgeo`) in different départements are one contract over several
    départements (Roissy Pays de France, CN07708M in Seine-et-Marne and CN09503M in
    Val-d'Oise, the same 82 posts under each in 2024): counted once, under the code of its
    largest part, populations added. A contract without population stays, its population
    missing."""
    try:
        donnees = json.loads(decoder(chemin.read_bytes()))
    except OSError as exc:
        raise ErreurUtilisateur(f"Lecture impossible de {chemin} : {exc}") from None
    except (EncodageInconnu, json.JSONDecodeError) as exc:
        raise ErreurUtilisateur(f"{chemin.name} : GeoJSON illisible ({exc})") from None
    entites = donnees.get("features") if isinstance(donnees, dict) else None
    if not isinstance(entites, list):
        raise ErreurUtilisateur(f"{chemin.name} : une collection GeoJSON (« features ») est attendue")
    entites = [e for e in entites if isinstance(e, dict)]
    props = pd.DataFrame([e.get("properties") or {} for e in entites])
    manquants = [c for c in ("code_cv", "lib_cv", "pop") if c not in props.columns]
    if manquants:
        raise ErreurUtilisateur(f"{chemin.name} : propriétés absentes : {', '.join(manquants)}")
    props["point"] = pd.Series([_point(e) for e in entites], index=props.index, dtype=object)
    for champ in ("codgeo", "insee_dep"):
        if champ not in props.columns:
            props[champ] = None
    props = props[props["code_cv"].notna()].copy()
    props["code_cv"] = props["code_cv"].astype(str).str.strip()
    prefixes = props["code_cv"].str[:2]
    majoritaire = prefixes.mode().iloc[0] if len(prefixes) else ""
    if majoritaire not in GEOGRAPHIES:
        raise ErreurUtilisateur(
            f"{chemin.name} : liste de contrats non reconnue : des codes CV… (contrats de 2015) ou CN… "
            "(contrats de 2024) sont attendus"
        )
    annee_liste = GEOGRAPHIES[majoritaire]
    liste = f"liste de {annee_liste}"
    anomalies = []
    # The 2024 list holds overseas contracts twice: under their 2015 code (CV…, with the 2015
    # population) and under their new one (CN…), at the same place (`codgeo`); ANCT's 2024
    # posts still carry the old code. Such an old code is an alias of the new contract.
    alias: dict[str, str] = {}
    autres = props[prefixes != majoritaire]
    if len(autres):
        actuels = (
            props[(prefixes == majoritaire) & props["codgeo"].notna()]
            .drop_duplicates("codgeo")
            .set_index("codgeo")["code_cv"]
        )
        jumeaux = autres[autres["codgeo"].isin(actuels.index)]
        alias = dict(zip(jumeaux["code_cv"], jumeaux["codgeo"].map(actuels), strict=True))
        if alias:
            anomalies.append(
                Anomalie(
                    liste,
                    f"contrat listé sous son ancien code ({next(iter(alias))[:2]}…) et sous le nouveau",
                    len(alias),
                    f"{_quelques([f'{a} = {n}' for a, n in alias.items()])} (même lieu) : chacun compté une fois, "
                    "sous le nouveau code et avec sa population ; les postes déclarés sous l'ancien code y sont "
                    "rattachés",
                    unite="contrat",
                )
            )
        props = props[~props["code_cv"].isin(alias.keys())]
        autres = autres[~autres["code_cv"].isin(alias.keys())]
    autres = autres["code_cv"].drop_duplicates()
    if len(autres):
        anomalies.append(
            Anomalie(
                liste,
                f"contrat gardant un code d'une autre liste ({autres.iloc[0][:2]}…)",
                len(autres),
                f"{_quelques(autres)} : comptés comme contrats de la {liste}",
                unite="contrat",
            )
        )
    props["pop"] = pd.to_numeric(props["pop"], errors="coerce")
    lignes = []
    for code, d in props.groupby("code_cv", sort=True):
        population = d["pop"].dropna()
        if len(d) > 1:
            if population.nunique() <= 1:
                detail = f"{code} ({' ; '.join(d['lib_cv'].astype(str))}) avec la même population : compté une fois"
                population = population.iloc[:1]
            else:
                detail = (
                    f"{code} ({' ; '.join(d['lib_cv'].astype(str))}), populations de QPV additionnées "
                    f"({' + '.join(nombre(p) for p in population)})"
                )
            anomalies.append(Anomalie(liste, "contrat listé plusieurs fois", len(d), detail, unite="ligne"))
        lignes.append(
            [
                code,
                str(d["lib_cv"].iloc[0]),
                float(population.sum()) if len(population) else float("nan"),
                set(d["insee_dep"].dropna().astype(str)),
                set(d["codgeo"].dropna().astype(str)),
                next((p for p in d["point"] if p is not None), None),
            ]
        )
    table = pd.DataFrame(
        lignes, columns=["code_contrat", "libelle", "population_qpv", "departements", "codgeo", "point"]
    )
    table, fusion = _sur_plusieurs_departements(table, liste, anomalies)
    alias |= fusion
    sans = table[table["population_qpv"].isna() | (table["population_qpv"] <= 0)]
    if len(sans):
        anomalies.append(
            Anomalie(
                liste,
                "contrat sans population",
                len(sans),
                f"{_quelques(sans['code_contrat'])} : hors de la répartition nationale (pas de taux pour "
                f"{nombre(10_000)} habitants)",
                unite="contrat",
            )
        )
    return annee_liste, table, alias, anomalies


def _sur_plusieurs_departements(
    table: pd.DataFrame, liste: str, anomalies: list[Anomalie]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The contracts of a list at the same place (`codgeo`) under several codes, in different
    départements, made one: the row of the largest part keeps its code and name, with the
    populations added and the départements and places joined; the other codes → that code.
    Reported."""
    par_lieu: dict[str, list[int]] = {}
    for i, lieux in table["codgeo"].items():
        for g in lieux:
            par_lieu.setdefault(g, []).append(i)
    fusion: dict[str, str] = {}
    groupes = []
    for indices in par_lieu.values():
        parts = table.loc[indices]
        parts = parts[~parts["code_contrat"].isin(fusion.keys() | set(fusion.values()))]
        departements = set().union(*parts["departements"]) if len(parts) else set()
        if len(parts) < 2 or len(departements) < 2:
            continue
        parts = parts.sort_values(["population_qpv", "code_contrat"], ascending=[False, True])
        principal = parts.iloc[0]
        fusion |= {c: principal["code_contrat"] for c in parts["code_contrat"].iloc[1:]}
        population = parts["population_qpv"].dropna()
        table.at[principal.name, "population_qpv"] = (
            float(population.sum()) if len(population) else float("nan")
        )
        table.at[principal.name, "departements"] = departements
        table.at[principal.name, "codgeo"] = set().union(*parts["codgeo"])
        groupes.append(
            f"{nom_du_contrat(principal['libelle'])} : "
            f"{enumerer([f'{c} ({_departements(d)})' for c, d in zip(parts['code_contrat'], parts['departements'], strict=True)])}"
            f", compté sous {principal['code_contrat']} avec {nombre(population.sum())} habitants des QPV "
            f"({' + '.join(nombre(p) for p in population)})"
        )
    if fusion:
        anomalies.append(
            Anomalie(
                liste,
                "contrat sur plusieurs départements, un code par département",
                len(groupes),
                f"{' ; '.join(groupes)} : chaque contrat compté une fois, ses postes une fois chacun",
                unite="contrat",
            )
        )
    return table[~table["code_contrat"].isin(fusion.keys())].reset_index(drop=True), fusion


def _departements(codes) -> str:
    """A contract's départements as the national table writes them: « 77|95 »."""
    return "|".join(sorted(codes)) if isinstance(codes, set) else ""


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (longitude, latitude) points, equirectangular (fine below 50 km)."""
    x = math.radians(b[0] - a[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    return 6371.0 * math.hypot(x, math.radians(b[1] - a[1]))


def predecesseurs(avant: pd.DataFrame, apres: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """For each contract of the later list (`lire_contrats`' table), its predecessor in the
    earlier one and how it was found: « lieu » (the same place, `codgeo`), « nom » (the same
    name once the département's prefix and the legal form are dropped), or « proche » (the
    single nearest contract of its département, within PROCHE_KM; none when two are as near)."""
    par_lieu = {g: c for c, lieux in zip(avant["code_contrat"], avant["codgeo"], strict=True) for g in lieux}
    par_nom = dict(zip(avant["libelle"].map(_nom_normalise), avant["code_contrat"], strict=True))
    resultat = {}
    for ligne in apres.itertuples():
        code = next((par_lieu[g] for g in sorted(ligne.codgeo) if g in par_lieu), None)
        if code is not None:
            resultat[ligne.code_contrat] = (code, "lieu")
        elif (code := par_nom.get(_nom_normalise(ligne.libelle))) is not None:
            resultat[ligne.code_contrat] = (code, "nom")
        elif ligne.point is not None:
            distances = sorted(
                (_distance_km(ligne.point, a.point), a.code_contrat)
                for a in avant.itertuples()
                if a.point is not None and a.departements & ligne.departements
            )
            proches = [d for d in distances if d[0] <= PROCHE_KM]
            if proches and (len(proches) == 1 or proches[1][0] > proches[0][0]):
                resultat[ligne.code_contrat] = (proches[0][1], "proche")
    return resultat


def national(fichiers: list[Path], contrats: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame, list[Anomalie]]:
    """The tidy table of `importer`, and the national table: one row per year and contract of
    the list in force that year (`geographie`), with its département(s), its QPV population,
    its posts (each `id_poste` once, whichever of the contract's codes it is under; 0 when ANCT
    funded none), posts per 10,000 QPV inhabitants, aid per post and the year's usual aid per
    post. A contract is left out of the national distribution — its rate empty, the reason in
    `hors_repartition`, the quirk reported — when it has no population, is absent from the
    list, lies in a département the year's file does not cover at all (its posts are unknown,
    not 0), has no post in the first year of a new list while its predecessor in the former
    list had posts the year before (`predecesseurs`: a coding gap, its posts unknown), or when
    its 2024 population is more than POPULATION_DOUTEUSE times its 2015 one. Years whose list
    was not given are reported."""
    tidy, anomalies, usuels, postes_anct = _importer(fichiers)
    listes: dict[int, tuple[pd.DataFrame, dict[str, str]]] = {}
    for chemin in contrats:
        annee_liste, table, alias, quirks = lire_contrats(Path(chemin))
        if annee_liste in listes:
            raise ErreurUtilisateur(f"{Path(chemin).name} : deux listes de contrats de {annee_liste} données")
        listes[annee_liste] = table, alias
        anomalies += quirks
    douteuses = _populations_douteuses(listes, anomalies)
    departements: dict[int, dict[str, int]] = tidy.attrs.get("departements", {})
    # Départements with at least DEPARTEMENT_SUIVI posts in some year: their absence from a
    # year's file is a gap in the file, not the end of every post.
    connus = {
        dep for comptes in departements.values() for dep, n in comptes.items() if n >= DEPARTEMENT_SUIVI
    }
    partielles = annees_partielles(tidy)
    comptes = ["postes", "employeurs", "montant_etat_eur"]
    tables: dict[int, pd.DataFrame] = {}
    for annee, postes in postes_anct.groupby("annee"):
        annee = int(annee)
        g = geographie(annee)
        if g not in listes:
            anomalies.append(
                Anomalie(
                    annee,
                    f"liste des contrats de {g} non fournie",
                    int(tidy["annee"].eq(annee).sum()),
                    "année absente de la table nationale (pas de population des contrats)",
                    unite="contrat",
                )
            )
            continue
        liste, alias = listes[g]
        # Each post once per contract, whichever of its codes (old code, other département) it is under.
        postes = postes.assign(code_contrat=postes["code_cv"].replace(alias)).drop_duplicates(
            ["code_contrat", "id_poste"]
        )
        par_contrat = (
            postes.groupby("code_contrat")
            .agg(
                postes=("id_poste", "nunique"),
                employeurs=("code_tiers", "nunique"),
                montant_etat_eur=("montant", "sum"),
            )
            .reset_index()
        )
        par_contrat["montant_etat_eur"] = par_contrat["montant_etat_eur"].round(2)
        t = liste.merge(par_contrat, on="code_contrat", how="outer")
        t["hors_repartition"] = ""
        absents = t["libelle"].isna()
        if absents.any():
            anomalies.append(
                Anomalie(
                    annee,
                    f"contrat absent de la liste de {g}",
                    int(absents.sum()),
                    f"{_quelques(t.loc[absents, 'code_contrat'])} : "
                    f"{accorder(int(t.loc[absents, 'postes'].sum()), 'poste')} gardés sans population, hors de la "
                    "répartition nationale",
                    unite="contrat",
                )
            )
            t.loc[absents, "hors_repartition"] = f"absent de la liste des contrats de {g}"
        sans = ~absents & ~(t["population_qpv"] > 0)
        t.loc[sans, "hors_repartition"] = "sans population des QPV"
        # A département the year's file does not cover at all: its contracts' posts are unknown
        # (all of them, or those of that part for a contract over several départements).
        couverts = set(departements.get(annee, {})) or connus
        manquants = connus - couverts
        inconnus = t["departements"].map(lambda d, m=manquants: isinstance(d, set) and bool(d & m))
        if inconnus.any():
            anomalies.append(
                Anomalie(
                    annee,
                    "département absent du fichier de l'année",
                    int(inconnus.sum()),
                    f"départements {', '.join(sorted(manquants))} présents d'autres années mais sans aucun poste cette "
                    f"année ({_quelques(t.loc[inconnus, 'code_contrat'])}) : postes inconnus, non comptés 0, "
                    "hors de la répartition nationale",
                    unite="contrat",
                )
            )
            t.loc[inconnus, comptes] = float("nan")
            t.loc[inconnus, "hors_repartition"] = (
                f"postes inconnus : département absent du fichier de l'ANCT de {annee}"
            )
        t.loc[~inconnus, comptes] = t.loc[~inconnus, comptes].fillna(0)
        if geographie(annee - 1) != g:
            if annee - 1 in tables:
                _lacunes(t, tables[annee - 1], listes[geographie(annee - 1)][0], liste, annee, anomalies)
            else:
                _sans_annee_precedente(t, annee, g, anomalies)
        if g in douteuses:
            doute = t["code_contrat"].map(douteuses[g])
            t.loc[doute.notna() & (t["hors_repartition"] == ""), "hors_repartition"] = doute
        t["annee"], t["geographie"] = annee, g
        t["departement"] = t["departements"].map(_departements)
        population = t["population_qpv"].where((t["population_qpv"] > 0) & (t["hors_repartition"] == ""))
        t["postes_pour_10000"] = (t["postes"] / population * 10_000).round(4)
        partielle = annee in partielles
        t["aide_par_poste_eur"] = (t["montant_etat_eur"] / t["postes"].where(t["postes"] > 0)).round(2)
        if partielle:
            t["aide_par_poste_eur"] = float("nan")
        t["aide_usuelle_eur"] = usuels.get(annee, float("nan"))
        t["annee_partielle"] = "oui" if partielle else "non"
        tables[annee] = t
    if not tables:
        raise ErreurUtilisateur(
            "Aucune année des fichiers de l'ANCT n'a sa liste de contrats (2015 jusqu'à 2023, 2024 ensuite)."
        )
    table = pd.concat(tables.values(), ignore_index=True)[COLONNES_NATIONALES]
    table[["postes", "employeurs"]] = table[["postes", "employeurs"]].astype("Int64")
    for colonne in ("hors_repartition", "departement"):
        table[colonne] = table[colonne].mask(table[colonne] == "")
    return tidy, table.sort_values(["annee", "code_contrat"]).reset_index(drop=True), anomalies


def _sans_annee_precedente(t: pd.DataFrame, annee: int, g: int, anomalies: list[Anomalie]) -> None:
    """The first year of a list imported without the year before (or without that year's
    list): its contracts without any post count 0, unchecked (`_lacunes`). Reported."""
    zero = t[(t["postes"] == 0) & (t["hors_repartition"] == "")]
    if len(zero):
        anomalies.append(
            Anomalie(
                annee,
                f"première année de la liste de {g} sans l'année {annee - 1}",
                len(zero),
                f"{_quelques(zero['code_contrat'])} : sans aucun poste en {annee}, comptés 0 sans pouvoir vérifier "
                f"que le contrat qu'ils remplacent n'en avait pas en {annee - 1} (leurs postes seraient alors "
                f"inconnus) ; donnez aussi le fichier de l'ANCT de {annee - 1} et la liste des contrats de "
                f"{geographie(annee - 1)}",
                unite="contrat",
            )
        )


def _lacunes(
    t: pd.DataFrame,
    avant: pd.DataFrame,
    liste_avant: pd.DataFrame,
    liste: pd.DataFrame,
    annee: int,
    anomalies,
) -> None:
    """In the first year of a new list (`t`), a contract without any post whose predecessor
    (`predecesseurs`) had posts the year before (`avant`, that year's table) is a coding gap
    — ANCT's 2024 file holds no post of « Boucle Nord de Seine » while its predecessor, the CA
    Argenteuil - Bezons, had 17 in 2023 —: its posts are unknown, not 0. Reported."""
    postes_avant = avant.set_index("code_contrat")["postes"]
    libelles_avant = liste_avant.set_index("code_contrat")["libelle"]
    lacunes = []
    for code, (precedent, _) in predecesseurs(liste_avant, liste).items():
        ligne = t.index[t["code_contrat"] == code]
        n = postes_avant.get(precedent)
        if len(ligne) and t.at[ligne[0], "postes"] == 0 and pd.notna(n) and n > 0:
            lacunes.append((ligne[0], code, precedent, int(n)))
    if not lacunes:
        return
    for i, _, precedent, n in lacunes:
        t.loc[i, ["postes", "employeurs", "montant_etat_eur"]] = float("nan")
        if t.at[i, "hors_repartition"] == "":
            t.at[i, "hors_repartition"] = (
                f"postes inconnus : aucun poste en {annee} sous ce code, {accorder(n, 'poste')} en {annee - 1} "
                f"sous le contrat précédent {precedent} ({nom_du_contrat(libelles_avant[precedent])})"
            )
    anomalies.append(
        Anomalie(
            annee,
            "aucun poste sous le nouveau code, des postes sous le contrat précédent",
            len(lacunes),
            f"{_quelques([f'{c} ({nombre(n)} en {annee - 1} sous {p})' for _, c, p, n in lacunes])} : postes "
            "inconnus, non comptés 0, hors de la répartition nationale",
            unite="contrat",
        )
    )


_MOTS_GENERIQUES = frozenset(
    {"ca", "cc", "cu", "communaute", "communes", "agglomeration", "urbaine", "d", "de", "du", "des"}
    | {"la", "le", "les", "l", "et"}
)


def _nom_normalise(libelle: str) -> str:
    """A contract's name without its département prefix and legal form: « 93 - CA Plaine
    Commune » and « 93 - Plaine Commune » are the same."""
    departement, _, nom = str(libelle).partition(" - ")
    mots = [m for m in normaliser(nom or departement).split("_") if m and m not in _MOTS_GENERIQUES]
    return f"{departement.strip()}:{' '.join(mots)}"


def _populations_douteuses(
    listes: dict[int, tuple[pd.DataFrame, dict[str, str]]], anomalies: list[Anomalie]
) -> dict[int, dict[str, str]]:
    """The 2024 contracts whose QPV population is more than POPULATION_DOUTEUSE times the 2015
    one of the same contract (`predecesseurs` at the same place or under the same name), with
    the reason; reported."""
    if 2015 not in listes or 2024 not in listes:
        return {}
    avant, apres = listes[2015][0], listes[2024][0]
    anciennes = avant.set_index("code_contrat")["population_qpv"]
    douteuses = {}
    precedents = predecesseurs(avant, apres)
    for ligne in apres.itertuples():
        precedent, comment = precedents.get(ligne.code_contrat, (None, ""))
        ancienne = anciennes.get(precedent) if comment in ("lieu", "nom") else None
        if ancienne and ligne.population_qpv > POPULATION_DOUTEUSE * ancienne:
            douteuses[ligne.code_contrat] = (
                f"population des QPV douteuse : {nombre(ligne.population_qpv)} dans la liste de 2024, "
                f"{nombre(ligne.population_qpv / ancienne, 1)} fois celle de 2015 ({nombre(ancienne)})"
            )
    if douteuses:
        anomalies.append(
            Anomalie(
                "liste de 2024",
                f"population des QPV plus que doublée depuis la liste de 2015 (plus de {nombre(POPULATION_DOUTEUSE)} fois)",
                len(douteuses),
                f"{_quelques(list(douteuses))} : hors de la répartition nationale (population douteuse)",
                unite="contrat",
            )
        )
    return {2024: douteuses}


def _quelques(codes: pd.Series, n: int = 5) -> str:
    """The first `n` codes, and how many others."""
    codes = list(codes)
    return ", ".join(codes[:n]) + (f" et {accorder(len(codes) - n, 'autre')}" if len(codes) > n else "")

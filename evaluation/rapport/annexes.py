"""Annex tables: what a page shows beside the published indicators, computed from the
validated data for one report's view (a grid of hours, a list of tools, the targets…).

A section names the annexes it reads (`Section.annexes`); the context refuses the others,
and a page's fingerprint includes the annexes it declared, computed for its view. One
function per annex, registered by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluation.donnees.anct import pour_contrat
from evaluation.donnees.collecte import (
    CLASSEUR_DE_L_ANNEE,
    CSV_DE_L_ANNEE,
    NON_IDENTIFIE,
    SAISIE_DE_L_AGENT,
    auteurs,
    manquants,
    retours_incomplets,
)
from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs import national, tableau_memorise
from evaluation.indicateurs.actions import mouvements_de_postes, outils_mis_en_service, reunions_de_l_annee
from evaluation.indicateurs.consultation import consultation
from evaluation.indicateurs.couverture import etp_par_qpv_et_dispositif, postes_sortis_ou_vacants
from evaluation.indicateurs.objectifs import Demande, proposer, repondre, scorer
from evaluation.indicateurs.organisation import grille_hebdomadaire
from evaluation.indicateurs.realisation import adultes_relais_hors_r2
from evaluation.indicateurs.reseau import liste_des_outils, matrice_dispositifs_instances
from evaluation.indicateurs.secret import PRIMAIRE, SECONDAIRE
from evaluation.rapport.analyses import analyses as lire_analyses
from evaluation.rapport.analyses import demandes, en_html, modifiees_depuis
from evaluation.rapport.vue import Genre, Vue

ANNEXES: dict[str, Callable[[Territoire, Vue], object]] = {}


def annexe(fonction: Callable[[Territoire, Vue], object]) -> Callable[[Territoire, Vue], object]:
    ANNEXES[fonction.__name__] = fonction
    return fonction


def quartiers_de_la_vue(t: Territoire, vue: Vue, statut: str | None = None) -> pd.DataFrame:
    """The view's neighbourhoods active in its year (sorted by commune and code)."""
    q = t.quartiers_actifs(vue.annee, statut)
    if vue.code_qpv:
        return q[q["code_qpv"] == vue.code_qpv].reset_index(drop=True)
    if vue.commune:
        return q[q["commune"] == vue.commune].reset_index(drop=True)
    return q


def du_perimetre(t: Territoire, vue: Vue, table: pd.DataFrame, nom: tuple) -> pd.DataFrame:
    """The rows of `table` (named `nom` in the memo) whose `perimetre` lies in the view: a
    neighbourhood's own rows, a commune's rows and its neighbourhoods', or every row for the
    agglomeration. The rows of every commune are found once per table."""
    if vue.genre is Genre.AGGLOMERATION:
        return table
    if vue.code_qpv:
        return table[table["perimetre"] == vue.code_qpv]
    groupes = t.memo(
        ("par_commune", *nom), lambda: table.groupby(t.communes_de(table["perimetre"]).to_numpy()).indices
    )
    return table.iloc[groupes.get(vue.commune, np.empty(0, dtype=int))]


@annexe
def etp_par_quartier(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Annual ETP per neighbourhood of the view (QPVs, then veille areas) and scheme."""
    codes = [
        *quartiers_de_la_vue(t, vue, "qpv")["code_qpv"],
        *quartiers_de_la_vue(t, vue, "veille_active")["code_qpv"],
    ]
    return etp_par_qpv_et_dispositif(t, vue.annee).reindex(codes).fillna(0.0)


@annexe
def postes_sortis(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Per QPV of the view: posts ended in the year and posts vacant (counts of posts)."""
    codes = quartiers_de_la_vue(t, vue, "qpv")["code_qpv"]
    return postes_sortis_ou_vacants(t, vue.annee).reindex(codes, fill_value=0)


@annexe
def grille_de_la_semaine(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Weekly hours of presence in the view's neighbourhoods by weekday and hour."""
    return grille_hebdomadaire(t, vue.annee, quartiers_de_la_vue(t, vue)["code_qpv"].tolist())


@annexe
def dispositifs_aux_reunions(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Meetings attended by each scheme per instance: the commune's, or all."""
    return matrice_dispositifs_instances(t, vue.annee, vue.commune)


@annexe
def outils(t: Territoire, vue: Vue) -> pd.DataFrame:
    """The year's network tools: the commune's, or all."""
    return liste_des_outils(t, vue.annee, vue.commune)


@annexe
def actions(t: Territoire, vue: Vue) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The year's posts created or ended, tools put in service and meetings: the commune's, or
    all (`indicateurs.actions`)."""
    return (
        mouvements_de_postes(t, vue.annee, vue.commune),
        outils_mis_en_service(t, vue.annee, vue.commune),
        reunions_de_l_annee(t, vue.annee, vue.commune),
    )


@annexe
def financements(t: Territoire, vue: Vue) -> pd.DataFrame:
    """The year's funding lines of the view's perimeter."""
    return du_perimetre(t, vue, t.annee(vue.annee).financements, ("financements", vue.annee))


def _pour_le_territoire(t: Territoire, vue: Vue, calcul) -> pd.DataFrame:
    """`calcul(territoire, annee, indicateurs)` over the whole territory, once per batch."""
    cle = (f"{calcul.__module__}.{calcul.__qualname__}", vue.annee, vue.annees)
    return t.memo(cle, lambda: calcul(t, vue.annee, tableau_memorise(t, list(vue.annees))))


@annexe
def objectifs_scores(t: Territoire, vue: Vue) -> pd.DataFrame:
    """The year's targets of the view's perimeter, scored; a target on a count masked in the
    published table shows neither its value nor its gap."""
    scores = du_perimetre(t, vue, _pour_le_territoire(t, vue, scorer), ("scores", vue.annee, vue.annees))
    marques = consultation(t, list(vue.annees)).marques
    cache = [
        marques.get((i, p, vue.annee)) in (PRIMAIRE, SECONDAIRE)
        for i, p in zip(scores["indicateur"], scores["perimetre"], strict=True)
    ]
    if any(cache):
        scores = scores.copy()
        scores.loc[cache, ["valeur", "ecart"]] = float("nan")
        scores.loc[cache, "explication"] = (
            "valeur masquée : compte de remontées inférieur à 5 ou secret secondaire"
        )
    return scores


def _proposer(t: Territoire, annee: int, valeurs: pd.DataFrame) -> pd.DataFrame:
    """Next year's targets, the comité's requests of the year served."""
    return proposer(t, annee, valeurs, demandes(t, annee))


@annexe
def objectifs_proposes(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Next year's targets proposed for the view's perimeter."""
    return du_perimetre(
        t, vue, _pour_le_territoire(t, vue, _proposer), ("propositions", vue.annee, vue.annees)
    )


@annexe
def demandes_du_comite(t: Territoire, vue: Vue) -> tuple[tuple[Demande, tuple[str, ...], str], ...]:
    """The comité's requests a page of the view answers (its commune's and the agglomeration's;
    every one for the agglomeration), each with the QPVs whose proposed target answers it
    (`objectifs.repondre`, the rule `proposer` follows) and why none does ('' when some do)."""
    perimetres = {AGGLOMERATION, vue.commune or AGGLOMERATION}
    faites = [d for d in demandes(t, vue.annee) if vue.commune is None or d.perimetre in perimetres]
    if not faites:
        return ()
    valeurs = tableau_memorise(t, list(vue.annees))
    return tuple((d, *repondre(t, vue.annee, valeurs, d)) for d in faites)


@annexe
def anct(t: Territoire, vue: Vue) -> tuple[pd.DataFrame | None, int]:
    """ANCT's yearly counts for the territory's contract(s) (None without any), and the
    adultes-relais declared in the year but not counted by R2 (vacant or ended)."""

    def calcul():
        table = pour_contrat(t.anct, t.parametres["code_contrat"]) if len(t.anct) else None
        return table, adultes_relais_hors_r2(t, vue.annee)

    return t.memo(("anct", vue.annee), calcul)  # the contract's: the same for every page


@dataclass(frozen=True)
class ComparaisonNationale:
    """The contract among France's contrats de ville, for the years of a view: why there is no
    comparison (`raison`, '' when there is one); where the contract stands each year
    (`positions`, `national.positions`); its ten peers in QPV population in the last of those
    years (`voisins`); every contract's rate, by year (`taux`: `annee`, `code_contrat`,
    `postes_pour_10000`); the contracts left out of the last year's distribution, and why
    (`laisses`, `national.laisses_hors`). Without a comparison, the tables are empty."""

    raison: str
    positions: pd.DataFrame = field(default_factory=pd.DataFrame)
    voisins: pd.DataFrame = field(default_factory=pd.DataFrame)
    taux: pd.DataFrame = field(default_factory=pd.DataFrame)
    laisses: pd.DataFrame = field(default_factory=pd.DataFrame)


@annexe
def contrats_de_ville(t: Territoire, vue: Vue) -> ComparaisonNationale:
    """The contract among France's contrats de ville (ANCT's national table), for the years of
    the view (`ComparaisonNationale`)."""
    codes = list(t.parametres["code_contrat"])
    if t.contrats.empty:
        return ComparaisonNationale(
            "Aucune table nationale des contrats de ville dans les données : l'officier d'évaluation la "
            "produit à partir des données ouvertes de l'ANCT avec la commande « import-anct --contrats »."
        )
    annees = [a for a in vue.annees if a <= vue.annee]
    positions = national.positions(t.contrats, annees, codes)
    if positions.empty:
        siennes = t.contrats[t.contrats["code_contrat"].isin(codes)]
        raison = (
            f" ({siennes['hors_repartition'].dropna().iloc[-1]})"
            if siennes["hors_repartition"].notna().any()
            else ""
        )
        return ComparaisonNationale(
            f"Le contrat {', '.join(codes)} ne figure pas dans la répartition nationale des contrats de ville "
            f"de l'ANCT{raison} : pas de comparaison nationale pour ce territoire."
        )
    positions = positions.assign(
        exclus=[national.exclus(t.contrats, a) for a in positions.index],
        population_locale=[float(t.quartiers_actifs(a, "qpv")["population"].sum()) for a in positions.index],
    )
    derniere = int(positions.index.max())
    voisins = national.voisins(t.contrats, derniere, positions.at[derniere, "code_contrat"])
    taux = pd.concat([national.repartition(t.contrats, a) for a in positions.index])
    return ComparaisonNationale(
        "",
        positions,
        voisins,
        taux[["annee", "code_contrat", national.TAUX]].reset_index(drop=True),
        national.laisses_hors(t.contrats, derniere),
    )


@annexe
def volumes(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Rows per yearly table (rows) and year of the report (columns): every row for the
    agglomeration; for a commune, the rows that concern it (its posts and their activity, the
    slots and signals of its neighbourhoods, its meetings, tools and funding lines)."""
    if vue.commune is None:
        return t.volumes().loc[:, list(vue.annees)]
    return pd.DataFrame(
        {a: _lignes_par_commune(t, a).reindex(index=[vue.commune], fill_value=0).iloc[0] for a in vue.annees}
    ).astype(int)


def _lignes_par_commune(t: Territoire, annee: int) -> pd.DataFrame:
    """Rows of each yearly table (columns) that concern each commune (rows), counted once for
    every commune (a post serving two communes concerns both, and so does its activity)."""

    def calcul() -> pd.DataFrame:
        d = t.annee(annee)
        postes = d.postes[["id_poste", "commune"]].drop_duplicates()
        communes = {
            "postes": d.postes["commune"],
            "plages": d.plages["code_qpv"].map(t.commune_du_code),
            "reunions": d.reunions["perimetre"],
            "remontees": d.remontees["code_qpv"].map(t.commune_du_code),
            "activite": d.activite[["id_poste"]].merge(postes, on="id_poste")["commune"],
            "financements": t.communes_de(d.financements["perimetre"]),
            "outils": d.outils["perimetre"],
        }
        return pd.DataFrame({nom: c.value_counts() for nom, c in communes.items()}).fillna(0).astype(int)

    return t.memo(("lignes_par_commune", annee), calcul)


@annexe
def analyses(
    t: Territoire, vue: Vue
) -> tuple[str, bool, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The year's status (« provisoire », « validé par le comité de pilotage du … », or ''),
    whether the page says it is provisional, the comité's texts for the view's perimeter as
    (section, safe HTML), and the councils' opinions the page annexes as (title, safe HTML)."""
    a = lire_analyses(t, vue.annee)
    statut = a.statut
    if jour := modifiees_depuis(t, vue.annee):
        statut += f" ; données modifiées depuis la validation du {jour:%d/%m/%Y}"
    perimetre = vue.code_qpv or vue.commune or AGGLOMERATION
    textes = tuple(sorted((s, en_html(x)) for (p, s), x in a.textes.items() if p == perimetre))
    avis = () if vue.code_qpv else tuple((x.titre, en_html(x.texte)) for x in a.avis_de(perimetre))
    return statut, bool(a.provisoire), textes, avis


@annexe
def collecte(t: Territoire, vue: Vue) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """The partners of last year whose workbook has not arrived or came back incomplete, when
    the year is collected partner by partner (their figures are missing from every page), and
    those of them whose workbook came back incomplete, with the tables left empty (the officer
    too, `collecte.AGENT`, when her part came with meetings, funding or tools empty)."""
    return tuple(manquants(t, vue.annee)), tuple(retours_incomplets(t, vue.annee).items())


@annexe
def provenance(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Rows of the view's year by source (rows) and table (columns): who declared what,
    partner by partner when each sent its workbook. A source is named as a reader knows it,
    never by its file name: « classeur de Régie Plus » (a partner's files taken together),
    the officer's part (`SAISIE_DE_L_AGENT`); for a year not collected partner by partner, its
    one workbook or its CSV files. The agglomeration's page only: these counts are the whole
    territory's, and a commune's page is not rebuilt for a row added elsewhere."""
    if vue.genre is not Genre.AGGLOMERATION:
        return pd.DataFrame()
    d = t.annee(vue.annee)
    qui = auteurs(t, vue.annee)

    def source(fichier: str) -> str:
        if fichier in qui:
            return f"classeur de {qui[fichier]}" if qui[fichier] else NON_IDENTIFIE
        if qui or not fichier.lower().endswith(".csv"):
            return SAISIE_DE_L_AGENT if qui else CLASSEUR_DE_L_ANNEE
        return CSV_DE_L_ANNEE

    comptes = {table: serie.map(source).value_counts() for table, serie in d.provenance.items() if len(serie)}
    table = pd.DataFrame(comptes).reindex(columns=[c for c in d.tables if c in comptes]).fillna(0).astype(int)
    # The partners by name, then the unidentified workbooks, then the officer's part.
    rang = {NON_IDENTIFIE: 1, SAISIE_DE_L_AGENT: 2}
    return table.loc[sorted(table.index, key=lambda s: (rang.get(s, 0), s.casefold()))]


@annexe
def sources(t: Territoire, vue: Vue) -> int:
    """How many input files the data folder holds."""
    return len(t.fichiers)

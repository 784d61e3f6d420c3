"""Annex tables: what a page shows beside the published indicators, computed from the
validated data for one report's view (a grid of hours, a list of tools, the targets…).

A section names the annexes it reads (`Section.annexes`); the context refuses the others,
and a page's fingerprint includes the annexes it declared, computed for its view. One
function per annex, registered by name.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs import tableau_memorise
from evaluation.indicateurs.couverture import etp_par_qpv_et_dispositif
from evaluation.indicateurs.objectifs import proposer, scorer
from evaluation.indicateurs.organisation import grille_hebdomadaire
from evaluation.indicateurs.publication import publie_memorise
from evaluation.indicateurs.realisation import adultes_relais_hors_r2
from evaluation.indicateurs.reseau import liste_des_outils, matrice_dispositifs_instances
from evaluation.outils.anct import pour_contrat
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


def du_perimetre(t: Territoire, vue: Vue, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of `table` whose `perimetre` lies in the view: a neighbourhood's own rows, a
    commune's rows and its neighbourhoods', or every row for the agglomeration."""
    if vue.genre is Genre.AGGLOMERATION:
        return table
    if vue.code_qpv:
        return table[table["perimetre"] == vue.code_qpv]
    return table[t.communes_de(table["perimetre"]) == vue.commune]


@annexe
def etp_par_quartier(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Annual ETP per neighbourhood of the view (QPVs, then veille areas) and scheme."""
    codes = [
        *quartiers_de_la_vue(t, vue, "qpv")["code_qpv"],
        *quartiers_de_la_vue(t, vue, "veille_active")["code_qpv"],
    ]
    return etp_par_qpv_et_dispositif(t, vue.annee).reindex(codes).fillna(0.0)


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
def financements(t: Territoire, vue: Vue) -> pd.DataFrame:
    """The year's funding lines of the view's perimeter."""
    return du_perimetre(t, vue, t.annee(vue.annee).financements)


def _pour_le_territoire(t: Territoire, vue: Vue, calcul) -> pd.DataFrame:
    """`calcul(territoire, annee, indicateurs)` over the whole territory, once per batch."""
    cle = (f"{calcul.__module__}.{calcul.__qualname__}", vue.annee, vue.annees)
    return t.memo(cle, lambda: calcul(t, vue.annee, tableau_memorise(t, list(vue.annees))))


@annexe
def objectifs_scores(t: Territoire, vue: Vue) -> pd.DataFrame:
    """The year's targets of the view's perimeter, scored; a target on a count masked in the
    published table shows neither its value nor its gap."""
    scores = du_perimetre(t, vue, _pour_le_territoire(t, vue, scorer))
    publie = publie_memorise(t, list(vue.annees))
    masques = publie[(publie["annee"] == vue.annee) & (publie["masque"] != "")]
    cache = pd.MultiIndex.from_frame(scores[["indicateur", "perimetre"]]).isin(
        pd.MultiIndex.from_frame(masques[["indicateur", "perimetre"]])
    )
    if cache.any():
        scores = scores.copy()
        scores.loc[cache, ["valeur", "ecart"]] = float("nan")
        scores.loc[cache, "explication"] = (
            "valeur masquée (compte de remontées inférieur à 5 ou secret secondaire)"
        )
    return scores


@annexe
def objectifs_proposes(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Next year's targets proposed for the view's perimeter."""
    return du_perimetre(t, vue, _pour_le_territoire(t, vue, proposer))


@annexe
def anct(t: Territoire, vue: Vue) -> tuple[pd.DataFrame | None, int]:
    """ANCT's yearly counts for the territory's contract(s) (None without any), and the
    adultes-relais declared in the year but not counted by R2 (vacant or ended)."""
    codes = t.parametres["code_contrat"]
    table = pour_contrat(t.anct, codes) if len(t.anct) else None
    return table, adultes_relais_hors_r2(t, vue.annee)


@annexe
def volumes(t: Territoire, vue: Vue) -> pd.DataFrame:
    """Rows per yearly table (rows) and year of the report (columns): every row for the
    agglomeration; for a commune, the rows that concern it (its posts and their activity, the
    slots and signals of its neighbourhoods, its meetings, tools and funding lines)."""
    if vue.commune is None:
        return t.volumes().loc[:, list(vue.annees)]
    return pd.DataFrame({a: _lignes_de_la_commune(t, a, vue.commune) for a in vue.annees})


def _lignes_de_la_commune(t: Territoire, annee: int, commune: str) -> dict[str, int]:
    d = t.annee(annee)
    de_la_commune = t.quartiers.loc[t.quartiers["commune"] == commune, "code_qpv"]
    postes = d.postes[d.postes["commune"] == commune]
    return {
        "postes": len(postes),
        "plages": int(d.plages["code_qpv"].isin(de_la_commune).sum()),
        "reunions": int((d.reunions["perimetre"] == commune).sum()),
        "remontees": int(d.remontees["code_qpv"].isin(de_la_commune).sum()),
        "activite": int(d.activite["id_poste"].isin(postes["id_poste"]).sum()),
        "financements": int((t.communes_de(d.financements["perimetre"]) == commune).sum()),
        "outils": int((d.outils["perimetre"] == commune).sum()),
    }


@annexe
def sources(t: Territoire, vue: Vue) -> int:
    """How many input files the data folder holds."""
    return len(t.fichiers)

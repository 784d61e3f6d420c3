"""Proposed effect indicators (E1–E6), and the share of ETP they rest on (E7). The sheet lists expected effects but no indicator:
these are the package's proposals, labelled as such in every report.

Monthly activity is reported per post; a post serving several neighbourhoods has its
activity split between them in proportion to its ETP on each row.
"""

from __future__ import annotations

import pandas as pd

from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.base import cumuler, cumuler_qpv, etp_annuel, memo, rapport
from evaluation.indicateurs.registre import Perimetres, indicateur
from evaluation.indicateurs.veille import remontees_de_l_annee

MESURES = ("contacts", "orientations", "conflits", "actions_collectives", "signalements_techniques")
DELAI_PRECOCE = 2  # days


@memo
def activite_par_quartier(t: Territoire, annee: int) -> pd.DataFrame:
    """Yearly activity counts per neighbourhood (split by ETP share), plus `etp_declarant`:
    the annual ETP of the posts that reported activity (denominator of E1 and E3)."""
    d = t.annee(annee)
    postes = d.postes.assign(etp_annuel=lambda p: etp_annuel(p, annee))
    part = postes["etp"] / postes.groupby("id_poste")["etp"].transform("sum")
    totaux = d.activite.groupby("id_poste")[list(MESURES)].sum()
    lignes = (
        postes[["id_poste", "code_qpv", "etp_annuel"]]
        .assign(part=part)
        .merge(totaux, left_on="id_poste", right_index=True, how="inner")
    )
    for m in MESURES:
        lignes[m] = lignes[m] * lignes["part"]
    lignes = lignes.rename(columns={"etp_annuel": "etp_declarant"})
    return lignes.groupby("code_qpv")[[*MESURES, "etp_declarant"]].sum()


@memo
def postes_declarants(t: Territoire, annee: int) -> dict[str, frozenset]:
    """The posts that reported monthly activity in the year, for each active neighbourhood
    where they work (a post serving two neighbourhoods is in both): what the activity figures
    of a perimeter rest on (`Indicateur.declarants`)."""
    d = t.annee(annee)
    declarants = d.postes[d.postes["id_poste"].isin(set(d.activite["id_poste"]))]
    par_quartier = declarants.groupby("code_qpv")["id_poste"].agg(frozenset)
    return {n: par_quartier.get(n, frozenset()) for n in t.quartiers_actifs(annee)["code_qpv"]}


@memo
def postes_declarants_qpv(t: Territoire, annee: int) -> dict[str, frozenset]:
    """`postes_declarants` of the QPVs only: what a rate per inhabitant of the QPVs rests on."""
    qpv = set(t.quartiers_actifs(annee, "qpv")["code_qpv"])
    return {n: u for n, u in postes_declarants(t, annee).items() if n in qpv}


def _niveaux(t: Territoire, annee: int, colonne: str) -> pd.Series:
    return cumuler(t, annee, activite_par_quartier(t, annee)[colonne])


@indicateur(
    "E1",
    "Contacts par ETP",
    lit=("postes", "activite"),
    declarants=postes_declarants,
    unite="contacts par ETP annuel",
    perimetres=Perimetres.TOUS,
    definition="Contacts avec des habitants déclarés dans l'activité mensuelle, par ETP annuel des postes qui déclarent une activité (leur part des ETP est donnée à part : « Part des ETP qui déclarent une activité »).",
    proposition=True,
    effet="dialogue",
    limite=(
        "une moyenne de l'activité déclarée par les structures : ni le nombre d'habitants différents rencontrés, "
        "ni ce que les habitants retirent de l'échange."
    ),
)
def e1_contacts_par_etp(t: Territoire, annee: int) -> pd.Series:
    """Contacts with residents per annual ETP of the posts reporting activity."""
    return rapport(_niveaux(t, annee, "contacts"), _niveaux(t, annee, "etp_declarant"))


@indicateur(
    "E2",
    "Orientations pour 1 000 habitants",
    lit=("postes", "activite"),
    declarants=postes_declarants_qpv,
    unite="orientations pour 1 000 habitants",
    perimetres=Perimetres.TOUS,
    definition=(
        "Orientations d'habitants vers un partenaire, pour 1 000 habitants des QPV du périmètre ; éclaire "
        "l'objectif de la fiche « une meilleure orientation des habitants »."
    ),
    decimales=1,
    proposition=True,
    effet="amont",
    limite="dit combien d'habitants ont été orientés, pas s'ils ont été reçus ni aidés par le partenaire.",
)
def e2_orientations_pour_mille(t: Territoire, annee: int) -> pd.Series:
    """Orientations towards a partner per 1,000 inhabitants of the QPVs (QPVs only)."""
    codes = t.quartiers_actifs(annee, "qpv")["code_qpv"]
    population = t.quartiers.set_index("code_qpv")["population"].reindex(codes).astype(float)
    orientations = activite_par_quartier(t, annee)["orientations"]
    return rapport(cumuler_qpv(t, annee, orientations), cumuler_qpv(t, annee, population)) * 1000


@indicateur(
    "E3",
    "Conflits traités par ETP",
    lit=("postes", "activite"),
    declarants=postes_declarants,
    unite="conflits par ETP annuel",
    perimetres=Perimetres.TOUS,
    definition="Conflits traités déclarés dans l'activité mensuelle, par ETP annuel des postes qui déclarent une activité (leur part des ETP est donnée à part : « Part des ETP qui déclarent une activité »).",
    decimales=1,
    proposition=True,
    effet="amont",
    limite="une moyenne des conflits déclarés traités : ni les conflits évités, ni leur issue.",
)
def e3_conflits_par_etp(t: Territoire, annee: int) -> pd.Series:
    """Conflicts handled per annual ETP of the posts reporting activity."""
    return rapport(_niveaux(t, annee, "conflits"), _niveaux(t, annee, "etp_declarant"))


@indicateur(
    "E4",
    "Actions collectives",
    lit=("postes", "activite"),
    declarants=postes_declarants,
    unite="actions",
    perimetres=Perimetres.TOUS,
    definition="Actions collectives menées dans l'année (activité mensuelle, répartie entre quartiers selon les ETP).",
    proposition=True,
    effet="valeurs",
    limite=(
        "indicateur indirect et faible : il compte des actions, sans mesurer ni leur public ni l'adhésion aux "
        "valeurs de la République, à la citoyenneté ou à la laïcité."
    ),
)
def e4_actions_collectives(t: Territoire, annee: int) -> pd.Series:
    """Collective actions run in the year."""
    return _niveaux(t, annee, "actions_collectives")


@indicateur(
    "E5",
    "Signalements de veille technique",
    lit=("postes", "activite"),
    declarants=postes_declarants,
    unite="signalements",
    perimetres=Perimetres.TOUS,
    definition="Signalements techniques (éclairage, dégradations, propreté…) transmis aux services.",
    proposition=True,
    effet="connaissance",
    limite="compte les signalements transmis aux services, pas leur traitement ni le délai de réparation.",
)
def e5_signalements_techniques(t: Territoire, annee: int) -> pd.Series:
    """Technical-watch signals (lighting, damage, waste…) passed to the services."""
    return _niveaux(t, annee, "signalements_techniques")


def precoces(t: Territoire, annee: int) -> tuple[pd.Series, pd.Series]:
    """(signals followed up within 2 days, signals) for the agglomeration, each commune and
    each QPV, a signal handled on the spot without a follow-up date counting as followed the
    same day. Commune and agglomeration counts include the quartiers de veille active."""
    r = remontees_de_l_annee(t, annee)
    sur_place_sans_date = (r["suite"] == "traitee_sur_place") & r["date_suite"].isna()
    delai = r["delai"].mask(sur_place_sans_date, 0)
    precoce = (r["suivie"] & (delai <= DELAI_PRECOCE)).groupby(r["code_qpv"]).sum()
    return cumuler(t, annee, precoce), cumuler(t, annee, r.groupby("code_qpv").size())


@indicateur(
    "E6",
    "Intervention précoce",
    lit=("remontees",),
    unite="%",
    perimetres=Perimetres.TOUS,
    definition=(
        "Part des remontées de terrain ayant une suite dans les 2 jours ; une remontée traitée sur place sans "
        "date de suite compte comme suivie le jour même."
    ),
    proposition=True,
    effet="amont",
    limite="la rapidité de la suite, pas sa qualité ; repose sur la date de suite renseignée par la structure.",
    pourcentage=True,
    comptes=precoces,
)
def e6_intervention_precoce(t: Territoire, annee: int) -> pd.Series:
    """Share of field signals followed up within 2 days (missing when there is no signal)."""
    return rapport(*precoces(t, annee))


@indicateur(
    "E7",
    "Part des ETP qui déclarent une activité",
    lit=("postes", "activite"),
    unite="%",
    perimetres=Perimetres.TOUS,
    definition=(
        "ETP annuels des postes dont la structure a déclaré une activité mensuelle dans l'année, rapportés à "
        "tous les ETP annuels du périmètre : la part de la présence sur laquelle reposent E1 et E3."
    ),
    proposition=True,
    pourcentage=True,
)
def e7_part_des_etp_declarant(t: Territoire, annee: int) -> pd.Series:
    """Share of the annual ETP whose posts reported monthly activity (E1's and E3's base)."""
    postes = t.annee(annee).postes.assign(etp_annuel=lambda p: etp_annuel(p, annee))
    return rapport(
        _niveaux(t, annee, "etp_declarant"), cumuler(t, annee, postes.groupby("code_qpv")["etp_annuel"].sum())
    )

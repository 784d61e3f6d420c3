"""Actions de l'année: what was done in the year, as facts drawn from the data — posts created
and ended, correspondants created in entering QPVs, tools put in service, meetings held by
instance — the account décret 2015-1118 asks the yearly report to give."""

from __future__ import annotations

from evaluation import formats
from evaluation.donnees.contrat import AGGLOMERATION, INSTANCES, libelle
from evaluation.formats import accorder, enumerer, nombre
from evaluation.indicateurs.actions import CREE
from evaluation.indicateurs.mesure import COLLECTE_INCOMPLETE
from evaluation.rapport.blocs import Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import non_mesure
from evaluation.rapport.vue import Portee, lit


class Actions(Section):
    nom = "actions"
    titre = "Actions de l'année"
    intro = (
        "Ce qui a été fait dans l'année, tiré des données déclarées : postes créés ou terminés, correspondants "
        "de quartier créés dans les quartiers entrants, outils du réseau mis en service et réunions tenues, "
        "instance par instance. Les indicateurs qui en découlent sont dans les parties suivantes."
    )
    lit = (lit("N1.*"), lit("R3", a=Portee.QUARTIERS))
    annexes = ("actions",)

    def blocs(self, ctx):
        postes, outils, reunions = ctx.annexe("actions")
        return [*_postes(ctx, postes), _correspondants(ctx, postes), *_reseau(ctx, outils, reunions)]


def _quartiers(ctx, codes, entrants) -> str:
    return ", ".join(f"{ctx.noms[c]} (quartier entrant)" if c in entrants else ctx.noms[c] for c in codes)


def _postes(ctx, postes) -> list:
    if postes.empty:
        return [Paragraphe(f"Aucun poste n'a été créé ni n'a pris fin en {ctx.annee} ({ctx.nom_perimetre}).")]
    crees = int((postes["mouvement"] == CREE).sum())
    agglomeration = ctx.commune is None
    texte = (
        f"En {ctx.annee}, pour {ctx.nom_perimetre} : {accorder(crees, 'poste créé')} et "
        f"{accorder(len(postes) - crees, 'poste terminé')} (postes vacants exclus)."
    )
    return [
        Paragraphe(texte),
        tableau(
            [
                "Poste",
                "Date",
                "Dispositif",
                "Structure",
                *(["Commune"] if agglomeration else []),
                "Quartiers servis",
                "ETP",
            ],
            [
                [
                    p.mouvement,
                    formats.date(p.date),
                    libelle(p.dispositif),
                    p.structure,
                    *([p.commune] if agglomeration else []),
                    _quartiers(ctx, p.quartiers, p.entrants),
                    nombre(p.etp, 2),
                ]
                for p in postes.itertuples()
            ],
            legende=f"Postes créés ou terminés en {ctx.annee}, {ctx.nom_perimetre} (ETP du poste)",
            numeriques=[False] * (6 if agglomeration else 5) + [True],
        ),
    ]


def _correspondants(ctx, postes) -> Paragraphe:
    """The sheet asks for correspondants created in entering QPVs (R3): who was, or that none was."""
    qpv = ctx.quartiers("qpv")
    entrants = qpv[qpv["annee_entree"] > min(ctx.annees)]
    if entrants.empty:
        return Paragraphe(
            f"Aucun quartier entrant dans la liste des QPV depuis {min(ctx.annees)} pour {ctx.nom_perimetre} : "
            "la création de correspondants de quartier que la fiche y demande ne s'applique pas."
        )
    crees = postes[
        (postes["mouvement"] == CREE)
        & (postes["dispositif"] == "correspondant_quartier")
        & (postes["entrants"].map(len) > 0)
    ]
    noms = enumerer(entrants["nom"])
    if crees.empty:
        # What the sheet asks is a correspondant in each: say where there is one already.
        ont, sans = [], []
        for q in entrants.itertuples():
            if not non_mesure(ctx, "R3", q.code_qpv):
                if (ctx.valeur("R3", q.code_qpv) or 0) > 0:
                    ont.append(f"{q.nom} ({ctx.texte('R3', q.code_qpv)})")
                else:
                    sans.append(q.nom)
        texte = f"Aucun correspondant de quartier n'a été créé en {ctx.annee} dans les quartiers entrants ({noms})"
        if ont:
            texte += f" ; correspondants de quartier en poste fin {ctx.annee} : {enumerer(ont)}"
        if sans:
            texte += f" ; la fiche demande d'en créer là où il n'y en a pas : {enumerer(sans)}"
        return Paragraphe(texte + ".")
    faits = " ; ".join(
        f"{p.structure}, quartier {_quartiers(ctx, p.entrants, ())}, le {formats.jour(p.date)}"
        for p in crees.itertuples()
    )
    return Paragraphe(
        f"{accorder(len(crees), 'correspondant de quartier créé', 'correspondants de quartier créés')} en "
        f"{ctx.annee} dans les quartiers entrants, comme la fiche le demande : {faits}."
    )


def _reseau(ctx, outils, reunions) -> list:
    if non_mesure(ctx, "N1.reseau_acteurs"):
        return [
            Paragraphe(
                f"Outils mis en service et réunions de {ctx.annee} : non mesurables ({COLLECTE_INCOMPLETE}) : la "
                "saisie des réunions et des outils par la personne chargée de l'évaluation n'a pas été déposée."
            )
        ]
    if outils.empty:
        texte = f"Aucun outil du réseau n'a été mis en service en {ctx.annee}."
    else:
        texte = (
            f"{accorder(len(outils), 'outil du réseau mis en service', 'outils du réseau mis en service')} en {ctx.annee} : "
            + " ; ".join(
                f"« {o.nom} » ({libelle(o.type).lower()}, "
                f"{'agglomération' if o.perimetre == AGGLOMERATION else o.perimetre}, le {formats.jour(o.date_mise_en_service)})"
                for o in outils.itertuples()
            )
            + "."
        )
    blocs = [Paragraphe(texte)]
    lignes = []
    for instance in INSTANCES:
        n = ctx.valeur(f"N1.{instance}") or 0
        if not n:
            continue
        tenues = reunions[reunions["instance"] == instance]
        if ctx.commune:
            detail = ", ".join(formats.jour(d) for d in tenues["date"])
        else:
            par = tenues.groupby("perimetre", sort=False).size()
            detail = ", ".join(f"{ctx.nom(p)} {nombre(k)}" for p, k in par.items())
        lignes.append([libelle(instance), nombre(n), detail])
    if not lignes:
        return [*blocs, Paragraphe(f"Aucune réunion n'est déclarée pour {ctx.annee} ({ctx.nom_perimetre}).")]
    return [
        *blocs,
        tableau(
            ["Instance", "Réunions", "Dates" if ctx.commune else "Réunions par périmètre"],
            lignes,
            legende=f"Réunions tenues en {ctx.annee} par instance, {ctx.nom_perimetre} (nombre de réunions)",
            numeriques=[False, True, False],
        ),
    ]

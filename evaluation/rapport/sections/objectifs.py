"""Objectifs: the year's targets of the perimeter scored, next year's proposed."""

from __future__ import annotations

from evaluation import formats
from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.formats import accorder, dans_la_phrase
from evaluation.indicateurs import libelle_code
from evaluation.indicateurs.mesure import COLLECTE_INCOMPLETE
from evaluation.indicateurs.mesure import NON_MESURABLE as NON_MESURABLE_COURT
from evaluation.indicateurs.objectifs import (
    ATTEINT,
    DEMANDE,
    FICHE,
    NON_ATTEINT,
    NON_MESURABLE,
    OUTIL,
    RECONDUIT,
    RECONDUIT_NON_MESURE,
    SIGNE,
    montrer,
    montrer_ecart,
)
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section, objectif_presence
from evaluation.rapport.sections.commun import unite

ORIGINES = {
    FICHE: ("objectif selon la fiche", "objectifs selon la fiche"),
    OUTIL: ("objectif proposé par l'outil", "objectifs proposés par l'outil"),
    RECONDUIT: ("objectif non atteint reconduit", "objectifs non atteints reconduits"),
    RECONDUIT_NON_MESURE: ("objectif non mesurable reconduit", "objectifs non mesurables reconduits"),
    DEMANDE: ("objectif demandé par le comité de pilotage", "objectifs demandés par le comité de pilotage"),
}


class Objectifs(Section):
    nom = "objectifs"
    titre = "Objectifs"
    intro = (
        "La fiche demande de réactualiser les objectifs chaque année. Les objectifs de l'année, fixés par le "
        "comité de pilotage, sont jugés atteints, non atteints ou non mesurables, en comparant la valeur et la "
        "cible telles qu'elles sont affichées ; ceux de l'année suivante sont proposés, chacun avec son origine "
        "(selon la fiche, proposé par l'outil, demandé par le comité de pilotage, ou objectif non atteint "
        "reconduit) et sa raison, pour relecture par le comité de pilotage."
    )
    lit = (objectif_presence.LIT,)
    annexes = ("objectifs_scores", "objectifs_proposes", *objectif_presence.ANNEXES)

    def blocs(self, ctx):
        scores = ctx.annexe("objectifs_scores")
        propositions = ctx.annexe("objectifs_proposes")
        blocs = []
        if scores.empty:
            blocs.append(Paragraphe(f"Aucun objectif n'est fixé pour {ctx.annee} pour {ctx.nom_perimetre}."))
        else:
            compte = scores["statut"].value_counts()
            texte = (
                f"En {ctx.annee}, {accorder(len(scores), 'objectif')} : "
                f"{accorder(compte.get(ATTEINT, 0), 'atteint')}, "
                f"{accorder(compte.get(NON_ATTEINT, 0), 'non atteint')}, "
                f"{accorder(compte.get(NON_MESURABLE, 0), 'non mesurable')}."
            )
            manques = scores[scores["statut"] == NON_ATTEINT]
            if len(manques):
                texte += (
                    " Non atteints : "
                    + " ; ".join(
                        f"{dans_la_phrase(libelle_code(m.indicateur))}, "
                        f"{'agglomération' if m.perimetre == AGGLOMERATION else ctx.nom(m.perimetre)} "
                        f"({montrer(m.indicateur, m.valeur)} pour une cible de {montrer(m.indicateur, m.cible)})"
                        for m in manques.itertuples()
                    )
                    + "."
                )
            blocs += [
                Paragraphe(texte),
                tableau(
                    ["Indicateur", "Périmètre", "Unité", "Cible", "Valeur", "Écart", "Statut"],
                    [
                        [
                            _indicateur(s.indicateur),
                            ctx.nom(s.perimetre),
                            unite(s.indicateur),
                            f"{SIGNE[s.sens]}{formats.ESPACE_INSECABLE}{montrer(s.indicateur, s.cible)}",
                            NON_MESURABLE_COURT
                            if s.explication.startswith(COLLECTE_INCOMPLETE)
                            else montrer(s.indicateur, s.valeur),
                            montrer_ecart(s.indicateur, s.ecart),
                            f"{s.statut} ({s.explication})" if s.explication else s.statut,
                        ]
                        for s in scores.itertuples()
                    ],
                    legende=f"Objectifs {ctx.annee}, {ctx.nom_perimetre} (valeur et cible comparées telles qu'affichées)",
                    numeriques=[False, False, False, True, True, True, False],
                    classes=["echec" if s == NON_ATTEINT else "" for s in scores["statut"]],
                ),
                Figure(
                    figures.statuts_objectifs(
                        scores, f"Objectifs {ctx.annee} par indicateur et statut, {ctx.nom_perimetre}"
                    )
                ),
            ]
        if verdicts := objectif_presence.a_retenir(ctx):
            blocs.append(
                Paragraphe(
                    f"{verdicts} Ces verdicts, détaillés QPV par QPV dans la partie sur la couverture, "
                    "fondent les propositions sur la présence pour 1 000 habitants ci-dessous : un QPV qui a manqué l'objectif le dit dans sa "
                    "raison, et un QPV où la présence devait être maintenue et a baissé retrouve au moins son "
                    "niveau de l'année précédente."
                )
            )
        if propositions.empty:
            return blocs + [
                Paragraphe(f"Aucun objectif proposé pour {ctx.annee + 1} pour {ctx.nom_perimetre}.")
            ]
        origines = propositions["origine"].value_counts()
        blocs += [
            Paragraphe(
                f"{accorder(len(propositions), 'objectif proposé')} pour {ctx.annee + 1} : "
                + ", ".join(accorder(n, *ORIGINES[o]) for o, n in origines.items())
                + ". La fiche demande d'augmenter la présence dans les QPV sous-dotés, de la maintenir ailleurs et "
                "de maintenir les correspondants de quartier, voire d'en créer dans les quartiers entrants ; le seuil "
                "de sous-dotation, le pas de hausse et les niveaux des autres indicateurs sont proposés par l'outil. "
                "Un objectif non atteint est reconduit, jamais abaissé à la valeur qui l'a manqué ; un objectif "
                "que la collecte incomplète ne permet pas de mesurer est reconduit tel quel. La proposition "
                f"est écrite dans le dossier des données traitées de {ctx.annee}, au format du fichier des "
                "objectifs (à relire avant de l'y ajouter) et en classeur, à lire dans un tableur."
            ),
            tableau(
                ["Indicateur", "Périmètre", "Unité", "Cible proposée", "Origine", "Raison"],
                [
                    [
                        _indicateur(p.indicateur),
                        ctx.nom(p.perimetre),
                        unite(p.indicateur),
                        f"{SIGNE[p.sens]}{formats.ESPACE_INSECABLE}{montrer(p.indicateur, p.cible)}",
                        p.origine,
                        p.raison,
                    ]
                    for p in propositions.itertuples()
                ],
                legende=f"Objectifs proposés pour {ctx.annee + 1}, {ctx.nom_perimetre}",
                numeriques=[False, False, False, True, False, False],
            ),
        ]
        return blocs


def _indicateur(code: str) -> str:
    """« V2 — Remontées par thème — Santé »: the sheet's code and the label, no key."""
    return f"{code.partition('.')[0]} — {libelle_code(code)}"

"""Objectifs: the year's targets of the perimeter scored, next year's proposed."""

from __future__ import annotations

from evaluation.formats import nombre
from evaluation.indicateurs import indicateur_de
from evaluation.indicateurs.objectifs import ATTEINT, NON_ATTEINT, NON_MESURABLE
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section


def _nombre(code: str, v: float) -> str:
    return nombre(v, indicateur_de(code).decimales)


class Objectifs(Section):
    nom = "objectifs"
    titre = "Objectifs"
    intro = (
        "La fiche demande de réactualiser les objectifs chaque année. Les objectifs de l'année, lus dans "
        "`objectifs.csv`, sont jugés atteints, non atteints ou non mesurables (avec la raison) ; ceux de l'année "
        "suivante sont proposés selon les règles de la fiche, chacun avec sa raison, pour relecture par le "
        "comité de pilotage."
    )
    annexes = ("objectifs_scores", "objectifs_proposes")

    def blocs(self, ctx):
        scores = ctx.annexe("objectifs_scores")
        propositions = ctx.annexe("objectifs_proposes")
        blocs = []
        if scores.empty:
            blocs.append(
                Paragraphe(
                    f"Aucun objectif n'est fixé pour {ctx.annee} dans objectifs.csv pour ce périmètre."
                )
            )
        else:
            compte = scores["statut"].value_counts()
            texte = (
                f"En {ctx.annee}, {len(scores)} objectif(s) : {compte.get(ATTEINT, 0)} atteint(s), "
                f"{compte.get(NON_ATTEINT, 0)} non atteint(s), {compte.get(NON_MESURABLE, 0)} non mesurable(s)."
            )
            manques = scores[scores["statut"] == NON_ATTEINT]
            if len(manques):
                texte += (
                    " Non atteints : "
                    + " ; ".join(
                        f"{m.indicateur} {ctx.nom(m.perimetre)} ({_nombre(m.indicateur, m.valeur)} "
                        f"pour une cible de {_nombre(m.indicateur, m.cible)})"
                        for m in manques.itertuples()
                    )
                    + "."
                )
            blocs += [
                Paragraphe(texte),
                tableau(
                    ["Indicateur", "Périmètre", "Cible", "Valeur", "Écart", "Statut", "Explication"],
                    [
                        [
                            s.indicateur,
                            ctx.nom(s.perimetre),
                            f"{'≥' if s.sens == 'au_moins' else '≤'} {_nombre(s.indicateur, s.cible)}",
                            _nombre(s.indicateur, s.valeur),
                            _nombre(s.indicateur, s.ecart),
                            s.statut,
                            s.explication,
                        ]
                        for s in scores.itertuples()
                    ],
                    legende=f"Objectifs {ctx.annee} (objectifs.csv)",
                    numeriques=[False, False, True, True, True, False, False],
                    classes=["echec" if s == NON_ATTEINT else "" for s in scores["statut"]],
                ),
                Figure(figures.statuts_objectifs(scores, f"Objectifs {ctx.annee} par indicateur et statut")),
            ]
        blocs += [
            Paragraphe(
                f"{len(propositions)} objectif(s) proposé(s) pour {ctx.annee + 1} selon les règles de la fiche "
                "(hausse vers le seuil dans les QPV sous-dotés, maintien ailleurs, correspondants maintenus et créés "
                "dans les quartiers entrants, adultes-relais et réunions du réseau au moins au niveau de l'année). "
                f"Ils sont écrits dans objectifs_proposes_{ctx.annee + 1}.csv au format d'objectifs.csv, à relire "
                "avant de les y ajouter."
            ),
            tableau(
                ["Indicateur", "Périmètre", "Cible proposée", "Raison"],
                [
                    [p.indicateur, ctx.nom(p.perimetre), f"≥ {_nombre(p.indicateur, p.cible)}", p.raison]
                    for p in propositions.itertuples()
                ],
                legende=f"Objectifs proposés pour {ctx.annee + 1}",
                numeriques=[False, False, True, False],
            ),
        ]
        return blocs

"""Liens avec les autres fiches: the sheets and transversal axes the sheet links to (its
« Liens autres enjeux / fiches » box), and what this evaluation's data cannot show of them.

Static text, no figure. The sheet gives the linked sheets' numbers only (4.4.1, 1.1.1,
2.1.5), not their titles, and names « les axes transversaux » without listing them: the
three below are those the national framework set for the 2015 contrats de ville, said as
such, not as this contract's own wording.
"""

from __future__ import annotations

from evaluation.rapport.blocs import Liste, Paragraphe
from evaluation.rapport.sections import Section

FICHES_LIEES = ("4.4.1", "1.1.1", "2.1.5")

ARTICULATION = (
    "La fiche 4.2.2 demande de « veiller à la bonne articulation avec les instances déjà existantes » et "
    f"renvoie aux fiches {', '.join(FICHES_LIEES[:-1])} et {FICHES_LIEES[-1]} du contrat de ville ainsi qu'aux "
    "axes transversaux. Elle ne donne pas l'intitulé de ces fiches : ce rapport les désigne par leur numéro."
)

CE_QUE_LE_RAPPORT_MONTRE = (
    "Articulation avec les instances existantes : les réunions des CLSPD et des cellules de veille sont "
    "comptées à part de celles du réseau des acteurs de terrain, et la présence de chaque dispositif aux "
    "réunions de chaque instance est donnée (section « Réseau et coordination »).",
    f"Fiches {', '.join(FICHES_LIEES[:-1])} et {FICHES_LIEES[-1]} : les données de cette évaluation ne décrivent "
    "pas leurs actions ; le rapport ne peut donc pas dire comment celles-ci s'articulent avec la présence humaine "
    "dans les quartiers.",
)

AXES_TRANSVERSAUX = (
    "La fiche renvoie aux axes transversaux sans les énumérer. Le cadre national des contrats de ville de 2015, "
    "dont elle relève, en fixe trois : l'égalité entre les femmes et les hommes, la jeunesse et la lutte contre "
    "les discriminations."
)

CE_QUE_LES_DONNEES_NE_MONTRENT_PAS = (
    "L'égalité entre les femmes et les hommes, axe transversal, n'est pas mesurable avec les données recueillies "
    "pour cette évaluation : aucune table ne distingue le sexe, ni celui des professionnels en poste, ni celui "
    "des habitants rencontrés, ni celui des personnes concernées par les remontées de terrain.",
    "La jeunesse n'est approchée que par le thème « Jeunesse » des remontées de terrain (section « Veille "
    "sociale ») : l'âge des personnes n'est pas recueilli, et les contacts, orientations et actions collectives "
    "des professionnels ne sont pas comptés par âge.",
    "La lutte contre les discriminations n'est pas mesurable : aucun thème de remontée de terrain ni aucune "
    "table ne porte sur les discriminations.",
)

PERSPECTIVE = (
    "Ces limites tiennent au choix de ne recueillir aucune donnée personnelle (des cases à cocher, aucun texte "
    "libre sur les personnes). Mesurer ces axes demanderait un recueil dédié et anonyme, par exemple une enquête "
    "auprès des habitants distinguant le sexe et la tranche d'âge des répondants."
)


class LiensFiches(Section):
    nom = "liens_fiches"
    titre = "Liens avec les autres fiches"
    intro = (
        "Les fiches et les axes transversaux du contrat de ville auxquels renvoie la fiche 4.2.2, et ce que les "
        "données de l'évaluation ne permettent pas d'en montrer."
    )

    def blocs(self, ctx):
        return [
            Paragraphe(ARTICULATION),
            Liste(CE_QUE_LE_RAPPORT_MONTRE, titre="Ce que ce rapport en montre"),
            Paragraphe(AXES_TRANSVERSAUX),
            Liste(
                CE_QUE_LES_DONNEES_NE_MONTRENT_PAS, titre="Ce que les données ne permettent pas de mesurer"
            ),
            Paragraphe(PERSPECTIVE),
        ]

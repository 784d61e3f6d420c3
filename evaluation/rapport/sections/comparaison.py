"""Comparaison (neighbourhood page): the neighbourhood beside its commune and the agglomeration."""

from __future__ import annotations

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.formats import nombre
from evaluation.indicateurs import indicateur_de, libelle_code
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import avec_populations, unite
from evaluation.rapport.vue import Genre, Portee, lit

# Per-QPV codes compared with the same measure over the QPVs of the commune and of the
# agglomeration (C3 is C1's aggregate).
COMPARAISONS = (
    ("C1", "C3"),
    ("H3", "H3"),
    ("H4", "H4"),
    ("E1", "E1"),
    ("E2", "E2"),
    ("E6", "E6"),
)
AGREGES = tuple(a for _, a in COMPARAISONS)


class Comparaison(Section):
    nom = "comparaison"
    titre = "Comparaison"
    intro = "Le quartier comparé aux QPV de sa commune et de l'agglomération."
    genres = frozenset({Genre.QUARTIER})
    lit = (
        lit(*(c for c, _ in COMPARAISONS), "C5"),
        lit(*AGREGES, a=Portee.COMMUNE),
        lit(*AGREGES, a=Portee.AGGLOMERATION),
        lit("C1", a=Portee.TOUS_LES_QUARTIERS),
    )

    def blocs(self, ctx):
        lignes, valeurs = [], {}
        for code, agrege in COMPARAISONS:
            lignes.append(
                [
                    libelle_code(code),
                    unite(code),
                    ctx.texte_par_habitant(code),
                    ctx.texte(agrege, ctx.commune),
                    ctx.texte(agrege, AGGLOMERATION),
                ]
            )
            valeurs[code] = (ctx.valeur(code), ctx.valeur(agrege, AGGLOMERATION))
        c1, c3 = valeurs["C1"]
        sous = ctx.valeur("C5") == 1
        c1_tous = ctx.valeurs_annee("C1").reindex(ctx.qpv_du_territoire()["code_qpv"])
        code_qpv = ctx.vue.code_qpv
        return [
            Paragraphe(
                f"{ctx.nom_perimetre} compte {indicateur_de('C1').avec_unite(c1)}, contre {nombre(c3, 2)} pour "
                "l'ensemble des QPV de l'agglomération : "
                + (
                    "le quartier est sous-doté (sous le seuil de sous-dotation proposé par l'outil)."
                    if sous
                    else "le quartier n'est pas sous-doté."
                )
                + f" Population du quartier : {ctx.population(code_qpv).texte}."
            ),
            tableau(
                ["Indicateur", "Unité", ctx.nom_perimetre, f"QPV de {ctx.commune}", "QPV de l'agglomération"],
                lignes,
                legende=avec_populations(
                    f"{ctx.nom_perimetre} comparé à sa commune et à l'agglomération, {ctx.annee}", lignes
                ),
                numeriques=[False, False, True, True, True],
            ),
            Figure(
                figures.barres(
                    c1_tous.rename(index=lambda c: ctx.noms[c] + (" ◆" if c == code_qpv else "")),
                    f"C1 — ETP pour 1 000 habitants, {ctx.nom_perimetre} (◆) parmi les QPV, {ctx.annee}",
                    "ETP pour 1 000 habitants",
                    reference=c3,
                )
            ),
        ]

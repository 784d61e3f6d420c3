"""Présence humaine: annual ETP by scheme and neighbourhood (QPV and veille areas apart)."""

from __future__ import annotations

from evaluation import formats
from evaluation.donnees.contrat import LIBELLES
from evaluation.formats import arrondi, nombre, pluriel
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.vue import Genre


class Presence(Section):
    nom = "presence"
    titre = "Présence humaine"
    intro = "Les ETP annuels du quartier par dispositif."
    genres = frozenset({Genre.QUARTIER})
    annexes = ("etp_par_quartier",)

    def blocs(self, ctx):
        return blocs_presence(ctx)


def blocs_presence(ctx) -> list:
    quartiers = [
        *ctx.quartiers("qpv").itertuples(),
        *ctx.quartiers("veille_active").itertuples(),
    ]
    etp = ctx.annexe("etp_par_quartier")
    etp = etp.loc[:, etp.sum() > 0]
    codes_qpv = ctx.codes_qpv()
    total_qpv = etp.loc[codes_qpv].to_numpy().sum()
    par_dispositif = etp.loc[codes_qpv].sum().sort_values(ascending=False)
    lieu = (
        f"dans le quartier {ctx.nom_perimetre}"
        if ctx.vue.code_qpv
        else f"dans les QPV de {ctx.nom_perimetre}"
    )
    texte = (
        f"En {ctx.annee}, la présence humaine représente {nombre(total_qpv, 1)} "
        f"{pluriel(arrondi(total_qpv, 1), 'ETP annuel')} {lieu}"
    )
    if total_qpv > 0:
        texte += " : " + ", ".join(
            f"{LIBELLES[d].lower()} {formats.pourcentage(v / total_qpv)}"
            for d, v in par_dispositif.items()
            if v > 0
        )
    veille = etp.drop(index=codes_qpv).to_numpy().sum()
    if len(etp) > len(codes_qpv):
        texte += (
            f". Les quartiers de veille active en comptent {nombre(veille, 1)} "
            f"{pluriel(arrondi(veille, 1), 'ETP annuel')}."
            if arrondi(veille, 1)
            else ". Les quartiers de veille active n'ont aucune présence déclarée."
        )
    else:
        texte += "."
    lignes = [
        [
            ctx.nom_qpv(q.code_qpv),
            LIBELLES[q.statut],
            *[nombre(v, 2) for v in etp.loc[q.code_qpv]],
            nombre(etp.loc[q.code_qpv].sum(), 2),
        ]
        for q in quartiers
    ]
    return [
        Paragraphe(texte),
        tableau(
            ["Quartier", "Statut", *[LIBELLES[d] for d in etp.columns], "Total"],
            lignes,
            legende=f"ETP annuels par quartier et dispositif, {ctx.nom_perimetre}, {ctx.annee}",
            numeriques=[False, False] + [True] * (len(etp.columns) + 1),
        ),
        Figure(
            figures.etp_par_dispositif(
                etp, ctx.noms, f"ETP annuels par quartier et dispositif, {ctx.nom_perimetre}, {ctx.annee}"
            )
        ),
    ]

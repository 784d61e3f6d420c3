"""Présence humaine: annual ETP by scheme and neighbourhood (QPV and veille areas apart)."""

from __future__ import annotations

from evaluation import formats
from evaluation.donnees.contrat import LIBELLES, libelle_en_texte
from evaluation.formats import arrondi, nombre, pluriel
from evaluation.indicateurs.mesure import NON_MESURABLE
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import NON_MESURE, non_mesure
from evaluation.rapport.vue import Portee, lit


class Presence(Section):
    nom = "presence"
    titre = "Présence humaine"
    intro = "Les ETP annuels du quartier par dispositif."
    lit = (lit("C1", "C9", a=Portee.QUARTIERS),)
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
    # A neighbourhood where a partner who has not answered works: its ETP are not known.
    inconnus = [
        q.code_qpv for q in quartiers if non_mesure(ctx, "C1" if q.statut == "qpv" else "C9", q.code_qpv)
    ]
    codes_qpv = [c for c in ctx.codes_qpv() if c not in inconnus]
    total_qpv = etp.loc[codes_qpv].to_numpy().sum()
    par_dispositif = etp.loc[codes_qpv].sum().sort_values(ascending=False)
    lieu = (
        f"dans le quartier {ctx.nom_perimetre}"
        if ctx.vue.code_qpv
        else f"dans les QPV de {ctx.nom_perimetre}" + (" dont les données sont reçues" if inconnus else "")
    )
    texte = (
        f"En {ctx.annee}, la présence humaine représente {nombre(total_qpv, 1)} "
        f"{pluriel(arrondi(total_qpv, 1), 'ETP annuel')} {lieu}"
    )
    if inconnus and not codes_qpv:
        texte = f"En {ctx.annee}, la présence humaine {lieu} est {NON_MESURE}"
    if total_qpv > 0:
        texte += " : " + ", ".join(
            f"{libelle_en_texte(d)} {formats.pourcentage(v / total_qpv)}"
            for d, v in par_dispositif.items()
            if v > 0
        )
    veilles = [q.code_qpv for q in quartiers if q.statut != "qpv" and q.code_qpv not in inconnus]
    veille = etp.reindex(veilles).to_numpy().sum()
    if veilles:
        texte += (
            f". Les quartiers de veille active en comptent {nombre(veille, 1)} "
            f"{pluriel(arrondi(veille, 1), 'ETP annuel')}."
            if arrondi(veille, 1)
            else ". Les quartiers de veille active n'ont aucune présence déclarée."
        )
    else:
        texte += "."
    if inconnus and codes_qpv:
        texte += f" Présence {NON_MESURE} : {', '.join(ctx.nom_qpv(c) for c in inconnus)}."
    lignes = [
        [
            ctx.nom_qpv(q.code_qpv),
            LIBELLES[q.statut],
            *(
                [NON_MESURABLE] * (len(etp.columns) + 1)
                if q.code_qpv in inconnus
                else [*[nombre(v, 2) for v in etp.loc[q.code_qpv]], nombre(etp.loc[q.code_qpv].sum(), 2)]
            ),
        ]
        for q in quartiers
    ]
    classes = [""] * len(lignes)
    if not ctx.vue.code_qpv and len(quartiers) > 1:
        # Totals of the rows the data are known for: the QPVs, then with the veille areas.
        recus = " dont les données sont reçues" if inconnus else ""

        def total(libelle: str, codes: list[str]) -> list[str]:
            somme = etp.reindex(codes).fillna(0)
            return [libelle, "", *[nombre(v, 2) for v in somme.sum()], nombre(somme.to_numpy().sum(), 2)]

        if codes_qpv:
            lignes.append(total(f"Total des QPV{recus}", codes_qpv))
        if veilles and arrondi(veille, 2):  # with nobody in the veille areas it would repeat the QPVs'
            lignes.append(total(f"Total, quartiers de veille active compris{recus}", [*codes_qpv, *veilles]))
        classes += ["total"] * (len(lignes) - len(classes))
    return [
        Paragraphe(texte),
        tableau(
            ["Quartier", "Statut", *[LIBELLES[d] for d in etp.columns], "Total"],
            lignes,
            legende=f"ETP annuels par quartier et dispositif, {ctx.nom_perimetre}, {ctx.annee}",
            numeriques=[False, False] + [True] * (len(etp.columns) + 1),
            classes=classes,
        ),
        # The chart's caption is its own, not the table's again (each caption printed once).
        Figure(
            figures.etp_par_dispositif(
                etp.drop(index=inconnus),
                ctx.noms,
                f"Répartition des ETP annuels entre dispositifs{'' if ctx.vue.code_qpv else ', quartier par quartier'}, "
                f"{ctx.nom_perimetre}, {ctx.annee}",
            )
        ),
    ]

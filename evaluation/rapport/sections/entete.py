"""The page's header: title, perimeter, year, data version, generation date, tool."""

from __future__ import annotations

from evaluation import __version__, formats
from evaluation.formats import accorder
from evaluation.rapport.blocs import Entete as BlocEntete
from evaluation.rapport.blocs import Liens
from evaluation.rapport.sections import Section


class Entete(Section):
    nom = "entete"
    # The year's status, and the comité's texts of the page (Rapport puts each at the top of its
    # section): declared here, so that the page's fingerprint covers them.
    annexes = ("analyses", "collecte")

    def blocs(self, ctx):
        if ctx.vue.code_qpv:
            etiquette, valeur = (
                "Quartier",
                f"{ctx.noms[ctx.vue.code_qpv]} ({formats.code_insecable(ctx.vue.code_qpv)}), {ctx.commune}",
            )
        elif ctx.commune:
            etiquette, valeur = "Commune", ctx.commune
        else:
            etiquette, valeur = "Périmètre", "agglomération"
        if ctx.vue.code_qpv:
            liens = (
                ("Tous les rapports de l'année", "../index.html"),
                (f"Rapport de la commune ({ctx.commune})", f"../{formats.slug(ctx.commune)}.html"),
            )
        else:
            liens = (("Tous les rapports de l'année", "index.html"),)
        statut, provisoire, _, avis = ctx.annexe("analyses")
        if statut and not ctx.vue.code_qpv:
            statut += (
                f" ; {accorder(len(avis), 'avis annexé', 'avis annexés')}"
                if avis
                else " ; aucun avis de conseil annexé"
            )
        manquants, incomplets = ctx.annexe("collecte")
        return [
            BlocEntete(
                f"Présence humaine dans les quartiers prioritaires — {ctx.nom_perimetre}, {ctx.annee}",
                ctx.exemple,
                (
                    ("Territoire", ctx.nom_territoire),
                    (etiquette, valeur),
                    ("Année", str(ctx.annee)),
                    ("Version des données", ctx.version),
                    *([("Statut", statut)] if statut else []),
                    ("Généré le", formats.horodatage(ctx.genere_le)),
                    ("Outil", f"evaluation {__version__}, fiche 4.2.2"),
                ),
                frozenset({"Version des données"}),
                provisoire,
                manquants,
                incomplets,
            ),
            Liens("Voir aussi : ", liens),
        ]

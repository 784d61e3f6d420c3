"""The single-neighbourhood view (`notebooks/fiche_quartier.ipynb`): one QPV, its presence by
scheme and hours, its field signals, its trends and how it compares with its commune and
the agglomeration. Same data, same indicators, same masking as the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import figures, formats
from .affichage import afficher_figure, afficher_html
from .contract import AGGLOMERATION, libelle
from .formats import nombre, paragraphe
from .indicateurs import indicateur_de, libelle_code
from .indicateurs.veille import remontees_par_qpv_et_theme
from .problems import ErreurUtilisateur
from .rapport import Rapport, _territoire_et_annee
from .secret import MASQUE, masque, masquer

# Per-QPV codes compared with the commune and the agglomeration (C3 is C1's aggregate).
COMPARAISONS = (
    ("C1", "C3"),
    ("H1", None),
    ("H3", "H3"),
    ("H4", "H4"),
    ("E1", "E1"),
    ("E2", "E2"),
    ("E6", "E6"),
)


@dataclass
class FicheQuartier(Rapport):
    code_qpv: str = ""

    @classmethod
    def ouvrir(
        cls, donnees: str | Path | None = None, annee: int | None = None, code_qpv: str = ""
    ) -> FicheQuartier:
        t, annee = _territoire_et_annee(donnees, annee)
        qpv = t.quartiers_actifs(annee, "qpv")
        if code_qpv not in set(qpv["code_qpv"]):
            disponibles = ", ".join(f"{c} ({n})" for c, n in zip(qpv["code_qpv"], qpv["nom"], strict=True))
            raise ErreurUtilisateur(
                f"Quartier inconnu ou non prioritaire en {annee} : « {code_qpv} » ; QPV disponibles : {disponibles}."
            )
        commune = qpv.set_index("code_qpv").at[code_qpv, "commune"]
        return cls(t, annee, commune, code_qpv=code_qpv)

    def designation(self) -> tuple[str, str]:
        return "Quartier", f"{self.noms[self.code_qpv]} ({self.code_qpv}), {self.commune}"

    @property
    def perimetre(self) -> str:
        return self.code_qpv

    @property
    def nom_perimetre(self) -> str:
        return self.noms[self.code_qpv]

    def quartiers(self, annee: int | None = None, statut: str | None = None) -> pd.DataFrame:
        q = self.territoire.quartiers_actifs(annee or self.annee, statut)
        return q[q["code_qpv"] == self.code_qpv].reset_index(drop=True)

    # ------------------------------------------------------------------ sections

    def signaux(self) -> None:
        """The neighbourhood's field signals by theme (masked), and early follow-up."""
        v1, e6 = self.serie("V1").get(self.annee), self.serie("E6").get(self.annee)
        afficher_html(
            paragraphe(
                f"En {self.annee}, {nombre(v1)} remontées de terrain pour {self.nom_perimetre}"
                + (f" ; {formats.pourcentage(e6)} ont eu une suite dans les 2 jours." if v1 else ".")
                + f" Tout compte inférieur à 5 par thème est affiché « {MASQUE} »."
            )
        )
        comptes = remontees_par_qpv_et_theme(self.territoire, self.annee, [self.code_qpv])
        publie = masquer(comptes)
        afficher_html(
            formats.tableau(
                ["Quartier", *map(libelle, comptes.columns), "Total"],
                [[self.nom_perimetre, *publie.iloc[0]]],
                legende=f"Remontées par thème, {self.annee} (« {MASQUE} » : compte masqué)",
                numeriques=[False] + [True] * (len(comptes.columns) + 1),
            )
        )
        afficher_figure(
            figures.carte_masquee(
                comptes.rename(index=self.noms, columns=libelle),
                masque(comptes).iloc[:-1, :-1].to_numpy(),
                f"Remontées par thème, {self.nom_perimetre}, {self.annee} (comptes inférieurs à 5 masqués)",
            )
        )

    def comparaison(self) -> None:
        """The neighbourhood beside its commune and the agglomeration."""
        lignes, valeurs = [], {}
        for code, agrege in COMPARAISONS:
            ici = self.serie(code).get(self.annee)
            commune = self.serie(agrege, self.commune).get(self.annee) if agrege else None
            agglo = self.serie(agrege, AGGLOMERATION).get(self.annee) if agrege else None
            f = indicateur_de(code).formater
            lignes.append(
                [libelle_code(code), f(ici), f(commune) if agrege else "–", f(agglo) if agrege else "–"]
            )
            valeurs[code] = (ici, agglo)
        c1, c3 = valeurs["C1"]
        sous = self.valeurs_annee("C5").get(self.code_qpv) == 1
        afficher_html(
            paragraphe(
                f"{self.nom_perimetre} compte {indicateur_de('C1').avec_unite(c1)}, contre {nombre(c3, 2)} pour "
                f"l'ensemble des QPV de l'agglomération : "
                + (
                    "le quartier est sous-doté selon la règle de la fiche."
                    if sous
                    else "le quartier n'est pas sous-doté."
                )
            )
        )
        afficher_html(
            formats.tableau(
                ["Indicateur", self.nom_perimetre, f"QPV de {self.commune}", "QPV de l'agglomération"],
                lignes,
                legende=f"{self.nom_perimetre} comparé à sa commune et à l'agglomération, {self.annee}",
                numeriques=[False, True, True, True],
            )
        )
        c1_tous = self.valeurs_annee("C1").reindex(
            self.territoire.quartiers_actifs(self.annee, "qpv")["code_qpv"]
        )
        afficher_figure(
            figures.barres(
                c1_tous.rename(index=lambda c: self.noms[c] + (" ◆" if c == self.code_qpv else "")),
                f"C1 — ETP pour 1 000 habitants, {self.nom_perimetre} (◆) parmi les QPV, {self.annee}",
                "ETP pour 1 000 habitants",
                reference=c3,
            )
        )

    def tendances(self) -> None:
        self.tendance(["C1", "H1", "H3", "V1", "R3", "E1"], "Le quartier")

"""Report sections for the whole sheet (synthèse, coverage, organisation, network, veille
sociale, effects, funding, communes side by side), mixed into `rapport.Rapport`.

Every number comes from the indicator registry (`evaluation.indicateurs`), through the
report's cached long table; signal counts by neighbourhood and theme only through
`evaluation.secret`.
"""

from __future__ import annotations

import functools
import math

import pandas as pd

from . import figures, formats
from .affichage import afficher_figure, afficher_html
from .contract import AGGLOMERATION, DISPOSITIFS, FINANCEURS, LIEUX, SOURCES_REMONTEES, SUITES, libelle
from .formats import nombre, paragraphe
from .indicateurs import INDICATEURS, indicateur_de, libelle_code
from .indicateurs.consultation import Consultation, consultation
from .indicateurs.couverture import seuil_sous_dotation
from .indicateurs.geographie import LISTE_CONSTANTE, entrants_et_sortants, qpv_constants
from .indicateurs.organisation import grille_hebdomadaire
from .indicateurs.reseau import liste_des_outils, matrice_dispositifs_instances
from .indicateurs.veille import remontees_par_qpv_et_theme
from .secret import MASQUE, masque, masquer

SYNTHESE = ("R1", "R2", "R4", "R5", "C3", "C6", "H1", "H3", "H4", "N2", "V1", "V4", "V6", "E1", "E6", "F5")


def _fr(code: str, v: float | None) -> str:
    return indicateur_de(code).formater(v)


class SectionsFiche:
    """Mixin: needs `territoire`, `annee`, `annees`, `commune`, `perimetre`, `nom_perimetre`,
    `indicateurs()`, `quartiers()` and `noms` (see `rapport.Rapport`)."""

    # ------------------------------------------------------------------ helpers

    @functools.cached_property
    def _consultation(self) -> Consultation:
        """Lookups in the indicator table, shared by the reports of a batch."""
        self.indicateurs()  # computed (and stored for the next reports) when needed
        return consultation(self.territoire, self.annees)

    def _valeurs_de(self, perimetre: str) -> dict[tuple[str, int], float]:
        """One perimeter's values by (code, year), kept for this report."""
        cache = self.__dict__.setdefault("_valeurs_par_perimetre", {})
        if perimetre not in cache:
            cache[perimetre] = self._consultation.valeurs(perimetre)
        return cache[perimetre]

    def valeur(self, code: str, perimetre: str, annee: int | None = None) -> float | None:
        """One value (None when the code has no value for that perimeter and year)."""
        return self._valeurs_de(perimetre).get((code, annee or self.annee))

    def serie(self, code: str, perimetre: str | None = None) -> pd.Series:
        """One code for one perimeter over the report's years (missing where not computed)."""
        valeurs = self._valeurs_de(perimetre or self.perimetre)
        return pd.Series(
            [valeurs.get((code, a), math.nan) for a in self.annees],
            index=pd.Index(self.annees, name="annee"),
            name="valeur",
            dtype=float,
        )

    def valeurs_annee(self, code: str, annee: int | None = None) -> pd.Series:
        """One code for one year, indexed by perimeter (shared: do not modify in place)."""
        return self._consultation.valeurs_annee(code, annee or self.annee)

    def _du_perimetre(self, table: pd.DataFrame) -> pd.DataFrame:
        """The rows of `table` whose `perimetre` (a commune, a neighbourhood…) is in the
        report's perimeter."""
        if self.commune is None:
            return table
        return table[self.territoire.communes_de(table["perimetre"]) == self.commune]

    @functools.cached_property
    def _geographie(self) -> tuple[list[str], list[str]]:
        return entrants_et_sortants(self.territoire, self.annees)

    def codes_qpv(self, annee: int | None = None) -> list[str]:
        return self.quartiers(annee, "qpv")["code_qpv"].tolist()

    def nom_qpv(self, code: str) -> str:
        """Name with the geography marks: ★ entrant, † leaving within the period."""
        entrants, sortants = self._geographie
        marque = " ★" if code in entrants else (" †" if code in sortants else "")
        return self.noms.get(code, code) + marque

    def _legende_geographie(self) -> str:
        entrants, sortants = self._geographie
        parties = []
        if entrants:
            parties.append("★ quartier entré dans la liste en cours de période (quartier entrant)")
        if sortants:
            parties.append("† quartier sorti de la liste en cours de période")
        return " ; ".join(parties)

    def tendance(self, codes: list[str], titre: str, constante: bool = False) -> None:
        """Table and small multiples of `codes` for this perimeter over every year; for the
        agglomeration, also the codes computed on the constant list of QPVs."""
        series = pd.DataFrame({c: self.serie(c) for c in codes}).T
        lignes = [[libelle_code(c), *[_fr(c, v) for v in series.loc[c]]] for c in codes]
        constants = []
        if constante and self.commune is None:
            for c in codes:
                s = self.serie(c, LISTE_CONSTANTE)
                if s.notna().any():
                    constants.append(c)
                    lignes.append([f"{libelle_code(c)} (liste constante de QPV)", *[_fr(c, v) for v in s]])
        legende = f"{titre}, {self.nom_perimetre}, {self.annees[0]}–{self.annee}"
        if constants:
            n = len(qpv_constants(self.territoire, self.annees))
            legende += f" — « liste constante » : les {n} QPV présents chaque année"
        afficher_html(
            formats.tableau(
                ["Indicateur", *map(str, self.annees)],
                lignes,
                legende=legende,
                numeriques=[False] + [True] * len(self.annees),
            )
        )
        calculables = [c for c in codes if series.loc[c].notna().any()]
        if not calculables:
            return
        series = series.loc[calculables]
        afficher_figure(
            figures.tendances(
                series,
                f"{titre} depuis {self.annees[0]}, {self.nom_perimetre}",
                {c: libelle_code(c) for c in calculables},
                {c: ("%" if indicateur_de(c).pourcentage else indicateur_de(c).unite) for c in calculables},
                pourcentages={c for c in calculables if indicateur_de(c).pourcentage},
            )
        )

    def _evolution(self, code: str) -> str:
        s = self.serie(code)
        avant = s.get(self.annee - 1)
        maintenant = s.get(self.annee)
        i = indicateur_de(code)
        if i.pourcentage:
            if avant is None or maintenant is None or math.isnan(avant) or math.isnan(maintenant):
                return ""
            ecart = round((maintenant - avant) * 100)
            return "stable" if ecart == 0 else f"{'+' if ecart > 0 else '−'}{abs(ecart)} points"
        return formats.evolution(avant, maintenant, i.decimales)

    # ------------------------------------------------------------------ synthèse

    def synthese(self) -> None:
        """One page: the year's key figures, what changed since last year, target status."""
        from .objectifs import ATTEINT, NON_ATTEINT

        precedente = self.annee - 1 if self.annee - 1 in self.annees else None
        lignes, changements = [], []
        for code in SYNTHESE:
            s = self.serie(code)
            v, a = s.get(self.annee), s.get(precedente) if precedente else None
            lignes.append(
                [
                    libelle_code(code),
                    _fr(code, a) if precedente else "–",
                    _fr(code, v),
                    self._evolution(code) if precedente else "–",
                ]
            )
            if precedente and a is not None and v is not None and not (math.isnan(a) or math.isnan(v)) and a:
                changements.append((abs(v - a) / abs(a), code, a, v))
        points = []
        sous = [c for c in self.codes_qpv() if self.valeurs_annee("C5").get(c) == 1]
        points.append(
            f"Présence humaine : {_fr('C3', self.serie('C3').get(self.annee))} ETP pour 1 000 habitants des QPV ; "
            + (
                f"QPV sous-dotés : {', '.join(self.nom_qpv(c) for c in sous)}."
                if sous
                else "aucun QPV sous-doté."
            )
        )
        for _, code, a, v in sorted(changements, reverse=True)[:3]:
            points.append(
                f"{libelle_code(code)} : {_fr(code, a)} en {precedente}, {_fr(code, v)} en {self.annee}."
            )
        scores = self.objectifs_scores
        if len(scores):
            compte = scores["statut"].value_counts()
            points.append(
                f"Objectifs {self.annee} : {compte.get(ATTEINT, 0)} atteint(s), {compte.get(NON_ATTEINT, 0)} non "
                f"atteint(s) sur {len(scores)} (détail en section « Objectifs »)."
            )
        afficher_html("<p><strong>À retenir</strong></p>" + formats.liste(points))
        afficher_html(
            formats.tableau(
                ["Chiffre clé", str(precedente or "–"), str(self.annee), "Évolution"],
                lignes,
                legende=f"Chiffres clés {self.annee}, {self.nom_perimetre}",
                numeriques=[False, True, True, False],
            )
        )
        afficher_figure(
            figures.tendances(
                pd.DataFrame({c: self.serie(c) for c in ("R2", "C3", "H1", "V1")}).T,
                f"Quatre chiffres clés depuis {self.annees[0]}, {self.nom_perimetre}",
                {c: libelle_code(c) for c in ("R2", "C3", "H1", "V1")},
                {c: indicateur_de(c).unite for c in ("R2", "C3", "H1", "V1")},
            )
        )

    # ------------------------------------------------------------------ coverage

    def couverture(self) -> None:
        """Coverage per QPV and scheme, under-served QPVs, spread; QPV and veille apart."""
        qpv = self.codes_qpv()
        veille = self.quartiers(statut="veille_active")["code_qpv"].tolist()
        c1, c5, c9 = self.valeurs_annee("C1"), self.valeurs_annee("C5"), self.valeurs_annee("C9")
        c3 = self.serie("C3").get(self.annee)
        agglo = self.serie("C3", AGGLOMERATION).get(self.annee)
        seuil = seuil_sous_dotation(self.territoire, self.annee)
        sous = [c for c in qpv if c5.get(c) == 1]
        sans = [c for c in qpv if c1.get(c, 0) == 0]
        texte = (
            f"Les QPV de {self.nom_perimetre} comptent {_fr('C3', c3)} ETP annuels pour 1 000 habitants"
            + (f" (agglomération : {_fr('C3', agglo)})" if self.commune else "")
            + f". Un QPV est dit sous-doté sous {_fr('C3', seuil)} "
            f"({formats.pourcentage(self.territoire.parametres['seuil_sous_dotation'])} du niveau de l'agglomération) : "
            + (", ".join(f"{self.nom_qpv(c)} ({_fr('C1', c1[c])})" for c in sous) if sous else "aucun")
            + "."
        )
        texte += (
            f" QPV sans aucune présence : {', '.join(self.nom_qpv(c) for c in sans)}."
            if sans
            else " Tous les QPV ont une présence."
        )
        c7, c8 = self.serie("C7").get(self.annee), self.serie("C8").get(self.annee)
        if c7 is not None and not math.isnan(c7):
            texte += (
                f" Écart entre QPV : coefficient de variation {_fr('C7', c7)}, le QPV le moins doté a "
                f"{formats.pourcentage(c8)} de la présence du mieux doté."
            )
        afficher_html(paragraphe(texte))
        colonnes = [d for d in DISPOSITIFS if any(self.valeurs_annee(f"C2.{d}").reindex(qpv).fillna(0) > 0)]
        lignes, classes = [], []
        for c in sorted(qpv, key=lambda c: c1.get(c, 0)):
            lignes.append(
                [
                    self.nom_qpv(c),
                    *[_fr("C2", self.valeurs_annee(f"C2.{d}").get(c)) for d in colonnes],
                    _fr("C1", c1.get(c)),
                    "–",
                    "oui" if c5.get(c) == 1 else "non",
                ]
            )
            classes.append("echec" if c5.get(c) == 1 else "")
        for c in veille:
            lignes.append([self.nom_qpv(c), *["" for _ in colonnes], "–", _fr("C9", c9.get(c)), "–"])
            classes.append("")
        afficher_html(
            formats.tableau(
                [
                    "Quartier",
                    *[libelle(d) for d in colonnes],
                    "QPV : total (C1)",
                    "Veille active : total (C9)",
                    "Sous-doté",
                ],
                lignes,
                legende=f"ETP annuels pour 1 000 habitants par quartier et dispositif, {self.annee}, classés du moins au mieux doté"
                + (f" — {self._legende_geographie()}" if self._legende_geographie() else ""),
                numeriques=[False] + [True] * (len(colonnes) + 2) + [False],
                classes=classes,
            )
        )
        afficher_figure(
            figures.couverture(
                c1.reindex(qpv),
                {c: self.nom_qpv(c) for c in qpv},
                agglo,
                f"C1 — ETP annuels pour 1 000 habitants par QPV, {self.annee}",
                seuil=seuil,
                sous_dotes=set(sous),
            )
        )
        self.tendance(["C3", "C4", "C6", "C7", "C8"], "Couverture et disparités", constante=True)

    # ------------------------------------------------------------------ organisation

    def organisation(self) -> None:
        """Hours of presence, evenings and weekends, places, and the week's grid."""
        h1 = self.serie("H1").get(self.annee)
        h3, h4 = self.serie("H3").get(self.annee), self.serie("H4").get(self.annee)
        lieux = {x: self.serie(f"H5.{x}").get(self.annee) for x in LIEUX}
        principal = max(lieux, key=lambda x: lieux[x] or 0)
        texte = (
            f"En {self.annee}, {nombre(h1)} heures de présence par semaine en moyenne dans les quartiers de "
            f"{self.nom_perimetre}, dont {formats.pourcentage(h3)} en soirée (après 19 h) et {formats.pourcentage(h4)} "
            f"le week-end. Premier type de lieu : {libelle(principal).lower()} ({formats.pourcentage((lieux[principal] or 0) / h1) if h1 else '–'} des heures)."
        )
        afficher_html(paragraphe(texte))
        codes = self.quartiers()["code_qpv"].tolist()
        lignes = [
            [
                self.nom_qpv(c),
                libelle(s),
                _fr("H1", self.valeurs_annee("H1").get(c)),
                _fr("H3", self.valeurs_annee("H3").get(c)),
                _fr("H4", self.valeurs_annee("H4").get(c)),
            ]
            for c, s in zip(codes, self.quartiers()["statut"], strict=True)
            if s == "qpv"
        ]
        afficher_html(
            formats.tableau(
                ["QPV", "Statut", "Heures par semaine", "Part en soirée", "Part le week-end"],
                lignes,
                legende=f"Heures de présence par QPV, {self.annee}",
                numeriques=[False, False, True, True, True],
            )
        )
        afficher_figure(
            figures.grille_semaine(
                grille_hebdomadaire(self.territoire, self.annee, codes),
                f"Heures de présence par jour et heure, {self.nom_perimetre}, {self.annee}",
            )
        )
        afficher_figure(
            figures.barres(
                pd.Series({libelle(x): v or 0 for x, v in lieux.items()}),
                f"Heures de présence par semaine et type de lieu, {self.nom_perimetre}, {self.annee}",
                "Heures par semaine",
            )
        )
        self.tendance(["H1", "H3", "H4"], "Organisation de la présence", constante=True)

    # ------------------------------------------------------------------ network

    def reseau(self) -> None:
        """Meetings by instance, co-piloting, participants, schemes present, tools."""
        n1 = {
            i: self.serie(f"N1.{i}").get(self.annee)
            for i in ("reseau_acteurs", "clspd", "cellule_veille", "gup", "autre")
        }
        n2, n3 = self.serie("N2").get(self.annee), self.serie("N3").get(self.annee)
        texte = (
            f"En {self.annee} : {nombre(n1['reseau_acteurs'])} réunions du réseau des acteurs de terrain, "
            f"{nombre(n1['clspd'])} de CLSPD, {nombre(n1['cellule_veille'])} de cellules de veille."
        )
        if n2 is not None and not math.isnan(n2):
            texte += (
                f" {formats.pourcentage(n2)} des réunions du réseau sont copilotées par la Préfecture, la ville et "
                f"l'agglomération ensemble, comme le prévoit la fiche ; {nombre(n3, 1)} participants en moyenne."
            )
        afficher_html(paragraphe(texte))
        m = matrice_dispositifs_instances(self.territoire, self.annee, self.commune)
        m = m.loc[m.sum(axis=1) > 0, m.sum(axis=0) > 0]
        if m.size:
            afficher_html(
                formats.tableau(
                    ["Dispositif", *[libelle(i) for i in m.columns]],
                    [[libelle(d), *[nombre(v) for v in m.loc[d]]] for d in m.index],
                    legende=f"Réunions où chaque dispositif était présent, par instance, {self.annee}",
                    numeriques=[False] + [True] * len(m.columns),
                )
            )
            afficher_figure(
                figures.carte_de_chaleur(
                    m.rename(index=libelle, columns=libelle),
                    f"Présence des dispositifs aux réunions par instance, {self.annee}",
                    "Instance",
                    "Dispositif",
                )
            )
        outils = liste_des_outils(self.territoire, self.annee, self.commune)
        afficher_html(
            formats.tableau(
                ["Outil", "Type", "Périmètre", "Statut", "Mise en service"],
                [
                    [
                        o.nom,
                        libelle(o.type),
                        "Agglomération" if o.perimetre == AGGLOMERATION else o.perimetre,
                        libelle(o.statut),
                        formats.date(o.date_mise_en_service) if pd.notna(o.date_mise_en_service) else "–",
                    ]
                    for o in outils.itertuples()
                ],
                legende=f"Outils du réseau (R5), {self.annee}" + ("" if len(outils) else " : aucun"),
            )
        )
        self.tendance(["R1", "N1.clspd", "N1.cellule_veille", "N2", "N3", "R5"], "Réseau et coordination")

    # ------------------------------------------------------------------ veille sociale

    def veille(self) -> None:
        """Signals by neighbourhood and theme (masked), follow-up and delays."""
        v1 = self.serie("V1").get(self.annee)
        v4, v6, v7 = (self.serie(c).get(self.annee) for c in ("V4", "V6", "V7"))
        texte = f"En {self.annee}, {nombre(v1)} remontées de terrain"
        if v1:
            texte += (
                f" ; {formats.pourcentage(v4)} ont eu une suite, dans un délai médian de {nombre(v6, 1)} jours "
                f"({formats.pourcentage(v7)} des suites datées dans les 7 jours)."
            )
        else:
            texte += "."
        texte += (
            " Les échanges des CLSPD et cellules de veille sont confidentiels : seuls des comptes sont publiés, "
            f"et tout compte inférieur à 5 par quartier et thème est affiché « {MASQUE} », avec un second masquage "
            "lorsqu'un total permettrait de le retrouver."
        )
        afficher_html(paragraphe(texte))
        codes = self.quartiers()["code_qpv"].tolist()
        comptes = remontees_par_qpv_et_theme(self.territoire, self.annee, codes)
        publie = masquer(comptes)
        themes = [libelle(c) for c in comptes.columns]
        afficher_html(
            formats.tableau(
                ["Quartier", *themes, "Total"],
                [[self.nom_qpv(c) if c in codes else "Total", *publie.loc[c]] for c in publie.index],
                legende=f"Remontées par quartier et thème, {self.annee} (« {MASQUE} » : compte masqué)",
                numeriques=[False] + [True] * (len(themes) + 1),
            )
        )
        afficher_figure(
            figures.carte_masquee(
                comptes.rename(index=self.nom_qpv, columns=libelle),
                masque(comptes).iloc[:-1, :-1].to_numpy(),
                f"Remontées par quartier et thème, {self.annee} (comptes inférieurs à 5 masqués)",
            )
        )
        self._comptes_masques(
            "V3", SOURCES_REMONTEES, f"Remontées par dispositif à l'origine, {self.annee}", sans_vides=True
        )
        self._comptes_masques("V5", SUITES, f"Remontées par suite donnée, {self.annee}")
        self.tendance(["V1", "V4", "V6", "V7"], "Veille sociale", constante=True)

    def _comptes_masques(
        self, famille: str, valeurs: tuple[str, ...], legende: str, sans_vides: bool = False
    ) -> None:
        """One row of this perimeter's counts of the family `famille` (V3.x, V5.x…) per value,
        small counts masked; with `sans_vides`, values never counted are left out."""
        comptes = pd.DataFrame(
            {libelle(x): [self.serie(f"{famille}.{x}").get(self.annee) or 0] for x in valeurs}
        ).astype(int)
        if sans_vides and comptes.to_numpy().sum():
            comptes = comptes.loc[:, comptes.sum() > 0]
        publie = masquer(comptes.set_axis([self.nom_perimetre]))
        afficher_html(
            formats.tableau(
                ["Périmètre", *comptes.columns, "Total"],
                [[self.nom_perimetre, *publie.iloc[0]]],
                legende=legende,
                numeriques=[False] + [True] * (len(comptes.columns) + 1),
            )
        )

    # ------------------------------------------------------------------ effects

    def effets(self) -> None:
        """The proposed effect indicators, each with its definition and the effect it serves."""
        from .indicateurs import EFFETS_ATTENDUS

        afficher_html(
            paragraphe(
                "La fiche énonce des effets attendus sans indicateur. Les indicateurs ci-dessous sont des "
                "propositions de l'outil, calculées à partir de l'activité mensuelle des postes et des remontées "
                "de terrain ; ils sont à discuter en comité de pilotage avant d'être retenus."
            )
        )
        codes = [c for c, i in INDICATEURS.items() if i.effet]
        lignes = []
        for c in codes:
            i = INDICATEURS[c]
            lignes.append(
                [
                    f"{c} — {i.libelle} (proposition)",
                    EFFETS_ATTENDUS[i.effet],
                    i.definition,
                    i.avec_unite(self.serie(c).get(self.annee)),
                    self._evolution(c) or "–",
                ]
            )
        afficher_html(
            formats.tableau(
                [
                    "Indicateur proposé",
                    "Effet attendu de la fiche",
                    "Définition",
                    str(self.annee),
                    "Évolution",
                ],
                lignes,
                legende=f"Indicateurs d'effets proposés, {self.nom_perimetre}, {self.annee}",
                numeriques=[False, False, False, True, False],
            )
        )
        e1, e6 = self.serie("E1").get(self.annee), self.serie("E6").get(self.annee)
        afficher_html(
            paragraphe(
                f"Chaque ETP déclarant une activité a eu {nombre(e1)} contacts avec des habitants dans l'année ; "
                f"{formats.pourcentage(e6)} des remontées ont eu une suite dans les 2 jours."
            )
        )
        self.tendance(codes, "Indicateurs d'effets proposés")

    # ------------------------------------------------------------------ funding

    def financements(self) -> None:
        """Amounts by source and scheme, shares, cost per ETP, State aid per adulte-relais."""
        f1 = pd.Series({f: self.serie(f"F1.{f}").get(self.annee) or 0 for f in FINANCEURS})
        total = f1.sum()
        if not total:
            afficher_html(paragraphe(f"Aucun financement déclaré pour {self.annee}."))
        parts = (f1 / total).sort_values(ascending=False) if total else f1
        texte = f"En {self.annee}, {nombre(total)} € de financements déclarés pour {self.nom_perimetre}"
        if total:
            texte += (
                ", dont "
                + ", ".join(f"{formats.pourcentage(p)} {libelle(f)}" for f, p in parts.items() if p > 0)
                + "."
            )
        f5, f6 = self.serie("F5").get(self.annee), self.serie("F6").get(self.annee)
        if f5 is not None and not math.isnan(f5):
            texte += f" Aide de l'État par adulte-relais en exercice : {nombre(f5)} €"
            texte += (
                f", soit {nombre(f6, 2)} fois l'aide nationale par poste de l'année."
                if f6 is not None and not math.isnan(f6)
                else " (aide nationale de l'année non connue de l'outil)."
            )
        afficher_html(paragraphe(texte))
        f = self._du_perimetre(self.territoire.annee(self.annee).financements)
        croise = f.pivot_table(
            index="dispositif", columns="financeur", values="montant_eur", aggfunc="sum", fill_value=0
        )
        if len(croise):
            afficher_html(
                formats.tableau(
                    ["Dispositif", *[libelle(c) for c in croise.columns], "Coût par ETP annuel"],
                    [
                        [
                            libelle(d),
                            *[f"{nombre(v)} €" for v in croise.loc[d]],
                            _fr("F4", self.serie(f"F4.{d}").get(self.annee)) + " €",
                        ]
                        for d in croise.index
                    ],
                    legende=f"Financements par dispositif et financeur, {self.annee} (euros)",
                    numeriques=[False] + [True] * (len(croise.columns) + 1),
                )
            )
            afficher_figure(
                figures.barres(
                    pd.Series({libelle(k): v for k, v in f1.items() if v}),
                    f"Financements par financeur, {self.nom_perimetre}, {self.annee}",
                    "Euros",
                )
            )
        self.tendance(
            ["F1.etat_anct", "F1.ville", "F1.departement", "F1.bailleur", "F5", "F6"], "Financements"
        )

    # ------------------------------------------------------------------ agglomeration

    def communes(self) -> None:
        """Communes side by side on every scalar indicator, and QPVs ranked by coverage."""
        communes = self.territoire.communes_actives(self.annee)
        codes = [c for c, i in INDICATEURS.items() if not i.cles and i.perimetres.startswith("agglomération")]
        lignes = []
        for c in codes:
            v = self.valeurs_annee(c)
            lignes.append(
                [f"{c} — {INDICATEURS[c].libelle}", *[_fr(c, v.get(x)) for x in [*communes, AGGLOMERATION]]]
            )
        afficher_html(
            paragraphe(
                f"Les {len(communes)} communes ayant un QPV en {self.annee}, côte à côte sur chaque indicateur "
                "calculé par commune, puis les QPV classés du moins au mieux doté."
            )
        )
        afficher_html(
            formats.tableau(
                ["Indicateur", *communes, "Agglomération"],
                lignes,
                legende=f"Communes côte à côte, {self.annee}",
                numeriques=[False] + [True] * (len(communes) + 1),
            )
        )
        c1, c5 = self.valeurs_annee("C1"), self.valeurs_annee("C5")
        qpv = sorted(self.codes_qpv(), key=lambda c: c1.get(c, 0))
        commune_de = self.territoire.commune_du_code
        afficher_html(
            formats.tableau(
                ["Rang", "QPV", "Commune", "ETP pour 1 000 habitants (C1)", "Sous-doté"],
                [
                    [
                        str(r),
                        self.nom_qpv(c),
                        commune_de[c],
                        _fr("C1", c1.get(c)),
                        "oui" if c5.get(c) == 1 else "non",
                    ]
                    for r, c in enumerate(qpv, start=1)
                ],
                legende=f"QPV classés par couverture, {self.annee} (en rouge : sous-dotés)",
                numeriques=[True, False, False, True, False],
                classes=["echec" if c5.get(c) == 1 else "" for c in qpv],
            )
        )
        afficher_figure(
            figures.barres(
                pd.Series({x: self.valeurs_annee("C3").get(x) for x in communes}),
                f"C3 — ETP pour 1 000 habitants des QPV par commune, {self.annee}",
                "ETP pour 1 000 habitants",
                reference=self.valeurs_annee("C3").get(AGGLOMERATION),
            )
        )

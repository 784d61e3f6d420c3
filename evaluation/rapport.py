"""What the report notebooks call: one method per report section.

A notebook opens a `Rapport` for a perimeter (a commune, or the agglomeration when
`commune` is None) and a year, then calls one method per section. Each method displays
generated French text, tables and figures; all numbers come from `evaluation.indicateurs`.
Every text taken from input files is escaped (see `formats`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__, figures, formats
from .affichage import afficher_figure, afficher_html
from .anct import pour_contrat
from .cache import charger_en_cache, tableau_partage
from .contract import AGGLOMERATION, LIBELLES
from .formats import e, nombre, paragraphe
from .indicateurs import EFFETS_ATTENDUS, INDICATEURS, indicateur_de
from .indicateurs.couverture import etp_par_qpv_et_dispositif
from .indicateurs.realisation import adultes_relais_hors_r2
from .objectifs import ATTEINT, NON_ATTEINT, NON_MESURABLE, proposer, scorer
from .paths import donnees_par_defaut
from .problems import ErreurUtilisateur
from .sections import SectionsFiche
from .territoire import Territoire

INDICATEURS_PERIMETRE = ("R1", "R2", "R4", "R5")


@dataclass
class Rapport(SectionsFiche):
    territoire: Territoire
    annee: int
    commune: str | None = None
    genere_le: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(second=0, microsecond=0))

    # ------------------------------------------------------------------ opening

    @classmethod
    def ouvrir(
        cls,
        donnees: str | Path | None = None,
        annee: int | None = None,
        commune: str | None = None,
        fiches_quartier: bool = False,
    ) -> Rapport:
        """Load and validate the data, check the parameters, and prepare the report."""
        t, annee = _territoire_et_annee(donnees, annee)
        if commune is not None and commune not in t.communes_actives(annee):
            raise ErreurUtilisateur(
                f"Commune inconnue ou sans QPV actif en {annee} : « {commune} » ; communes "
                f"disponibles : {', '.join(t.communes_actives(annee))}."
            )
        return cls(t, annee, commune, fiches_quartier=fiches_quartier)

    fiches_quartier: bool = False  # link each QPV to its page quartiers/<code>.html

    def designation(self) -> tuple[str, str]:
        """The report's perimeter as a header line: (label, value)."""
        return ("Commune", self.commune) if self.commune else ("Périmètre", "agglomération")

    @property
    def perimetre(self) -> str:
        return self.commune or AGGLOMERATION

    @property
    def nom_perimetre(self) -> str:
        return self.commune or self.territoire.nom

    @property
    def annees(self) -> list[int]:
        return self.territoire.annees_jusqu_a(self.annee)

    def quartiers(self, annee: int | None = None, statut: str | None = None) -> pd.DataFrame:
        q = self.territoire.quartiers_actifs(annee or self.annee, statut)
        return q if self.commune is None else q[q["commune"] == self.commune].reset_index(drop=True)

    @property
    def noms(self) -> dict[str, str]:
        q = self.territoire.quartiers
        return self.territoire.memoriser(("noms",), lambda: dict(zip(q["code_qpv"], q["nom"], strict=True)))

    def indicateurs(self) -> pd.DataFrame:
        """Every indicator for every year up to the report's, computed once per territory."""
        return tableau_partage(self.territoire, self.annees)

    # ------------------------------------------------------------------ sections

    def entete(self) -> None:
        t = self.territoire
        titre = f"Présence humaine dans les quartiers prioritaires — {self.nom_perimetre}, {self.annee}"
        etiquette, valeur = self.designation()
        bandeau = (
            '<p class="exemple" role="note">Données d\'exemple : ce rapport est produit sur des '
            "données en partie générées pour la démonstration ; il ne décrit pas la situation "
            "réelle.</p>"
            if t.exemple
            else ""
        )
        afficher_html(
            f'<header class="entete"><h1>{e(titre)}</h1>{bandeau}<dl>'
            f"<dt>Territoire</dt><dd>{e(t.nom)}</dd>"
            f"<dt>{e(etiquette)}</dt><dd>{e(valeur)}</dd>"
            f"<dt>Année</dt><dd>{self.annee}</dd>"
            f"<dt>Version des données</dt><dd><code>{e(t.version)}</code></dd>"
            f"<dt>Généré le</dt><dd>{formats.horodatage(self.genere_le)}</dd>"
            f"<dt>Outil</dt><dd>evaluation {e(__version__)}, fiche 4.2.2</dd>"
            "</dl></header>"
        )

    def contexte(self) -> None:
        qpv = self.quartiers(statut="qpv")
        veille = self.quartiers(statut="veille_active")
        entrants = qpv[qpv["annee_entree"] > min(self.annees)]
        lieu = (
            f"la commune de {self.commune}"
            if self.commune
            else f"l'agglomération ({qpv['commune'].nunique()} communes)"
        )
        texte = (
            f"En {self.annee}, {lieu} compte {len(qpv)} {formats.pluriel(len(qpv), 'QPV', 'QPV')} "
            f"actifs totalisant {nombre(qpv['population'].sum())} habitants"
        )
        if len(entrants):
            texte += (
                f", dont {len(entrants)} {formats.pluriel(len(entrants), 'quartier entrant')} depuis "
                f"{int(entrants['annee_entree'].min())} ({', '.join(entrants['nom'])})"
            )
        texte += "."
        if len(veille):
            texte += (
                f" {len(veille)} {formats.pluriel(len(veille), 'quartier')} de veille active "
                f"({nombre(veille['population'].sum())} habitants) "
                f"{'sont suivis' if len(veille) > 1 else 'est suivi'} sans statut QPV."
            )
        afficher_html(paragraphe(texte))
        lignes, classes = [], []
        for q in pd.concat([qpv, veille]).itertuples():
            entrant = "entrant" if q.annee_entree > min(self.annees) else ""
            lignes.append(
                [
                    q.nom,
                    q.code_qpv,
                    q.commune,
                    LIBELLES[q.statut],
                    nombre(q.population),
                    str(q.annee_population),
                    f"{q.annee_entree}{' (entrant)' if entrant else ''}",
                ]
            )
            classes.append(entrant)
        afficher_html(
            formats.tableau(
                ["Quartier", "Code", "Commune", "Statut", "Population", "Année de la population", "Entrée"],
                lignes,
                legende=f"Quartiers actifs en {self.annee}",
                numeriques=[False, False, False, False, True, True, False],
                classes=classes,
            )
        )
        if self.fiches_quartier:
            afficher_html(
                "<p>Fiches quartier : "
                + " · ".join(
                    f'<a href="quartiers/{e(formats.slug(c))}.html">{e(self.noms[c])}</a>'
                    for c in qpv["code_qpv"]
                )
                + "</p>"
            )
        afficher_figure(
            figures.population_quartiers(
                pd.concat([qpv, veille]), f"Population des quartiers, {self.nom_perimetre}, {self.annee}"
            )
        )

    def realisations(self) -> None:
        ici = self._consultation.du_perimetre(self.perimetre)
        series = ici.pivot_table(index="indicateur", columns="annee", values="valeur").reindex(
            list(INDICATEURS_PERIMETRE)
        )
        codes_qpv = self.quartiers(statut="qpv")["code_qpv"].tolist()
        r3 = self._consultation.du_code("R3")
        r3 = r3[r3.perimetre.isin(codes_qpv)]
        r3_annees = r3.pivot_table(index="perimetre", columns="annee", values="valeur").reindex(
            index=codes_qpv, columns=self.annees
        )
        phrases = {}
        for code in INDICATEURS_PERIMETRE:
            i = INDICATEURS[code]
            avant = (
                self.valeur(code, self.perimetre, self.annee - 1) if self.annee - 1 in self.annees else None
            )
            maintenant = self.valeur(code, self.perimetre)
            phrases[code] = (
                f"{code} — {i.libelle} : {i.avec_unite(maintenant)} en {self.annee}, "
                f"{formats.evolution(avant, maintenant, i.decimales)}."
            )
        sans = [self.noms[c] for c in codes_qpv if self.valeur("R3", c) == 0]
        avec = len(codes_qpv) - len(sans)
        phrase_r3 = f"R3 — Correspondants de quartier : {avec} QPV sur {len(codes_qpv)} en ont au moins un au 31 décembre {self.annee}"
        phrase_r3 += f" ; sans correspondant : {', '.join(sans)}." if sans else "."
        entrants = self.quartiers(statut="qpv")
        entrants = entrants[entrants["annee_entree"] > min(self.annees)]
        for q in entrants.itertuples():
            n = self.valeur("R3", q.code_qpv) or 0
            phrase_r3 += (
                f" Quartier entrant {q.nom} : {nombre(n)} correspondant{'s' if n > 1 else ''}"
                f"{' (création attendue par la fiche)' if n == 0 else ''}."
            )
        phrases["R3"] = phrase_r3
        afficher_html(formats.liste(phrases[c] for c in sorted(phrases)))
        entetes = ["Indicateur", "Unité", *map(str, self.annees)]
        lignes = [
            [f"{c} — {INDICATEURS[c].libelle}", INDICATEURS[c].unite]
            + [
                nombre(series.at[c, a], INDICATEURS[c].decimales) if a in series.columns else "–"
                for a in self.annees
            ]
            for c in INDICATEURS_PERIMETRE
        ]
        afficher_html(
            formats.tableau(
                entetes,
                lignes,
                legende=f"Indicateurs de réalisation, {self.nom_perimetre}, {self.annees[0]}–{self.annee}",
                numeriques=[False, False] + [True] * len(self.annees),
            )
        )
        afficher_html(
            formats.tableau(
                ["QPV", *map(str, self.annees)],
                [[self.noms[c]] + [nombre(v) for v in r3_annees.loc[c].to_numpy()] for c in codes_qpv],
                legende="R3 — Correspondants de quartier au 31 décembre, par QPV (– : quartier pas encore prioritaire)",
                numeriques=[False] + [True] * len(self.annees),
            )
        )
        self._comparaison_anct()
        series.loc["R3"] = r3_annees.sum(min_count=1)
        libelles = {c: INDICATEURS[c].libelle for c in series.index}
        libelles["R3"] = "Correspondants (somme des QPV)"
        afficher_figure(
            figures.tendances(
                series.reindex(["R1", "R2", "R3", "R4", "R5"]),
                f"Indicateurs de réalisation depuis {self.annees[0]}, {self.nom_perimetre}",
                libelles,
                {c: INDICATEURS[c].unite for c in series.index},
            )
        )

    def _comparaison_anct(self) -> None:
        """R2 beside ANCT's count of funded adultes-relais posts for the contract."""
        t = self.territoire
        codes = t.parametres["code_contrat"]
        anct = pour_contrat(t.anct, codes) if len(t.anct) else None
        if anct is None or anct.empty:
            afficher_html(
                paragraphe(
                    "Comparaison avec l'ANCT : aucune donnée de l'ANCT pour le contrat "
                    f"{', '.join(codes)} (voir la commande import-anct)."
                )
            )
            return
        r2 = self._consultation.du_perimetre(AGGLOMERATION)
        r2 = r2[r2.indicateur == "R2"].set_index("annee")["valeur"]
        if self.annee in anct.index:
            n, local = int(anct.at[self.annee, "postes"]), int(r2[self.annee])
            hors = adultes_relais_hors_r2(t, self.annee)
            texte = (
                f"Selon l'ANCT, {n} postes d'adultes-relais ont été financés en {self.annee} pour le contrat "
                f"{anct.at[self.annee, 'codes']} ; les partenaires en déclarent {local} en exercice au 31 décembre "
                f"(R2, à l'échelle de l'agglomération)."
            )
            if n == local:
                texte += " Les deux sources concordent."
            else:
                texte += (
                    f" L'écart de {abs(n - local)} poste(s) s'explique d'abord par la définition : l'ANCT compte "
                    "les postes financés dans l'année, R2 ceux en exercice au 31 décembre"
                    + (
                        f" ({hors} poste(s) déclaré(s) vacant(s) ou terminé(s) avant le 31 décembre)"
                        if hors
                        else ""
                    )
                    + " ; un reste d'écart signale un poste non déclaré par les partenaires ou rattaché à un autre "
                    "contrat, à vérifier avec eux."
                )
        else:
            texte = (
                f"Pas de données de l'ANCT pour {self.annee} (dernière année disponible : {anct.index.max()}) ; "
                "comparaison des années précédentes ci-dessous."
            )
        afficher_html(paragraphe(texte))
        annees = [a for a in self.annees if a in anct.index]
        afficher_html(
            formats.tableau(
                [
                    "Année",
                    "Contrat",
                    "Postes financés (ANCT)",
                    "R2 au 31 décembre",
                    "Écart",
                    "Aide de l'État (ANCT)",
                ],
                [
                    [
                        str(a),
                        anct.at[a, "codes"],
                        nombre(anct.at[a, "postes"]),
                        nombre(r2[a]),
                        nombre(r2[a] - anct.at[a, "postes"]),
                        f"{nombre(anct.at[a, 'montant_etat_eur'])} €",
                    ]
                    for a in annees
                ],
                legende="R2 et données ouvertes de l'ANCT (« ANCT — données Dauphin/ASP », Licence Ouverte 2.0)",
                numeriques=[False, False, True, True, True, True],
            )
        )

    def objectifs(self) -> None:
        """Last targets scored, next year's proposed (for this perimeter)."""
        scores = self.objectifs_scores
        propositions = self._du_perimetre(self._pour_le_territoire(proposer))
        if scores.empty:
            afficher_html(
                paragraphe(
                    f"Aucun objectif n'est fixé pour {self.annee} dans objectifs.csv pour ce périmètre."
                )
            )
        else:
            compte = scores["statut"].value_counts()
            texte = (
                f"En {self.annee}, {len(scores)} objectif(s) : {compte.get(ATTEINT, 0)} atteint(s), "
                f"{compte.get(NON_ATTEINT, 0)} non atteint(s), {compte.get(NON_MESURABLE, 0)} non mesurable(s)."
            )
            manques = scores[scores["statut"] == NON_ATTEINT]
            if len(manques):
                texte += (
                    " Non atteints : "
                    + " ; ".join(
                        f"{m.indicateur} {self._nom(m.perimetre)} ({nombre(m.valeur, indicateur_de(m.indicateur).decimales)} "
                        f"pour une cible de {nombre(m.cible, indicateur_de(m.indicateur).decimales)})"
                        for m in manques.itertuples()
                    )
                    + "."
                )
            afficher_html(paragraphe(texte))
            afficher_html(
                formats.tableau(
                    ["Indicateur", "Périmètre", "Cible", "Valeur", "Écart", "Statut", "Explication"],
                    [
                        [
                            s.indicateur,
                            self._nom(s.perimetre),
                            f"{'≥' if s.sens == 'au_moins' else '≤'} {nombre(s.cible, indicateur_de(s.indicateur).decimales)}",
                            nombre(s.valeur, indicateur_de(s.indicateur).decimales),
                            nombre(s.ecart, indicateur_de(s.indicateur).decimales),
                            s.statut,
                            s.explication,
                        ]
                        for s in scores.itertuples()
                    ],
                    legende=f"Objectifs {self.annee} (objectifs.csv)",
                    numeriques=[False, False, True, True, True, False, False],
                    classes=["echec" if s == NON_ATTEINT else "" for s in scores["statut"]],
                )
            )
            afficher_figure(
                figures.statuts_objectifs(scores, f"Objectifs {self.annee} par indicateur et statut")
            )
        afficher_html(
            paragraphe(
                f"{len(propositions)} objectif(s) proposé(s) pour {self.annee + 1} selon les règles de la fiche "
                "(hausse vers le seuil dans les QPV sous-dotés, maintien ailleurs, correspondants maintenus et créés "
                "dans les quartiers entrants, adultes-relais et réunions du réseau au moins au niveau de l'année). "
                f"Ils sont écrits dans objectifs_proposes_{self.annee + 1}.csv au format d'objectifs.csv, à relire "
                "avant de les y ajouter."
            )
        )
        afficher_html(
            formats.tableau(
                ["Indicateur", "Périmètre", "Cible proposée", "Raison"],
                [
                    [
                        p.indicateur,
                        self._nom(p.perimetre),
                        f"≥ {nombre(p.cible, indicateur_de(p.indicateur).decimales)}",
                        p.raison,
                    ]
                    for p in propositions.itertuples()
                ],
                legende=f"Objectifs proposés pour {self.annee + 1}",
                numeriques=[False, False, True, False],
            )
        )

    @functools.cached_property
    def objectifs_scores(self) -> pd.DataFrame:
        """The year's targets of this perimeter, scored (shown in the synthèse and in « Objectifs »)."""
        return self._du_perimetre(self._pour_le_territoire(scorer))

    def _pour_le_territoire(self, calcul) -> pd.DataFrame:
        """`calcul(territoire, annee, indicateurs)` for the whole territory (targets scored,
        targets proposed): computed once for every report of a batch."""
        cle = (calcul.__module__, calcul.__qualname__, self.annee, tuple(self.annees))
        return self.territoire.memoriser(cle, lambda: calcul(self.territoire, self.annee, self.indicateurs()))

    def _nom(self, perimetre: str) -> str:
        if perimetre == AGGLOMERATION:
            return "Agglomération"
        return self.noms.get(perimetre, perimetre)

    def presence(self) -> None:
        """Annual ETP by scheme and neighbourhood (QPV and veille areas apart)."""
        quartiers = pd.concat([self.quartiers(statut="qpv"), self.quartiers(statut="veille_active")])
        etp = (
            etp_par_qpv_et_dispositif(self.territoire, self.annee).reindex(quartiers["code_qpv"]).fillna(0.0)
        )
        etp = etp.loc[:, etp.sum() > 0]
        codes_qpv = self.codes_qpv()
        total_qpv = etp.loc[codes_qpv].to_numpy().sum()
        par_dispositif = etp.loc[codes_qpv].sum().sort_values(ascending=False)
        texte = (
            f"En {self.annee}, la présence humaine représente {nombre(total_qpv, 1)} ETP annuels dans les QPV "
            f"de {self.nom_perimetre}"
        )
        if total_qpv > 0:
            texte += " : " + ", ".join(
                f"{LIBELLES[d].lower()} {formats.pourcentage(v / total_qpv)}"
                for d, v in par_dispositif.items()
                if v > 0
            )
        veille = etp.drop(index=codes_qpv).to_numpy().sum()
        texte += (
            f". Les quartiers de veille active en comptent {nombre(veille, 1)}."
            if len(etp) > len(codes_qpv)
            else "."
        )
        afficher_html(paragraphe(texte))
        lignes = [
            [
                self.nom_qpv(q.code_qpv),
                LIBELLES[q.statut],
                *[nombre(v, 2) for v in etp.loc[q.code_qpv]],
                nombre(etp.loc[q.code_qpv].sum(), 2),
            ]
            for q in quartiers.itertuples()
        ]
        afficher_html(
            formats.tableau(
                ["Quartier", "Statut", *[LIBELLES[d] for d in etp.columns], "Total"],
                lignes,
                legende=f"ETP annuels par quartier et dispositif, {self.annee}",
                numeriques=[False, False] + [True] * (len(etp.columns) + 1),
            )
        )
        afficher_figure(
            figures.etp_par_dispositif(
                etp, self.noms, f"ETP annuels par quartier et dispositif, {self.annee}"
            )
        )

    def methode(self) -> None:
        t = self.territoire
        afficher_html(
            paragraphe(
                "Les indicateurs R1 à R5 sont ceux de la fiche 4.2.2 ; tous les autres sont proposés par "
                "l'outil (mention « proposition »), les indicateurs E répondant aux effets attendus de la fiche, "
                "qui n'en fixe pas. "
                "Un poste est actif de sa date de début (ou du 1er janvier) à sa date de fin (ou du "
                "31 décembre), bornes incluses ; ses ETP annuels valent ETP × jours d'activité / jours "
                "de l'année ; les postes vacants ne comptent pas. Chaque périmètre actif dans l'année "
                "reçoit une valeur, zéro compris."
            )
        )
        afficher_html(
            '<dl class="definitions">'
            + "".join(
                f"<dt>{e(i.code)} — {e(i.libelle)} ({e(i.unite)}, par {e(i.perimetres)})"
                f"{' — proposition' if i.proposition else ' — indicateur de la fiche'}</dt><dd>{e(i.definition)}"
                + (f" Effet attendu servi : {e(EFFETS_ATTENDUS[i.effet])}." if i.effet else "")
                + (f" Déclinaisons : {e(', '.join(i.codes))}." if i.cles else "")
                + "</dd>"
                for i in INDICATEURS.values()
            )
            + "</dl>"
        )
        afficher_html(
            paragraphe(
                f"Sources : fichiers du contrat de données v1 fournis par les partenaires "
                f"({len(t.fichiers)} fichiers, années {self.annees[0]} à {self.annee}), validés avant tout "
                f"calcul. Version des données : {t.version} (empreinte des fichiers d'entrée)."
            )
        )
        volumes = t.volumes().loc[:, self.annees]
        vides = [(nom, a) for nom, ligne in volumes.iterrows() for a, v in ligne.items() if v == 0]
        texte = (
            f"Les données de {self.annee} comptent {nombre(volumes[self.annee].sum())} lignes, contre "
            f"{nombre(volumes[self.annee - 1].sum())} l'année précédente."
            if self.annee - 1 in volumes.columns
            else f"Les données de {self.annee} comptent {nombre(volumes[self.annee].sum())} lignes."
        )
        texte += (
            " Tables vides : " + ", ".join(f"{nom} ({a})" for nom, a in vides) + " : les indicateurs qui en "
            "dépendent valent zéro ces années-là."
            if vides
            else " Aucune table n'est vide."
        )
        afficher_html(paragraphe(texte))
        afficher_figure(
            figures.volumes(volumes, f"Lignes par table et par année, {self.annees[0]}–{self.annee}")
        )
        if t.exemple:
            afficher_html(
                paragraphe(
                    "Données d'exemple : quartiers, populations connues, adultes-relais (effectifs ANCT "
                    "2020–2024), prévention spécialisée et équipe de médiation reprennent des faits publics ; "
                    "les autres valeurs et les codes de quartier (codes locaux TMVL-…) sont générés."
                )
            )


def _territoire_et_annee(donnees, annee) -> tuple[Territoire, int]:
    """The validated territory and the report's year (default: the latest), checked."""
    t = charger_en_cache(donnees or donnees_par_defaut())
    try:
        annee = int(annee) if annee is not None else t.derniere_annee
    except (TypeError, ValueError):
        raise ErreurUtilisateur(
            f"Année invalide : « {annee} » ; années disponibles : {', '.join(map(str, sorted(t.annees)))}."
        ) from None
    t.annee(annee)  # a clear French error when the year has no data
    return t, annee


def _erreur_en_une_phrase(shell, type_, valeur, trace, tb_offset=None):
    """In a notebook, a wrong parameter or invalid data stops the run with the French message
    alone, not a Python traceback (the cell still fails: « Run All » and papermill stop)."""
    import sys

    print(f"Erreur : {valeur}", file=sys.stderr)


def _installer_gestionnaire() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is not None:
        from .problems import DonneesInvalides

        shell.set_custom_exc((ErreurUtilisateur, DonneesInvalides), _erreur_en_une_phrase)


_installer_gestionnaire()

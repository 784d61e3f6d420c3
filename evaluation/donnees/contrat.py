"""Data contract v1: the tables partners fill in, their columns and enumerations.

This module is the single description of the contract. The loader (`lecture.py`) parses
cells with it, the validator (`regles.py`) builds its pandera schemas from it, and
later the collection workbook and the method section read the same descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

VERSION = "v1"

DISPOSITIFS = (
    "educateur_prevention",
    "mediateur",
    "adulte_relais",
    "correspondant_quartier",
    "police_municipale",
    "delegue_prefet",
    "autre",
)
FINANCEURS = ("etat_anct", "fipd", "departement", "ville", "bailleur", "gup", "autre")
OUI_NON = ("oui", "non")
STATUTS_QUARTIER = ("qpv", "veille_active")
# Where a neighbourhood's population comes from (quartiers.csv, optional column).
SOURCES_POPULATION = ("recensement", "liste_anct", "estimation")
# The list whose contour a population was measured on, for a QPV reshaped in 2024: the
# 2015 list is in force until 2023, the 2024 list from 2024 (`GEOGRAPHIE_2024`).
CONTOURS = ("2015", "2024")
GEOGRAPHIE_2024 = 2024
JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
LIEUX = (
    "rue",
    "hall_immeuble",
    "local",
    "etablissement_scolaire",
    "transports",
    "equipement_public",
    "autre",
)
INSTANCES = ("reseau_acteurs", "clspd", "cellule_veille", "gup", "autre")
COPILOTES = ("prefecture", "ville", "agglomeration", "departement", "bailleur")
THEMES = (
    "tranquillite_publique",
    "conflit_voisinage",
    "jeunesse",
    "scolarite",
    "cadre_de_vie",
    "acces_aux_droits",
    "sante",
    "autre",
)
# Sources of field signals are schemes: the contract's « source (a dispositif) ».
SOURCES_REMONTEES = DISPOSITIFS
SUITES = ("traitee_sur_place", "orientation", "cellule_veille", "signalement_partenaire", "aucune")
TYPES_OUTIL = (
    "annuaire",
    "fiche_liaison",
    "plateforme_echange",
    "cartographie",
    "formation",
    "protocole",
    "autre",
)
STATUTS_OUTIL = ("en_projet", "en_service", "abandonne")
SENS = ("au_moins", "au_plus")

AGGLOMERATION = "agglomeration"
# A workbook's drop-downs show a neighbourhood as « TMVL-Q01 — Sanitas »; the reader keeps the
# code of these columns (the code alone is read as well).
SEPARATEUR_DE_NOM = " — "
COLONNES_DE_QUARTIER = ("code_qpv", "perimetre")

# French labels shown in reports for the enumeration codes.
LIBELLES = {
    "educateur_prevention": "Éducateurs de prévention",
    "mediateur": "Médiateurs",
    "adulte_relais": "Adultes-relais",
    "correspondant_quartier": "Correspondants de quartier",
    "police_municipale": "Police municipale",
    "delegue_prefet": "Délégués du préfet",
    "autre": "Autres",
    "qpv": "QPV",
    "veille_active": "Quartier de veille active",
    # sources of populations
    "recensement": "Recensement",
    "liste_anct": "Liste ANCT",
    "estimation": "Estimation",
    # funders
    "etat_anct": "État (ANCT)",
    "fipd": "FIPD",
    "departement": "Département",
    "ville": "Ville",
    "bailleur": "Bailleurs sociaux",
    "gup": "GUP",
    # funding groups (the keys of indicator F8, not a column of the contract)
    "credits_specifiques": "Crédits spécifiques de la politique de la ville",
    "droit_commun": "Droit commun et autres financements",
    # places
    "rue": "Rue",
    "hall_immeuble": "Halls d'immeuble",
    "local": "Local",
    "etablissement_scolaire": "Établissements scolaires",
    "transports": "Transports",
    "equipement_public": "Équipements publics",
    # instances
    "reseau_acteurs": "Réseau des acteurs de terrain",
    "clspd": "CLSPD",
    "cellule_veille": "Cellule de veille",
    # themes
    "tranquillite_publique": "Tranquillité publique",
    "conflit_voisinage": "Conflits de voisinage",
    "jeunesse": "Jeunesse",
    "scolarite": "Scolarité",
    "cadre_de_vie": "Cadre de vie",
    "acces_aux_droits": "Accès aux droits",
    "sante": "Santé",
    # follow-ups
    "traitee_sur_place": "Traitée sur place",
    "orientation": "Orientation",
    "signalement_partenaire": "Signalement à un partenaire",
    "aucune": "Aucune suite",
    # tools
    "annuaire": "Annuaire",
    "fiche_liaison": "Fiche de liaison",
    "plateforme_echange": "Plateforme d'échange",
    "cartographie": "Cartographie",
    "formation": "Formation",
    "protocole": "Protocole",
    "en_projet": "En projet",
    "en_service": "En service",
    "abandonne": "Abandonné",
}


# Readers' names of the yearly tables (reports never show a table's identifier).
LIBELLES_TABLES = {
    "postes": "Postes",
    "plages": "Plages de présence",
    "reunions": "Réunions",
    "remontees": "Remontées de terrain",
    "activite": "Activité mensuelle",
    "financements": "Financements",
    "outils": "Outils du réseau",
}


def libelle(code: str) -> str:
    """French label of an enumeration code (the code itself when it has none)."""
    return LIBELLES.get(code, code)


# Labels that keep their capital inside a sentence: institutions (« l'État », « le
# Département », as French administrative writing names them); acronyms keep theirs anyway.
INSTITUTIONS = frozenset({"etat_anct", "departement"})


def libelle_en_texte(code: str) -> str:
    """The label as running text says it: a common noun in lower case (« ville », « bailleurs
    sociaux », « éducateurs de prévention »), an institution or an acronym as written (« État
    (ANCT) », « Département », « FIPD », « GUP »). Tables keep `libelle`, capitalised."""
    texte = libelle(code)
    if code in INSTITUTIONS or texte.split(" ")[0].isupper():
        return texte
    return texte[:1].lower() + texte[1:]


# Cell types the loader knows how to parse.
TEXTE, ENTIER, DECIMAL, DATE, HEURE, ENUM, LISTE = (
    "texte",
    "entier",
    "decimal",
    "date",
    "heure",
    "enum",
    "liste",
)


@dataclass(frozen=True)
class Colonne:
    """One column of a contract table."""

    nom: str
    type: str
    description: str
    requis: bool = True
    valeurs: tuple[str, ...] = ()
    minimum: float | None = None
    minimum_strict: bool = False
    maximum: float | None = None


@dataclass(frozen=True)
class Table:
    """One table of the contract: its columns, its key and whether it is yearly."""

    nom: str
    description: str
    colonnes: tuple[Colonne, ...]
    cle: tuple[str, ...] = ()
    annuelle: bool = True
    facultative: bool = False
    note: str = ""  # rules of the table's columns, printed under it in docs/contrat-donnees.md
    noms: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "noms", tuple(c.nom for c in self.colonnes))

    def colonne(self, nom: str) -> Colonne:
        return next(c for c in self.colonnes if c.nom == nom)


C = Colonne

TABLES: dict[str, Table] = {
    t.nom: t
    for t in (
        Table(
            "quartiers",
            "Quartiers du territoire (QPV et quartiers de veille active)",
            (
                C("code_qpv", TEXTE, "Code du quartier (code officiel ou code local)"),
                C("nom", TEXTE, "Nom du quartier"),
                C("commune", TEXTE, "Commune du quartier"),
                C("population", ENTIER, "Population du quartier (habitants)", minimum=0, minimum_strict=True),
                C("annee_population", ENTIER, "Année de référence de la population", minimum=1990),
                C("statut", ENUM, "qpv ou veille_active", valeurs=STATUTS_QUARTIER),
                C("annee_entree", ENTIER, "Première année du quartier dans le contrat", minimum=1990),
                C(
                    "annee_sortie",
                    ENTIER,
                    "Dernière année du quartier (vide s'il est toujours actif)",
                    requis=False,
                    minimum=1990,
                ),
                C(
                    "source_population",
                    ENUM,
                    "D'où vient la population : recensement (population municipale de l'Insee sur le "
                    "contour du quartier), liste_anct (population donnée par la liste officielle des QPV) ou "
                    "estimation (vide : source non précisée)",
                    requis=False,
                    valeurs=SOURCES_POPULATION,
                ),
                C(
                    "contour_population",
                    ENUM,
                    "Pour un QPV redessiné en 2024 : contour sur lequel la population a été mesurée, 2015 "
                    "ou 2024 (vide : contour inchangé en 2024 ou non précisé)",
                    requis=False,
                    valeurs=CONTOURS,
                ),
            ),
            cle=("code_qpv",),
            annuelle=False,
            note=(
                "Chaque population est affichée avec sa source et son année (« recensement 2018 », "
                "« estimation 2020 ») sur la ligne du quartier, et une estimation est signalée à côté de "
                "chaque taux pour 1 000 habitants qu'elle fonde ; sans `source_population`, la source est "
                "dite « non précisée », jamais supposée. La liste des QPV de 2015 vaut jusqu'en 2023, celle "
                "de 2024 à partir de 2024 : pour un QPV redessiné en 2024, une population mesurée sur un "
                "autre contour que celui de la liste de l'année est signalée « contour de 2015 » (années "
                "2024 et suivantes) ou « contour de 2024 » (années jusqu'à 2023). L'outil ne peut le déduire "
                "ni de `annee_population` (la liste de 2024 donne des populations de 2020 sur les nouveaux "
                "contours) ni du code (tous les codes officiels changent en 2024, QP… puis QN…) : "
                "`contour_population` le dit. Elle reste vide pour un quartier de veille active ; un QPV "
                "entré en 2024 ou après n'a pas de contour de 2015, un QPV sorti avant 2024 pas de contour "
                "de 2024."
            ),
        ),
        Table(
            "postes",
            "Postes de présence humaine, une ligne par poste et par quartier desservi",
            (
                C("id_poste", TEXTE, "Identifiant du poste (sans nom de personne)"),
                C("dispositif", ENUM, "Dispositif du poste", valeurs=DISPOSITIFS),
                C("structure", TEXTE, "Structure employeuse"),
                C("commune", TEXTE, "Commune du quartier desservi"),
                C("code_qpv", TEXTE, "Code du quartier desservi"),
                C(
                    "etp",
                    DECIMAL,
                    "ETP du poste dans ce quartier (> 0 ; somme des lignes d'un poste ≤ 1)",
                    minimum=0,
                    minimum_strict=True,
                ),
                C("financeur", ENUM, "Financeur principal", valeurs=FINANCEURS),
                C("vacant", ENUM, "Poste vacant (oui/non)", valeurs=OUI_NON),
                C("date_debut", DATE, "Début d'activité (vide : avant l'année)", requis=False),
                C("date_fin", DATE, "Fin d'activité (vide : après l'année)", requis=False),
            ),
            cle=("id_poste", "code_qpv"),
        ),
        Table(
            "plages",
            "Plages hebdomadaires de présence",
            (
                C("id_poste", TEXTE, "Identifiant du poste"),
                C("code_qpv", TEXTE, "Code du quartier"),
                C("jour", ENUM, "Jour de la semaine", valeurs=JOURS),
                C("debut", HEURE, "Heure de début (HH:MM)"),
                C("fin", HEURE, "Heure de fin (HH:MM, après le début)"),
                C("lieu", ENUM, "Type de lieu", valeurs=LIEUX),
            ),
            cle=("id_poste", "code_qpv", "jour", "debut"),
        ),
        Table(
            "reunions",
            "Réunions du réseau et des instances de coordination",
            (
                C("date", DATE, "Date de la réunion"),
                C("instance", ENUM, "Instance", valeurs=INSTANCES),
                C("perimetre", TEXTE, "Une commune ou « agglomeration »"),
                C("copilotage", LISTE, "Copilotes séparés par « | »", valeurs=COPILOTES),
                C("participants", ENTIER, "Nombre de participants", minimum=0),
                C(
                    "dispositifs_presents",
                    LISTE,
                    "Dispositifs présents séparés par « | »",
                    valeurs=DISPOSITIFS,
                    requis=False,
                ),
            ),
        ),
        Table(
            "remontees",
            "Remontées de terrain (veille sociale)",
            (
                C("date", DATE, "Date de la remontée"),
                C("code_qpv", TEXTE, "Code du quartier"),
                C("source", ENUM, "Dispositif à l'origine", valeurs=DISPOSITIFS),
                C("theme", ENUM, "Thème", valeurs=THEMES),
                C("suite", ENUM, "Suite donnée", valeurs=SUITES),
                C("date_suite", DATE, "Date de la suite", requis=False),
            ),
        ),
        Table(
            "activite",
            "Activité mensuelle par poste",
            (
                C("id_poste", TEXTE, "Identifiant du poste"),
                C("mois", ENTIER, "Mois (1 à 12)", minimum=1, maximum=12),
                C("contacts", ENTIER, "Contacts avec des habitants", minimum=0),
                C("orientations", ENTIER, "Orientations vers un partenaire", minimum=0),
                C("conflits", ENTIER, "Conflits traités", minimum=0),
                C("actions_collectives", ENTIER, "Actions collectives", minimum=0),
                C("signalements_techniques", ENTIER, "Signalements techniques", minimum=0),
            ),
            cle=("id_poste", "mois"),
            note=(
                "Le classeur d'un partenaire porte déjà une ligne par poste et par mois, `id_poste` et "
                "`mois` écrits, les nombres à saisir. Une ligne dont seules ces deux colonnes sont remplies "
                "est une ligne vide, ignorée à la lecture (classeur ou CSV) : un classeur renvoyé sans y "
                "toucher n'a aucune activité, ni erreur ni zéro. Une ligne commencée se remplit en entier "
                "(0 compris) : chaque nombre manquant est signalé."
            ),
        ),
        Table(
            "financements",
            "Financements par périmètre, dispositif et financeur",
            (
                C("perimetre", TEXTE, "« agglomeration », une commune ou un code de quartier"),
                C("dispositif", ENUM, "Dispositif financé", valeurs=DISPOSITIFS),
                C("financeur", ENUM, "Financeur", valeurs=FINANCEURS),
                C("montant_eur", DECIMAL, "Montant en euros", minimum=0),
            ),
            cle=("perimetre", "dispositif", "financeur"),
        ),
        Table(
            "outils",
            "Outils au service du réseau des acteurs de terrain",
            (
                C("nom", TEXTE, "Nom de l'outil"),
                C("type", ENUM, "Type d'outil", valeurs=TYPES_OUTIL),
                C("perimetre", TEXTE, "Une commune ou « agglomeration »"),
                C("statut", ENUM, "Statut", valeurs=STATUTS_OUTIL),
                C("date_mise_en_service", DATE, "Date de mise en service", requis=False),
            ),
            cle=("nom", "perimetre"),
        ),
        Table(
            "objectifs",
            "Objectifs annuels par indicateur et périmètre",
            (
                C("annee", ENTIER, "Année de l'objectif", minimum=2000),
                C("indicateur", TEXTE, "Code de l'indicateur (R1, R2…)"),
                C("perimetre", TEXTE, "« agglomeration », une commune ou un code de quartier"),
                C("cible", DECIMAL, "Valeur cible"),
                C("sens", ENUM, "au_moins ou au_plus", valeurs=SENS),
            ),
            cle=("annee", "indicateur", "perimetre"),
            annuelle=False,
        ),
        Table(
            "anct_adultes_relais",
            "Postes d'adultes-relais selon l'ANCT, par année et contrat (écrit par « import-anct »)",
            (
                C("annee", ENTIER, "Année", minimum=2000),
                C("code_contrat", TEXTE, "Code ANCT du contrat de ville"),
                C("postes", ENTIER, "Postes financés (id_poste distincts)", minimum=0),
                C("employeurs", ENTIER, "Employeurs distincts", minimum=0),
                C("montant_etat_eur", DECIMAL, "Aide de l'État en euros", minimum=0),
                C(
                    "annee_partielle",
                    ENUM,
                    "Année probablement partielle : aide usuelle par poste très inférieure à celle de "
                    "l'année précédente (oui/non ; vide : non)",
                    valeurs=OUI_NON,
                    requis=False,
                ),
            ),
            cle=("annee", "code_contrat"),
            annuelle=False,
            facultative=True,
        ),
        Table(
            "anct_contrats",
            "Tous les contrats de ville selon l'ANCT, par année : population des QPV et adultes-relais "
            "(écrit par « import-anct --contrats »)",
            (
                C("annee", ENTIER, "Année", minimum=2000),
                C(
                    "geographie",
                    ENTIER,
                    "Liste des contrats en vigueur : 2015 (jusqu'en 2023) ou 2024",
                    minimum=2000,
                ),
                C("code_contrat", TEXTE, "Code ANCT du contrat de ville"),
                C("libelle", TEXTE, "Nom du contrat selon l'ANCT (lib_cv)", requis=False),
                C(
                    "departement",
                    TEXTE,
                    "Code INSEE du département du contrat (« 77|95 » : un contrat sur deux départements, "
                    "compté une fois)",
                    requis=False,
                ),
                C(
                    "population_qpv",
                    DECIMAL,
                    "Population des QPV du contrat (vide : contrat absent de la liste)",
                    minimum=0,
                    requis=False,
                ),
                C(
                    "postes",
                    ENTIER,
                    "Postes d'adultes-relais financés, chacun compté une fois (0 : aucun ; vide : inconnu, "
                    "la raison dans hors_repartition)",
                    minimum=0,
                    requis=False,
                ),
                C("employeurs", ENTIER, "Employeurs distincts", minimum=0, requis=False),
                C("montant_etat_eur", DECIMAL, "Aide de l'État en euros", minimum=0, requis=False),
                C(
                    "postes_pour_10000",
                    DECIMAL,
                    "Postes pour 10 000 habitants des QPV (vide sans population)",
                    minimum=0,
                    requis=False,
                ),
                C(
                    "aide_par_poste_eur",
                    DECIMAL,
                    "Aide de l'État par poste (vide sans poste ou pour une année partielle)",
                    minimum=0,
                    requis=False,
                ),
                C(
                    "aide_usuelle_eur",
                    DECIMAL,
                    "Aide usuelle par poste de l'année, nationale",
                    minimum=0,
                    requis=False,
                ),
                C(
                    "annee_partielle",
                    ENUM,
                    "Année probablement partielle (oui/non)",
                    valeurs=OUI_NON,
                    requis=False,
                ),
                C(
                    "hors_repartition",
                    TEXTE,
                    "Pourquoi le contrat est hors de la répartition nationale (vide : il y est) : "
                    "population douteuse ou absente, postes inconnus (département absent du fichier de "
                    "l'année, aucun poste sous le nouveau code alors que le contrat précédent en avait), "
                    "contrat absent de la liste",
                    requis=False,
                ),
            ),
            cle=("annee", "code_contrat"),
            annuelle=False,
            facultative=True,
        ),
    )
}

TABLES_ANNUELLES = tuple(n for n, t in TABLES.items() if t.annuelle)

# The columns a partner's workbook writes in before it is sent (`outils.classeur`): one row per
# post and month of activity, its counts left to type. A row whose only filled cells are these
# is an empty row, read as no row at all (`donnees.lecture`): a workbook returned unchanged has
# no activity, not an error and not zero.
PREPAREES: dict[str, tuple[str, ...]] = {"activite": ("id_poste", "mois")}

# Settings of territoire.yml (documented in docs/contrat-donnees.md).


@dataclass(frozen=True)
class Parametre:
    defaut: object
    description: str
    obligatoire: bool = False
    minimum: float | None = None  # numeric settings: minimum < value ≤ maximum
    maximum: float | None = None


PARAMETRES_TERRITOIRE: dict[str, Parametre] = {
    "nom": Parametre(None, "nom du territoire", obligatoire=True),
    "code_contrat": Parametre(None, "code(s) ANCT du contrat de ville", obligatoire=True),
    "donnees_exemple": Parametre(False, "affiche un bandeau « Données d'exemple » sur chaque page"),
    "seuil_sous_dotation": Parametre(
        0.75,
        "un QPV est sous-doté quand son C1 est sous ce seuil × celui de l'ensemble des QPV",
        minimum=0,
        maximum=1,
    ),
    "pas_objectif_c1": Parametre(
        0.25,
        "hausse annuelle de C1 proposée pour un QPV sous-doté (ETP pour 1 000 habitants)",
        minimum=0,
        maximum=100,
    ),
    "reunions_reseau_minimum": Parametre(
        2, "nombre minimal de réunions du réseau proposé par commune et par an", minimum=0, maximum=1000
    ),
}

"""Write the structure of the report notebooks (cells, narrative, parameters, calls).

The notebooks hold narrative, parameters and calls into `evaluation/` only. This script is
their single source: edit it, run it (`python scripts/make_notebooks.py`), then
`make notebooks` to execute them and store the outputs nbval compares against.
"""

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SECTIONS_COMMUNE = [
    (
        "Synthèse",
        "Les chiffres clés de l'année, ce qui a changé depuis l'année précédente et l'état des objectifs.",
        "rapport.synthese()",
    ),
    (
        "Contexte",
        "Les quartiers prioritaires (QPV) actifs dans l'année et leur population, ainsi que les quartiers de veille active, suivis sans statut QPV. Les quartiers *entrants* sont ceux qui ont rejoint la liste en cours de période (liste de 2024).",
        "rapport.contexte()",
    ),
    (
        "Indicateurs de réalisation de la fiche",
        "Les cinq indicateurs de la fiche 4.2.2 : réunions du réseau des acteurs de terrain (R1), adultes-relais en exercice (R2, comparés aux données de l'ANCT), correspondants de quartier maintenus ou créés (R3), moyens de la prévention spécialisée (R4) et outils du réseau (R5), avec leur évolution.",
        "rapport.realisations()",
    ),
    (
        "Présence humaine : couverture et disparités",
        "La fiche constate « de fortes disparités selon les sites » et demande d'augmenter la présence dans les quartiers sous-dotés et de la maintenir ailleurs. ETP annuels par quartier et dispositif, présence pour 1 000 habitants, quartiers sous-dotés et écarts entre quartiers (indicateurs proposés par l'outil).",
        "rapport.presence()\nrapport.couverture()",
    ),
    (
        "Organisation de la présence",
        "Les réalisations attendues incluent le partage des modes de présence et de leur organisation (lieux, horaires) : heures de présence par semaine, soirées, week-ends, jours et heures couverts, types de lieux.",
        "rapport.organisation()",
    ),
    (
        "Réseau et coordination",
        "Le réseau formalisé des acteurs de terrain, les CLSPD et les cellules de veille : réunions par instance, copilotage Préfecture – ville – agglomération, dispositifs présents et outils du réseau.",
        "rapport.reseau()",
    ),
    (
        "Veille sociale",
        "Deuxième objectif de la fiche : capitaliser les remontées de terrain. Remontées par quartier et thème, suites données et délais ; les petits comptes sont masqués.",
        "rapport.veille()",
    ),
    (
        "Effets (indicateurs proposés)",
        "La fiche ne fixe pas d'indicateur d'effet : l'outil en propose, chacun rattaché à un effet attendu de la fiche.",
        "rapport.effets()",
    ),
    (
        "Financements",
        "Les financements mobilisables de la fiche : montants par financeur et dispositif, coût par ETP, aide de l'État par adulte-relais.",
        "rapport.financements()",
    ),
    (
        "Objectifs",
        "La fiche demande de réactualiser les objectifs chaque année. Les objectifs de l'année, lus dans `objectifs.csv`, sont jugés atteints, non atteints ou non mesurables (avec la raison) ; ceux de l'année suivante sont proposés selon les règles de la fiche, chacun avec sa raison, pour relecture par le comité de pilotage.",
        "rapport.objectifs()",
    ),
    (
        "Méthode et qualité des données",
        "Définitions de chaque indicateur (tirées du code qui les calcule), conventions, sources et volume des données.",
        "rapport.methode()",
    ),
]
COMMUNES = (
    "Communes côte à côte",
    "Chaque commune sur chaque indicateur calculé par commune, et le classement des QPV du moins au mieux doté, les sous-dotés en évidence.",
    "rapport.communes()",
)


def ancre(titre):
    return re.sub(r"\s", "-", titre)


def nb(intro, parametres, ouverture, sections):
    numerotees = [(f"{i}. {t}", d, c) for i, (t, d, c) in enumerate(sections, start=1)]
    sommaire = "**Sommaire** — " + " · ".join(f"[{t}](#{ancre(t)})" for t, _, _ in numerotees)
    lignes = [ligne[2:] for ligne in parametres.splitlines()[1:] if ligne.startswith("# ")]
    tableau = (
        "**Paramètres** (cellule suivante ; modifiez-les puis « Run All ») :\n\n| nom | sens et exemples |\n|---|---|\n"
        + "\n".join(f"| `{x.split(':', 1)[0].strip()}` | {x.split(':', 1)[1].strip()} |" for x in lignes)
    )
    cellules = [
        # First cell: the parameters' documentation, for the officer in JupyterLab (not exported).
        new_markdown_cell(tableau, metadata={"tags": ["notebook-only"]}),
        new_markdown_cell(intro + "\n\n" + sommaire),
        new_code_cell(parametres, metadata={"tags": ["parameters"]}),
        new_code_cell(ouverture),
    ]
    for t, d, c in numerotees:
        cellules += [new_markdown_cell(f"## {t}\n\n{d}"), new_code_cell(c)]
    n = new_notebook(cells=cellules)
    n.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(n.cells):
        cell["id"] = f"cell-{i:02d}"
    return n


commune = nb(
    "**Rapport annuel d'une commune.** Évaluation annuelle de la fiche 4.2.2 du contrat de ville (« Maintenir ou développer la présence humaine dans les quartiers prioritaires ») pour une commune et ses quartiers.",
    '# Paramètres\n# commune : nom de la commune, tel qu\'il figure dans quartiers.csv (ex. "Tours", "La Riche")\n# annee   : année du rapport (ex. 2024) ; None = dernière année disponible\n# donnees : dossier des données (ex. "data/raw") ; None = données du projet\n# fiches_quartier : True pour relier chaque QPV à sa fiche quartier (posé par build --quartiers)\ncommune = "Tours"\nannee = None\ndonnees = None\nfiches_quartier = False',
    "from evaluation.rapport import Rapport\n\nrapport = Rapport.ouvrir(donnees=donnees, annee=annee, commune=commune, fiches_quartier=fiches_quartier)\nrapport.entete()",
    SECTIONS_COMMUNE,
)
agglo = nb(
    "**Rapport annuel de l'agglomération.** Évaluation annuelle de la fiche 4.2.2 du contrat de ville à l'échelle de l'agglomération : tous les quartiers, toutes les communes.",
    '# Paramètres\n# annee   : année du rapport (ex. 2024) ; None = dernière année disponible\n# donnees : dossier des données (ex. "data/raw") ; None = données du projet\nannee = None\ndonnees = None',
    "from evaluation.rapport import Rapport\n\nrapport = Rapport.ouvrir(donnees=donnees, annee=annee)\nrapport.entete()",
    [SECTIONS_COMMUNE[0], COMMUNES, *SECTIONS_COMMUNE[1:]],
)
nbformat.write(commune, "notebooks/rapport_commune.ipynb")
nbformat.write(agglo, "notebooks/rapport_agglomeration.ipynb")

quartier = nb(
    "**Fiche quartier.** Un quartier prioritaire vu seul : sa présence humaine par dispositif et par heure, ses remontées de terrain, ses tendances et sa place parmi les QPV de l'agglomération. À lancer à la demande, ou pour tous les QPV avec `python -m evaluation build --quartiers`.",
    '# Paramètres\n# code_qpv : code du quartier prioritaire, tel qu\'il figure dans quartiers.csv (ex. "TMVL-Q01" pour Sanitas)\n# annee    : année (ex. 2024) ; None = dernière année disponible\n# donnees  : dossier des données (ex. "data/raw") ; None = données du projet\ncode_qpv = "TMVL-Q01"\nannee = None\ndonnees = None',
    "from evaluation.fiche_quartier import FicheQuartier\n\nrapport = FicheQuartier.ouvrir(donnees=donnees, annee=annee, code_qpv=code_qpv)\nrapport.entete()",
    [
        ("Présence humaine", "Les ETP annuels du quartier par dispositif.", "rapport.presence()"),
        (
            "Organisation de la présence",
            "Heures de présence par semaine, soirées, week-ends, jours et heures couverts, types de lieux.",
            "rapport.organisation()",
        ),
        (
            "Veille sociale",
            "Les remontées de terrain du quartier par thème ; les petits comptes sont masqués.",
            "rapport.signaux()",
        ),
        (
            "Comparaison",
            "Le quartier comparé aux QPV de sa commune et de l'agglomération.",
            "rapport.comparaison()",
        ),
        ("Tendances", "L'évolution du quartier depuis la première année disponible.", "rapport.tendances()"),
    ],
)
nbformat.write(quartier, "notebooks/fiche_quartier.ipynb")

"""Write the structure of the report notebooks (cells, narrative, parameters, calls).

The notebooks hold narrative, parameters and calls into `evaluation/` only. Their outline is
the report plans (`evaluation/rapport/plans.py`: each section's title, introduction and
name); this script adds the parameters and the opening. Run it
(`python scripts/make_notebooks.py`), then `make notebooks` to execute them and store the
outputs nbval compares against.
"""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from evaluation.formats import typographie
from evaluation.rapport.plans import ancre, titres_numerotes
from evaluation.rapport.vue import Genre


def sections(genre):
    """(numbered title, introduction, call) of each titled section of the plan of `genre`, in
    French typography (the notebooks' narrative is rendered as written)."""
    return [(t, typographie(s.intro), f'rapport.section("{s.nom}")') for t, s in titres_numerotes(genre)]


def nb(intro, parametres, ouverture, numerotees):
    sommaire = (
        '<nav class="sommaire" aria-label="Sommaire">\n<p><strong>Sommaire</strong></p>\n<ol>\n'
        + "\n".join(f'<li><a href="#{ancre(t)}">{t.split(". ", 1)[1]}</a></li>' for t, _, _ in numerotees)
        + "\n</ol>\n</nav>"
    )
    lignes = [ligne[2:] for ligne in parametres.splitlines()[1:] if ligne.startswith("# ")]
    tableau = (
        "**Paramètres** (cellule suivante ; modifiez-les puis « Run All ») :\n\n| nom | sens et exemples |\n|---|---|\n"
        + "\n".join(f"| `{x.split(':', 1)[0].strip()}` | {x.split(':', 1)[1].strip()} |" for x in lignes)
    )
    cellules = [
        # First cell: the parameters' documentation, for the officer in JupyterLab (not exported).
        new_markdown_cell(tableau, metadata={"tags": ["notebook-only"]}),
        new_code_cell(parametres, metadata={"tags": ["parameters"]}),
        # Title first: the header (title, banner, identity, links back) opens the page.
        new_code_cell(ouverture),
        new_markdown_cell(typographie(intro) + "\n\n" + sommaire),
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
    'from evaluation.rapport import Rapport\n\nrapport = Rapport.ouvrir("commune", donnees=donnees, annee=annee, commune=commune, fiches_quartier=fiches_quartier)\nrapport.section("entete")',
    sections(Genre.COMMUNE),
)
agglo = nb(
    "**Rapport annuel de l'agglomération.** Évaluation annuelle de la fiche 4.2.2 du contrat de ville à l'échelle de l'agglomération : tous les quartiers, toutes les communes ayant un quartier prioritaire.",
    '# Paramètres\n# annee   : année du rapport (ex. 2024) ; None = dernière année disponible\n# donnees : dossier des données (ex. "data/raw") ; None = données du projet\nannee = None\ndonnees = None',
    'from evaluation.rapport import Rapport\n\nrapport = Rapport.ouvrir("agglomeration", donnees=donnees, annee=annee)\nrapport.section("entete")',
    sections(Genre.AGGLOMERATION),
)
nbformat.write(commune, "notebooks/rapport_commune.ipynb")
nbformat.write(agglo, "notebooks/rapport_agglomeration.ipynb")

quartier = nb(
    "**Fiche quartier.** Un quartier prioritaire vu seul : sa présence humaine par dispositif et par heure, ses remontées de terrain, ses tendances et sa place parmi les QPV de l'agglomération. Produite pour chaque QPV avec les rapports de l'année, ou à la demande.",
    '# Paramètres\n# code_qpv : code du quartier prioritaire, tel qu\'il figure dans quartiers.csv (ex. "TMVL-Q01" pour Sanitas)\n# annee    : année (ex. 2024) ; None = dernière année disponible\n# donnees  : dossier des données (ex. "data/raw") ; None = données du projet\ncode_qpv = "TMVL-Q01"\nannee = None\ndonnees = None',
    'from evaluation.rapport import Rapport\n\nrapport = Rapport.ouvrir("quartier", donnees=donnees, annee=annee, code_qpv=code_qpv)\nrapport.section("entete")',
    sections(Genre.QUARTIER),
)
nbformat.write(quartier, "notebooks/fiche_quartier.ipynb")

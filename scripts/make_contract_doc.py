"""Write docs/contrat-donnees.md from evaluation/donnees/contrat.py (the single description).

Usage: python scripts/make_contract_doc.py [FICHIER]   (default: docs/contrat-donnees.md)
tests/test_projet.py checks that the committed document is this script's output.
"""

from __future__ import annotations

import sys
from pathlib import Path

from evaluation.donnees import contrat

ENTETE = """\
# Contrat de données v1 — ce que les partenaires remplissent

Ce document est produit par `scripts/make_contract_doc.py` à partir de `evaluation/donnees/contrat.py`,
la description unique du contrat : ne le modifiez pas à la main.

## Organisation d'un dossier de données

```
DOSSIER/territoire.yml           nom, code_contrat, réglages facultatifs
DOSSIER/quartiers.csv            les quartiers (QPV et veille active)
DOSSIER/objectifs.csv            les objectifs annuels
DOSSIER/anct_adultes_relais.csv  facultatif : postes d'adultes-relais selon l'ANCT (import-anct)
DOSSIER/anct_contrats.csv        facultatif : tous les contrats de ville selon l'ANCT
                                 (import-anct --contrats)
DOSSIER/AAAA/                    un dossier par année : un CSV par table annuelle,
                                 ou un seul classeur collecte.xlsx ou collecte.ods
                                 (une feuille par table)
```

CSV acceptés : séparateur `;` ou `,`, virgule ou point décimal, UTF-8 (avec ou sans BOM),
Windows-1252, UTF-16 avec BOM ou Mac Roman ; l'en-tête est la ligne 1 ; dates `AAAA-MM-JJ` ou `JJ/MM/AAAA` ; heures `HH:MM`. Les énumérations sont des
codes en minuscules ; majuscules, accents et tirets sont tolérés (« Adulte-relais » =
`adulte_relais`). Dans un classeur, une feuille « Lisez-moi » est ignorée. Les fichiers bruts
ne sont jamais modifiés par l'outil.
"""

REGLES = """\
## Règles vérifiées

Chaque règle enfreinte est signalée en français avec le fichier, la feuille (classeur), la
ligne telle qu'un tableur l'affiche (l'en-tête est la ligne 1), la colonne, la valeur et ce qui
était attendu ; tous les problèmes d'un passage sont listés ensemble.

- colonne inconnue du contrat : refusée (aucune donnée personnelle, aucun texte libre sur des personnes) ;
- colonne obligatoire absente, valeur obligatoire manquante ;
- nombre, date ou heure illisible ; valeur hors énumération ; compte négatif ; ETP ≤ 0 ;
- code de quartier inconnu de `quartiers.csv`, ou utilisé hors de ses années `annee_entree…annee_sortie` ;
- `contour_population` remplie pour un quartier de veille active, `2015` pour un QPV entré en 2024
  ou après, `2024` pour un QPV sorti avant 2024 ;
- commune d'un poste différente de celle de son quartier ; somme des ETP d'un poste > 1 ;
  dispositif différent d'une ligne à l'autre d'un même poste ;
- dates de réunions et de remontées hors de l'année du dossier ; poste commençant après ou
  finissant avant l'année ; `date_fin` < `date_debut` ; `date_suite` < `date` ; outil mis en
  service après l'année ;
- plage dont la fin n'est pas après le début, ou d'un poste sans ligne pour ce quartier ;
  activité d'un poste inconnu ;
- périmètre inconnu (commune, `agglomeration` ou code de quartier selon la table) ; indicateur
  inconnu dans `objectifs.csv` ;
- clé en double ; fichier ou feuille inconnus ; table absente ; classeur et CSV ensemble dans
  une même année ; clé inconnue ou réglage hors bornes dans `territoire.yml`.
"""


def document() -> str:
    out = [ENTETE, "## territoire.yml", "", "| clé | obligatoire | défaut | sens |", "|---|---|---|---|"]
    for cle, p in contrat.PARAMETRES_TERRITOIRE.items():
        defaut = (
            ""
            if p.defaut is None
            else f"`{str(p.defaut).lower() if isinstance(p.defaut, bool) else p.defaut}`"
        )
        out.append(f"| `{cle}` | {'oui' if p.obligatoire else 'non'} | {defaut} | {p.description} |")
    out += ["", "Une clé inconnue est une erreur (faute de frappe).", ""]
    for t in contrat.TABLES.values():
        lieu = "dossier de l'année" if t.annuelle else "racine du dossier"
        out += [f"## {t.nom}", "", f"{t.description} ({lieu}{', facultative' if t.facultative else ''}).", ""]
        if t.cle:
            out += [f"Clé unique : {', '.join(f'`{c}`' for c in t.cle)}.", ""]
        out += ["| colonne | type | obligatoire | description |", "|---|---|---|---|"]
        for c in t.colonnes:
            type_ = c.type + (f" : {', '.join(c.valeurs)}" if c.valeurs else "")
            out.append(f"| `{c.nom}` | {type_} | {'oui' if c.requis else 'non'} | {c.description} |")
        out.append("")
        if t.note:
            out += [t.note, ""]
    out.append(REGLES)
    return "\n".join(out)


if __name__ == "__main__":
    Path(sys.argv[1] if len(sys.argv) > 1 else "docs/contrat-donnees.md").write_text(
        document(), encoding="utf-8"
    )

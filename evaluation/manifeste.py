"""Incremental rebuilds: `OUT/AAAA/manifest.json` records, per report, the fingerprint of
what it depends on, so that a second build redoes only the reports whose inputs changed.

A report's fingerprint covers the code that makes it (package sources, notebook, template),
its parameters, the territory's settings, neighbourhoods, targets and ANCT table, and:

- for the agglomeration's report and the neighbourhood pages: every data file (`t.version`);
- for a commune's report: the rows of every yearly table that concern the commune, and the
  agglomeration values it shows (C3, the reference of the under-served rule, and R2, compared
  with ANCT's count), for every year.

So a change in one commune's rows rebuilds that commune and the agglomeration, and another
commune only when an agglomeration value it shows has changed too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from . import __version__
from .contract import AGGLOMERATION
from .io import ecrire_texte_atomique
from .paths import RACINE, TEMPLATES
from .territoire import Territoire

FICHIER = "manifest.json"
AGGLOMERATION_AFFICHEE = ("C3", "R2")


def hacher(*morceaux: bytes | str) -> str:
    h = hashlib.sha256()
    for m in morceaux:
        h.update(m.encode() if isinstance(m, str) else m)
        h.update(b"\0")
    return h.hexdigest()


def empreinte_sources() -> str:
    """The package's own sources (its version and every module): what the cache of validated
    data, the reused kernels and the reports' fingerprints depend on in the code."""
    fichiers = sorted((RACINE / "evaluation").rglob("*.py"))
    return hacher(
        __version__, *(f"{p.relative_to(RACINE)}:" for p in fichiers), *(p.read_bytes() for p in fichiers)
    )


def empreinte_code(notebook: Path) -> str:
    """The package's sources, the templates and the notebook."""
    fichiers = sorted(TEMPLATES.rglob("*")) + [notebook]
    return hacher(empreinte_sources(), *(p.read_bytes() for p in fichiers if p.is_file()))


def lignes_de_la_commune(t: Territoire, annee: int, commune: str) -> dict[str, pd.DataFrame]:
    """The rows of each yearly table that concern `commune`."""
    d = t.annee(annee)
    commune_du_code = t.commune_du_code
    postes = d.postes[d.postes["commune"] == commune]
    return {
        "postes": postes,
        "plages": d.plages[d.plages["code_qpv"].map(commune_du_code) == commune],
        "reunions": d.reunions[d.reunions["perimetre"] == commune],
        "remontees": d.remontees[d.remontees["code_qpv"].map(commune_du_code) == commune],
        "activite": d.activite[d.activite["id_poste"].isin(postes["id_poste"])],
        "financements": d.financements[t.communes_de(d.financements["perimetre"]) == commune],
        "outils": d.outils[d.outils["perimetre"] == commune],
    }


def empreinte_donnees(t: Territoire, commune: str | None, annees: list[int]) -> str:
    """What a report's content depends on in the data (see the module's docstring)."""
    from .indicateurs import valeurs

    commun = [
        json.dumps(t.parametres, sort_keys=True, default=str),
        t.quartiers.to_csv(index=False),
        t.objectifs.to_csv(index=False),
        t.anct.to_csv(index=False),
    ]
    if commune is None:
        return hacher(*commun, t.version)
    morceaux = []
    for annee in annees:
        for nom, lignes in lignes_de_la_commune(t, annee, commune).items():
            morceaux.append(f"{annee}/{nom}:" + lignes.to_csv(index=False))
        for code in AGGLOMERATION_AFFICHEE:
            morceaux.append(f"{annee}/{code}:{valeurs(t, annee, code).get(AGGLOMERATION)!r}")
    return hacher(*commun, *morceaux)


def lire(rep: Path) -> dict:
    try:
        return json.loads((rep / FICHIER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ecrire(rep: Path, manifeste: dict) -> Path:
    return ecrire_texte_atomique(
        json.dumps(manifeste, indent=1, ensure_ascii=False, sort_keys=True) + "\n", rep / FICHIER
    )

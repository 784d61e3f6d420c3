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

import numpy as np
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


def communes_des_lignes(t: Territoire, annee: int) -> dict[str, tuple[pd.DataFrame, pd.Series]]:
    """Each yearly table of `annee` with, for each of its rows, the commune it concerns: a
    post's commune; a slot's or signal's neighbourhood's commune; a meeting's, tool's or
    funding's perimeter (a neighbourhood's commune for funding). An activity row concerns
    every commune of its post (a post may serve neighbourhoods of two communes): it is then
    listed once per commune."""
    d = t.annee(annee)
    commune_du_code = t.commune_du_code
    paires = d.postes[["id_poste", "commune"]].drop_duplicates()
    activite = d.activite.reset_index(drop=True)
    par_commune = (
        activite[["id_poste"]].reset_index().merge(paires, on="id_poste").sort_values("index", kind="stable")
    )
    return {
        "postes": (d.postes, d.postes["commune"]),
        "plages": (d.plages, d.plages["code_qpv"].map(commune_du_code)),
        "reunions": (d.reunions, d.reunions["perimetre"]),
        "remontees": (d.remontees, d.remontees["code_qpv"].map(commune_du_code)),
        "activite": (activite.iloc[par_commune["index"].to_numpy()], par_commune["commune"]),
        "financements": (d.financements, t.communes_de(d.financements["perimetre"])),
        "outils": (d.outils, d.outils["perimetre"]),
    }


def empreintes_donnees(t: Territoire, communes: list[str], annees: list[int]) -> dict[str | None, str]:
    """What each report's content depends on in the data (see the module's docstring): for
    the agglomeration (key None) and for each commune of `communes`.

    Every table is hashed once, row by row (`pandas.util.hash_pandas_object`); a commune's
    fingerprint joins the hashes of its rows, in the table's order. (Cutting each table commune
    by commune took ≈ 2 minutes for a national territory of 786 communes.)"""
    from .indicateurs import valeurs

    commun = [
        json.dumps(t.parametres, sort_keys=True, default=str),
        t.quartiers.to_csv(index=False),
        t.objectifs.to_csv(index=False),
        t.anct.to_csv(index=False),
    ]
    morceaux: dict[str, list[bytes | str]] = {c: [] for c in communes}
    vide = np.empty(0, dtype=np.uint64)
    for annee in annees:
        for nom, (table, commune) in communes_des_lignes(t, annee).items():
            lignes = pd.util.hash_pandas_object(table, index=False).to_numpy()
            positions = pd.Series(commune.to_numpy()).groupby(commune.to_numpy()).indices
            for c in communes:
                morceaux[c].append(f"{annee}/{nom}:".encode() + lignes[positions.get(c, vide)].tobytes())
        for code in AGGLOMERATION_AFFICHEE:
            agglomeration = f"{annee}/{code}:{valeurs(t, annee, code).get(AGGLOMERATION)!r}"
            for c in communes:
                morceaux[c].append(agglomeration)
    return {None: hacher(*commun, t.version)} | {c: hacher(*commun, *morceaux[c]) for c in communes}


def lire(rep: Path) -> dict:
    try:
        return json.loads((rep / FICHIER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ecrire(rep: Path, manifeste: dict) -> Path:
    return ecrire_texte_atomique(
        json.dumps(manifeste, indent=1, ensure_ascii=False, sort_keys=True) + "\n", rep / FICHIER
    )

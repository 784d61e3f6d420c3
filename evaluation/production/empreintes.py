"""Incremental rebuilds: `OUT/AAAA/manifest.json` records, per report, the fingerprint of
what it depends on, so that a second build redoes only the reports whose inputs changed.

A report's fingerprint covers the code that makes it (package sources, notebook, template),
its parameters, and what its sections declare they read (`Empreintes`): published values at
the perimeters of its view, annex tables computed for its view, the territory's settings and
neighbourhoods. No list is kept by hand: a section that reads something new declares it, or
the context refuses the read. The data version and the generation date shown on a page are
not inputs: a page kept from an earlier build keeps them.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.donnees.territoire import Territoire
from evaluation.hachage import empreinte_sources, hacher
from evaluation.indicateurs.consultation import Consultation, consultation
from evaluation.io import ecrire_texte_atomique
from evaluation.paths import TEMPLATES
from evaluation.production.taches import Tache
from evaluation.rapport.ouverture import Rapport

FICHIER = "manifest.json"


def empreinte_code(notebook: Path) -> str:
    """The package's sources, the templates and the notebook."""
    fichiers = sorted(TEMPLATES.rglob("*")) + [notebook]
    return hacher(empreinte_sources(), *(p.read_bytes() for p in fichiers if p.is_file()))


def empreinte_objet(objet) -> bytes:
    """The bytes a fingerprint takes from an annex: a table's labels and cells, column by
    column; tuples element by element, dataclasses field by field; the repr of anything else
    (None, numbers)."""
    if isinstance(objet, pd.DataFrame):
        if all(d.kind in "biuf" for d in objet.dtypes):  # one block of numbers: at once
            colonnes = [_octets(objet.to_numpy())]
        else:
            colonnes = [_octets(objet.iloc[:, j]) for j in range(objet.shape[1])]
        return b"\x1e".join([_octets(objet.columns), _octets(objet.index), *colonnes])
    if isinstance(objet, pd.Series):
        return b"\x1e".join([repr(objet.name).encode(), _octets(objet.index), _octets(objet)])
    if isinstance(objet, tuple):
        return b"(" + b"\x1d".join(empreinte_objet(o) for o in objet) + b")"
    if dataclasses.is_dataclass(objet) and not isinstance(objet, type):  # field by field, tables in full
        champs = dataclasses.fields(objet)
        return type(objet).__name__.encode() + empreinte_objet(tuple(getattr(objet, c.name) for c in champs))
    return repr(objet).encode()


def _octets(valeurs) -> bytes:
    """A column's (or labels') values as bytes: raw for numbers and dates, reprs otherwise."""
    a = np.asarray(valeurs)
    if a.dtype.kind in "biufcmM":
        return a.dtype.str.encode() + np.ascontiguousarray(a).tobytes()
    return "\x1f".join(map(repr, a.tolist())).encode()


class Empreintes:
    """Fingerprints of pages from what their sections declare they read (`Section.lit`,
    `Section.annexes`), resolved for each page's view: the published values of those codes at
    those perimeters for every year of the report, and those annexes computed for the view; plus
    the settings and the neighbourhoods every page reads. The context refuses any other read
    (`rapport.contexte`), so a page whose fingerprint is unchanged shows the same content."""

    def __init__(self, t: Territoire, publication: Consultation):
        self.publication = publication
        table = publication.table
        colonnes = table[["annee", "perimetre", "indicateur", "valeur", "masque"]]
        # Each row hashed once; a declared read joins the hashes of its rows.
        self._lignes = pd.util.hash_pandas_object(colonnes, index=False).to_numpy()
        self._codes, self._code_de_ligne = np.unique(
            table["indicateur"].to_numpy(dtype=object), return_inverse=True
        )
        self._couverts: dict = {}
        self._commun = hacher(
            json.dumps(t.parametres, sort_keys=True, default=str), t.quartiers.to_csv(index=False)
        )

    def valeurs_lues(self, vue, lecture) -> bytes:
        """The hashes of the published rows a declared read covers in this view."""
        if lecture.codes not in self._couverts:
            self._couverts[lecture.codes] = np.array([lecture.couvre(c) for c in self._codes], dtype=bool)
        lignes = self.publication.lignes(sorted(vue.perimetres(lecture.portee)))
        lignes = lignes[self._couverts[lecture.codes][self._code_de_ligne[lignes]]]
        return self._lignes[lignes].tobytes()

    def page(self, rapport: Rapport) -> str:
        """The fingerprint of a page: what the sections of its plan read, for its view."""
        morceaux: list[bytes | str] = [self._commun, repr(rapport.vue)]
        for section in rapport.plan:
            for lecture in section.lit:
                morceaux += [f"{section.nom}/{lecture}", self.valeurs_lues(rapport.vue, lecture)]
            for nom in section.annexes:
                morceaux += [f"{section.nom}/{nom}", empreinte_objet(rapport.annexe(nom))]
        return hacher(*morceaux)


def lire(rep: Path) -> dict:
    try:
        return json.loads((rep / FICHIER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ecrire(rep: Path, manifeste: dict) -> Path:
    return ecrire_texte_atomique(
        json.dumps(manifeste, indent=1, ensure_ascii=False, sort_keys=True) + "\n", rep / FICHIER
    )


def empreintes_des_pages(t: Territoire, annee: int, liste: list[Tache]) -> dict[str, str]:
    """Each report's fingerprint: its code, its parameters and what its sections read."""
    annees = t.annees_jusqu_a(annee)
    codes = {nb: empreinte_code(nb) for nb in {tache.notebook for tache in liste}}
    publication = consultation(t, annees)
    calcul = Empreintes(t, publication)
    return {
        tache.slug: hacher(
            codes[tache.notebook],
            json.dumps(tache.parametres, sort_keys=True, default=str),
            calcul.page(Rapport(tache.vue(t), t, publication)),
        )
        for tache in liste
    }

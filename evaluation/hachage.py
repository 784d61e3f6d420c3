"""Hashes: of bytes and texts (`hacher`), and of the package's own sources (what the cache of
validated data, the reused kernels and the pages' fingerprints depend on in the code)."""

from __future__ import annotations

import hashlib

from evaluation import __version__
from evaluation.paths import RACINE


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

"""Problems found in input data, told to the user in French, one line each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Probleme:
    """One broken rule, located as a spreadsheet user would find it.

    `ligne` counts as a spreadsheet shows it: the header is line 1, so the first data
    row is line 2. `ligne` is None when the problem is about a whole file.
    """

    fichier: str
    feuille: str | None
    ligne: int | None
    colonne: str | None
    valeur: str | None
    message: str

    @property
    def endroit(self) -> str:
        """Where it is, as a user would look for it: « fichier, feuille « x », ligne n »."""
        return lieu(self.fichier, self.feuille, self.ligne, self.colonne)

    def __str__(self) -> str:
        lieu = self.endroit
        if self.valeur is not None:
            return f"{lieu} : valeur « {self.valeur} » — {self.message}"
        return f"{lieu} : {self.message}"


def lieu(fichier: str, feuille: str | None, ligne: int | None, colonne: str | None = None) -> str:
    """A place in the input files, in the words every problem uses."""
    parts = [fichier]
    if feuille:
        parts.append(f"feuille « {feuille} »")
    if ligne is not None:
        parts.append(f"ligne {ligne}")
    if colonne:
        parts.append(f"colonne « {colonne} »")
    return ", ".join(parts)


class DonneesInvalides(Exception):
    """Raised when input data break the contract; carries every problem found."""

    def __init__(self, problemes: list[Probleme]):
        self.problemes = sorted(set(problemes), key=_cle_tri)
        super().__init__(rapport_problemes(self.problemes))


def _cle_tri(p: Probleme) -> tuple:
    return (p.fichier, p.feuille or "", p.ligne or 0, p.colonne or "", p.message)


def rapport_problemes(problemes: list[Probleme]) -> str:
    """The French text listing every problem, with a count first."""
    n = len(problemes)
    titre = f"{n} problème{'s' if n > 1 else ''} dans les données :"
    return "\n".join([titre, *(f"- {p}" for p in problemes)])


class ErreurUtilisateur(Exception):
    """A usage or environment error told to the user as one French sentence."""

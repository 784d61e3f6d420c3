"""What a section returns: plain data blocks, rendered to HTML by `rendu` only.

Every text in a block is plain text (escaped when rendered); numbers are already worded in
French by the section. A table's columns are typed (text or number: numbers align right).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluation.indicateurs import mesure
from evaluation.indicateurs.mesure import NON_MESURABLE
from evaluation.rapport.figures import Graphique


@dataclass(frozen=True)
class Paragraphe:
    texte: str


@dataclass(frozen=True)
class Liste:
    elements: tuple[str, ...]
    titre: str | None = None  # shown in bold above the list


@dataclass(frozen=True)
class Colonne:
    titre: str
    numerique: bool = False


@dataclass(frozen=True)
class Tableau:
    colonnes: tuple[Colonne, ...]
    lignes: tuple[tuple[str, ...], ...]
    legende: str | None = None
    classes: tuple[str, ...] = ()  # one CSS class per row (« echec »: highlighted)
    # Printed whole, its caption and header with its rows, whatever its length (a page's key
    # figures: never a caption alone at the foot of a page).
    entier: bool = False

    def __post_init__(self):
        for ligne in self.lignes:
            if len(ligne) != len(self.colonnes):
                raise ValueError(
                    f"ligne de {len(ligne)} cellules pour {len(self.colonnes)} colonnes : {ligne}"
                )

    def colonne(self, titre: str) -> list[str]:
        """The cells of one column (tests read tables by column title)."""
        j = [c.titre for c in self.colonnes].index(titre)
        return [ligne[j] for ligne in self.lignes]


def tableau(
    entetes: list[str],
    lignes,
    legende: str | None = None,
    numeriques: list[bool] | None = None,
    classes=(),
    entier: bool = False,
) -> Tableau:
    """A `Tableau` from headers, rows of text and which columns are numbers; a table that
    shows « n. m. » says what it means in its caption."""
    numeriques = numeriques or [False] * len(entetes)
    lignes = [tuple(str(v) for v in ligne) for ligne in lignes]
    if any(NON_MESURABLE in ligne for ligne in lignes) and mesure.note() not in (legende or ""):
        legende = f"{legende} — {mesure.note()}" if legende else mesure.note()
    return Tableau(
        tuple(Colonne(h, n) for h, n in zip(entetes, numeriques, strict=True)),
        tuple(lignes),
        legende,
        tuple(classes),
        entier,
    )


@dataclass(frozen=True)
class Figure:
    graphique: Graphique


def figures_de(*graphiques: Graphique | None) -> list[Figure]:
    """A `Figure` for each chart drawn: a chart function returns None when it has nothing to
    show (a heatmap without a value), and the page then shows no figure for it."""
    return [Figure(g) for g in graphiques if g is not None]


@dataclass(frozen=True)
class Liens:
    """A line of links to other pages of the same build: (text, relative address)."""

    prefixe: str
    liens: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Definitions:
    """A list of terms and their definitions."""

    elements: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Entete:
    """The page's header: title, sample-data banner, and its identity (label, value) pairs;
    `code` marks the values shown as code (the data version)."""

    titre: str
    exemple: bool
    champs: tuple[tuple[str, str], ...]
    code: frozenset[str] = field(default_factory=frozenset)
    provisoire: bool = False  # the year's analysis is not validated yet: a banner says so
    manquants: tuple[str, ...] = ()  # partners whose workbook has not arrived: a banner names them
    # those of them whose workbook came back incomplete, with the tables left empty
    incomplets: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Analyse:
    """The comité de pilotage's text at the top of a section: HTML made safe from its Markdown
    (`rapport.analyses.en_html`), shown as the comité's, not the tool's."""

    html: str
    provisoire: bool = False  # the year's analysis is not validated yet
    titre: str = ""  # another author's text (a council's opinion): its own title


Bloc = Paragraphe | Liste | Tableau | Figure | Liens | Definitions | Entete | Analyse

MARQUES = frozenset(["< 5", "s", "–", ""])  # masked or missing: no figure to read
MASQUEES = frozenset(["< 5", "s"])  # of them, the secret's marks


def _sans_valeur(cellule: str) -> bool:
    """A numeric cell that carries nothing: masked, missing, or zero however it is worded."""
    return cellule in MARQUES or not any(c in "123456789" for c in cellule)


def epurer(blocs: list[Bloc]) -> list[Bloc]:
    """Tables that carry nothing give way to a sentence; a text column that reads the same on
    every row goes, its value said once in the caption (« Unité : % »)."""
    resultat: list[Bloc] = []
    for bloc in blocs:
        if isinstance(bloc, Tableau) and bloc.lignes:
            numeriques = [j for j, c in enumerate(bloc.colonnes) if c.numerique]
            if numeriques and all(_sans_valeur(ligne[j]) for ligne in bloc.lignes for j in numeriques):
                cellules = {ligne[j] for ligne in bloc.lignes for j in numeriques}
                masquees = bool(cellules & MASQUEES)
                pourquoi = (
                    "valeurs nulles ou masquées"
                    if masquees and cellules - MASQUEES
                    else "valeurs masquées, secret statistique"
                    if masquees
                    else "valeurs nulles"
                )
                resultat.append(
                    Paragraphe(f"{bloc.legende or 'Tableau'} : aucune valeur à afficher ({pourquoi}).")
                )
                continue
            bloc = _sans_colonnes_constantes(_sans_lignes_vides(bloc, numeriques))
        resultat.append(bloc)
    return resultat


def _sans_lignes_vides(bloc: Tableau, numeriques: list[int]) -> Tableau:
    """Rows with no figure at all (every number « – ») go; the caption names them."""
    vides = [i for i, ligne in enumerate(bloc.lignes) if all(ligne[j] == "–" for j in numeriques)]
    if not vides or len(vides) == len(bloc.lignes):
        return bloc
    noms = " ; ".join(bloc.lignes[i][0] for i in vides)
    garder = [i for i in range(len(bloc.lignes)) if i not in vides]
    return Tableau(
        bloc.colonnes,
        tuple(bloc.lignes[i] for i in garder),
        f"{bloc.legende or ''} (non calculé, donc omis : {noms})".strip(),
        tuple(bloc.classes[i] for i in garder if i < len(bloc.classes)),
    )


def _sans_colonnes_constantes(bloc: Tableau) -> Tableau:
    if len(bloc.lignes) < 2:
        return bloc
    constantes = [
        j
        for j, c in enumerate(bloc.colonnes)
        # A blank cell (a total row's « Statut ») says nothing: the others decide.
        if j > 0 and not c.numerique and len({ligne[j] for ligne in bloc.lignes} - {""}) == 1
    ]
    if not constantes:
        return bloc
    valeurs = {j: next(ligne[j] for ligne in bloc.lignes if ligne[j]) for j in constantes}
    precisions = " ; ".join(
        f"{bloc.colonnes[j].titre} : {valeurs[j]}"
        for j in constantes
        if valeurs[j] not in (bloc.legende or "")  # already said by the caption
    )
    garder = [j for j in range(len(bloc.colonnes)) if j not in constantes]
    return Tableau(
        tuple(bloc.colonnes[j] for j in garder),
        tuple(tuple(ligne[j] for j in garder) for ligne in bloc.lignes),
        f"{bloc.legende} ({precisions})" if bloc.legende and precisions else bloc.legende or precisions,
        bloc.classes,
    )

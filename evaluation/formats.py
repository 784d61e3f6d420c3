"""French presentation: numbers, dates, and HTML fragments with every input text escaped."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

ESPACE_FINE = "\u202f"  # narrow no-break space: thousands, before « : ; ! ? », inside « »
ESPACE_INSECABLE = "\u00a0"  # no-break space: before units and « % »
MOINS = "\u2212"  # the minus sign
LOCALE = "fr_FR"
MANQUANT = "–"


def _manquant(x) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def arrondi(x: float, decimales: int = 0) -> float:
    """`x` rounded as the reports show it: half away from zero on its decimal writing
    (2,675 -> 2,68; 2,5 -> 3), so that a figure compared « as shown » is the figure shown."""
    quantum = Decimal(1).scaleb(-decimales)
    return float(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP))


def _decimal(x: float, decimales: int) -> Decimal:
    valeur = Decimal(repr(arrondi(x, decimales))).quantize(Decimal(1).scaleb(-decimales))
    return valeur.copy_abs() if valeur == 0 else valeur  # no « −0 »


def _motif(decimales: int) -> str:
    return "#,##0" + ("." + "0" * decimales if decimales > 0 else "")


def nombre(x: float | int | None, decimales: int = 0) -> str:
    """1234.5 -> « 1 234,5 » (Babel's French locale, narrow no-break thousands, « − »);
    None, NaN or infinite -> « – »."""
    if _manquant(x):
        return MANQUANT
    texte = format_decimal(_decimal(x, decimales), format=_motif(decimales), locale=LOCALE)
    return texte.replace("-", MOINS)


def pourcentage(part: float | None, decimales: int = 0) -> str:
    """0.123 -> « 12 % » (no-break space before the sign)."""
    if _manquant(part):
        return MANQUANT
    return f"{nombre(part * 100, decimales)}{ESPACE_INSECABLE}%"


def heures(x: float | None, decimales: int = 0) -> str:
    """8 -> « 8 h », 3.5 with 1 decimal -> « 3,5 h » (no-break space before the unit)."""
    if _manquant(x):
        return MANQUANT
    return f"{nombre(x, decimales)}{ESPACE_INSECABLE}h"


def plage_horaire(debut: int, fin: int) -> str:
    """8, 9 -> « 8 h–9 h »: a span of the day's hours, an en dash between its ends."""
    return f"{heures(debut)}–{heures(fin)}"


def euros(x: float | None, decimales: int = 0) -> str:
    """1049288 -> « 1 049 288 € »."""
    if _manquant(x):
        return MANQUANT
    texte = format_currency(
        _decimal(x, decimales),
        "EUR",
        format=_motif(decimales) + ESPACE_INSECABLE + "¤",
        locale=LOCALE,
        currency_digits=False,
    )
    return texte.replace("-", MOINS)


def date(d: dt.date | dt.datetime) -> str:
    """« 28/11/2026 »."""
    return format_date(d, "short", locale=LOCALE)


def date_longue(d: dt.date | dt.datetime) -> str:
    """« 28 novembre 2026 »."""
    return format_date(d, "d MMMM y", locale=LOCALE)


def jour(d: dt.date | dt.datetime) -> str:
    """« 1er mars », « 28 novembre »: a date within a year the text has already named."""
    texte = format_date(d, "d MMMM", locale=LOCALE)
    return f"1er{texte[1:]}" if d.day == 1 else texte


def horodatage(d: dt.datetime) -> str:
    """« 28/11/2026 à 09:30 »."""
    return f"{date(d)} à {format_time(d, 'HH:mm', locale=LOCALE)}"


def ecart(avant: float | None, apres: float | None, decimales: int = 0, points: bool = False) -> str:
    """The change between two figures as they are shown, in one wording for a whole column:
    « +3 », « −0,12 », « = », and for shares, in percentage points, « +1 pt », « −2 pts »;
    « – » when either is missing. `points`: the figures are shares in [0, 1] shown as %."""
    if _manquant(avant) or _manquant(apres):
        return MANQUANT
    echelle = 100 if points else 1
    d = arrondi(apres * echelle, decimales) - arrondi(avant * echelle, decimales)
    d = arrondi(d, decimales)
    if d == 0:
        return "="
    texte = ("+" if d > 0 else "") + nombre(d, decimales)
    return texte + (ESPACE_INSECABLE + ("pt" if abs(d) < 2 else "pts") if points else "")


def evolution(avant: float | None, apres: float | None, decimales: int = 0) -> str:
    """A phrase describing the change from `avant` to `apres`, computed on the figures as shown."""
    if _manquant(avant) or _manquant(apres):
        return "sans comparaison possible avec l'année précédente"
    d = arrondi(arrondi(apres, decimales) - arrondi(avant, decimales), decimales)
    if d == 0:
        return "stable par rapport à l'année précédente"
    sens = "en hausse" if d > 0 else "en baisse"
    return (
        f"{sens} de {nombre(abs(d), decimales)} par rapport à l'année précédente ({nombre(avant, decimales)})"
    )


# The plural mark stops at the first preposition: « postes de délégué du préfet ».
PREPOSITIONS = frozenset(
    ["à", "au", "aux", "de", "des", "du", "d", "en", "par", "pour", "sur", "sous", "avec"]
)
# Words before the first preposition that never take the plural mark.
INVARIABLES = frozenset(["et", "ou", "non", "la", "le", "les", "l", "QPV", "ETP"])


def _au_pluriel(mot: str) -> str:
    if mot in INVARIABLES or mot[-1:] in ("s", "x", "z") or not mot[:1].isalpha() or "'" in mot or "’" in mot:
        return mot
    if mot.endswith("al"):
        return mot[:-2] + "aux"
    if mot.endswith(("eau", "eu")):
        return mot + "x"
    return mot + "s"


def _au_singulier(mot: str) -> str:
    if mot in INVARIABLES or not mot[:1].isalpha() or not mot.endswith(("s", "x")):
        return mot
    if mot.endswith("eaux"):
        return mot[:-1]
    if mot.endswith("aux"):
        return mot[:-3] + "al"
    return mot[:-1]


def au_singulier(phrase: str) -> str:
    """A plural phrase for a figure below 2 (« ETP annuels » -> « ETP annuel », « contacts par
    ETP annuel » -> « contact par ETP annuel »): the plural mark goes up to the first
    preposition only, so that « ETP pour 1 000 habitants » keeps its « habitants »."""
    mots = phrase.split(" ")
    fin = next((i for i, m in enumerate(mots) if m in PREPOSITIONS or m.startswith(("d'", "d’"))), len(mots))
    return " ".join([*map(_au_singulier, mots[:fin]), *mots[fin:]])


def _phrase_au_pluriel(phrase: str) -> str:
    mots = phrase.split(" ")
    for i, mot in enumerate(mots):
        if mot in PREPOSITIONS or mot.startswith(("d'", "d’")):
            return " ".join([*map(_au_pluriel, mots[:i]), *mots[i:]])
    return " ".join(map(_au_pluriel, mots))


def accorder(n: float | None, singulier: str, pluriel: str | None = None, *, avec_nombre: bool = True) -> str:
    """« 1 quartier entrant », « 3 quartiers entrants », « 0 objectif atteint » (French: below
    2 is singular). Every word up to the first preposition takes the plural mark, but the
    invariable ones (« non », « QPV »…); `pluriel` overrides the rule for irregular phrases."""
    forme = singulier if n is None or abs(n) < 2 else (pluriel or _phrase_au_pluriel(singulier))
    if not avec_nombre:
        return forme
    entier = n is not None and float(n).is_integer()
    return f"{nombre(n, 0 if entier else 2)} {forme}"


# An ordinal's letters as superscripts (Unicode modifier letters): plain text keeps them so
# (alternative texts), HTML text nodes set them in <sup> (`t`).
EXPOSANTS = {"er": "\u1d49\u02b3", "e": "\u1d49"}  # « ᵉʳ », « ᵉ »


def ordinal(n: int) -> str:
    """An ordinal as French abbreviates it, its letters raised: « 1ᵉʳ », « 2ᵉ », « 115ᵉ »
    (a rank, « 1ᵉʳ et 3ᵉ quartiles », « 1ᵉʳ janvier »). Never « 1er », « 2ème »."""
    return nombre(n) + EXPOSANTS["er" if n == 1 else "e"]


TRAIT_INSECABLE = "\u2011"  # non-breaking hyphen


def code_insecable(code: str) -> str:
    """A code shown to readers (« TMVL-Q09 »), never broken across lines at its hyphens: in
    plain text its hyphens are non-breaking (U+2011); an HTML text node (`t`) writes it with
    its real hyphens in a span that does not wrap, so that a reader who copies or searches it
    finds the code of the exports. Exports and keys keep the code itself."""
    return str(code).replace("-", TRAIT_INSECABLE)


def en_euros(texte: str) -> str:
    """A figure already worded (« 41 250 », « +91 262 ») followed by « € »; a cell that holds no
    figure (« – », « = », « n. m. », a mask) stays as it is: an empty cell never reads « – € »."""
    return f"{texte}{ESPACE_INSECABLE}€" if re.search(r"\d", texte) else texte


def enumerer(elements) -> str:
    """« a », « a et b », « a, b et c »."""
    elements = [str(x) for x in elements]
    if len(elements) < 2:
        return "".join(elements)
    return ", ".join(elements[:-1]) + " et " + elements[-1]


def pluriel(n: float, singulier: str, pluriel_: str | None = None) -> str:
    """The form of `singulier` that agrees with `n`, without the number."""
    return accorder(n, singulier, pluriel_, avec_nombre=False)


def typographie(texte: str) -> str:
    """French typography on generated text: a narrow no-break space before « : ; ! ? » and
    inside « », typographic apostrophes. Leaves « 09:30 », URLs and « s » masks alone."""
    texte = re.sub(r"(?<=\S)\s*([;!?»])", ESPACE_FINE + r"\1", texte)
    texte = re.sub(r"(?<=\S)\s+:(?=\s|$)", ESPACE_FINE + ":", texte)
    texte = re.sub(r"«\s*", "«" + ESPACE_FINE, texte)
    return re.sub(r"(?<=\w)'(?=\w)", "’", texte)


def slug(texte: str) -> str:
    """« Joué-lès-Tours » -> « joue-les-tours » (file names of the reports)."""
    ascii_ = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "sans-nom"


# --------------------------------------------------------------------------- HTML

e = html.escape


_EXPOSANT = re.compile(r"(?<=\d)(\u1d49\u02b3|\u1d49)")
_CODE = re.compile(r"\w+(?:\u2011\w+)+")
SANS_COUPURE = '<span style="white-space:nowrap">'


def t(texte) -> str:
    """A text node: French typography, then escaped (attributes use `e` alone); an ordinal's
    raised letters (`ordinal`) set in <sup>, a code (`code_insecable`) with its real hyphens in
    a span that never wraps."""
    html_ = e(typographie(str(texte)))
    html_ = _EXPOSANT.sub(lambda m: f"<sup>{'er' if len(m.group()) == 2 else 'e'}</sup>", html_)
    return _CODE.sub(lambda m: SANS_COUPURE + m.group().replace(TRAIT_INSECABLE, "-") + "</span>", html_)


def paragraphe(texte: str) -> str:
    """A paragraph of generated text; the text is escaped."""
    return f"<p>{t(texte)}</p>"


def liste(elements: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{t(x)}</li>" for x in elements) + "</ul>"


LIGNES_COURT = 12  # rows of a table that printing never splits (a longer one may fill most of a page)
SIGNES_PAR_LIGNE = 45  # what a cell of a table holds on one printed line, roughly
LIGNES_IMPRIMEES_COURT = 2 * LIGNES_COURT  # printed lines (a third of a page) of a table never split
LIGNES_PAR_LIGNE_HAUTE = 4  # printed lines per row, on average, from which a table's rows are tall


def _lignes_imprimees(lignes: Sequence[Sequence[str]]) -> int:
    """About how many printed lines the rows take: each row as tall as its longest cell."""
    return sum(max(1, *(-(-len(str(v)) // SIGNES_PAR_LIGNE) for v in ligne)) for ligne in lignes)


def tableau(
    entetes: Sequence[str],
    lignes: Iterable[Sequence[str]],
    legende: str | None = None,
    numeriques: Sequence[bool] | None = None,
    classes: Sequence[str] | None = None,
    entier: bool = False,
) -> str:
    """An HTML table; every cell is text and is escaped. `numeriques` right-aligns columns;
    `entier`: printed whole whatever its length."""
    numeriques = numeriques or [False] * len(entetes)
    classes = list(classes or [])
    cap = f"<caption>{t(legende)}</caption>" if legende else ""
    tete = "".join(f'<th scope="col"{_cls(n)}>{t(h)}</th>' for h, n in zip(entetes, numeriques, strict=True))
    lignes = list(lignes)
    # A short table is printed whole, its caption with it; a long one may break between rows —
    # long by its rows or by its text (a few rows of long definitions fill a page too).
    court = (
        " entier"
        if entier
        else " court"
        if len(lignes) <= LIGNES_COURT and _lignes_imprimees(lignes) <= LIGNES_IMPRIMEES_COURT
        else ""
    )
    if lignes and _lignes_imprimees(lignes) >= LIGNES_PAR_LIGNE_HAUTE * len(lignes):
        court += " lignes-hautes"  # rows of long text: one may stand alone at a page's foot or head
    corps = []
    for i, ligne in enumerate(lignes):
        classe = f' class="{e(classes[i])}"' if i < len(classes) and classes[i] else ""
        cellules = "".join(
            (f'<th scope="row">{t(v)}</th>' if j == 0 else f"<td{_cls(n)}>{t(v)}</td>")
            for j, (v, n) in enumerate(zip(ligne, numeriques, strict=True))
        )
        corps.append(f"<tr{classe}>{cellules}</tr>")
    return f'<table class="donnees{court}">{cap}<thead><tr>{tete}</tr></thead><tbody>{"".join(corps)}</tbody></table>'


def _cls(numerique: bool) -> str:
    return ' class="num"' if numerique else ""


def dans_la_phrase(libelle: str) -> str:
    """A label as running text writes it: its first letter in lower case (« adultes-relais en
    exercice »), the rest as it is (« aide de l'État »)."""
    return libelle[:1].lower() + libelle[1:]

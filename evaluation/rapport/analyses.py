"""The comité de pilotage's analysis of the year, written by the evaluation officer in
`AAAA/analyses.md`, and the year's status (provisional, or validated by the comité).

The file, in Markdown::

    statut: provisoire            (or: statut: validé par le comité de pilotage du 12/03/2026)

    ## agglomeration / synthese
    The comité's text for that section of the agglomeration's report…

    ## Tours / Présence humaine : couverture et disparités
    …

Each `## périmètre / section` heading opens a text: the perimeter is « agglomeration », a
commune or a neighbourhood (its code or its name), the section its name or its title, as the
report shows it; both are checked (a problem names the file and the heading's line). A text
appears at the top of its section, marked as the comité's, rendered from Markdown safely: raw
HTML is escaped, images are dropped (their text kept), only relative links are links.

The opinions décret 2015-1118 asks to annex to the yearly report — a conseil citoyen's, a
conseil municipal's or the conseil communautaire's, on the draft — are texts too, under
`## Tours / avis du conseil citoyen du Sanitas du 18/11/2026` (a commune or the agglomeration,
the council, the date of its opinion): each page annexes its perimeter's, the agglomeration's
annexes every one, and the header's status counts them.

The comité validates what it read: the data of the last provisional build. `suivre_validation`
keeps, in `processed/AAAA/validation.json`, the fingerprint of the year's data at each
provisional build, and, once the status says validated, the one the comité read; a page built
from data changed since says so in its status (« données modifiées depuis la validation du
12/03/2027 », `modifiees_depuis`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import mistune

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.donnees.lecture import code
from evaluation.donnees.problemes import DonneesInvalides, Probleme
from evaluation.donnees.territoire import Territoire
from evaluation.formats import e, typographie
from evaluation.hachage import hacher
from evaluation.indicateurs import INDICATEURS
from evaluation.indicateurs.objectifs import PORTEES, Demande
from evaluation.io import ecrire_texte_atomique
from evaluation.paths import traitees_pour
from evaluation.rapport.plans import PLANS
from evaluation.rapport.vue import Genre

FICHIER = "analyses.md"
VALIDATION = "validation.json"  # in processed/AAAA/: the data the comité validated
_TITRE = re.compile(r"^##\s+(.+?)\s*/\s*(.+?)\s*#*\s*$")
_STATUT = re.compile(r"^statut\s*:\s*(.+?)\s*$", re.IGNORECASE)
# « avis du conseil citoyen du Sanitas du 18/11/2026 »: the council, then its opinion's date
_AVIS = re.compile(r"^avis\s+(?:du|de\s+la|de\s+l['’]|des)\s*(.+?)\s+du\s+(\S+)$", re.IGNORECASE)
# « demande: H3 dans les QPV sous-dotés », a line of the comité's text: a request a rule serves
_DEMANDE = re.compile(r"^demande\s*:\s*(\S+)\s*(.*?)\s*$", re.IGNORECASE)
CONSEILS = ("conseil citoyen", "conseil municipal", "conseil communautaire", "conseil metropolitain")
_VALIDE = re.compile(
    r"^valid[ée]e?\s+par\s+le\s+comit[ée]\s+de\s+pilotage\s+du\s+(\d{2}/\d{2}/\d{4})$", re.IGNORECASE
)


@dataclass(frozen=True)
class Avis:
    """A council's opinion on the year's draft report, annexed to its perimeter's page."""

    perimetre: str  # a commune or AGGLOMERATION
    conseil: str  # « conseil citoyen du Sanitas », as the officer wrote it
    date: dt.date
    texte: str  # Markdown

    @property
    def titre(self) -> str:
        return f"Avis du {self.conseil} du {self.date:%d/%m/%Y}"


@dataclass(frozen=True)
class Analyses:
    """The year's status, the comité's texts by (perimeter, section name), and the councils'
    opinions in the order of the file."""

    # No analyses file, or one without status: the comité has not validated the year.
    provisoire: bool = True
    valide_le: dt.date | None = None
    textes: dict[tuple[str, str], str] = field(default_factory=dict)
    avis: tuple[Avis, ...] = ()
    demandes: tuple[Demande, ...] = ()

    def avis_de(self, perimetre: str) -> tuple[Avis, ...]:
        """The opinions a page of `perimetre` annexes: its own; every one for the agglomeration."""
        return tuple(a for a in self.avis if perimetre in (AGGLOMERATION, a.perimetre))

    @property
    def statut(self) -> str:
        """The status as the reports say it: validated on a date, else « provisoire »."""
        if self.valide_le:
            return f"validé par le comité de pilotage du {self.valide_le:%d/%m/%Y}"
        return "provisoire" if self.provisoire else ""


def lire(t: Territoire, annee: int) -> tuple[Analyses, list[Probleme]]:
    """The analyses of `annee` (empty when the year has no analyses file) and the problems
    found in the file: unknown perimeter or section, a status not understood, text outside
    a section, a section given twice."""
    chemin = t.dossier / str(annee) / FICHIER
    fichier = f"{annee}/{FICHIER}"
    if not chemin.is_file():
        return Analyses(), []
    try:
        lignes = chemin.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return Analyses(), [
            Probleme(fichier, None, None, None, None, f"lecture impossible ({exc}) ; enregistrez-le en UTF-8")
        ]
    perimetres = _perimetres(t, annee)
    problemes: list[Probleme] = []

    def signaler(n: int, colonne: str | None, valeur: str | None, message: str) -> None:
        problemes.append(Probleme(fichier, None, n, colonne, valeur, message))

    provisoire, valide_le = True, None
    textes: dict[tuple[str, str] | Avis, list[str]] = {}
    lignes_des_textes: dict[tuple[str, str] | Avis, int] = {}
    courant: tuple[str, str] | Avis | None = None
    ecarte = False  # the text under a heading already reported: not « hors d'une section » too
    demandes: list[Demande] = []
    perimetres_de_genre = {nom: genre for genre, nom in perimetres.values()}
    for n, ligne in enumerate(lignes, start=1):
        if courant is None and (statut := _STATUT.match(ligne.strip())):
            valeur = statut.group(1)
            if code(valeur) == "provisoire":
                provisoire, valide_le = True, None
            elif (date := _VALIDE.match(valeur)) and (jour := _date(date.group(1))):
                provisoire, valide_le = False, jour
            elif date:
                signaler(n, "statut", valeur, f"date impossible : {date.group(1)} n'existe pas")
            else:
                signaler(
                    n,
                    "statut",
                    valeur,
                    "statut non compris : écrivez « statut: provisoire » ou « statut: validé par le comité de "
                    "pilotage du JJ/MM/AAAA »",
                )
            continue
        titre = _TITRE.match(ligne.strip())
        if titre:
            courant, ecarte = None, True
            perimetre = perimetres.get(code(titre.group(1)))
            if perimetre is None:
                signaler(
                    n,
                    "périmètre",
                    titre.group(1),
                    f"périmètre inconnu en {annee} : « agglomeration », une commune "
                    f"({', '.join(t.communes_actives(annee))}) ou un quartier prioritaire (son code ou son nom) "
                    "est attendu",
                )
                continue
            genre, nom_perimetre = perimetre
            if code(titre.group(2)).startswith("avis"):
                courant, ecarte = _avis(n, genre, nom_perimetre, titre.group(2), annee, signaler), False
                if courant is None:
                    ecarte = True
                    continue
                if courant in textes:
                    signaler(n, None, ligne.strip(), f"avis déjà donné ligne {lignes_des_textes[courant]}")
                    courant, ecarte = None, True
                    continue
                textes[courant], lignes_des_textes[courant] = [], n
                continue
            # « 5. Présence humaine : … » as the report numbers it, or without its number
            section = _sections(genre).get(code(re.sub(r"^\d+\s*[.)]\s*", "", titre.group(2))))
            if section is None:
                signaler(
                    n,
                    "section",
                    titre.group(2),
                    f"section inconnue dans un rapport de ce périmètre ; sections : {', '.join(_noms(genre))}",
                )
                continue
            courant, ecarte = (nom_perimetre, section), False
            if courant in textes:
                signaler(
                    n,
                    None,
                    ligne.strip(),
                    f"section déjà commentée ligne {lignes_des_textes[courant]} : réunissez les deux textes",
                )
                courant, ecarte = None, True
                continue
            textes[courant], lignes_des_textes[courant] = [], n
        elif courant is not None and not isinstance(courant, Avis) and _DEMANDE.match(ligne.strip()):
            if demande := _demande(n, perimetres_de_genre[courant[0]], courant[0], ligne.strip(), signaler):
                demandes.append(demande)
        elif courant is not None:
            textes[courant].append(ligne)
        elif ligne.strip() and not ecarte:
            signaler(
                n,
                None,
                None,
                "texte hors d'une section : commencez chaque texte par un titre « ## périmètre / section » "
                "(par exemple « ## agglomeration / synthese »)",
            )
    ecrits = {k: "\n".join(v).strip() for k, v in textes.items()}
    for cle, texte in ecrits.items():
        if isinstance(cle, Avis) and not texte:
            signaler(
                lignes_des_textes[cle], None, None, f"{cle.titre} sans texte : recopiez l'avis sous son titre"
            )
    return (
        Analyses(
            provisoire,
            valide_le,
            {k: x for k, x in ecrits.items() if x and not isinstance(k, Avis)},
            tuple(
                Avis(a.perimetre, a.conseil, a.date, x)
                for a, x in ecrits.items()
                if x and isinstance(a, Avis)
            ),
            tuple(dict.fromkeys(demandes)),
        ),
        sorted(problemes, key=lambda p: p.ligne),  # as the file reads, top to bottom
    )


def _demande(n: int, genre: Genre, perimetre: str, ligne: str, signaler) -> Demande | None:
    """The request a « demande: » line of the comité's text makes, or None with the problem
    signalled."""
    portees = " ou ".join(f"« {p} »" for p in PORTEES.values())
    exemple = f"écrivez « demande: H3 dans les QPV sous-dotés » (un code d'indicateur, puis {portees})"
    if genre is Genre.QUARTIER:
        signaler(n, "demande", ligne, f"une demande porte sur une commune ou l'agglomération : {exemple}")
        return None
    code_, portee = _DEMANDE.match(ligne).groups()
    if code_ not in INDICATEURS:
        signaler(n, "demande", ligne, f"indicateur inconnu : « {code_} » ; {exemple}")
        return None
    cle = next((k for k, texte in PORTEES.items() if code(texte) == code(portee)), None)
    if cle is None:
        signaler(n, "demande", ligne, f"portée non comprise : « {portee} » ; {exemple}")
        return None
    return Demande(perimetre, code_, cle)


def _avis(n: int, genre: Genre, perimetre: str, titre: str, annee: int, signaler) -> Avis | None:
    """The opinion a heading opens (its text still empty), or None with the problem signalled."""
    exemple = "écrivez « ## Tours / avis du conseil citoyen du Sanitas du JJ/MM/AAAA »"
    if genre is Genre.QUARTIER:
        signaler(
            n,
            "périmètre",
            perimetre,
            f"un avis est annexé au rapport d'une commune ou de l'agglomération, pas d'un quartier : {exemple}",
        )
        return None
    avis = _AVIS.match(titre.strip())
    if avis is None:
        signaler(n, "section", titre, f"avis non compris : {exemple}")
        return None
    conseil, jour = avis.group(1), _date(avis.group(2))
    if not code(conseil).replace("_", " ").startswith(CONSEILS):
        signaler(
            n,
            "section",
            titre,
            "conseil non reconnu : un avis annexé est celui d'un conseil citoyen, d'un conseil municipal ou du "
            f"conseil communautaire (ou métropolitain) ; {exemple}",
        )
        return None
    if jour is None:
        signaler(n, "section", titre, f"date de l'avis impossible ou illisible ({avis.group(2)}) : {exemple}")
        return None
    if jour.year < annee:
        signaler(
            n,
            "section",
            titre,
            f"avis daté du {jour:%d/%m/%Y}, avant l'année {annee} : un avis porte sur le projet de rapport de "
            "l'année",
        )
        return None
    return Avis(perimetre, conseil, jour, "")


def _lu(t: Territoire, annee: int) -> tuple[Analyses, list[Probleme]]:
    """`lire`, once per territory and year."""
    return t.memo(("analyses", annee), lambda: lire(t, annee))


def analyses(t: Territoire, annee: int) -> Analyses:
    """The analyses of `annee`; `DonneesInvalides` when the file is wrong (`validate` and
    `build` check it first)."""
    resultat, problemes = _lu(t, annee)
    if problemes:
        raise DonneesInvalides(problemes)
    return resultat


def demandes(t: Territoire, annee: int) -> tuple[Demande, ...]:
    """The comité's requests of `annee` that a proposal rule may serve (`objectifs.proposer`)."""
    return analyses(t, annee).demandes


def verifier_analyses(t: Territoire, annees: list[int]) -> None:
    """`DonneesInvalides` listing every problem of the analyses files of `annees`."""
    problemes = [p for a in annees for p in _lu(t, a)[1]]
    if problemes:
        raise DonneesInvalides(problemes)


def _date(texte: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(texte, "%d/%m/%Y").date()
    except ValueError:
        return None


def _perimetres(t: Territoire, annee: int) -> dict[str, tuple[Genre, str]]:
    """Every perimeter a report of `annee` has, by its normalised name: the agglomeration, the
    communes with a QPV, the QPVs (by code and by name)."""
    perimetres = {code(AGGLOMERATION): (Genre.AGGLOMERATION, AGGLOMERATION)}
    for commune in t.communes_actives(annee):
        perimetres[code(commune)] = (Genre.COMMUNE, commune)
    for q in t.quartiers_actifs(annee, "qpv").itertuples():
        perimetres[code(q.code_qpv)] = perimetres[code(q.nom)] = (Genre.QUARTIER, q.code_qpv)
    return perimetres


def _sections(genre: Genre) -> dict[str, str]:
    """The titled sections of a report of `genre`, by normalised name and title."""
    sections = {}
    for s in PLANS[genre]:
        if s.titre:
            sections[code(s.nom)] = sections[code(s.titre)] = s.nom
    return sections


def _noms(genre: Genre) -> list[str]:
    return [s.nom for s in PLANS[genre] if s.titre]


class _Rendu(mistune.HTMLRenderer):
    """Markdown to HTML for text from an input file: French typography on the text, raw HTML
    escaped, images reduced to their text, only relative links kept as links."""

    def text(self, text: str) -> str:
        return e(typographie(text))

    def link(self, text: str, url: str, title: str | None = None) -> str:
        parties = urlsplit(url)
        if parties.scheme or parties.netloc or url.startswith("//"):
            return text
        return super().link(text, url, title)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return text

    def block_html(self, html: str) -> str:
        return f"<p>{e(html)}</p>"

    def inline_html(self, html: str) -> str:
        return e(html)


_MARKDOWN = mistune.create_markdown(escape=True, renderer=_Rendu(escape=True))


def en_html(texte: str) -> str:
    """The comité's Markdown text as safe HTML."""
    return _MARKDOWN(texte)


def empreinte_de_l_annee(t: Territoire, annee: int) -> str:
    """The fingerprint of what the comité validates for `annee`: the year's validated tables
    (not the files they came from: a workbook saved again unchanged is the same data) and the
    year's targets; computed once per territory (every page's status asks for it)."""

    def calcul() -> str:
        tables = sorted(t.annee(annee).tables.items())
        morceaux = [f"{nom}\n{table.to_csv(index=False)}" for nom, table in tables]
        objectifs = t.objectifs
        if objectifs is not None and "annee" in objectifs:
            morceaux.append(objectifs[objectifs["annee"] == annee].to_csv(index=False))
        return hacher(*morceaux)[:12]

    return t.memo(("empreinte_de_l_annee", annee), calcul)


def _validation(t: Territoire, annee: int) -> tuple[Path, dict]:
    """`processed/AAAA/validation.json` and what it holds ({} when absent or unreadable)."""
    chemin = traitees_pour(t.dossier) / str(annee) / VALIDATION
    try:
        return chemin, json.loads(chemin.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return chemin, {}


def suivre_validation(t: Territoire, annee: int) -> None:
    """Keep what the comité validates (`build` calls it before any page): while the year is
    provisional, the fingerprint of the data each build shows (the comité reads the last);
    when the status first says validated on a date, that fingerprint is the validated one."""
    chemin, etat = _validation(t, annee)
    a, empreinte = analyses(t, annee), empreinte_de_l_annee(t, annee)
    if a.valide_le is None:
        nouveau = {"montree": empreinte}
    elif etat.get("valide_le") != a.valide_le.isoformat():
        nouveau = {"valide_le": a.valide_le.isoformat(), "validee": etat.get("montree", empreinte)}
    else:
        return
    if nouveau != etat:
        ecrire_texte_atomique(json.dumps(nouveau, indent=1) + "\n", chemin)


def modifiees_depuis(t: Territoire, annee: int) -> dt.date | None:
    """The date of the comité's validation when the year's data changed since (`suivre_validation`
    kept what it validated), else None."""
    a = analyses(t, annee)
    if a.valide_le is None:
        return None
    etat = _validation(t, annee)[1]
    if etat.get("valide_le") != a.valide_le.isoformat() or etat.get("validee") == empreinte_de_l_annee(
        t, annee
    ):
        return None
    return a.valide_le

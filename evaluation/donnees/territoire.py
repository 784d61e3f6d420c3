"""A territory's data folder, loaded and validated as a whole.

Layout (data contract v1)::

    DOSSIER/territoire.yml   nom, code_contrat, optional settings
    DOSSIER/quartiers.csv
    DOSSIER/objectifs.csv
    DOSSIER/AAAA/            one folder per year: a CSV per yearly table,
                             or one workbook collecte.xlsx (or LibreOffice's
                             collecte.ods) with a sheet per table

`charger` reads everything, reports every problem at once (`DonneesInvalides`) and
returns a `Territoire` of typed tables. Nothing under DOSSIER is ever written.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd
import yaml

from evaluation.donnees import contrat
from evaluation.donnees.lecture import TableBrute, lire_classeur, lire_csv, typer
from evaluation.donnees.problemes import DonneesInvalides, ErreurUtilisateur, Probleme, lieu
from evaluation.donnees.proprietes import NOUVEAU, partenaire_ecrit, proprietes
from evaluation.donnees.regles import ContexteDesRegles, valider
from evaluation.io import ecrire_csv_atomique

T = TypeVar("T")

CLASSEUR = "collecte.xlsx"
CLASSEURS = (CLASSEUR, "collecte.ods")  # LibreOffice's workbook is read too
PARTENAIRES = "partenaires"  # AAAA/partenaires/: one workbook per partner
# Files that may hold a table; anything else beside the partners' workbooks (a cover letter in
# PDF) is not data and is left alone.
TABLEURS = (".xlsx", ".xlsm", ".ods", ".fods", ".xls", ".csv")
LUS = (".xlsx", ".ods")  # the workbook formats read (lecture.lire_classeur)


@dataclass
class Annee:
    """The yearly tables of one year, typed and validated."""

    annee: int
    tables: dict[str, pd.DataFrame]
    # For each table, the file each row was read from (in the table's row order): who declared it.
    provenance: dict[str, pd.Series] = field(default_factory=dict)

    def __getattr__(self, nom: str) -> pd.DataFrame:
        try:
            return self.__dict__["tables"][nom]
        except KeyError:
            raise AttributeError(nom) from None


class Memo:
    """Tables derived from one territory's data (intermediate tables, indicators, the
    published table, lookups), computed once and shared by every report of a batch.

    Keys are tuples whose first element names what is kept — a function's qualified name, or
    a short name (« tableau », « publie », « quartiers_actifs »…) — followed by its arguments.
    Kept values are shared: callers must not modify them in place. The memo belongs to whoever
    holds the territory: it is not part of the territory's pickled state; the cache of a batch
    (`evaluation.cache`) stores it beside the territory, on purpose."""

    def __init__(self) -> None:
        self._valeurs: dict[tuple, object] = {}

    def __call__(self, cle: tuple, calcul: Callable[[], T]) -> T:
        """`calcul()`, computed once for `cle`."""
        if cle not in self._valeurs:
            self._valeurs[cle] = calcul()
        return self._valeurs[cle]  # type: ignore[return-value]

    def __contains__(self, cle: tuple) -> bool:
        return cle in self._valeurs

    def __len__(self) -> int:
        return len(self._valeurs)


@dataclass
class Territoire:
    """Everything known about a territory: settings, neighbourhoods, targets, years; and
    `memo`, the tables derived from them (see `Memo`)."""

    dossier: Path
    parametres: dict
    quartiers: pd.DataFrame
    objectifs: pd.DataFrame
    annees: dict[int, Annee] = field(default_factory=dict)
    anct: pd.DataFrame = field(default_factory=pd.DataFrame)
    version: str = ""
    fichiers: list[str] = field(default_factory=list)
    contrats: pd.DataFrame = field(default_factory=pd.DataFrame)  # every contract, ANCT (anct_contrats)
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """The data only: the memo is pickled by its owner when it chooses to (the cache)."""
        return {k: v for k, v in self.__dict__.items() if k != "memo"}

    def __setstate__(self, etat: dict) -> None:
        self.__dict__.update(etat, memo=Memo())

    @property
    def nom(self) -> str:
        return str(self.parametres["nom"])

    @property
    def exemple(self) -> bool:
        return bool(self.parametres.get("donnees_exemple"))

    def annee(self, annee: int) -> Annee:
        try:
            return self.annees[annee]
        except KeyError:
            raise ErreurUtilisateur(
                f"Aucune donnée pour l'année {annee} ; années disponibles : "
                f"{', '.join(map(str, sorted(self.annees)))}."
            ) from None

    @property
    def derniere_annee(self) -> int:
        return max(self.annees)

    def annees_jusqu_a(self, annee: int) -> list[int]:
        """The years present up to `annee` included, in order: what a report of `annee` covers."""
        return [a for a in sorted(self.annees) if a <= annee]

    def quartiers_actifs(self, annee: int, statut: str | None = None) -> pd.DataFrame:
        """Neighbourhoods active in `annee` (annee_entree ≤ annee ≤ annee_sortie), sorted by
        commune and code. The table is shared between callers: do not modify it in place."""

        def calcul() -> pd.DataFrame:
            q = self.quartiers
            fin = q["annee_sortie"].fillna(9999)
            masque = (q["annee_entree"] <= annee) & (fin >= annee)
            if statut:
                masque &= q["statut"] == statut
            return q[masque.astype(bool)].sort_values(["commune", "code_qpv"]).reset_index(drop=True)

        return self.memo(("quartiers_actifs", annee, statut), calcul)

    def volumes(self) -> pd.DataFrame:
        """Rows per yearly table (rows) and year (columns): a first look at data completeness."""
        return pd.DataFrame(
            {a: {nom: len(table) for nom, table in d.tables.items()} for a, d in sorted(self.annees.items())}
        )

    @functools.cached_property
    def commune_du_code(self) -> dict[str, str]:
        """Each neighbourhood code's commune (quartiers.csv)."""
        return dict(zip(self.quartiers["code_qpv"], self.quartiers["commune"], strict=True))

    def commune_de(self, perimetre: str) -> str:
        """The commune a perimeter belongs to: a neighbourhood's commune; a commune (or
        « agglomeration ») is its own."""
        return self.commune_du_code.get(perimetre, perimetre)

    def communes_de(self, perimetres: pd.Series) -> pd.Series:
        """`commune_de` of every value of a column, at once."""
        return perimetres.map(self.commune_du_code).fillna(perimetres)

    def communes_actives(self, annee: int) -> list[str]:
        """Communes with at least one QPV active in `annee`, sorted."""
        return list(self.quartiers_actifs(annee, "qpv")["commune"].unique())  # sorted already


def annees_disponibles(dossier: Path) -> list[int]:
    return sorted(
        int(p.name) for p in dossier.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4
    )


def charger(
    dossier: Path | str, annees: list[int] | None = None, indicateurs: Collection[str] = ()
) -> Territoire:
    """Load and validate a territory; raise `DonneesInvalides` listing every problem.

    `annees` restricts the yearly folders read (default: all of them). `indicateurs` are the
    codes a target of objectifs.csv may name (the registry's, passed by the layer above:
    `evaluation.cache.charger_valide`); when empty, any code is accepted.
    """
    dossier = Path(dossier)
    if not dossier.is_dir():
        raise ErreurUtilisateur(f"Dossier de données introuvable : {dossier}")
    problemes: list[Probleme] = []
    fichiers_lus: list[Path] = []

    parametres = _lire_parametres(dossier, problemes, fichiers_lus)
    disponibles = annees_disponibles(dossier)
    if annees is None:
        annees = disponibles
    absentes = sorted(set(annees) - set(disponibles))
    if absentes:
        raise ErreurUtilisateur(
            f"Aucun dossier pour l'année {', '.join(map(str, absentes))} dans {dossier} ; "
            f"années disponibles : {', '.join(map(str, disponibles)) or 'aucune'}."
        )

    quartiers = _table_racine(dossier, "quartiers", ContexteDesRegles(), problemes, fichiers_lus)
    ctx = ContexteDesRegles(quartiers=quartiers, indicateurs=frozenset(indicateurs))
    objectifs = _table_racine(dossier, "objectifs", ctx, problemes, fichiers_lus)
    anct = _table_racine(dossier, "anct_adultes_relais", ctx, problemes, fichiers_lus)
    contrats = _table_racine(dossier, "anct_contrats", ctx, problemes, fichiers_lus)

    lues = {}
    for annee in annees:
        tables, provenance = _lire_annee(dossier, annee, quartiers, problemes, fichiers_lus)
        lues[annee] = Annee(annee, tables, provenance)
    if problemes:
        raise DonneesInvalides(problemes)
    relatifs = sorted({p.relative_to(dossier).as_posix() for p in fichiers_lus})
    return Territoire(
        dossier,
        parametres,
        quartiers,
        objectifs,
        lues,
        anct,
        empreinte_du_dossier(dossier, fichiers_lus)[:12],
        relatifs,
        contrats,
    )


def _lire_parametres(dossier: Path, problemes: list[Probleme], lus: list[Path]) -> dict:
    chemin = dossier / "territoire.yml"
    parametres = {cle: p.defaut for cle, p in contrat.PARAMETRES_TERRITOIRE.items()}

    def probleme(colonne, valeur, message):
        problemes.append(Probleme("territoire.yml", None, None, colonne, valeur, message))

    if not chemin.is_file():
        probleme(None, None, "fichier absent")
        return parametres
    lus.append(chemin)
    try:
        lu = yaml.safe_load(chemin.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        probleme(None, None, f"YAML illisible ({exc})")
        return parametres
    if not isinstance(lu, dict):
        probleme(None, None, "un dictionnaire de clés est attendu")
        return parametres
    for cle, valeur in lu.items():
        spec = contrat.PARAMETRES_TERRITOIRE.get(cle)
        if spec is None:
            probleme(
                str(cle), None, f"clé inconnue (clés admises : {', '.join(contrat.PARAMETRES_TERRITOIRE)})"
            )
            continue
        parametres[cle] = valeur
        if spec.minimum is not None and (
            isinstance(valeur, bool)
            or not isinstance(valeur, int | float)
            or not spec.minimum < valeur <= spec.maximum
        ):
            probleme(cle, str(valeur), f"un nombre > {spec.minimum:g} et ≤ {spec.maximum:g} est attendu")
    for cle, spec in contrat.PARAMETRES_TERRITOIRE.items():
        if spec.obligatoire and not parametres.get(cle):
            probleme(cle, None, "clé obligatoire absente")
    codes = parametres.get("code_contrat")
    parametres["code_contrat"] = [str(c) for c in ([codes] if isinstance(codes, str) else list(codes or []))]
    return parametres


def _finaliser(brute: TableBrute, ctx: ContexteDesRegles, problemes: list[Probleme]) -> pd.DataFrame:
    """Type, validate, then give the table every contract column (optional ones as missing)."""
    typee, erreurs = typer(brute)
    problemes += erreurs
    problemes += valider(brute, typee, ctx)
    spec = contrat.TABLES[brute.table]
    for colonne in spec.colonnes:
        if colonne.nom not in typee.columns:  # an optional column left out: empty everywhere
            typee[colonne.nom] = _colonne_vide(colonne, typee.index)
    return typee[list(spec.noms)]


def _colonne_vide(colonne: contrat.Colonne, index: pd.Index) -> pd.Series:
    """A column of missing values of the column's type (dates as NaT, so that date arithmetic
    works on a table whose optional date column was left out)."""
    if colonne.type == contrat.DATE:
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if colonne.type == contrat.DECIMAL:
        return pd.Series(float("nan"), index=index, dtype="float64")
    if colonne.type == contrat.ENTIER:
        return pd.Series(pd.NA, index=index, dtype="Int64")
    return pd.Series(pd.NA, index=index, dtype=object)


def _table_vide(table: str) -> pd.DataFrame:
    brute = TableBrute(table, "", None, pd.DataFrame(columns=list(contrat.TABLES[table].noms)))
    typee, _ = typer(brute)
    return typee


def _table_racine(
    dossier: Path, table: str, ctx: ContexteDesRegles, problemes: list[Probleme], lus: list[Path]
) -> pd.DataFrame:
    chemin = dossier / f"{table}.csv"
    if not chemin.is_file():
        if not contrat.TABLES[table].facultative:
            problemes.append(Probleme(f"{table}.csv", None, None, None, None, "fichier absent"))
        return _table_vide(table)
    lus.append(chemin)
    brute, erreurs = lire_csv(chemin, f"{table}.csv", table)
    problemes += erreurs
    if brute is None:
        return _table_vide(table)
    return _finaliser(brute, ctx, problemes)


def _lire_annee(
    dossier: Path, annee: int, quartiers: pd.DataFrame, problemes: list[Probleme], lus: list[Path]
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.Series]]:
    """The yearly tables of `annee`, and the file each row comes from. A year folder holds the
    year's workbook (collecte.xlsx or .ods) or one CSV per table, and/or one workbook per
    partner under `partenaires/`; the sheets of every source are read and validated in their
    own file (a problem names the partner's file, sheet and line), then put together. The same
    key declared in two files is a problem naming both places."""
    rep = dossier / str(annee)
    fichiers = fichiers_de_l_annee(rep)
    classeurs = [rep / nom for nom in CLASSEURS if (rep / nom).is_file()]
    classeur = classeurs[0] if classeurs else rep / CLASSEUR
    csvs = {p.stem.strip().lower(): p for p in fichiers if p.suffix.lower() == ".csv"}
    if len(classeurs) > 1 or (classeurs and csvs):
        deux = " et ".join(CLASSEURS) if len(classeurs) > 1 else f"{classeur.name} et des fichiers CSV"
        problemes.append(
            Probleme(f"{annee}/", None, None, None, None, f"{deux} coexistent : gardez l'un ou l'autre")
        )
    # A partner's workbook dropped beside collecte.xlsx (or in another sub-folder) is to be moved
    # into partenaires/, not renamed collecte.xlsx.
    egares = dict(classeurs_hors_partenaires(rep))
    non_lus = [(p, remede) for p in fichiers if p not in egares and (remede := _classeur_non_lu(p))]
    non_lus += [(p, _hors_partenaires(annee, nom)) for p, nom in egares.items()]
    for p, remede in non_lus:
        problemes.append(Probleme(p.relative_to(dossier).as_posix(), None, None, None, None, remede))
    partenaires = classeurs_des_partenaires(rep)
    for p in fichiers_des_partenaires(rep):
        if p not in partenaires:
            problemes.append(
                Probleme(
                    f"{annee}/{PARTENAIRES}/{p.name}",
                    None,
                    None,
                    None,
                    None,
                    "fichier non lu : le dossier des partenaires ne reçoit que leurs classeurs (.xlsx ou .ods)",
                )
            )
    sources: list[dict[str, TableBrute]] = []
    # A workbook the package does not read is the one cause to report: not seven « absente ».
    illisibles: set[str] = (
        set(contrat.TABLES_ANNUELLES) if non_lus and not csvs and not partenaires else set()
    )
    for chemin in ([classeur] if classeur.is_file() else []) + partenaires:
        lus.append(chemin)
        feuilles, erreurs = lire_classeur(chemin, chemin.relative_to(dossier).as_posix())
        problemes += erreurs
        if not feuilles and erreurs:  # the workbook itself is unreadable: its one cause is said
            illisibles.update(contrat.TABLES_ANNUELLES)
        # A sheet there but unreadable has its one cause said: not « absente » as well.
        illisibles.update(t for t, b in feuilles.items() if b is None)
        sources.append({t: b for t, b in feuilles.items() if b is not None})
    if not classeur.is_file():
        bruts: dict[str, TableBrute] = {}
        for nom, chemin in csvs.items():
            fichier = f"{annee}/{chemin.name}"
            if nom not in contrat.TABLES_ANNUELLES:
                attendus = ", ".join(f"{t}.csv" for t in contrat.TABLES_ANNUELLES)
                problemes.append(
                    Probleme(fichier, None, None, None, None, f"fichier inconnu (attendus : {attendus})")
                )
                continue
            lus.append(chemin)
            brute, erreurs = lire_csv(chemin, fichier, nom)
            problemes += erreurs
            if brute is not None:
                bruts[nom] = brute
            else:
                illisibles.add(nom)  # its one cause is reported: not « absente » as well
        if csvs:
            sources.insert(0, bruts)
    tables: dict[str, pd.DataFrame] = {}
    provenance: dict[str, pd.Series] = {}
    ordre = ["postes"] + [t for t in contrat.TABLES_ANNUELLES if t != "postes"]
    for table in ordre:
        brutes = [s[table] for s in sources if table in s]
        if not brutes:
            tables[table] = _table_vide(table)
            provenance[table] = pd.Series([], dtype=object)
            # With partners' workbooks, a table no one sent is empty: `collecte` tracks it.
            if table not in illisibles and not partenaires:
                lieu = f"{annee}/{classeur.name}" if classeur.is_file() else f"{annee}/{table}.csv"
                feuille = table if classeur.is_file() else None
                problemes.append(Probleme(lieu, feuille, None, None, None, f"table « {table} » absente"))
            continue
        # Posts are cross-checked only against a postes table that was read: when it could not
        # be, its one cause is reported, not a « poste inconnu » on every other row.
        ctx = ContexteDesRegles(
            quartiers=quartiers,
            annee=annee,
            postes=tables.get("postes") if "postes" not in illisibles else None,
        )
        typees = [_finaliser(b, ctx, problemes) for b in brutes]
        if len(typees) > 1:
            problemes += _doublons_entre_fichiers(table, brutes, typees)
            if table == "postes":
                problemes += _postes_entre_fichiers(brutes, typees)
        tables[table] = pd.concat(typees, ignore_index=True) if len(typees) > 1 else typees[0]
        provenance[table] = pd.Series(
            [b.fichier for b, t in zip(brutes, typees, strict=True) for _ in range(len(t))], dtype=object
        )
    return {t: tables[t] for t in contrat.TABLES_ANNUELLES}, provenance


def _postes_entre_fichiers(brutes: list[TableBrute], typees: list[pd.DataFrame]) -> list[Probleme]:
    """The rules that hold for a post inside one table, across the partners' files: a post id
    declared in two files with two structures or two schemes, or whose rows add up to more than
    1 ETP (a row repeated as is in two files is a duplicate, said apart, and counted once), is
    a problem at each of its rows, naming the other files' rows."""
    lignes = []  # (id_poste, code_qpv, file's table, line, structure, dispositif, etp)
    for brute, typee in zip(brutes, typees, strict=True):
        for ligne, rang in zip(typee.index, typee.itertuples(index=False), strict=True):
            if isinstance(rang.id_poste, str):
                lignes.append(
                    (rang.id_poste, rang.code_qpv, brute, ligne, rang.structure, rang.dispositif, rang.etp)
                )
    par_poste: dict[str, list[tuple]] = {}
    for rang in lignes:
        par_poste.setdefault(rang[0], []).append(rang)
    problemes = []
    for id_poste, siennes in par_poste.items():
        fichiers = {r[2].fichier for r in siennes}
        if len(fichiers) < 2:
            continue  # inside one file, the table's own rules apply
        ecarts = []
        structures = sorted({str(r[4]).strip() for r in siennes if isinstance(r[4], str)})
        if len(structures) > 1:
            ecarts.append(f"deux structures ({' et '.join(structures)})")
        dispositifs = sorted({r[5] for r in siennes if isinstance(r[5], str)})
        if len(dispositifs) > 1:
            ecarts.append(f"deux dispositifs ({' et '.join(dispositifs)})")
        uniques = {(r[0], r[1]): r[6] for r in reversed(siennes)}  # a repeated row counted once
        total = sum(e for e in uniques.values() if isinstance(e, int | float) and not pd.isna(e))
        if total > 1 + 1e-9:
            ecarts.append(f"{str(round(total, 2)).replace('.', ',')} ETP en tout, plus de 1")
        if not ecarts:
            continue
        for r in siennes:
            ailleurs = "; ".join(
                lieu(a[2].fichier, a[2].feuille, a[3]) for a in siennes if a[2].fichier != r[2].fichier
            )
            problemes.append(
                r[2].lieu(
                    r[3],
                    "id_poste",
                    id_poste,
                    f"poste déclaré aussi dans {ailleurs} avec {', '.join(ecarts)} : un identifiant de poste "
                    "désigne un seul poste (une structure, un dispositif, 1 ETP au plus) ; si ce sont deux "
                    "postes, donnez à celui-ci un autre identifiant",
                )
            )
    return problemes


def _doublons_entre_fichiers(
    table: str, brutes: list[TableBrute], typees: list[pd.DataFrame]
) -> list[Probleme]:
    """The same key (a post, a month of activity, a slot…) declared in two files: named at both
    places, each naming the other (each partner sees it in its own list). Duplicates within one
    file are the schema's; a table without a key (field signals: each row is one event) has no
    duplicate."""
    cle = list(contrat.TABLES[table].cle)
    if not cle:
        return []
    premiers: dict[tuple, tuple[TableBrute, int]] = {}
    problemes = []
    remede = (
        "un même financement (périmètre, dispositif, financeur) tient en une seule ligne : additionnez les "
        "montants dans un seul fichier"
        if table == "financements"
        else "elle ne doit être déclarée qu'une fois : gardez-la dans un seul fichier (deux versions d'un même "
        "classeur ? n'en gardez qu'une)"
    )
    for brute, typee in zip(brutes, typees, strict=True):
        for ligne, valeurs in zip(typee.index, typee[cle].itertuples(index=False), strict=True):
            k = tuple(valeurs)
            if any(pd.isna(v) for v in k):
                continue
            if k not in premiers:
                premiers[k] = (brute, ligne)
                continue
            autre, sa_ligne = premiers[k]
            if autre.fichier == brute.fichier:
                continue
            vu = " / ".join(str(brute.cellules.at[ligne, c]) for c in cle if c in brute.cellules.columns)
            for ici, la, n_ici, n_la in ((brute, autre, ligne, sa_ligne), (autre, brute, sa_ligne, ligne)):
                ou = lieu(la.fichier, la.feuille, n_la)
                problemes.append(
                    ici.lieu(
                        n_ici,
                        " + ".join(cle),
                        vu,
                        f"doublon entre fichiers : la même clé est aussi déclarée dans {ou} ; {remede}",
                    )
                )
    return problemes


def fichiers_des_partenaires(rep: Path) -> list[Path]:
    """The spreadsheets of a year folder's `partenaires/` (TABLEURS; no office leftover, no
    cover letter), sorted."""
    dossier = rep / PARTENAIRES
    if not dossier.is_dir():
        return []
    return [p for p in fichiers_de_l_annee(dossier) if p.suffix.lower() in TABLEURS]


def classeurs_des_partenaires(rep: Path) -> list[Path]:
    """The partners' workbooks the tool reads (`AAAA/partenaires/*.xlsx`, `.ods`), sorted."""
    return [p for p in fichiers_des_partenaires(rep) if p.suffix.lower() in LUS]


def classeurs_hors_partenaires(rep: Path) -> list[tuple[Path, str]]:
    """The workbooks `template` wrote for a partner (keywords « partenaire: … ») lying in a year
    folder outside its `partenaires/` — beside collecte.xlsx or in another sub-folder — with the
    partner their keywords name, sorted. The year's own workbook (collecte.xlsx) is read as
    such, whatever its keywords."""
    if not rep.is_dir():
        return []
    trouves = []
    for chemin in sorted(rep.rglob("*")):
        relatif = chemin.relative_to(rep)
        if (
            chemin.suffix.lower() != ".xlsx"
            or not chemin.is_file()
            or relatif.parts[0] == PARTENAIRES
            or (len(relatif.parts) == 1 and chemin.name in CLASSEURS)
            or residu_bureautique(chemin)
        ):
            continue
        if nom := partenaire_ecrit(proprietes(chemin)[0]):
            trouves.append((chemin, nom))
    return trouves


def _hors_partenaires(annee: int, nom: str) -> str:
    """What to do with a partner's workbook found outside `AAAA/partenaires/`."""
    de = "d'un nouveau partenaire" if nom == NOUVEAU else f"de « {nom} »"
    return (
        f"classeur {de} (écrit pour ce partenaire) déposé hors du dossier des partenaires, non lu : "
        f"déplacez-le dans {annee}/{PARTENAIRES}/ (s'il y est déjà, supprimez cette copie)"
    )


def _classeur_non_lu(chemin: Path) -> str:
    """What to do with a spreadsheet of the year folder the package does not read ('' for the
    files it reads or ignores)."""
    suffixe = chemin.suffix.lower()
    if chemin.name in CLASSEURS or suffixe == ".csv":
        return ""
    if suffixe == ".xls":
        return (
            "classeur au format Excel 97-2003 (.xls), non lu : ouvrez-le dans Excel ou LibreOffice et "
            "enregistrez-le au format .xlsx sous le nom collecte.xlsx"
        )
    if suffixe == ".fods":
        return (
            "classeur LibreOffice « XML à plat » (.fods), non lu : enregistrez-le au format .ods ou .xlsx "
            "sous le nom collecte.ods ou collecte.xlsx (Fichier > Enregistrer sous)"
        )
    if suffixe in (".xlsx", ".xlsm", ".ods"):
        return (
            "classeur au nom inattendu, non lu : l'outil lit collecte.xlsx ou collecte.ods ; renommez-le "
            "ainsi (ou supprimez ce doublon s'il s'agit d'un second téléchargement)"
        )
    return ""


def residu_bureautique(chemin: Path) -> bool:
    """An office leftover beside the data: Excel's lock file (« ~$postes.csv ») while a partner
    has the file open, LibreOffice's (« .~lock.collecte.xlsx# »), macOS's « ._postes.csv ».
    Never read, never part of the data version."""
    return chemin.name.startswith(("~$", "._", ".~lock."))


def residus_bureautiques(dossier: Path) -> list[str]:
    """The office leftovers of the year folders, as paths relative to `dossier`."""
    return [
        p.relative_to(dossier).as_posix()
        for a in annees_disponibles(dossier)
        for rep in (dossier / str(a), dossier / str(a) / PARTENAIRES)
        if rep.is_dir()
        for p in fichiers_de_l_annee(rep, residus=True)
    ]


def fichiers_de_l_annee(rep: Path, residus: bool = False) -> list[Path]:
    """The files of a year folder, sorted: its data files, or with `residus` its office
    leftovers."""
    return [p for p in sorted(rep.iterdir()) if p.is_file() and residu_bureautique(p) == residus]


def fichiers_du_contrat(dossier: Path) -> list[Path]:
    """Every input file of the folder the contract knows (all years), sorted."""
    racine = [
        dossier / "territoire.yml",
        *(dossier / f"{t}.csv" for t, spec in contrat.TABLES.items() if not spec.annuelle),
    ]
    annuels = [
        p
        for a in annees_disponibles(dossier)
        for p in fichiers_de_l_annee(dossier / str(a)) + classeurs_des_partenaires(dossier / str(a))
        # the comité's analyses.md too: its texts and status are shown on the pages
        if p.suffix.lower() in (".csv", ".xlsx", ".ods") or p.name == "analyses.md"
    ]
    return [p for p in racine if p.is_file()] + annuels


def empreinte_du_dossier(dossier: Path, fichiers: list[Path] = ()) -> str:
    """A hash of the relative path and bytes of every file of the folder (all years, and
    `fichiers` besides), so that a folder has one version (`Territoire.version`: its first 12
    characters) and one key in the cache of validated territories (`evaluation.cache`).

    A batch asks for it once per report: a process hashes the files again (≈ 75 MB for a
    national territory, ≈ 0.1 s) only when one's size, times or inode changed."""
    chemins = sorted(set(fichiers) | set(fichiers_du_contrat(dossier)))
    etat = tuple((str(p), *_etat(p)) for p in chemins)
    if etat not in _empreintes:
        h = hashlib.sha256()
        for chemin in chemins:
            h.update(chemin.relative_to(dossier).as_posix().encode())
            h.update(b"\0")
            h.update(chemin.read_bytes())
        _empreintes.clear()
        _empreintes[etat] = h.hexdigest()
    return _empreintes[etat]


def _etat(p: Path) -> tuple[int, int, int, int]:
    s = p.stat()
    return s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino


_empreintes: dict[tuple, str] = {}


def ecrire_traitees(territoire: Territoire, sortie: Path) -> list[Path]:
    """Write the validated tables as UTF-8 CSV under `sortie/<year>/` (atomically)."""
    ecrits = []
    for annee, donnees in sorted(territoire.annees.items()):
        rep = sortie / str(annee)
        rep.mkdir(parents=True, exist_ok=True)
        tables = {"quartiers": territoire.quartiers, "objectifs": territoire.objectifs, **donnees.tables}
        for nom, table in tables.items():
            chemin = rep / f"{nom}.csv"
            table = table.reset_index(drop=True)
            if nom in donnees.provenance:  # who declared each row
                table = table.assign(source=donnees.provenance[nom].to_numpy())
            ecrire_csv_atomique(table, chemin)
            ecrits.append(chemin)
    return ecrits

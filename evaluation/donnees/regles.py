"""Every rule of the data contract as pandera schemas, and their failures in French.

One schema per table, built from `contrat.TABLES` plus the rules that need context
(the territory's neighbourhoods and communes, the folder's year, the posts table).
Schemas validate lazily so that every problem of a run is reported at once; each pandera
failure becomes a `Probleme` naming the file, sheet, line and column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from evaluation.donnees import contrat
from evaluation.donnees.lecture import TableBrute
from evaluation.donnees.problemes import Probleme


@dataclass(frozen=True)
class ContexteDesRegles:
    """What the rules of a table need to know beyond the table itself."""

    quartiers: pd.DataFrame | None = None
    annee: int | None = None
    postes: pd.DataFrame | None = None
    indicateurs: frozenset[str] = frozenset()

    @property
    def communes(self) -> set[str]:
        return set() if self.quartiers is None else set(self.quartiers["commune"].dropna())

    @property
    def codes(self) -> set[str]:
        return set() if self.quartiers is None else set(self.quartiers["code_qpv"].dropna())

    def codes_actifs(self) -> set[str]:
        q = self.quartiers
        if q is None or self.annee is None:
            return self.codes
        fin = q["annee_sortie"].fillna(9999)
        actifs = (q["annee_entree"] <= self.annee) & (fin >= self.annee)
        return set(q.loc[actifs.fillna(False).astype(bool), "code_qpv"])


@dataclass(frozen=True)
class Regle:
    """A rule over several columns or tables: True where a row satisfies it."""

    colonne: str
    message: str
    test: Callable[[pd.DataFrame], pd.Series]
    conseil: Callable[[str], str] | None = None  # the cell as typed → advice ('' for none)

    def dire(self, valeur) -> str:
        """The rule's message for one failing cell, with its advice when it has one."""
        conseil = self.conseil(str(valeur)) if self.conseil is not None and valeur is not None else ""
        return f"{self.message} ; {conseil}" if conseil else self.message


def _sans_zeros(texte: str) -> str:
    """A code compared as a person reads it: case, spaces and leading zeros aside (« tmvl-q1 »
    for « TMVL-Q01 »)."""
    return re.sub(r"\d+", lambda m: str(int(m.group())), re.sub(r"[\s\-_.]+", "", texte.casefold()))


def codes_proches(valeur: str, noms: dict[str, str], n: int = 3) -> list[str]:
    """The known codes nearest to a mistyped one, best first: the code that differs only by
    case, spaces or leading zeros; the code of a neighbourhood typed by its name; else the
    closest spellings (difflib)."""
    tape = _sans_zeros(valeur)
    exacts = [c for c in noms if _sans_zeros(c) == tape]
    if exacts:
        return exacts[:n]
    par_nom = [c for c, nom in noms.items() if nom and _sans_zeros(nom) == tape]
    if par_nom:
        return par_nom[:n]
    cles = {_sans_zeros(c): c for c in noms} | {_sans_zeros(nom): c for c, nom in noms.items() if nom}
    proches = difflib.get_close_matches(tape, list(cles), n=n, cutoff=0.6)
    return list(dict.fromkeys(cles[x] for x in proches))


def _vouliez_vous_dire(noms: dict[str, str]) -> Callable[[str], str]:
    """« vouliez-vous dire TMVL-Q01 (Sanitas) ? » for a code of quartiers.csv mistyped."""

    def conseil(valeur: str) -> str:
        proches = codes_proches(valeur, noms)
        if not proches:
            return ""
        dits = [f"{c} ({noms[c]})" if noms.get(c) else c for c in proches]
        return f"vouliez-vous dire {' ou '.join(dits)} ?"

    return conseil


def _liste(valeurs: tuple[str, ...]) -> str:
    return ", ".join(valeurs)


def _checks_colonne(colonne: contrat.Colonne) -> list[pa.Check]:
    checks = []
    if colonne.type == contrat.ENUM:
        checks.append(pa.Check.isin(colonne.valeurs, error=f"valeurs admises : {_liste(colonne.valeurs)}"))
    if colonne.type == contrat.LISTE:
        admises = set(colonne.valeurs)
        checks.append(
            pa.Check(
                lambda v: all(x in admises for x in v.split("|")),
                element_wise=True,
                error=f"valeurs admises, séparées par « | » : {_liste(colonne.valeurs)}",
            )
        )
    if colonne.minimum is not None:
        if colonne.minimum_strict:
            checks.append(pa.Check.gt(colonne.minimum, error=f"doit être > {colonne.minimum:g}"))
        else:
            checks.append(pa.Check.ge(colonne.minimum, error=f"doit être ≥ {colonne.minimum:g}"))
    if colonne.maximum is not None:
        checks.append(pa.Check.le(colonne.maximum, error=f"doit être ≤ {colonne.maximum:g}"))
    return checks


def _dans(valeurs: set[str]) -> Callable[[pd.Series], pd.Series]:
    return lambda s: s.isna() | s.isin(valeurs)


# The contextual rules of each table, by table: one function each, registered by `regles_de`.
_REGLES: dict[str, Callable[[ContexteDesRegles], list[Regle]]] = {}


def regles_de(table: str):
    """Register the decorated function as the contextual rules of `table` (its rules, in the
    order their problems are told for one cell)."""
    if table not in contrat.TABLES:
        raise ValueError(f"table inconnue du contrat : {table}")

    def enregistrer(fonction: Callable[[ContexteDesRegles], list[Regle]]):
        if table in _REGLES:
            raise ValueError(f"règles de {table} déjà enregistrées")
        _REGLES[table] = fonction
        return fonction

    return enregistrer


def regles(table: str, ctx: ContexteDesRegles) -> list[Regle]:
    """The contextual rules of one table (none for a table without registered rules)."""
    return _REGLES[table](ctx) if table in _REGLES else []


def _perimetres_communaux(ctx: ContexteDesRegles) -> set[str]:
    return ctx.communes | {contrat.AGGLOMERATION}


def _annee_du_dossier(ctx: ContexteDesRegles, colonne: str) -> Regle:
    a = ctx.annee
    return Regle(
        colonne,
        f"la date doit être dans l'année du dossier ({a})",
        lambda d: d[colonne].isna() | (d[colonne].dt.year == a),
    )


def _code_connu(ctx: ContexteDesRegles) -> Regle:
    noms = (
        {}
        if ctx.quartiers is None
        else {
            c: str(n) if isinstance(n, str) else ""
            for c, n in zip(ctx.quartiers["code_qpv"], ctx.quartiers["nom"], strict=True)
        }
    )
    codes = ctx.codes
    return Regle(
        "code_qpv",
        "code de quartier inconnu : choisissez-le dans la liste déroulante (les quartiers du contrat, quartiers.csv)",
        lambda d: _dans(codes)(d["code_qpv"]),
        _vouliez_vous_dire(noms),
    )


def _code_actif(ctx: ContexteDesRegles) -> Regle:
    codes, actifs = ctx.codes, ctx.codes_actifs()
    return Regle(
        "code_qpv",
        f"quartier hors de ses années d'activité en {ctx.annee} (annee_entree…annee_sortie)",
        lambda d: ~d["code_qpv"].isin(codes - actifs),
    )


def _perimetre_communal(ctx: ContexteDesRegles) -> Regle:
    perimetres = _perimetres_communaux(ctx)
    return Regle(
        "perimetre",
        "périmètre inconnu : une commune du contrat (quartiers.csv) ou « agglomeration »",
        lambda d: _dans(perimetres)(d["perimetre"]),
    )


def _perimetre_ou_quartier(ctx: ContexteDesRegles) -> Regle:
    perimetres = _perimetres_communaux(ctx) | ctx.codes
    return Regle(
        "perimetre",
        "périmètre inconnu : « agglomeration », une commune ou un code de quartier",
        lambda d: _dans(perimetres)(d["perimetre"]),
    )


@regles_de("quartiers")
def _quartiers(ctx: ContexteDesRegles) -> list[Regle]:
    nouvelle = contrat.GEOGRAPHIE_2024
    return [
        Regle(
            "annee_sortie",
            "annee_sortie doit être ≥ annee_entree",
            lambda d: d["annee_sortie"].isna() | (d["annee_sortie"] >= d["annee_entree"]),
        ),
        Regle(
            "contour_population",
            "un quartier de veille active n'a pas de contour de la liste des QPV : laissez la cellule vide",
            lambda d: d["contour_population"].isna() | (d["statut"] != "veille_active"),
        ),
        Regle(
            "contour_population",
            f"un QPV entré en {nouvelle} ou après n'a pas de contour de 2015",
            lambda d: (d["contour_population"] != "2015").fillna(True) | ~(d["annee_entree"] >= nouvelle),
        ),
        Regle(
            "contour_population",
            f"un QPV sorti avant {nouvelle} n'a pas de contour de {nouvelle}",
            lambda d: (
                (d["contour_population"] != str(nouvelle)).fillna(True)
                | ~(d["annee_sortie"] < nouvelle).fillna(False)
            ),
        ),
    ]


@regles_de("postes")
def _postes(ctx: ContexteDesRegles) -> list[Regle]:
    codes = ctx.codes
    commune_du_code = (
        {}
        if ctx.quartiers is None
        else dict(zip(ctx.quartiers["code_qpv"], ctx.quartiers["commune"], strict=True))
    )
    debut_annee = pd.Timestamp(ctx.annee, 1, 1)
    fin_annee = pd.Timestamp(ctx.annee, 12, 31)
    return [
        _code_connu(ctx),
        _code_actif(ctx),
        Regle(
            "commune",
            "la commune n'est pas celle du quartier dans quartiers.csv",
            lambda d: ~d["code_qpv"].isin(codes) | (d["code_qpv"].map(commune_du_code) == d["commune"]),
        ),
        Regle(
            "etp",
            "la somme des ETP de ce poste sur ses lignes dépasse 1",
            lambda d: d.groupby("id_poste")["etp"].transform("sum").fillna(0) <= 1 + 1e-9,
        ),
        Regle(
            "dispositif",
            "un même poste doit avoir le même dispositif sur toutes ses lignes",
            lambda d: d.groupby("id_poste")["dispositif"].transform("nunique") <= 1,
        ),
        Regle(
            "structure",
            "un même poste doit avoir la même structure sur toutes ses lignes",
            lambda d: d.groupby("id_poste")["structure"].transform(lambda s: s.str.strip().nunique()) <= 1,
        ),
        Regle(
            "date_fin",
            "date_fin doit être ≥ date_debut",
            lambda d: d["date_fin"].isna() | d["date_debut"].isna() | (d["date_fin"] >= d["date_debut"]),
        ),
        Regle(
            "date_debut",
            f"le poste doit commencer au plus tard le 31/12/{ctx.annee}",
            lambda d: d["date_debut"].isna() | (d["date_debut"] <= fin_annee),
        ),
        Regle(
            "date_fin",
            f"le poste doit finir au plus tôt le 01/01/{ctx.annee}",
            lambda d: d["date_fin"].isna() | (d["date_fin"] >= debut_annee),
        ),
    ]


@regles_de("plages")
def _plages(ctx: ContexteDesRegles) -> list[Regle]:
    r = [
        Regle(
            "fin",
            "l'heure de fin doit être après l'heure de début",
            lambda d: d["fin"].isna() | d["debut"].isna() | (d["fin"] > d["debut"]),
        )
    ]
    if ctx.postes is not None:  # no postes table read: its own problem is reported, no cascade
        connus = set(zip(ctx.postes["id_poste"], ctx.postes["code_qpv"], strict=True))
        r.append(
            Regle(
                "id_poste",
                "ce poste n'a pas de ligne pour ce quartier dans la table postes",
                lambda d: pd.Series(
                    [p != p or (p, q) in connus for p, q in zip(d["id_poste"], d["code_qpv"], strict=True)],
                    index=d.index,
                ),
            )
        )
    return r


@regles_de("reunions")
def _reunions(ctx: ContexteDesRegles) -> list[Regle]:
    return [_annee_du_dossier(ctx, "date"), _perimetre_communal(ctx)]


@regles_de("remontees")
def _remontees(ctx: ContexteDesRegles) -> list[Regle]:
    return [
        _annee_du_dossier(ctx, "date"),
        _code_connu(ctx),
        _code_actif(ctx),
        Regle(
            "date_suite",
            "date_suite doit être ≥ date",
            lambda d: d["date_suite"].isna() | d["date"].isna() | (d["date_suite"] >= d["date"]),
        ),
    ]


@regles_de("activite")
def _activite(ctx: ContexteDesRegles) -> list[Regle]:
    if ctx.postes is None:  # no postes table read: its own problem is reported, no cascade
        return []
    postes = set(ctx.postes["id_poste"])
    return [Regle("id_poste", "poste inconnu de la table postes", lambda d: _dans(postes)(d["id_poste"]))]


@regles_de("financements")
def _financements(ctx: ContexteDesRegles) -> list[Regle]:
    return [_perimetre_ou_quartier(ctx)]


@regles_de("outils")
def _outils(ctx: ContexteDesRegles) -> list[Regle]:
    fin_annee = pd.Timestamp(ctx.annee, 12, 31)
    return [
        _perimetre_communal(ctx),
        Regle(
            "date_mise_en_service",
            f"la mise en service doit être au plus tard le 31/12/{ctx.annee}",
            lambda d: d["date_mise_en_service"].isna() | (d["date_mise_en_service"] <= fin_annee),
        ),
    ]


@regles_de("objectifs")
def _objectifs(ctx: ContexteDesRegles) -> list[Regle]:
    indicateurs = ctx.indicateurs
    r = []
    if indicateurs:  # the registry's codes, given by the layer above the data
        r.append(
            Regle(
                "indicateur",
                "indicateur inconnu : un code de la section « Méthode » des rapports (ex. R1, C3, H2.mediateur)",
                lambda d: _dans(indicateurs)(d["indicateur"]),
            )
        )
    return [*r, _perimetre_ou_quartier(ctx)]


def schema(table: str, ctx: ContexteDesRegles) -> tuple[pa.DataFrameSchema, dict[str, Regle]]:
    """The pandera schema of one table, and its contextual rules by check name."""
    spec = contrat.TABLES[table]
    colonnes = {
        c.nom: pa.Column(
            None,
            _checks_colonne(c),
            nullable=not c.requis,
            required=c.requis,
        )
        for c in spec.colonnes
    }
    # Each rule's check is named by its column and message (unique within a table).
    toutes = regles(table, ctx)
    par_nom = {f"{regle.colonne} : {regle.message}": regle for regle in toutes}
    if len(par_nom) != len(toutes):
        raise ValueError(f"{table} : deux règles de même colonne et même message")
    checks = [pa.Check(_garde(regle.test), error=nom) for nom, regle in par_nom.items()]
    return (
        pa.DataFrameSchema(
            colonnes,
            checks=checks,
            strict=True,
            unique=list(spec.cle) or None,
            report_duplicates="all",
        ),
        par_nom,
    )


def _garde(test: Callable[[pd.DataFrame], pd.Series]) -> Callable[[pd.DataFrame], pd.Series]:
    """A rule that cannot run (a column it needs is missing) passes: that absence is reported."""

    def garde(d: pd.DataFrame) -> pd.Series:
        try:
            return test(d).fillna(True).astype(bool)
        except KeyError:
            return pd.Series(True, index=d.index)

    return garde


def valider(brute: TableBrute, typee: pd.DataFrame, ctx: ContexteDesRegles) -> list[Probleme]:
    """Every problem of one typed table, located in its file."""
    spec = contrat.TABLES[brute.table]
    sch, par_nom = schema(brute.table, ctx)
    try:
        sch.validate(typee, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _traduire(exc.failure_cases, brute, typee, spec, par_nom)
    return []


def _traduire(
    echecs: pd.DataFrame,
    brute: TableBrute,
    typee: pd.DataFrame,
    spec: contrat.Table,
    par_nom: dict[str, Regle],
) -> list[Probleme]:
    problemes: set[Probleme] = set()
    cellules = brute.cellules
    for echec in echecs.itertuples(index=False):
        check, colonne, ligne = str(echec.check), echec.column, echec.index
        ligne = None if ligne is None or pd.isna(ligne) else int(ligne)
        colonne = None if colonne is None or pd.isna(colonne) else str(colonne)
        if check == "column_in_dataframe":
            problemes.add(brute.lieu(1, str(echec.failure_case), None, "colonne obligatoire absente"))
        elif check == "column_in_schema":
            problemes.add(
                brute.lieu(
                    1,
                    str(echec.failure_case),
                    None,
                    "colonne inconnue du contrat de données : elle est refusée "
                    f"(aucune donnée personnelle ; colonnes admises : {_liste(spec.noms)})",
                )
            )
        elif check == "multiple_fields_uniqueness":
            cle = list(spec.cle)
            valeurs = " / ".join(str(cellules.at[ligne, c]) for c in cle)
            autres = _lignes_meme_cle(typee, cle, ligne)
            problemes.add(
                brute.lieu(
                    ligne,
                    " + ".join(cle),
                    valeurs,
                    f"doublon : la même clé apparaît aussi ligne {autres}",
                )
            )
        elif check in par_nom:
            regle = par_nom[check]
            if colonne != regle.colonne:
                continue
            brut = _brut(cellules, ligne, colonne)
            problemes.add(brute.lieu(ligne, colonne, brut, regle.dire(brut)))
        elif check == "not_nullable":
            if str(_brut(cellules, ligne, colonne) or "").strip():
                continue  # a cell that could not be parsed: lecture.typer reported it
            problemes.add(brute.lieu(ligne, colonne, None, "valeur obligatoire manquante"))
        elif check.startswith(("dtype", "coerce_dtype")):
            continue  # parsing problems are reported by lecture.typer
        else:
            problemes.add(brute.lieu(ligne, colonne, _brut(cellules, ligne, colonne), check))
    return sorted(problemes, key=lambda p: (p.ligne or 0, p.colonne or ""))


def _brut(cellules: pd.DataFrame, ligne: int | None, colonne: str | None):
    if ligne is None or colonne not in cellules.columns:
        return None
    return cellules.at[ligne, colonne]


def _lignes_meme_cle(typee: pd.DataFrame, cle: list[str], ligne: int) -> str:
    cible = tuple(typee.loc[ligne, cle])
    memes = [
        int(i)
        for i, valeurs in zip(typee.index, typee[cle].itertuples(index=False), strict=True)
        if i != ligne and tuple(valeurs) == cible
    ]
    return ", ".join(map(str, memes))

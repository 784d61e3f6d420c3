"""Command line: `python -m evaluation validate | build`.

Exit status: 0 success, 1 invalid data or a failed report, 2 usage error. Messages are in
French, one readable line per problem; `--debug` shows Python tracebacks.
"""

from __future__ import annotations

import argparse
import gettext
import sys
from pathlib import Path

from .paths import donnees_par_defaut, traitees_pour
from .problems import DonneesInvalides, ErreurUtilisateur

# argparse's own messages, in French.
_ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "expected one argument": "une valeur est attendue",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
}


def _traduire(message: str) -> str:
    return _ARGPARSE_FR.get(message, gettext.gettext(message))


argparse._ = _traduire  # type: ignore[attr-defined]


def _annee(texte: str) -> int:
    if not (texte.isdigit() and len(texte) == 4):
        raise argparse.ArgumentTypeError(f"année invalide : « {texte} » (format AAAA)")
    return int(texte)


def _positif(texte: str) -> int:
    if not texte.isdigit() or int(texte) < 1:
        raise argparse.ArgumentTypeError(f"nombre entier ≥ 1 attendu : « {texte} »")
    return int(texte)


def parseur() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m evaluation",
        description="Évaluation annuelle de la présence humaine dans les quartiers prioritaires (fiche 4.2.2).",
        epilog="Exemple : python -m evaluation build --data data/raw --out reports",
    )
    p.add_argument("--debug", action="store_true", help="afficher la trace Python complète en cas d'erreur")
    verbes = p.add_subparsers(dest="verbe", required=True, metavar="VERBE")

    v = verbes.add_parser(
        "validate",
        help="vérifier les données et écrire les tables validées",
        description="Vérifie toutes les tables du contrat de données et liste chaque problème "
        "(fichier, feuille, ligne, colonne). Écrit les tables validées dans data/processed/.",
        epilog="Exemple : python -m evaluation validate --data data/raw --year 2024",
    )
    v.add_argument(
        "--data",
        type=Path,
        default=donnees_par_defaut(),
        metavar="DOSSIER",
        help="dossier des données (défaut : data/raw)",
    )
    v.add_argument(
        "--year", type=_annee, metavar="AAAA", help="ne vérifier que cette année (défaut : toutes)"
    )

    b = verbes.add_parser(
        "build",
        help="produire les rapports HTML d'une année",
        description="Valide les données puis produit un rapport par commune ayant un QPV actif, "
        "un rapport d'agglomération, un index et les exports indicateurs.csv/xlsx dans SORTIE/AAAA/.",
        epilog="Exemple : python -m evaluation build --data data/raw --year 2024 --out reports --city Tours",
    )
    b.add_argument(
        "--data",
        type=Path,
        default=donnees_par_defaut(),
        metavar="DOSSIER",
        help="dossier des données (défaut : data/raw)",
    )
    b.add_argument("--year", type=_annee, metavar="AAAA", help="année des rapports (défaut : la dernière)")
    b.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        metavar="SORTIE",
        help="dossier de sortie (défaut : reports)",
    )
    b.add_argument(
        "--city",
        action="append",
        metavar="COMMUNE",
        help="ne produire que cette commune (répétable) et l'agglomération",
    )
    b.add_argument(
        "--jobs", type=_positif, metavar="N", help="rapports produits en parallèle (défaut : nombre de cœurs)"
    )
    return p


def _valider(args) -> int:
    from .territoire import charger, ecrire_traitees

    t = charger(args.data, [args.year] if args.year else None)
    sortie = traitees_pour(args.data)
    ecrire_traitees(t, sortie)
    annees = ", ".join(map(str, sorted(t.annees)))
    print(f"Données valides : {t.nom}, année(s) {annees} (version {t.version}).")
    print(f"Tables validées écrites dans {sortie}.")
    return 0


def _construire(args) -> int:
    from .batch import construire

    resultats = construire(args.data, args.out, args.year, args.city, args.jobs)
    echecs = [r for r in resultats if not r.ok]
    annee = resultats[0].tache.parametres["annee"]
    print(
        f"Rapports dans {args.out / str(annee)} : {len(resultats) - len(echecs)} produits, {len(echecs)} en échec."
    )
    for r in echecs:
        print(f"- échec : {r.tache.titre} — {r.erreur}", file=sys.stderr)
    return 1 if echecs else 0


def main(argv: list[str] | None = None) -> int:
    args = parseur().parse_args(argv)
    try:
        return {"validate": _valider, "build": _construire}[args.verbe](args)
    except DonneesInvalides as exc:
        if args.debug:
            raise
        print(str(exc), file=sys.stderr)
        print("Rien n'a été produit : corrigez ces problèmes puis relancez.", file=sys.stderr)
        return 1
    except ErreurUtilisateur as exc:
        if args.debug:
            raise
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130

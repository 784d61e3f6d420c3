"""Command line: `python -m evaluation validate | build | objectifs | template | collecte | import-anct`.

Exit status: 0 success, 1 invalid data or a failed report, 2 usage error. Messages are in
French, one readable line per problem; `--debug` shows Python tracebacks.
"""

from __future__ import annotations

import argparse
import gettext
import os
import sys
from pathlib import Path

from evaluation.donnees.problemes import DonneesInvalides, ErreurUtilisateur
from evaluation.formats import accorder, enumerer, pluriel
from evaluation.paths import donnees_par_defaut, traitees_pour

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
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
}


def _traduire(message: str) -> str:
    return _ARGPARSE_FR.get(message, gettext.gettext(message))


argparse._ = _traduire  # type: ignore[attr-defined]


def _montrer(chemin: Path) -> str:
    """A path as the user typed it: relative to the working directory when inside it."""
    try:
        return str(Path(chemin).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(chemin)


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
    _option_donnees(v)
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
    _option_donnees(b)
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

    b.add_argument(
        "--force",
        action="store_true",
        help="tout reconstruire, même les rapports à jour (par défaut, seuls les rapports dont les "
        "données ou le code ont changé depuis la dernière construction sont refaits)",
    )
    b.add_argument(
        "--pdf",
        action="store_true",
        help="écrire aussi un PDF (A4, pages numérotées) à côté de chaque page, imprimé par Chromium "
        "s'il est installé (sudo apt-get install chromium) ; sans lui, les pages HTML sont produites quand même",
    )
    b.add_argument(
        "--quartiers",
        action="store_true",
        help="produire aussi une fiche par QPV dans SORTIE/AAAA/quartiers/, reliée aux rapports des communes",
    )
    b.add_argument(
        "--executor",
        choices=["local", "dask"],
        help="où produire les rapports : processus de cette machine (local, défaut) ou cluster Dask "
        "distribué (dask, avec --scheduler, qui suffit seul ; les workers doivent voir les mêmes dossiers "
        "de données et de sortie)",
    )
    b.add_argument(
        "--scheduler",
        metavar="ADRESSE",
        help="adresse de l'ordonnanceur Dask, par exemple tcp://10.0.0.5:8786 (avec --executor dask)",
    )
    b.add_argument(
        "--noyaux-neufs",
        action="store_true",
        help="exécuter chaque rapport dans un noyau Jupyter neuf, démarré pour lui seul (plus lent) ; "
        "par défaut, chaque processus garde un noyau déjà prêt, remis à neuf entre deux rapports",
    )

    o = verbes.add_parser(
        "objectifs",
        help="évaluer les objectifs de l'année et proposer ceux de l'année suivante",
        description="Évalue chaque objectif de l'année (atteint, non atteint, non mesurable) et propose "
        "les objectifs de l'année suivante selon les règles de la fiche, avec leur raison. La proposition "
        "est écrite dans data/processed/AAAA/objectifs_proposes_AAAA+1.csv, au format d'objectifs.csv, "
        "et dans objectifs_proposes_AAAA+1.xlsx, à lire dans un tableur : relisez-la puis ajoutez vous-même "
        "les lignes du CSV à objectifs.csv.",
        epilog="Exemple : python -m evaluation objectifs --data data/raw --year 2024",
    )
    _option_donnees(o)
    o.add_argument("--year", type=_annee, metavar="AAAA", help="année évaluée (défaut : la dernière)")

    m = verbes.add_parser(
        "template",
        help="écrire le classeur de collecte à envoyer aux partenaires",
        description="Écrit un classeur xlsx avec une feuille par table annuelle, une aide sur chaque "
        "colonne, des listes déroulantes et les formats de nombres et de dates. Avec --data, les listes "
        "de quartiers et de communes du territoire sont ajoutées. Le classeur rempli se dépose tel quel "
        "dans AAAA/collecte.xlsx. Avec --partenaire, le classeur d'un partenaire : seulement les feuilles "
        "qu'il remplit, son nom, ses postes encore actifs l'année passée avec leurs plages déjà saisis, et "
        "une ligne d'activité par poste et par mois dont il saisit les nombres ; avec --partenaires, un "
        "classeur par partenaire de l'année passée (et un vide pour un nouveau) dans le dossier SORTIE. "
        "Les classeurs remplis se déposent dans AAAA/partenaires/. Avec --agent, le classeur de la personne "
        "chargée de l'évaluation : seulement ses feuilles (réunions, financements, outils), les outils de "
        "l'année passée déjà saisis ; rempli, il se dépose dans AAAA/collecte.xlsx.",
        epilog="Exemple : python -m evaluation template --out collecte-2026.xlsx --data data/raw --year 2026 ; "
        "par partenaire : python -m evaluation template --partenaires --data data/raw --year 2026 --out envois-2026 ; "
        "le vôtre : python -m evaluation template --agent --data data/raw --year 2026 --out collecte-2026.xlsx",
    )
    m.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="SORTIE",
        help="classeur à écrire (un dossier avec --partenaires)",
    )
    m.add_argument(
        "--data", type=Path, metavar="DOSSIER", help="dossier des données du territoire (facultatif)"
    )
    m.add_argument("--year", type=_annee, metavar="AAAA", help="année de collecte (défaut : la dernière + 1)")
    qui = m.add_mutually_exclusive_group()
    qui.add_argument(
        "--partenaire", metavar="NOM", help="le classeur d'un partenaire (une « structure » des postes)"
    )
    qui.add_argument(
        "--partenaires",
        action="store_true",
        help="un classeur par partenaire de l'année passée, dans SORTIE/",
    )
    qui.add_argument(
        "--agent",
        action="store_true",
        help="le classeur de la personne chargée de l'évaluation (réunions, financements, outils), "
        "à déposer dans AAAA/collecte.xlsx",
    )
    m.add_argument(
        "--toutes-feuilles",
        action="store_true",
        help="toutes les feuilles, pas seulement celles du partenaire",
    )

    c = verbes.add_parser(
        "collecte",
        help="suivre la collecte : classeurs des partenaires reçus, remplis, à corriger",
        description="Pour chaque partenaire attendu (ceux de l'année passée) et chaque classeur reçu dans "
        "AAAA/partenaires/ : reçu ou non, feuilles remplies, lignes par table, problèmes à corriger et ce "
        "qui manque encore. Écrit le même tableau dans data/processed/AAAA/suivi_collecte.csv, et pour chaque "
        "partenaire qui a quelque chose à corriger une liste à lui envoyer, data/processed/AAAA/corrections/"
        "<partenaire>.xlsx. Code de sortie 0 quand la collecte est complète et valide, 1 sinon.",
        epilog="Exemple : python -m evaluation collecte --data data/raw --year 2026",
    )
    _option_donnees(c)
    c.add_argument("--year", type=_annee, required=True, metavar="AAAA", help="année de collecte")

    a = verbes.add_parser(
        "import-anct",
        help="résumer les données ouvertes de l'ANCT sur les adultes-relais",
        description="Lit les fichiers de l'ANCT (tableaux JSON, ou CSV aux mêmes champs), signale leurs "
        "anomalies (code_cv ou insee_* absents, id_poste répétés, montants inhabituels) et écrit "
        "SORTIE/anct_adultes_relais.csv : année, contrat, postes, employeurs, montant de l'État. "
        "Avec --contrats, écrit aussi SORTIE/anct_contrats.csv : chaque contrat de ville de France, par "
        "année, avec la population de ses QPV (liste de 2015 jusqu'en 2023, de 2024 ensuite), ses postes "
        "pour 10 000 habitants et son aide par poste. Copiez ces fichiers dans le dossier des données pour "
        "comparer R2 aux comptes de l'ANCT et le contrat aux autres contrats de ville.",
        epilog="Exemple : python -m evaluation import-anct ../shared/data/anct/adulte-relais-*.json "
        "--contrats ../shared/data/anct/contrats-de-ville-*.geojson --out data/processed/anct",
    )
    a.add_argument("fichiers", nargs="+", type=Path, metavar="FICHIER", help="fichiers de l'ANCT")
    a.add_argument(
        "--contrats",
        nargs="+",
        type=Path,
        default=[],
        metavar="GEOJSON",
        help="listes des contrats de ville de l'ANCT (2015 et 2024, GeoJSON)",
    )
    a.add_argument("--out", type=Path, required=True, metavar="SORTIE", help="dossier de sortie")
    return p


def _option_donnees(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        type=Path,
        default=donnees_par_defaut(),
        metavar="DOSSIER",
        help="dossier des données (défaut : data/raw)",
    )


def _valider(args) -> int:
    from evaluation.cache import charger_valide as charger
    from evaluation.donnees.territoire import ecrire_traitees
    from evaluation.rapport.analyses import verifier_analyses

    _signaler_residus(args.data)
    t = charger(args.data, [args.year] if args.year else None)
    verifier_analyses(t, sorted(t.annees))  # the comité's texts: perimeters and sections known
    sortie = traitees_pour(args.data)
    ecrire_traitees(t, sortie)
    annees = enumerer(map(str, sorted(t.annees)))
    print(f"Données valides : {t.nom}, {pluriel(len(t.annees), 'année')} {annees} (version {t.version}).")
    print(f"Tables validées écrites dans {_montrer(sortie)}.")
    return 0


def _signaler_residus(dossier) -> None:
    """One line naming the office leftovers (lock files…) that reading ignored."""
    from evaluation.donnees.territoire import residus_bureautiques

    residus = residus_bureautiques(dossier) if dossier.is_dir() else []
    if residus:
        print(
            f"Ignorés (fichiers de verrouillage ou système, laissés par un tableur ouvert) : {', '.join(residus)}.",
            file=sys.stderr,
        )


def _construire(args) -> int:
    from evaluation.production.arret import Interruption, ProductionInterrompue, interruptible
    from evaluation.production.construction import construire

    _signaler_residus(args.data)
    try:
        with interruptible():  # Ctrl-C and SIGTERM stop the build (`production.arret`)
            resultats = construire(
                args.data,
                args.out,
                args.year,
                args.city,
                args.jobs,
                quartiers=args.quartiers,
                force=args.force,
                noyaux_neufs=args.noyaux_neufs,
                executeur=args.executor or ("dask" if args.scheduler else "local"),
                ordonnanceur=args.scheduler,
                pdf=args.pdf,
            )
    except ProductionInterrompue as exc:
        print(
            f"Production interrompue : {accorder(exc.produits, 'rapport produit')}, "
            f"{accorder(exc.non_produits, 'non produit')}.",
            file=sys.stderr,
        )
        return exc.code_de_sortie
    except Interruption as exc:  # before the first page, or while the index was written
        print("Production interrompue : les pages déjà écrites sont gardées.", file=sys.stderr)
        return exc.code_de_sortie
    echecs = [r for r in resultats if not r.ok]
    annee = resultats[0].tache.parametres["annee"]
    produits = len([r for r in resultats if r.ok and not r.reutilise])
    print(
        f"Rapports dans {args.out / str(annee)} : {accorder(produits, 'rapport produit')}, "
        f"{len([r for r in resultats if r.reutilise])} à jour, {len(echecs)} en échec."
    )
    for r in echecs:
        print(f"- échec : {r.tache.titre} — {r.erreur}", file=sys.stderr)
    return 1 if echecs else 0


def _objectifs(args) -> int:
    from evaluation.cache import charger_valide as charger
    from evaluation.indicateurs.objectifs import (
        SIGNE,
        ecrire_propositions,
        montrer,
        montrer_ecart,
        proposer,
        scorer,
    )
    from evaluation.rapport.analyses import demandes

    t = charger(args.data)
    annee = args.year or t.derniere_annee
    t.annee(annee)
    scores = scorer(t, annee)
    print(f"Objectifs {annee} — {t.nom} : {accorder(len(scores), 'objectif')}")
    for s in scores.itertuples():
        detail = (
            s.explication
            if s.statut == "non mesurable"
            else f"valeur {montrer(s.indicateur, s.valeur)}, écart {montrer_ecart(s.indicateur, s.ecart).replace('=', '0')}"
        )
        print(
            f"- {s.indicateur} {s.perimetre} {SIGNE[s.sens]} {montrer(s.indicateur, s.cible)} : {s.statut} ({detail})"
        )
    propositions = proposer(t, annee, demandes=demandes(t, annee))
    csv, xlsx = ecrire_propositions(t, propositions, traitees_pour(args.data) / str(annee), annee + 1)
    print(f"\nObjectifs proposés pour {annee + 1} : {len(propositions)}")
    for p in propositions.itertuples():
        print(
            f"- {p.indicateur} {p.perimetre} {SIGNE[p.sens]} {montrer(p.indicateur, p.cible)} "
            f"({p.origine}) : {p.raison}"
        )
    print(
        f"\nÉcrits dans {_montrer(csv)} (même format que objectifs.csv : séparateur virgule, point décimal) "
        f"et {_montrer(xlsx)} (à lire dans un tableur) : relisez-les, puis ajoutez les lignes du CSV à objectifs.csv."
    )
    return 0


def _template(args) -> int:
    from evaluation.cache import charger_valide as charger
    from evaluation.outils.classeur import ecrire_classeur

    t, annee = None, args.year
    if args.data:
        t = charger(args.data)
        annee = annee or t.derniere_annee + 1
    if args.partenaires:
        return _ecrire_classeurs_des_partenaires(args, t, annee)
    if args.out.suffix.lower() != ".xlsx":
        raise ErreurUtilisateur(f"Le classeur doit avoir l'extension .xlsx : {args.out}")
    if args.agent:
        return _ecrire_classeur_de_l_agent(args, t, annee)
    ecrire_classeur(args.out, t, annee, args.partenaire, args.toutes_feuilles)
    pour = f" de {args.partenaire}" if args.partenaire else ""
    print(
        f"Classeur de collecte{pour} écrit : {args.out}" + (f" ({t.nom}, {annee})" if t is not None else "")
    )
    return 0


def _ecrire_classeur_de_l_agent(args, t, annee) -> int:
    from evaluation.outils.classeur import ecrire_classeur
    from evaluation.outils.collecte import prerempli_agent

    if args.toutes_feuilles:
        raise ErreurUtilisateur(
            "--toutes-feuilles ne vaut que pour un classeur de partenaire : le classeur de la personne "
            "chargée de l'évaluation porte ses feuilles (réunions, financements, outils)."
        )
    ecrire_classeur(args.out, t, annee, agent=True)
    outils = prerempli_agent(t, annee - 1 if annee else None).get("outils")
    deja = (
        f" ; {accorder(len(outils), 'outil')} de {annee - 1} déjà {pluriel(len(outils), 'saisi')}"
        if outils is not None and not outils.empty
        else ""
    )
    print(
        f"Classeur de la personne chargée de l'évaluation écrit : {args.out}"
        + (f" ({t.nom}, {annee})" if t is not None else "")
        + f"{deja}. Rempli, il se dépose dans {annee or 'AAAA'}/collecte.xlsx."
    )
    return 0


def _ecrire_classeurs_des_partenaires(args, t, annee) -> int:
    from evaluation.donnees.collecte import partenaires
    from evaluation.donnees.proprietes import NOUVEAU
    from evaluation.formats import slug
    from evaluation.outils.classeur import ecrire_classeur

    if t is None:
        raise ErreurUtilisateur("--partenaires demande --data : les partenaires sont ceux de l'année passée.")
    noms = partenaires(t, annee - 1)
    if not noms:
        raise ErreurUtilisateur(f"Aucun partenaire en {annee - 1} (aucun poste) : utilisez --partenaire NOM.")
    for nom in [*noms, NOUVEAU]:
        chemin = ecrire_classeur(args.out / f"{slug(nom)}.xlsx", t, annee, nom, args.toutes_feuilles)
        print(f"- {nom} : {_montrer(chemin)}")
    print(
        f"{accorder(len(noms) + 1, 'classeur de collecte écrit', 'classeurs de collecte écrits')} pour {annee} "
        f"dans {_montrer(args.out)} ({accorder(len(noms), 'partenaire')} de {annee - 1} et un classeur vide "
        "pour un nouveau partenaire)."
    )
    return 0


def _collecte(args) -> int:
    from evaluation.io import ecrire_csv_pour_tableur
    from evaluation.outils.collecte import complet, ecrire_corrections, resume, suivi

    table = suivi(args.data, args.year)
    sortie = traitees_pour(args.data) / str(args.year)
    ecrire_corrections(table, sortie, args.year)
    for ligne in table.itertuples():
        if ligne.recu == "oui":
            comptes = ", ".join(f"{t} {getattr(ligne, t)}" for t in ligne.feuilles_remplies.split(", ") if t)
            etat = f"reçu ({ligne.fichier}) : {comptes or 'aucune feuille remplie'}"
            etat += f" ; {accorder(ligne.problemes, 'problème')}" if ligne.problemes else ""
        else:
            etat = "non reçu"
        if ligne.manque and ligne.manque != "classeur non reçu":
            etat += f" ; manque : {ligne.manque}"
        if ligne.corrections:  # the partner's list, ready to attach to an email
            etat += f" → corrections : {_montrer(sortie / ligne.corrections)}"
        print(f"- {ligne.partenaire} : {etat}")
    chemin = ecrire_csv_pour_tableur(table, sortie / "suivi_collecte.csv")
    print(resume(table))
    print(f"Suivi écrit : {_montrer(chemin)}")
    return 0 if complet(table) else 1


def _import_anct(args) -> int:
    from evaluation.io import ecrire_csv_atomique
    from evaluation.outils.anct import FICHIER, FICHIER_NATIONAL, importer, national

    if args.contrats:
        tidy, table, anomalies = national(args.fichiers, args.contrats)
    else:
        (tidy, anomalies), table = importer(args.fichiers), None
    chemin = ecrire_csv_atomique(tidy, args.out / FICHIER)
    print(
        f"{accorder(len(args.fichiers), 'fichier ANCT lu', 'fichiers ANCT lus')} : "
        f"{accorder(tidy['annee'].nunique(), 'année')}, {accorder(tidy['code_contrat'].nunique(), 'contrat')}. "
        f"Table écrite : {_montrer(chemin)}"
    )
    if table is not None:
        chemin = ecrire_csv_atomique(table, args.out / FICHIER_NATIONAL)
        print(
            f"Table nationale écrite : {_montrer(chemin)} ({accorder(len(table), 'ligne')}, "
            f"{accorder(table['annee'].nunique(), 'année')})"
        )
    if anomalies:
        print("Anomalies relevées dans les données de l'ANCT :")
        for a in anomalies:
            print(f"- {a}")
    return 0


VERBES = {
    "validate": _valider,
    "build": _construire,
    "objectifs": _objectifs,
    "template": _template,
    "collecte": _collecte,
    "import-anct": _import_anct,
}


def main(argv: list[str] | None = None) -> int:
    args = parseur().parse_args(argv)
    try:
        return VERBES[args.verbe](args)
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
    except BrokenPipeError:  # the output piped into `head` or `less`, closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if args.debug:
            raise
        message = str(exc).splitlines()[0] if str(exc) else ""
        print(
            f"Erreur inattendue ({type(exc).__name__}) : {message} — relancez avec --debug pour le détail.",
            file=sys.stderr,
        )
        return 1

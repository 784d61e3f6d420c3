"""Project-level promises: reproducible sample data, one list of dependencies."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tomllib

import yaml

from evaluation.paths import RACINE

from .conftest import ECHANTILLON


def test_donnees_d_exemple_reproductibles_octet_pour_octet(tmp_path):
    for essai in ("a", "b"):
        subprocess.run(
            [sys.executable, str(RACINE / "scripts" / "make_sample_data.py"), str(tmp_path / essai)],
            check=True,
        )
    fichiers = sorted(
        p.relative_to(ECHANTILLON)
        for p in ECHANTILLON.rglob("*")
        # The national table is derived from ANCT's files by import-anct (checked against them in
        # tests/test_national.py), not written by the script.
        if p.is_file() and p.name not in ("README.md", "anct_contrats.csv")
    )
    assert fichiers == sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    for f in fichiers:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
        assert filecmp.cmp(ECHANTILLON / f, tmp_path / "a" / f, shallow=False), (
            f"{f} differs from the script's output"
        )


def test_les_deux_formats_sont_utilises_par_l_echantillon():
    annees = {p.name: sorted(x.name for x in p.iterdir()) for p in ECHANTILLON.iterdir() if p.is_dir()}
    assert any("collecte.xlsx" in f and not any(x.endswith(".csv") for x in f) for f in annees.values())
    cp1252 = [
        a
        for a, f in annees.items()
        if "postes.csv" in f
        and b";" in (ECHANTILLON / a / "postes.csv").read_bytes().splitlines()[0]
        and "é".encode("cp1252") in (ECHANTILLON / a / "postes.csv").read_bytes()
    ]
    assert cp1252, "at least one year in the French-office dialect (;, Windows-1252)"


def test_environment_yml_et_pyproject_concordent():
    projet = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    attendues = set(projet["dependencies"]) | set(projet["optional-dependencies"]["test"])
    env = yaml.safe_load((RACINE / "environment.yml").read_text(encoding="utf-8"))
    conda = {d for d in env["dependencies"] if isinstance(d, str)} - {"pip"}
    python = {d for d in conda if d.startswith("python")}
    assert python == {f"python{projet['requires-python']}"}
    assert conda - python == attendues


def test_la_documentation_du_contrat_est_a_jour(tmp_path):
    from evaluation.donnees import contrat

    sortie = tmp_path / "contrat.md"
    subprocess.run(
        [sys.executable, str(RACINE / "scripts" / "make_contract_doc.py"), str(sortie)], check=True
    )
    doc = (RACINE / "docs" / "contrat-donnees.md").read_text(encoding="utf-8")
    assert doc == sortie.read_text(encoding="utf-8"), "run: python scripts/make_contract_doc.py"
    for table in contrat.TABLES.values():
        for colonne in table.colonnes:
            assert f"| `{colonne.nom}` |" in doc, (table.nom, colonne.nom)


def _imports_du_module(chemin, paquet: str) -> set[str]:
    """The package's modules a module imports, at its top or inside a function (a cycle dodged
    by an import inside a function is still a cycle), but not under TYPE_CHECKING."""
    import ast

    arbre = ast.parse(chemin.read_text(encoding="utf-8"))
    module = paquet + "." + ".".join(chemin.relative_to(RACINE / paquet).with_suffix("").parts)
    module = module.removesuffix(".__init__")
    base = module.split(".") if chemin.name == "__init__.py" else module.split(".")[:-1]
    noms = set()
    typage = {
        id(n)
        for bloc in ast.walk(arbre)
        if isinstance(bloc, ast.If) and "TYPE_CHECKING" in ast.unparse(bloc.test)
        for b in bloc.body
        for n in ast.walk(b)
    }
    for noeud in ast.walk(arbre):
        if id(noeud) in typage:
            continue
        if isinstance(noeud, ast.ImportFrom):
            racine = base[: len(base) - noeud.level + 1] if noeud.level else []
            cible = ".".join([*racine, *(noeud.module.split(".") if noeud.module else [])])
            noms.add(cible)
            noms |= {f"{cible}.{a.name}" for a in noeud.names}
        elif isinstance(noeud, ast.Import):
            noms |= {a.name for a in noeud.names}
    return {n for n in noms if n.startswith(paquet)}


def test_aucun_cycle_d_import():
    """The data flows one way: no module imports, directly or not, a module that imports it."""
    fichiers = sorted((RACINE / "evaluation").rglob("*.py"))
    modules = {}
    for f in fichiers:
        nom = "evaluation." + ".".join(f.relative_to(RACINE / "evaluation").with_suffix("").parts)
        modules[nom.removesuffix(".__init__")] = f
    graphe = {
        m: {i for i in _imports_du_module(f, "evaluation") if i in modules and i != m}
        for m, f in modules.items()
    }
    # a submodule imports its package's __init__ first: not an edge of ours
    graphe = {m: {i for i in cibles if not m.startswith(i + ".")} for m, cibles in graphe.items()}
    etat: dict[str, int] = {}
    chemin: list[str] = []

    def visiter(m: str) -> None:
        etat[m] = 1
        chemin.append(m)
        for i in sorted(graphe[m]):
            assert etat.get(i) != 1, "cycle d'import : " + " -> ".join([*chemin[chemin.index(i) :], i])
            if i not in etat:
                visiter(i)
        chemin.pop()
        etat[m] = 2

    for m in sorted(graphe):
        if m not in etat:
            visiter(m)
    assert "evaluation.indicateurs" not in graphe["evaluation.donnees.territoire"]


def _graphe_des_imports() -> dict[str, set[str]]:
    """Each module of the package and the package's modules it imports."""
    modules = {}
    for f in sorted((RACINE / "evaluation").rglob("*.py")):
        nom = "evaluation." + ".".join(f.relative_to(RACINE / "evaluation").with_suffix("").parts)
        modules[nom.removesuffix(".__init__")] = f
    return {
        m: {
            i
            for i in _imports_du_module(f, "evaluation")
            if i in modules and i != m and not m.startswith(i + ".")
        }
        for m, f in modules.items()
    }


# The stages, each using only those before it (docs/architecture.md): donnees <- indicateurs
# <- rapport <- production <- cli, over shared utilities; `outils` (the campaign's workbooks,
# ANCT's importers) uses the data layer only and is used by the command line only.
_RANGS = {"commun": 0, "donnees": 1, "indicateurs": 2, "rapport": 3, "production": 4, "cli": 5}
_COUCHE_DES_MODULES = {
    "evaluation": "commun",
    "evaluation.paths": "commun",
    "evaluation.io": "commun",
    "evaluation.hachage": "commun",
    "evaluation.formats": "commun",
    "evaluation.references": "commun",
    "evaluation.cache": "indicateurs",  # the validated territory and its indicator tables
    "evaluation.mentions": "rapport",  # the year's state, as the pages and the index word it
    "evaluation.__main__": "cli",
}


def _couche(module: str) -> str:
    if module in _COUCHE_DES_MODULES:
        return _COUCHE_DES_MODULES[module]
    return module.split(".")[1]


def test_les_etapes_n_importent_que_celles_d_avant():
    ecarts = []
    for m, cibles in _graphe_des_imports().items():
        de = _couche(m)
        for i in cibles:
            vers = _couche(i)
            if vers == "outils":
                permis = de in ("outils", "cli")
            elif de == "outils":
                permis = vers in ("commun", "donnees")
            else:
                permis = _RANGS[vers] <= _RANGS[de]
            if not permis:
                ecarts.append(f"{m} ({de}) -> {i} ({vers})")
    assert ecarts == []


def test_valider_ne_charge_ni_graphiques_ni_noyau(tmp_path):
    """`validate` reads and checks the data: it loads neither charts nor IPython nor nbconvert
    (importing the report layer cost it more than half its time)."""
    code = (
        "import sys; from evaluation.cli import main; code = main(['validate', '--data', sys.argv[1]]); "
        "print(sorted(m for m in ('matplotlib', 'seaborn', 'IPython', 'nbconvert', 'scipy') if m in sys.modules))"
        "; sys.exit(code)"
    )
    shutil.copytree(ECHANTILLON, tmp_path / "raw")  # the validated tables are written beside the data
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "raw")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_aucune_classe_de_plus_de_300_lignes():
    import ast

    for f in sorted((RACINE / "evaluation").rglob("*.py")):
        for noeud in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(noeud, ast.ClassDef):
                assert noeud.end_lineno - noeud.lineno < 300, (f, noeud.name)

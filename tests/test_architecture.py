"""The import graph of apps/ (ARCHITECTURE.md): goals, the domain, imports no other app and nothing of
jinan_targets (settings come through django.conf); every other app imports goals and nothing of the
others; and no modules import each other in a circle, counting imports inside functions too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = "apps.goals"
# Circles known and being removed elsewhere, each as its sorted modules. An entry stays only while its
# circle does (test_every_circle_allowed_still_exists): delete it with the circle.
ALLOWED_CIRCLES: list[list[str]] = []


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path, modules: set[str]) -> list[str]:
    """Every module the file imports, at load time or inside a function; relative imports resolved,
    `from package import name` counted as the submodule when `name` is one."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.append(target if target in modules else base)
    return found


def import_graph(root: Path, package: str = "apps") -> dict[str, list[str]]:
    paths = [p for p in (root / package).rglob("*.py") if "migrations" not in p.parts]
    modules = {module_name(p, root) for p in paths}
    return {module_name(p, root): imports_of(p, root, modules) for p in paths}


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def forbidden_imports(graph) -> list[str]:
    """Imports against the arrows: the domain importing another app or the project package
    (jinan_targets), or an app other than the domain importing anything of an app but its own and the
    domain."""
    wrong = []
    for module, imports in graph.items():
        app = app_of(module)
        for target in imports:
            if app == DOMAIN and (target == "jinan_targets" or target.startswith("jinan_targets.")):
                wrong.append(f"{module} imports {target}")
            elif target.startswith("apps.") and app_of(target) not in (app, DOMAIN):
                wrong.append(f"{module} imports {target}")
    return sorted(wrong)


def import_circles(graph) -> list[list[str]]:
    """Groups of modules that import each other in a circle (strongly connected components of the
    import graph, with a module importing itself counted), each sorted, in order."""
    edges = {module: sorted({t for t in imports if t in graph}) for module, imports in graph.items()}
    order: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def visit(module: str) -> None:
        order[module] = lowest[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for target in edges[module]:
            if target not in order:
                visit(target)
                lowest[module] = min(lowest[module], lowest[target])
            elif target in on_stack:
                lowest[module] = min(lowest[module], order[target])
        if lowest[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in edges[module]:
                circles.append(sorted(group))

    for module in sorted(edges):
        if module not in order:
            visit(module)
    return sorted(circles)


def test_the_domain_imports_no_other_app_nor_the_project_and_apps_do_not_import_each_other():
    assert forbidden_imports(import_graph(ROOT)) == []


def test_no_modules_import_each_other_in_a_circle_even_inside_functions():
    circles = import_circles(import_graph(ROOT))
    assert [circle for circle in circles if circle not in ALLOWED_CIRCLES] == []


def test_every_circle_allowed_still_exists():
    circles = import_circles(import_graph(ROOT))
    assert [circle for circle in ALLOWED_CIRCLES if circle not in circles] == []


@pytest.fixture
def tree(tmp_path):
    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return tmp_path

    return write


def test_the_check_finds_imports_against_the_arrows(tree):
    root = tree(
        {
            "apps/__init__.py": "",
            "apps/goals/__init__.py": "",
            "apps/goals/admin.py": "from apps.ingest import review\n",
            "apps/goals/models.py": "from django.conf import settings\n",
            "apps/goals/services.py": "def run():\n    from jinan_targets.routers import read_database\n",
            "apps/goals/tasks.py": "import jinan_targets\n",
            "apps/ingest/__init__.py": "",
            "apps/ingest/review.py": "from apps.goals import models\n",
            "apps/public/__init__.py": "",
            "apps/public/views.py": "from ..digests.services import send\nfrom jinan_targets import urls\n",
            "apps/digests/__init__.py": "",
            "apps/digests/services.py": "def send(): pass\n",
            "apps/staff/__init__.py": "",
            "apps/staff/admin.py": "from apps.goals.models import Goal\nfrom apps.staff import forms\n",
            "apps/staff/forms.py": "def entry():\n    from apps.public import views\n",
        }
    )
    assert forbidden_imports(import_graph(root)) == [
        "apps.goals.admin imports apps.ingest.review",
        "apps.goals.services imports jinan_targets.routers",
        "apps.goals.tasks imports jinan_targets",
        "apps.public.views imports apps.digests.services",
        "apps.staff.forms imports apps.public.views",
    ]


def test_the_check_finds_circles_made_at_load_time_and_inside_functions(tree):
    root = tree(
        {
            "apps/__init__.py": "",
            "apps/goals/__init__.py": "",
            "apps/goals/services/__init__.py": "",
            "apps/goals/services/evaluation.py": "def start():\n    from ..tasks import evaluate_goal\n",
            "apps/goals/tasks.py": "from .services import evaluation\n",
            "apps/goals/models.py": "from . import querysets\n",
            "apps/goals/querysets.py": "from . import status\n",
            "apps/goals/status.py": "def later():\n    import apps.goals.models\n",
            "apps/goals/selectors.py": "from . import models, status\n",
            "apps/goals/alone.py": "from . import alone\n",
            "apps/digests/__init__.py": "",
            "apps/digests/following.py": "from apps.goals import models\n",
        }
    )
    assert import_circles(import_graph(root)) == [
        ["apps.goals.alone"],
        ["apps.goals.models", "apps.goals.querysets", "apps.goals.status"],
        ["apps.goals.services.evaluation", "apps.goals.tasks"],
    ]

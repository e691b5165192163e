"""Imports run one way: every module in kiosk/ imports only its own layer and the layers it sits on.

The map below is the architecture as data. Every import counts: at the top, inside a
function, under `if TYPE_CHECKING`. A new module that fits no layer fails too, so the
map is kept up to date rather than bypassed.
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "kiosk"


@dataclass(frozen=True)
class Layer:
    name: str
    packages: tuple[str, ...]  # modules, or packages with everything under them
    uses: tuple[str, ...]  # the other layers its modules may import
    rooms: bool = False  # each package a room of its own: none imports a sibling package


LAYERS = (
    Layer(
        "base",
        ("kiosk.errors", "kiosk.i18n", "kiosk.i18n_catalogs", "kiosk.http_bounds", "kiosk.clock"),
        (),
    ),
    Layer("domain", ("kiosk.domain",), ("base",)),
    # Config sits below the services because the services are handed its frozen dataclasses
    # (PaymentConfig, ShopConfig, ...). Reading the secret files (credentials) and the product
    # list (catalog) turns files into values and domain objects, as parsing the TOML does; none
    # of it talks to a node, a printer or the ledger. Opening files as the adapters do is
    # kiosk.preflight's job, at the top.
    Layer(
        "config",
        (
            "kiosk.config",
            "kiosk.config_checks",
            "kiosk.config_schema",
            "kiosk.config_text",
            "kiosk.config_values",
            "kiosk.credentials",
            "kiosk.catalog",
        ),
        ("base", "domain"),
    ),
    Layer("services", ("kiosk.services",), ("base", "domain", "config")),
    # The adapters implement the ports the services define; they meet only through them.
    Layer(
        "adapters",
        ("kiosk.backends", "kiosk.hardware", "kiosk.storage", "kiosk.rates", "kiosk.fleet"),
        ("base", "domain", "config", "services"),
        rooms=True,
    ),
    Layer("ui", ("kiosk.ui",), ("base", "domain", "config", "services")),
    # The composition root and the front ends: they build everything, so they may import anything.
    Layer(
        "top",
        (
            "kiosk",
            "kiosk.__main__",
            "kiosk.wiring",
            "kiosk.launch",
            "kiosk.preflight",
            "kiosk.cli",
            "kiosk.cli_admin",
            "kiosk.cli_charge",
            "kiosk.cli_exits",
            "kiosk.cli_fleet",
            "kiosk.cli_shop",
            "kiosk.cli_staff",
        ),
        ("base", "domain", "config", "services", "adapters", "ui"),
    ),
)

# Outside libraries that belong to one part: nothing else may lean on them.
OWNED = {
    "sqlite3": ("kiosk.storage.database",),
    "kivy": ("kiosk.ui",),
    "escpos": ("kiosk.hardware",),
    "usb": ("kiosk.hardware",),
    "gpiozero": ("kiosk.hardware",),
    "psycopg": ("kiosk.fleet",),
}


def within(module: str, package: str) -> bool:
    """`module` is `package` or under it; "kiosk" itself is only its own (empty) __init__."""
    return module == package or ("." in package and module.startswith(package + "."))


def home(module: str) -> tuple[Layer, str] | None:
    """The layer a module belongs to and the package of that layer holding it (the longest match)."""
    found = [(len(p), layer, p) for layer in LAYERS for p in layer.packages if within(module, p)]
    if not found:
        return None
    _, layer, package = max(found, key=lambda f: f[0])
    return layer, package


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> list[tuple[int, str]]:
    """(line, module) for every import anywhere in the tree; `from a import b` is a.b if b is a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((node.lineno, full if full in known else base))
    return found


def problems(root: Path) -> list[str]:
    """Every import against the map, by file and line."""
    paths = sorted(root.rglob("*.py"))
    known = {module_name(p, root) for p in paths}
    found = []
    for path in paths:
        module = module_name(path, root)
        where = home(module)
        if where is None:
            found.append(f"{module}: in no layer; add it to LAYERS in tests/test_layers.py")
            continue
        layer, package = where
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, target in imported(tree, module, path.name == "__init__.py", known):
            top = target.split(".")[0]
            if top in OWNED:
                if not any(within(module, owner) for owner in OWNED[top]):
                    found.append(f"{path}:{line}: {module} imports {target}; only {OWNED[top]} may")
                continue
            if top != "kiosk":
                continue
            why = refusal(module, layer, package, target)
            if why:
                found.append(f"{path}:{line}: {module} ({layer.name}) imports {target}: {why}")
    return found


def refusal(module: str, layer: Layer, package: str, target: str) -> str:
    """Why `module` may not import `target`; empty when it may."""
    where = home(target)
    if where is None:
        return "that module is in no layer"
    other, other_package = where
    if other is layer:
        if layer.rooms and other_package != package:
            return f"{package} and {other_package} meet only through kiosk.services"
        return ""
    if other.name not in layer.uses:
        return f"the {layer.name} layer may use only {', '.join(layer.uses) or 'itself'}, not {other.name}"
    return ""


def test_every_import_in_kiosk_runs_one_way():
    found = problems(ROOT)
    assert not found, "\n".join(found)


def copy_of_kiosk(tmp_path: Path) -> Path:
    shutil.copytree(ROOT, tmp_path / "kiosk", ignore=shutil.ignore_patterns("locale", "__pycache__"))
    return tmp_path / "kiosk"


@pytest.mark.parametrize(
    ("file", "line", "named"),
    [
        # a service reaching an adapter, inside a function as a lazy import
        (
            "services/checkout.py",
            "def _late():\n    from kiosk.hardware.gpio import make_signals\n",
            "kiosk.services.checkout (services) imports kiosk.hardware.gpio",
        ),
        # one adapter reaching into another instead of through the services
        (
            "rates/aggregator.py",
            "from kiosk.services.checkout import Checkout\nfrom kiosk.storage.sales import Sales\n",
            "kiosk.rates and kiosk.storage meet only through kiosk.services",
        ),
        # the domain reaching up, through a relative import
        ("domain/sale.py", "from ..services import receipts\n", "imports kiosk.services.receipts"),
        # SQLite outside the storage's one database module
        ("storage/sales.py", "import sqlite3\n", "kiosk.storage.sales imports sqlite3"),
        # the UI reaching past the services to an adapter
        ("ui/viewmodels.py", "from kiosk.hardware import printers\n", "imports kiosk.hardware.printers"),
        # Kivy outside the UI
        ("services/admin.py", "from kivy.clock import Clock\n", "imports kivy.clock"),
        # a module nobody placed on the map
        ("newcomer.py", "", "kiosk.newcomer: in no layer"),
    ],
)
def test_a_wrong_import_in_a_copy_of_kiosk_is_named(tmp_path, file, line, named):
    root = copy_of_kiosk(tmp_path)
    path = root / file
    path.write_text((path.read_text() if path.exists() else "") + "\n" + line, encoding="utf-8")
    found = problems(root)
    assert [f for f in found if named in f], found
    assert all(f.startswith(str(path)) or f.startswith("kiosk.newcomer") for f in found), found

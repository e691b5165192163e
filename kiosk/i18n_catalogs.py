"""Keeps the translators' catalogs in step with the sources, with Babel.

    python -m kiosk.i18n_catalogs            # extract kiosk.pot, merge it into every .po
    python -m kiosk.i18n_catalogs --new ja   # start a catalog for a new language

(`scripts/update-translations.sh` runs this.) What is extracted: every `_()` and
`N_()` call in kiosk/, and every upper-case text constant in kiosk/ui/strings*.py,
so adding a screen text stays a one-line `NAME = "English text"`.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from kiosk.i18n import DOMAIN, LOCALE_DIR, available_languages, catalog_path

PACKAGE = Path(__file__).resolve().parent
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
METHODS = [
    ("ui/strings.py", f"{__name__}:extract_constants"),
    ("ui/strings_*.py", f"{__name__}:extract_constants"),
    ("**.py", "python"),
]
COMMENT_TAG = "TRANSLATORS:"  # a `# TRANSLATORS: ...` comment above a `_()` call reaches the translator


def extract_constants(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method: module-level `NAME = "text"` lines with letters in them.

    The translator sees the constant's name and the nearest comment above it (its section).
    """
    source = fileobj.read().decode("utf-8")
    module = Path(getattr(fileobj, "name", "strings.py")).stem  # strings, or strings_refund, ...
    lines = source.splitlines()
    for node in ast.parse(source).body:
        target, value = _assignment(node)
        if target is None or not target.isupper() or not isinstance(value, str):
            continue
        if not any(char.isalpha() for char in value):
            continue  # symbols such as "⌫" are not words
        comments = [f"{module}.{target}", *_comment_above(lines, node.lineno)]
        yield node.lineno, None, value, comments


def template() -> Catalog:
    """Every message the sources hold now, as a fresh .pot catalog."""
    catalog = Catalog(project="Lightning kiosk", domain=DOMAIN, charset="utf-8")
    found = extract_from_dir(
        PACKAGE, METHODS, keywords=DEFAULT_KEYWORDS, comment_tags=(COMMENT_TAG,), strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        location = (f"{PACKAGE.name}/{filename}", lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def messages_text(catalog: Catalog) -> str:
    """The catalog's messages as .po text without the header (whose dates change on every run)."""
    return _po_text(catalog, omit_header=True)


def update() -> list[Path]:
    """Rewrite the .pot and merge it into every language's .po; returns the files that changed."""
    fresh = template()
    changed = []
    if not TEMPLATE.exists() or messages_text(_read(TEMPLATE)) != messages_text(fresh):
        TEMPLATE.write_text(_po_text(fresh), encoding="utf-8")
        changed.append(TEMPLATE)
    for code in available_languages()[1:]:
        path = catalog_path(code)
        catalog = _read(path, code)
        before = messages_text(catalog)
        catalog.update(fresh)  # new texts come in untranslated, changed ones marked fuzzy
        if messages_text(catalog) != before:
            path.write_text(_po_text(catalog), encoding="utf-8")
            changed.append(path)
    return changed


def new_language(code: str) -> Path:
    """A catalog for `code` holding every message, none translated yet."""
    path = catalog_path(code)
    if path.exists():
        raise SystemExit(f"{path} exists already: run without --new to update it")
    catalog = _read(TEMPLATE, code)
    catalog.locale = code  # type: ignore[assignment]  # Babel parses the code
    catalog.fuzzy = False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_po_text(catalog), encoding="utf-8")
    return path


def _read(path: Path, code: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=code, domain=DOMAIN)


def _po_text(catalog: Catalog, omit_header: bool = False) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=omit_header, include_lineno=False, ignore_obsolete=True)
    return out.getvalue().decode("utf-8")


def _assignment(node: ast.stmt) -> tuple[str | None, object]:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        target, value = node.targets[0].id, node.value
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        target, value = node.target.id, node.value
    else:
        return None, None
    return target, value.value if isinstance(value, ast.Constant) else None


def _comment_above(lines: list[str], lineno: int) -> list[str]:
    """The first comment line above `lineno` within its block (blank lines end a block)."""
    for line in reversed(lines[: lineno - 1]):
        stripped = line.strip()
        if not stripped:
            return []
        if stripped.startswith("#"):
            return [stripped.lstrip("#").strip()]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Update the translation catalogs from the sources")
    parser.add_argument("--new", metavar="CODE", help="start a catalog for a new language, e.g. zh_TW or ja")
    args = parser.parse_args(argv)
    changed = update()
    if args.new:
        changed.append(new_language(args.new))
    for path in changed:
        print(f"updated {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    if not changed:
        print("catalogs already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())

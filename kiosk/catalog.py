"""The product catalog: a TOML file of [[product]] tables, checked like the config.

[[product]]
name = "Flat white"
price = "3.80"          # in the shop currency, quoted so it stays exact
category = "Coffee"     # optional; the grid's tabs, in order of first use
image = "flat-white.png"  # optional, relative to this file
tax_rate = "7"          # optional: VAT / sales tax in percent; else the shop's [tax] rate
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from kiosk.config_text import read_toml
from kiosk.domain.cart import Product
from kiosk.domain.money import Currency
from kiosk.errors import ConfigError
from kiosk.i18n import _

KEYS = frozenset({"name", "price", "category", "image", "tax_rate"})
MAX_PRODUCTS = 200


def load_catalog(path: Path, unit: Currency, tax_rate: Decimal = Decimal(0)) -> tuple[Product, ...]:
    data = read_toml(path, _("catalog"), _("Create it, or remove catalog.file from the config"))
    tables = data.get("product", [])
    if set(data) - {"product"} or not isinstance(tables, list):
        raise ConfigError(f"{path}: a catalog holds only [[product]] tables", "See assets/demo/catalog.toml")
    if len(tables) > MAX_PRODUCTS:
        raise ConfigError(f"{path}: {len(tables)} products, at most {MAX_PRODUCTS}", "Split it into fewer")
    return tuple(
        _product(table, number, path, unit, tax_rate) for number, table in enumerate(tables, start=1)
    )


def _product(table: dict, number: int, path: Path, unit: Currency, tax_rate: Decimal) -> Product:
    where = f"{path}: product {number}"
    unknown = set(table) - KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}", "Known: " + ", ".join(sorted(KEYS)))
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: name is missing", 'Give it a name, e.g. name = "Latte"')
    where = f"{path}: product {number} ({name})"
    price = _price(table.get("price"), where, unit)
    category = table.get("category", "")
    if not isinstance(category, str):
        raise ConfigError(f"{where}: category must be text in quotes", "")
    image = table.get("image")
    if image is not None:
        if not isinstance(image, str) or not (path.parent / image).is_file():
            raise ConfigError(f"{where}: image {image!r} not found", f"Put the picture next to {path.name}")
        image = path.parent / image
    return Product(
        name.strip(), price, category.strip(), image, _rate(table.get("tax_rate"), where, tax_rate)
    )


def _rate(raw: object, where: str, default: Decimal) -> Decimal:
    if raw is None:
        return default
    hint = 'Write the tax rate in percent in quotes, e.g. tax_rate = "7"'
    try:
        rate = Decimal(str(raw)) if isinstance(raw, str | int) and not isinstance(raw, bool) else None
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate <= 100:
        raise ConfigError(f"{where}: tax_rate {raw!r} is not a percentage from 0 to 100", hint)
    return rate


def _price(raw: object, where: str, unit: Currency) -> Decimal:
    example = "1500" if unit.is_sats else "3.80"
    hint = f'Write the price in {unit.code} in quotes, e.g. price = "{example}"'
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise ConfigError(f"{where}: price is missing or not a quoted amount", hint)
    try:
        price = Decimal(str(raw))
    except InvalidOperation:
        raise ConfigError(f"{where}: price {raw!r} is not an amount", hint) from None
    if not price.is_finite() or price <= 0:
        raise ConfigError(f"{where}: price must be above zero", hint)
    if price != price.quantize(unit.quantum):
        raise ConfigError(f"{where}: price {raw} has more decimals than {unit.code} allows", hint)
    return price.quantize(unit.quantum)

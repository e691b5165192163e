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
from kiosk.i18n import _, list_separator

KEYS = frozenset({"name", "price", "category", "image", "tax_rate"})
MAX_PRODUCTS = 200


def load_catalog(path: Path, unit: Currency, tax_rate: Decimal = Decimal(0)) -> tuple[Product, ...]:
    data = read_toml(path, _("catalog"), _("Create it, or remove catalog.file from the config"))
    tables = data.get("product", [])
    if set(data) - {"product"} or not isinstance(tables, list):
        raise ConfigError(
            _("{path}: a catalog holds only [[product]] tables").format(path=path),
            _("See assets/demo/catalog.toml"),
        )
    if len(tables) > MAX_PRODUCTS:
        raise ConfigError(
            _("{path}: {count} products, at most {max}").format(
                path=path, count=len(tables), max=MAX_PRODUCTS
            ),
            _("Split it into fewer"),
        )
    return tuple(
        _product(table, number, path, unit, tax_rate) for number, table in enumerate(tables, start=1)
    )


def _product(table: dict, number: int, path: Path, unit: Currency, tax_rate: Decimal) -> Product:
    where = _("{path}: product {number}").format(path=path, number=number)
    unknown = set(table) - KEYS
    if unknown:
        raise ConfigError(
            _("{where}: unknown key {key!r}").format(where=where, key=sorted(unknown)[0]),
            _("Known: {options}").format(options=list_separator().join(sorted(KEYS))),
        )
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(
            _("{where}: name is missing").format(where=where), _('Give it a name, e.g. name = "Latte"')
        )
    where = _("{path}: product {number} ({name})").format(path=path, number=number, name=name)
    price = _price(table.get("price"), where, unit)
    category = table.get("category", "")
    if not isinstance(category, str):
        raise ConfigError(
            _("{where}: category must be text in quotes").format(where=where),
            _('Write it in quotes, e.g. category = "Coffee"'),
        )
    image = table.get("image")
    if image is not None:
        if not isinstance(image, str) or not (path.parent / image).is_file():
            raise ConfigError(
                _("{where}: image {image!r} not found").format(where=where, image=image),
                _("Put the picture next to {file}").format(file=path.name),
            )
        image = path.parent / image
    return Product(
        name.strip(), price, category.strip(), image, _rate(table.get("tax_rate"), where, tax_rate)
    )


def _rate(raw: object, where: str, default: Decimal) -> Decimal:
    if raw is None:
        return default
    hint = _('Write the tax rate in percent in quotes, e.g. tax_rate = "7"')
    try:
        rate = Decimal(str(raw)) if isinstance(raw, str | int) and not isinstance(raw, bool) else None
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate <= 100:
        raise ConfigError(
            _("{where}: tax_rate {value!r} is not a percentage from 0 to 100").format(where=where, value=raw),
            hint,
        )
    return rate


def _price(raw: object, where: str, unit: Currency) -> Decimal:
    example = "1500" if unit.is_sats else "3.80"
    hint = _('Write the price in {currency} in quotes, e.g. price = "{example}"').format(
        currency=unit.code, example=example
    )
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise ConfigError(_("{where}: price is missing or not a quoted amount").format(where=where), hint)
    try:
        price = Decimal(str(raw))
    except InvalidOperation:
        raise ConfigError(
            _("{where}: price {value!r} is not an amount").format(where=where, value=raw), hint
        ) from None
    if not price.is_finite() or price <= 0:
        raise ConfigError(_("{where}: price must be above zero").format(where=where), hint)
    if price != price.quantize(unit.quantum):
        raise ConfigError(
            _("{where}: price {value} has more decimals than {currency} allows").format(
                where=where, value=raw, currency=unit.code
            ),
            hint,
        )
    return price.quantize(unit.quantum)

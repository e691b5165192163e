"""The tour's shop: VAT included, one product of the catalog at the reduced rate, prices as the shop's."""

from __future__ import annotations

from decimal import Decimal

from kiosk.catalog import load_catalog
from kiosk.config import DEMO_CATALOG, CatalogConfig, Config
from kiosk.domain.money import currency
from tools.tour.run import TOUR_REDUCED_VAT, TOUR_VAT, for_the_tour


def test_the_tours_catalog_is_the_demos_with_one_product_at_the_reduced_vat(tmp_path):
    config = for_the_tour(Config(), tmp_path)
    assert config.tax.rate == TOUR_VAT and config.tax.included
    usd = currency(config.shop.currency)
    tour = load_catalog(config.catalog.file, usd, config.tax.rate)
    demo = load_catalog(DEMO_CATALOG, usd, config.tax.rate)
    assert [(p.name, p.price, p.category) for p in tour] == [(p.name, p.price, p.category) for p in demo]
    reduced = [p for p in tour if p.tax_rate != TOUR_VAT]
    assert [p.tax_rate for p in reduced] == [TOUR_REDUCED_VAT] and reduced[0].category != tour[0].category


def test_a_shops_own_catalog_keeps_its_pictures_and_rates(tmp_path):
    shop = tmp_path / "shop"
    shop.mkdir()
    (shop / "latte.png").write_bytes(b"\x89PNG")
    (shop / "catalog.toml").write_text(
        '[[product]]\nname = "Latte"\nprice = "3.50"\ncategory = "Coffee"\nimage = "latte.png"\n'
        '[[product]]\nname = "Bun"\nprice = "2"\ncategory = "Bakery"\ntax_rate = "7"\n',
        encoding="utf-8",
    )
    config = for_the_tour(Config(catalog=CatalogConfig(shop / "catalog.toml")), tmp_path)
    latte, bun = load_catalog(config.catalog.file, currency("USD"), config.tax.rate)
    assert latte.image == shop / "latte.png" and bun.tax_rate == Decimal(7)

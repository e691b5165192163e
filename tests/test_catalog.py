import re
from decimal import Decimal

import pytest
from PIL import Image

from kiosk import i18n
from kiosk.catalog import load_catalog
from kiosk.config import DEMO_CATALOG
from kiosk.domain.money import SATS, currency
from kiosk.errors import ConfigError

USD = currency("USD")


def write(tmp_path, text):
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_products_load_with_exact_prices_categories_and_images(tmp_path):
    Image.new("RGB", (8, 8), "orange").save(tmp_path / "latte.png")
    path = write(
        tmp_path,
        '[[product]]\nname = "Latte"\nprice = "3.5"\ncategory = "Coffee"\nimage = "latte.png"\n'
        '[[product]]\nname = "小笼包"\nprice = "12"\n',
    )
    latte, buns = load_catalog(path, USD)
    assert (latte.name, latte.price, latte.category, latte.image) == (
        "Latte", Decimal("3.50"), "Coffee", tmp_path / "latte.png"
    )  # fmt: skip
    assert (buns.name, buns.price, buns.category, buns.image) == ("小笼包", Decimal("12.00"), "", None)


def test_the_demo_catalog_loads():
    products = load_catalog(DEMO_CATALOG, USD)
    assert len(products) >= 8
    assert len({p.category for p in products}) >= 3


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ('[[product]]\nname = "Latte"\nprice = 3.5\n', USD, "price is missing or not a quoted amount"),
        ('[[product]]\nname = "Latte"\nprice = "3.555"\n', USD, "more decimals than USD allows"),
        ('[[product]]\nname = "Latte"\nprice = "1.5"\n', SATS, "more decimals than SAT allows"),
        ('[[product]]\nname = "Latte"\nprice = "-1"\n', USD, "above zero"),
        ('[[product]]\nname = "Latte"\nprice = "abc"\n', USD, "not an amount"),
        ('[[product]]\nprice = "1"\n', USD, "product 1: name is missing"),
        ('[[product]]\nname = "Latte"\nprice = "1"\nimage = "nope.png"\n', USD, "image 'nope.png' not found"),
        ('[[product]]\nname = "Latte"\nprice = "1"\ncolour = "red"\n', USD, "unknown key 'colour'"),
        ('[[products]]\nname = "Latte"\n', USD, "only [[product]] tables"),
        ("[[product]\n", USD, "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_the_product_and_the_fix(tmp_path, text, unit, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_catalog(path, unit)
    assert message in caught.value.message and str(path) in caught.value.message
    assert caught.value.hint or "TOML" in caught.value.message


def test_a_missing_catalog_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_catalog(tmp_path / "missing.toml", USD)
    assert "no such catalog file" in caught.value.message
    assert "catalog.file" in caught.value.hint


@pytest.mark.parametrize(
    "text",
    [
        "[shop]\n",
        '[[product]]\nname = "Latte"\nprice = "3.50"\nsize = "L"\n',
        '[[product]]\nprice = "3.50"\n',
        '[[product]]\nname = "Latte"\nprice = "3.50"\ncategory = 3\n',
        '[[product]]\nname = "Latte"\nprice = "3.50"\nimage = "none.png"\n',
        '[[product]]\nname = "Latte"\nprice = "3.50"\ntax_rate = "120"\n',
        '[[product]]\nname = "Latte"\nprice = 3.5\n',
        '[[product]]\nname = "Latte"\nprice = "abc"\n',
        '[[product]]\nname = "Latte"\nprice = "0"\n',
        '[[product]]\nname = "Latte"\nprice = "3.505"\n',
    ],
)
def test_a_chinese_kiosk_explains_a_catalog_error_in_chinese(tmp_path, text):
    path = write(tmp_path, text)
    i18n.set_language("zh_CN")
    try:
        with pytest.raises(ConfigError) as info:
            load_catalog(path, USD)
    finally:
        i18n.set_language("en")
    error = info.value
    assert str(path) in error.message
    assert re.search("[\u4e00-\u9fff]", error.message) and re.search("[\u4e00-\u9fff]", error.hint)
    assert not re.search(r"\b(is not|missing|unknown|not found|must|Write|Put|Give|Known|See)\b", str(error))

"""Matching product and material names to the goods of the ILAB list, and the shipped reference data."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from ddgen import reference
from ddgen.derive.suggest import match_goods, with_broader


@pytest.mark.parametrize(("name", "goods"), [
    ("Cotton", ("Cotton",)),                      # English, singular
    ("katoen", ("Cotton",)),                      # Dutch
    ("Cotton yarn", ("Thread/Yarn",)),            # a phrase beats its first word
    ("garments", ("Garments",)),                  # English plural
    ("Garment", ("Garments",)),                   # English singular
    ("kleding", ("Garments",)),
    ("Werkbroek", ("Garments",)),                 # Dutch compound, singular ...
    ("Werkbroeken", ("Garments",)),               # ... and plural
    ("Poloshirts en T-shirts", ("Garments",)),
    ("Zorgtunieken en -broeken", ("Garments",)),
    ("biologisch katoengaren", ("Thread/Yarn",)),
    ("Veiligheidsschoenen (S3, EN ISO 20345), handelsartikel", ("Footwear",)),
    ("Werkhandschoenen (leer en gecoat breiwerk)", ("Gloves",)),  # longest compound: handschoenen, not schoenen
    ("Leer (huiden van runderen) voor veiligheidsschoenen", ("Leather",)),  # only the part before the bracket
    ("sandalen", ("Footwear", "Footwear (sandals)")),  # a qualified good implies the broader one
    ("rubber gloves", ("Gloves", "Rubber Gloves")),
    ("Kleurstoffen en hulpstoffen", ()),          # dyes are no fabric
    ("Kunstleer", ()),                            # imitation leather is no leather
    ("Polyester", ()),
    ("harvest tools", ()),                        # an English word ending in the Dutch 'vest'
])
def test_names_match_the_goods_a_reader_would_expect(name: str, goods: tuple[str, ...]) -> None:
    assert match_goods(name) == goods


def test_broader_goods_are_added_once() -> None:
    assert with_broader(["Khat/Miraa (stimulant plant)"]) == ("Khat (stimulant plant)", "Khat/Miraa (stimulant plant)")


def test_the_shipped_list_is_the_2022_edition_as_ilab_counts_it() -> None:
    assert reference.list_counts() == (457, 159, 78)
    assert reference.ILAB.edition == "2022"


def test_every_good_of_the_list_has_a_dutch_name_and_terms_in_both_languages() -> None:
    table = reference.goods()
    assert set(table) == set(reference.good_names())
    for good in table.values():
        assert good.nl and good.terms_en and good.terms_nl, good.name
        assert set(good.also) <= set(table), good.name


def test_every_country_of_the_list_has_governance_indicators() -> None:
    assert all(reference.governance(x.country) is not None for x in reference.listings())


def test_the_package_carries_the_data_with_its_provenance_and_licences() -> None:
    folder = resources.files("ddgen.reference")
    notice = (folder / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "17 U.S.C." in notice and "CC BY 4.0" in notice
    rows = list(csv.DictReader((folder / "ilab-goods-list.csv").read_text(encoding="utf-8").splitlines()))
    assert {r["edition"] for r in rows} == {"2022"}

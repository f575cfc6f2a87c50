"""What validate says, word for word: the message and the hint are what a writer reads and acts on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ddgen.pipeline import check
from ddgen.problems import Problem, Span

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MINIMAL = FIXTURES / "minimal"
MakeRepo = Callable[..., Path]  # the make_repo fixture of tests/conftest.py

SUPPLIER = (MINIMAL / "data/suppliers.yaml").read_text()
RISK = (MINIMAL / "data/risks.yaml").read_text()
COMPANY = (MINIMAL / "data/company.yaml").read_text()


def problems(repo: Path) -> list[Problem]:
    return check(repo).report.sorted()


def only(repo: Path) -> Problem:
    found = problems(repo)
    assert len(found) == 1, [p.render() for p in found]
    return found[0]


def test_unknown_key_suggests_the_closest_field(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("address:", "adress:")}))
    assert (str(p.where), p.code) == ("data/suppliers.yaml:4:5", "DDG102")
    assert p.message == '"adress" is not a field of supplier S-001.'
    assert p.fix == 'did you mean "address"? correct the spelling, or remove the line.'


def test_unknown_key_without_a_close_match_lists_the_fields(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER + "    xyzzy: 1\n"}))
    assert p.message == '"xyzzy" is not a field of supplier S-001.'
    assert p.fix.startswith("check the spelling; the fields here are: address, certifications, code_signed_on,")


def test_unknown_key_in_a_nested_record_lists_that_records_fields(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/risks.yaml": RISK.replace("      scope: 2", "      scop: 2\n      scope: 2")}))
    assert (str(p.where), p.code) == ("data/risks.yaml:15:7", "DDG102")
    assert p.fix == 'did you mean "scope"? correct the spelling, or remove the line.'


def test_enum_message_lists_the_allowed_values(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/risks.yaml": RISK.replace("involvement: directly_linked", "involvement: directly linked")}))
    assert (str(p.where), p.code) == ("data/risks.yaml:18:18", "DDG103")
    assert p.message == ('"involvement" of risk R-001 is "directly linked"; '
                         "it must be one of: cause, contribute, directly_linked.")
    assert p.fix == 'did you mean "directly_linked"? use one of the listed values, spelled exactly as shown.'


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("scale: 2", "scale: 7", "data/risks.yaml:14:14", '"scale" of risk R-001 is "7"; it must be from 1 to 5.'),
    ("likelihood: 3", "likelihood: 0", "data/risks.yaml:17:17",
     '"likelihood" of risk R-001 is "0"; it must be from 1 to 5.'),
])
def test_scores_out_of_range(make_repo: MakeRepo, old: str, new: str, where: str, message: str) -> None:
    p = only(make_repo({"data/risks.yaml": RISK.replace(old, new)}))
    assert (str(p.where), p.code, p.message) == (where, "DDG105", message)
    assert p.fix == "use a value from 1 to 5. Scores go from 1 (lowest) to 5 (highest)."


def test_a_year_out_of_range_names_its_bounds(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER + "    relationship_since: 1850\n"}))
    assert p.message == '"relationship_since" of supplier S-001 is "1850"; it must be from 1900 to 2200.'


def test_a_bound_on_one_side_only(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/company.yaml": COMPANY.replace("employees: 25", "employees: -4")}))
    assert p.message == '"employees" of the company is "-4"; it must be at least 0.'


def test_a_country_name_gets_its_code_as_hint(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("country: BD", "country: Holland")}))
    assert (str(p.where), p.code) == ("data/suppliers.yaml:5:14", "DDG107")
    assert p.message == '"country" of supplier S-001: "Holland" is not a country code.'
    assert "'NL'" in p.fix


@pytest.mark.parametrize(("value", "code"), [("Bangladesh", "BD"), ("turkije", "TR"), ("bd", "BD"), ("Bangladsh", "BD")])
def test_country_hints(make_repo: MakeRepo, value: str, code: str) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("country: BD", f"country: {value}")}))
    assert f"did you mean '{code}'" in p.fix


@pytest.mark.parametrize("value", ["EU", "N0", "XX"])
def test_a_short_unknown_code_gets_no_wild_guess(make_repo: MakeRepo, value: str) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("country: BD", f"country: {value}")}))
    assert p.fix == "use the ISO 3166-1 two-letter code, e.g. NL, BD, TR."


def test_an_impossible_date(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/risks.yaml": RISK.replace("assessed_on: 2024-06-01", "assessed_on: 2025-02-30")}))
    assert (str(p.where), p.code) == ("data/risks.yaml:20:18", "DDG106")
    assert p.message == '"assessed_on" of risk R-001 is "2025-02-30", which is not a calendar date.'
    assert p.fix == "write the date as YYYY-MM-DD, for example 2025-03-31."


def test_a_duplicate_id_points_at_the_first_one(make_repo: MakeRepo) -> None:
    second = SUPPLIER.split("\n", 1)[1].replace("Dhaka Garments Ltd", "Another name")
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER, "data/suppliers/more.yaml": "suppliers:\n" + second}))
    assert (str(p.where), p.code) == ("data/suppliers/more.yaml:2:9", "DDG202")
    assert p.related == (Span("data/suppliers.yaml", 2, 9),)
    assert p.message == "supplier id S-001 is used twice."


def test_a_dangling_reference_points_at_the_referring_line(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/risks.yaml": RISK.replace("suppliers: [S-001]", "suppliers:\n      - S-001\n      - S-009")}))
    assert (str(p.where), p.code) == ("data/risks.yaml:11:9", "DDG201")
    assert p.message == 'risk R-001 refers to supplier "S-009", but there is no supplier with that id.'
    assert p.fix == ('did you mean "S-001"? use the id of an existing supplier, '
                     "or add that supplier to data/suppliers.yaml.")


def test_a_reference_to_an_invalid_record_is_not_also_dangling(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("tier: 1", "tier: 12")}))
    assert (str(p.where), p.code) == ("data/suppliers.yaml:6:11", "DDG105")


def test_a_file_with_a_syntax_error_does_not_make_its_ids_dangling(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("[workwear]", "[workwear")}))
    assert p.code == "DDG002"


def test_an_invalid_company_is_not_also_a_missing_one(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/company.yaml": COMPANY.replace("size_class: small", "size_class: tiny")}))
    assert (p.code, p.message) == ("DDG103", '"size_class" of the company is "tiny"; it must be one of: '
                                             "micro, small, medium, large.")


def test_a_misspelt_required_key_is_one_problem_not_two(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("product_types:", "product_type:")}))
    assert p.code == "DDG102" and 'did you mean "product_types"' in p.fix


def test_a_missing_field_points_at_its_record(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("    tier: 1\n", "")}))
    assert (str(p.where), p.code) == ("data/suppliers.yaml:2:5", "DDG101")
    assert p.message == 'supplier S-001 has no "tier", which every supplier needs.'
    assert p.fix == "add a line `tier: ...` to this record."


def test_text_expected_but_a_list_given(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("name: Dhaka Garments Ltd", "name: [Dhaka]")}))
    assert p.message == '"name" of supplier S-001 is a list; it must be text.'


def test_a_wrong_item_is_not_also_too_few_items(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/suppliers.yaml": SUPPLIER.replace("product_types: [workwear]", "product_types: [{a: 1}]")}))
    assert (str(p.where), p.code, p.message) == (
        "data/suppliers.yaml:7:21", "DDG104", '"product_types" of supplier S-001 is a mapping; it must be text.')


def test_an_empty_id_is_named_as_such(make_repo: MakeRepo) -> None:
    found = problems(make_repo({"data/suppliers.yaml": SUPPLIER.replace("id: S-001", 'id: ""')}))
    assert [(str(p.where), p.code) for p in found] == [("data/risks.yaml:9:17", "DDG201"),
                                                       ("data/suppliers.yaml:2:9", "DDG108")]
    assert found[1].message == '"id" of this supplier is ""; ids use letters, digits, \'.\', \'_\' and \'-\' only.'


def test_a_section_in_the_wrong_file_names_its_home(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/risks.yaml": RISK + "kpis: []\n"}))
    assert (str(p.where), p.code) == ("data/risks.yaml:21:1", "DDG102")
    assert (p.message, p.fix) == ('"kpis" is not a section of data/risks.yaml.', "move `kpis:` to data/kpis.yaml.")


def test_an_unknown_file_name_suggests_the_right_one(make_repo: MakeRepo) -> None:
    p = only(make_repo({"data/risk.yaml": "risks: []\n"}))
    assert (str(p.where), p.code) == ("data/risk.yaml:1:1", "DDG007")
    assert p.fix.startswith('did you mean "risks"? name the file (or its folder) after what it holds: actions.yaml,')


def test_personal_data_marked_public_is_a_warning(make_repo: MakeRepo) -> None:
    found = problems(make_repo({"data/stakeholders.yaml": """consultations:
  - id: C-1
    date: 2024-05-01
    groups: [workers]
    format: interview
    topics: [wages]
    participants: [Rahima Begum]
    outcome: Wages are now paid on time.
    field_scope:
      participants: public
""".replace("workers", "supply_chain_workers")}))
    assert [(str(p.where), p.code, p.severity.value) for p in found] == [
        ("data/stakeholders.yaml:10:7", "DDG401", "warning")]
    assert found[0].message == '"participants" of consultation C-1 is personal data marked public.'

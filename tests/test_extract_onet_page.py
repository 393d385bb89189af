"""The onet-page extractor on the seed, on pages written for other occupations, and on bad input."""

from __future__ import annotations

import pytest

from occugraph.build.extract import competency_framework, noc_profile, onet_page
from occugraph.build.records.onet_page import OnetPage
from occugraph.errors import InputError
from tests.conftest import CORPUS, read_raw, seed_text


def outline(page: OnetPage) -> list[tuple[str, int, list[str]]]:
    return [(s.heading, s.level, [c.name for c in s.components]) for s in page.sections]


# --- the seed ----------------------------------------------------------------


def test_seed_frontmatter() -> None:
    page = onet_page.extract(seed_text("000"))
    assert page.kind == "onet-page"
    assert page.title == "Probation Officers and Correctional Treatment Specialists"
    assert page.code == "21-1092.00"
    assert page.stated_id == (
        "https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
    )
    assert page.stated_type == "Occupation"
    assert page.source == "ONET"
    # The folded YAML description comes out as one line of text.
    assert page.description is not None
    assert page.description.startswith("Provide social services to assist in rehabilitation")
    assert page.description.endswith("education and employment stipulations.")
    assert "\n" not in page.description
    assert page.warnings == []


def test_seed_sections_and_components() -> None:
    page = onet_page.extract(seed_text("000"))
    assert outline(page) == [
        ("Probation Officers and Correctional Treatment Specialists", 1, []),
        ("Job Profile", 2, ["JobZone"]),
        ("Work Activities", 2, []),
        ("Core Tasks", 3, ["Tasks"]),
        ("General Activities", 3, ["Activities"]),
        ("Qualifications", 2, []),
        ("Skills", 3, ["Skills"]),
        ("Knowledge", 3, ["Knowledge"]),
        ("Abilities", 3, ["Abilities"]),
        ("Work Context", 2, ["WorkContext"]),
        ("Labor Market", 2, []),
        ("Wages & Trends", 3, ["Wages"]),
        ("Industries", 3, ["Industries"]),
    ]
    tasks = page.sections[3].components[0]
    assert tasks.attributes == {
        "occupation": "ProbationOfficersAndCorrectionalTreatmentSpecialists"
    }


def test_kind_detection_on_the_seeds() -> None:
    assert onet_page.looks_like(seed_text("000"))
    for other in ("001", "002", "003", "004"):
        assert not onet_page.looks_like(seed_text(other)), other


# --- pages for other occupations ----------------------------------------------


def test_electricians_page() -> None:
    text = read_raw(CORPUS / "electricians" / "onet-page.md")
    assert onet_page.looks_like(text)
    assert not competency_framework.looks_like(text)
    assert not noc_profile.looks_like(text)
    page = onet_page.extract(text)
    assert (page.title, page.code, page.source) == ("Electricians", "47-2111.00", "ONET")
    assert page.stated_id == "https://graph.org.ai/occupations/Electricians"
    assert page.description == (
        "Lay out, install, maintain, and repair electrical wiring, fixtures, and control "
        "equipment in buildings, keeping every circuit within the electrical code that "
        "applies where the work is done."
    )
    assert page.warnings == []
    # The heading inside the fenced code sample is not a heading, nor its tag a component;
    # closing '##' of an ATX heading are not part of its text.
    assert outline(page) == [
        ("Electricians", 1, []),
        ("Daily Work", 2, ["Tasks", "DetailedActivities"]),
        ("Technology and Tools", 2, ["Technology", "Tools"]),
        ("Notes for editors", 2, []),
        ("Pay and Outlook", 2, ["Wages", "Outlook"]),
    ]


def test_electricians_tag_attributes() -> None:
    page = onet_page.extract(read_raw(CORPUS / "electricians" / "onet-page.md"))
    tasks, activities = page.sections[1].components
    assert tasks.attributes == {"occupation": "Electricians", "limit": "12"}  # single quotes, {}
    assert activities.attributes == {"occupation": "Electricians"}
    tools = page.sections[2].components[1]  # a self-closing tag spread over four lines
    assert tools.attributes == {"occupation": "Electricians", "category": "hand and power tools"}
    wages, outlook = page.sections[4].components
    assert wages.attributes == {"occupation": "Electricians", "region": "US"}
    assert outlook.attributes == {"occupation": "Electricians", "showProjections": "true"}


def test_registered_nurses_page_with_bom_and_crlf() -> None:
    text = read_raw(CORPUS / "registered-nurses" / "onet-page.md")
    assert text.startswith("\ufeff---\r\n")
    assert onet_page.looks_like(text)
    page = onet_page.extract(text)
    assert page.title == "Registered Nurses"
    assert page.code == "29-1141.00"
    assert page.stated_id == "https://graph.org.ai/occupations/RegisteredNurses"
    assert page.stated_type == "Occupation"  # the key was written quoted: '$type'
    assert page.description is not None
    assert page.description.startswith("Assess patient health problems and needs,")
    assert page.warnings == []
    assert outline(page) == [
        ("Registered Nurses", 1, []),
        ("About the Role", 2, []),
        ("What They Do", 2, ["Tasks"]),
        ("What They Need", 2, []),
        ("Skills", 3, ["Skills"]),
        ("Knowledge", 3, ["Knowledge"]),
        ("Where They Work", 2, ["Industries"]),
    ]
    skills = page.sections[4].components[0]
    assert skills.attributes == {"occupation": "RegisteredNurses"}
    knowledge = page.sections[5].components[0]
    assert knowledge.attributes == {"occupation": "RegisteredNurses", "importance": "high"}


def test_optional_fields_missing() -> None:
    page = onet_page.extract("---\ntitle: Welders, Cutters, Solderers, and Brazers\n---\n")
    assert page.title == "Welders, Cutters, Solderers, and Brazers"
    assert (page.code, page.stated_id, page.stated_type, page.source) == (None, None, None, None)
    assert page.sections == []


def test_leading_blank_lines_and_cr_line_ends() -> None:
    text = "\r\r---\rtitle: Dental Hygienists\rcode: 29-1292.00\r---\r## Tasks\r<Tasks />\r"
    assert onet_page.looks_like(text)
    page = onet_page.extract(text)
    assert page.code == "29-1292.00"
    assert outline(page) == [("Tasks", 2, ["Tasks"])]
    assert page.sections[0].components[0].attributes == {}


def test_tags_before_the_first_heading_are_reported() -> None:
    page = onet_page.extract("---\ntitle: Chefs and Head Cooks\n---\n<Summary />\n# Chefs\n")
    assert outline(page) == [("Chefs", 1, [])]
    assert page.warnings == ["1 component tag(s) before the first heading were ignored"]


# --- bad input ----------------------------------------------------------------


def test_id_disagreeing_with_the_title_is_a_warning() -> None:
    text = (
        "---\n$id: https://graph.org.ai/occupations/Electrician\n"
        "title: Electricians\ncode: 47-2111.00\n---\n"
    )
    page = onet_page.extract(text)
    assert page.stated_id == "https://graph.org.ai/occupations/Electrician"  # kept as given
    assert len(page.warnings) == 1
    warning = page.warnings[0]
    assert warning.startswith("$id https://graph.org.ai/occupations/Electrician disagrees")
    assert "disagrees with the slug of its title 'Electricians'" in warning
    assert "'Electricians'" in warning and "'Electrician'" in warning


@pytest.mark.parametrize(
    "bad_id",
    [
        "Electricians",
        "graph.org.ai/occupations/Electricians",
        "ftp://graph.org.ai/occupations/Electricians",
    ],
)
def test_id_that_is_not_an_absolute_url(bad_id: str) -> None:
    text = f"---\ntitle: Electricians\ncode: 47-2111.00\n$id: {bad_id}\n---\n"
    with pytest.raises(InputError) as caught:
        onet_page.extract(text)
    assert caught.value.line == 4
    assert caught.value.message == (
        f"frontmatter '$id': expected an absolute http(s) URL, got {bad_id!r}"
    )


def test_empty_text() -> None:
    assert not onet_page.looks_like("")
    with pytest.raises(InputError) as caught:
        onet_page.extract("  \n\n")
    assert caught.value.line == 1
    assert "empty document" in caught.value.message


def test_unterminated_frontmatter() -> None:
    text = "---\ntitle: Electricians\ncode: 47-2111.00\n# Electricians\n<Tasks />\n"
    assert onet_page.looks_like(text)  # detected, then reported
    with pytest.raises(InputError) as caught:
        onet_page.extract(text)
    assert caught.value.line == 1
    assert "unterminated frontmatter" in caught.value.message


def test_bad_code_names_its_line() -> None:
    text = "---\ntitle: Electricians\n\ncode: 47-2111\n---\n"
    with pytest.raises(InputError) as caught:
        onet_page.extract(text)
    assert caught.value.line == 4
    assert "'47-2111'" in caught.value.message


def test_missing_title() -> None:
    with pytest.raises(InputError) as caught:
        onet_page.extract("---\ncode: 47-2111.00\n---\n# Electricians\n")
    assert caught.value.message == "frontmatter has no 'title'"
    assert caught.value.line == 1


def test_frontmatter_that_is_not_a_mapping() -> None:
    with pytest.raises(InputError) as caught:
        onet_page.extract("---\n- title\n- code\n---\n")
    assert "not a mapping" in caught.value.message
    assert caught.value.line == 1


def test_invalid_yaml_names_its_line() -> None:
    with pytest.raises(InputError) as caught:
        onet_page.extract("---\ntitle: Electricians\ncode: 47-2111.00\n  bad: indent: x\n---\n")
    assert caught.value.message == (
        "invalid YAML in frontmatter: mapping values are not allowed here"
    )
    assert caught.value.line == 4


def test_not_a_page() -> None:
    assert not onet_page.looks_like("# Electricians\n\nElectricians install wiring.\n")
    assert not onet_page.looks_like("---\nlayout: post\nauthor: someone\n---\nHello\n")
    with pytest.raises(InputError) as caught:
        onet_page.extract("Electricians install wiring.\n")
    assert caught.value.line == 1


# --- graph.org.ai's Standards.org.ai generation ---------------------------------------

GENERATED = """---
id: DentalHygienists
slug: DentalHygienists
code:
  code: null
title:
  title: null
description: Administer oral hygiene care to patients.
$id: https://graph.org.ai/occupations/DentalHygienists
$type: Occupation
source: ONET
---
export const items = CSV.fetch('https://example.org/Occupation%20Data.txt')
  .then(rows => rows.map(row => ({ id: row['Title'], code: row['O*NET-SOC Code'] })));

# Dental Hygienists

**O*NET Code**: 29-1292.00

Administer oral hygiene care to patients.

## Work Activities
### Core Tasks
<Tasks occupation=DentalHygienists />

### Skills
<Skills occupation="DentalHygienists" limit={10} />
"""


def test_a_generated_page_takes_its_code_and_title_from_the_body() -> None:
    page = onet_page.extract(GENERATED)
    assert (page.title, page.code) == ("Dental Hygienists", "29-1292.00")
    assert page.description == "Administer oral hygiene care to patients."
    assert page.warnings == []
    assert outline(page) == [
        ("Dental Hygienists", 1, []),
        ("Work Activities", 2, []),
        ("Core Tasks", 3, ["Tasks"]),
        ("Skills", 3, ["Skills"]),
    ]
    tasks, skills = page.sections[2].components[0], page.sections[3].components[0]
    assert tasks.attributes == {"occupation": "DentalHygienists"}  # unquoted, as generated
    assert skills.attributes == {"occupation": "DentalHygienists", "limit": "10"}


def test_a_code_left_empty_with_no_code_in_the_body_is_no_code() -> None:
    page = onet_page.extract(GENERATED.replace("**O*NET Code**: 29-1292.00\n", ""))
    assert (page.title, page.code) == ("Dental Hygienists", None)


def test_a_title_left_empty_with_no_heading_is_an_error_on_its_line() -> None:
    text = GENERATED.replace("# Dental Hygienists\n", "").replace("## ", "").replace("### ", "")
    with pytest.raises(InputError) as caught:
        onet_page.extract(text)
    assert caught.value.line == 6
    assert "'title' was left empty" in caught.value.message


def test_the_code_based_id_of_the_other_generation_is_no_disagreement() -> None:
    text = (
        "---\n$id: https://graph.org.ai/occupations/29-1292.00\n$type: Occupation\n"
        'code: "29-1292.00"\ntitle: "Dental Hygienists"\n---\n# Dental Hygienists\n'
    )
    assert onet_page.extract(text).warnings == []
    other = text.replace("occupations/29-1292.00\n", "occupations/29-1291.00\n")
    assert "disagrees" in onet_page.extract(other).warnings[0]


def test_pages_of_other_types_and_templates_are_refused() -> None:
    activity = "---\n$id: https://graph.org.ai/activities/Thinking\n$type: Activity\n---\n# x\n"
    with pytest.raises(InputError, match="a page of \\$type Activity") as caught:
        onet_page.extract(activity)
    assert caught.value.line == 3
    template = GENERATED.replace("occupations/DentalHygienists", "occupations/{slug}")
    with pytest.raises(InputError, match="a page template") as caught:
        onet_page.extract(template)
    assert caught.value.line == 9

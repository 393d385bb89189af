"""The noc-profile extractor: the seed, profiles of other unit groups, and bad input."""

from __future__ import annotations

import pytest

from occugraph.build.extract import competency_framework, noc_profile, onet_page
from occugraph.build.records.noc_profile import NocProfile
from occugraph.errors import InputError
from tests.conftest import CORPUS, SEED_NOC_TITLES, read_raw, seed_text


def duty_counts(profile: NocProfile) -> list[tuple[str | None, int]]:
    return [(group.title, len(group.duties)) for group in profile.duty_groups]


# --- the seed ----------------------------------------------------------------


def test_seed_header() -> None:
    profile = noc_profile.extract(seed_text("003"))
    assert profile.kind == "noc-profile"
    assert profile.code == "4155"
    assert profile.version == "2016"
    assert profile.title == "Probation and parole officers and related occupations"
    assert profile.warnings == []


def test_seed_sub_roles_and_employers() -> None:
    profile = noc_profile.extract(seed_text("003"))
    assert [role.title for role in profile.sub_roles] == [
        "Probation officers",
        "Parole officers",
        "Classification officers",
    ]
    assert profile.sub_roles[0].definitions == [
        "check on the conduct and behaviour of criminal offenders serving probation terms"
    ]
    assert [len(role.definitions) for role in profile.sub_roles] == [1, 1, 1]
    assert profile.employers == [
        "work for federal and provincial governments",
        "work in the community and in correctional facilities",
    ]


def test_seed_job_titles_deduplicated() -> None:
    assert noc_profile.extract(seed_text("003")).job_titles == SEED_NOC_TITLES


def test_seed_duties_environment_and_career_paths() -> None:
    profile = noc_profile.extract(seed_text("003"))
    assert duty_counts(profile) == [
        ("Probation and parole officers", 8),
        ("Classification officers, correctional institutions", 5),
    ]
    assert profile.duty_groups[0].duties[-1] == "may participate in policy development"
    assert profile.work_environment == ["Work takes place in a conventional indoor office setting."]
    # The "not currently available" placeholder under Additional resources is not a path.
    assert profile.career_paths == [
        "Progression to correctional service management positions is possible with "
        "additional training or experience."
    ]


def test_kind_detection_on_the_seeds() -> None:
    assert noc_profile.looks_like(seed_text("003"))
    for other in ("000", "001", "002", "004"):
        assert not noc_profile.looks_like(seed_text(other)), other


# --- profiles of other unit groups --------------------------------------------


def test_electricians_header_with_a_code_first() -> None:
    text = read_raw(CORPUS / "electricians" / "noc-profile.txt")
    assert noc_profile.looks_like(text)
    assert not onet_page.looks_like(text) and not competency_framework.looks_like(text)
    profile = noc_profile.extract(text)
    assert profile.code == "72200"
    assert profile.version == "2021"
    assert profile.title == "Electricians (except industrial and power system)"
    assert profile.warnings == []


def test_electricians_about_section() -> None:
    profile = noc_profile.extract(read_raw(CORPUS / "electricians" / "noc-profile.txt"))
    assert [(role.title, len(role.definitions)) for role in profile.sub_roles] == [
        ("Construction electricians", 2),
        ("Renovation electricians", 2),  # '*' bullets, no blank line before the label
    ]
    assert profile.sub_roles[1].definitions[1] == (
        "bring older installations up to the current electrical code"
    )
    assert profile.employers == [
        "They are employed by electrical contractors and by maintenance departments of "
        "buildings and other establishments, or they may be self-employed.",
        "work for electrical contractors",
        "work for building maintenance departments",
        "are self-employed",
    ]


def test_electricians_titles_compared_without_case_or_spacing() -> None:
    profile = noc_profile.extract(read_raw(CORPUS / "electricians" / "noc-profile.txt"))
    assert profile.job_titles == [
        "electrician, construction",
        "apprentice electrician",
        "wireman/wirewoman, electrical",
        "residential electrician",
    ]


def test_electricians_duties() -> None:
    profile = noc_profile.extract(read_raw(CORPUS / "electricians" / "noc-profile.txt"))
    # The lead-in line names no sub-role; "Employment requirements" is not a duty group.
    assert duty_counts(profile) == [(None, 7), ("Apprentices", 2)]
    assert profile.duty_groups[0].duties[3] == (
        "install, replace and repair lighting fixtures and electrical control and distribution "
        "equipment, such as switches, relays and circuit breaker panels"
    )
    assert profile.duty_groups[0].duties[5] == (
        "troubleshoot, isolate and repair faults in electrical and electronic systems"
    )


def test_electricians_environment_and_career_paths() -> None:
    profile = noc_profile.extract(read_raw(CORPUS / "electricians" / "noc-profile.txt"))
    assert profile.work_environment == [
        "Work is often done at heights, on ladders and scaffolding.",
        "Sites can be noisy and exposed to the weather.",
    ]
    assert profile.career_paths == [
        "Progression to supervisory positions, such as foreman or electrical contractor, is "
        "possible with experience.",
        "Trade certification with the Red Seal endorsement allows interprovincial mobility.",
    ]


def test_registered_nurses_with_cr_line_ends() -> None:
    text = read_raw(CORPUS / "registered-nurses" / "noc-profile.txt")
    assert "\r" in text and "\n" not in text
    assert noc_profile.looks_like(text)
    profile = noc_profile.extract(text)
    assert (profile.code, profile.version) == ("3012", "2016")
    assert profile.title == "Registered nurses and registered psychiatric nurses"
    assert [role.title for role in profile.sub_roles] == [
        "Registered nurses",
        "Registered psychiatric nurses",
        "Nurse researchers",
    ]
    assert profile.employers == [
        "hospitals, clinics and long-term care facilities",
        "home care agencies, public health units and community health centres",
        "rehabilitation centres, doctors' offices and private industry",
    ]
    assert profile.job_titles[:2] == [
        "nurse, registered (R.N.)",
        "psychiatric nurse, registered (R.P.N.)",
    ]
    assert len(profile.job_titles) == 6
    assert duty_counts(profile) == [
        ("Registered nurses", 6),
        ("Registered psychiatric nurses", 3),
    ]
    assert profile.work_environment == []  # no such section
    assert profile.career_paths == []  # only a placeholder sentence
    assert profile.warnings == []


# --- other header and section layouts ------------------------------------------


def test_noc_year_then_code_then_title() -> None:
    profile = noc_profile.extract(
        "NOC 2021 \u2013 72200 Electricians\n\nDuties\n\u2022 install conduit\n"
    )
    assert (profile.code, profile.version, profile.title) == ("72200", "2021", "Electricians")
    assert duty_counts(profile) == [(None, 1)]


def test_code_alone_with_the_title_on_the_next_line() -> None:
    profile = noc_profile.extract("NOC 63200\nCooks\n\nJOB TITLES\n- line cook\n- LINE  COOK\n")
    assert (profile.code, profile.title) == ("63200", "Cooks")
    assert profile.job_titles == ["line cook"]


def test_code_in_parentheses_without_noc() -> None:
    text = "Cooks (6322)\n\nExample titles\n+ cook\n\nMain duties\nCooks:\n+ plan menus\n"
    assert noc_profile.looks_like(text)
    profile = noc_profile.extract(text)
    assert (profile.code, profile.version, profile.title) == ("6322", "2016", "Cooks")
    assert duty_counts(profile) == [("Cooks", 1)]


def test_year_that_disagrees_with_the_code_is_reported() -> None:
    profile = noc_profile.extract("NOC 2021 - 6322 Cooks\n")
    assert profile.version == "2016"
    assert profile.warnings == ["the header says NOC 2021 but code 6322 is a NOC 2016 code"]
    assert (profile.sub_roles, profile.job_titles, profile.duty_groups) == ([], [], [])


# --- bad input -------------------------------------------------------------------


def test_profile_without_a_code() -> None:
    text = "\n\nElectricians\n\nCommon job titles\n- electrician\n\nDuties\n- wire houses\n"
    assert not noc_profile.looks_like(text)
    with pytest.raises(InputError) as caught:
        noc_profile.extract(text)
    assert caught.value.line == 3
    assert caught.value.message.startswith("no NOC code")


def test_version_year_alone_is_not_a_code() -> None:
    text = "Electricians (NOC 2016)\n\nDuties\n- wire houses\n"
    assert not noc_profile.looks_like(text)
    with pytest.raises(InputError):
        noc_profile.extract(text)


def test_empty_text() -> None:
    assert not noc_profile.looks_like("")
    with pytest.raises(InputError) as caught:
        noc_profile.extract(" \r\n")
    assert caught.value.line == 1
    assert "empty document" in caught.value.message


def test_prose_mentioning_noc_far_down_is_not_a_profile() -> None:
    text = "Becoming an electrician\n" + "Some text.\n" * 8 + "See NOC 72200 for details.\n"
    assert not noc_profile.looks_like(text)


def test_code_alone_with_the_title_above_it() -> None:
    profile = noc_profile.extract("Cooks\nNOC 63200\n\nDuties\n- plan menus\n")
    assert (profile.code, profile.title) == ("63200", "Cooks")
    assert duty_counts(profile) == [(None, 1)]


def test_code_with_no_title_anywhere() -> None:
    with pytest.raises(InputError) as caught:
        noc_profile.extract("NOC 63200\n\nDuties\n- plan menus\n")
    assert caught.value.message == "the NOC header names no unit-group title"
    assert caught.value.line == 1

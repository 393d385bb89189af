"""The competency-framework extractor: the seed, exports for other occupations, bad input."""

from __future__ import annotations

import json

import pytest

from occugraph.build.extract import competency_framework, noc_profile, onet_page
from occugraph.build.records.competency_framework import CompetencyFramework
from occugraph.errors import InputError
from tests.conftest import CORPUS, read_raw, seed_text


def shape(framework: CompetencyFramework) -> list[tuple[int, str, str, int]]:
    return [(lv.position, lv.key, lv.label, len(lv.statements)) for lv in framework.levels]


def small(levels: object, **occupation: object) -> str:
    return json.dumps({"occupation": occupation, "framework": {"version": "1", "levels": levels}})


# --- the seed ----------------------------------------------------------------


def test_seed_levels_in_order() -> None:
    framework = competency_framework.extract(seed_text("001"))
    assert shape(framework) == [
        (1, "emerging", "Emerging", 10),
        (2, "developing", "Developing", 10),
        (3, "proficient", "Proficient", 10),
        (4, "advanced", "Advanced", 10),
    ]
    for level in framework.levels:
        assert [s.position for s in level.statements] == list(range(1, 11))
    assert framework.warnings == []


def test_seed_statements_split_at_the_dash() -> None:
    developing = competency_framework.extract(seed_text("001")).levels[1]
    eighth = developing.statements[7]
    assert eighth.position == 8
    assert eighth.object_phrase == "Social perceptiveness and active listening skills"
    assert eighth.performance_phrase is not None
    assert eighth.performance_phrase.startswith("apply during client interviews to detect")
    assert eighth.text.startswith("Social perceptiveness and active listening skills \u2014 apply")
    first = competency_framework.extract(seed_text("001")).levels[0].statements[0]
    assert first.object_phrase == "Case folders for assigned offenders"


def test_seed_occupation_and_metadata() -> None:
    framework = competency_framework.extract(seed_text("001"))
    occupation = framework.occupation
    assert occupation.soc == "21-1092.00"
    assert occupation.title == "Probation Officers and Correctional Treatment Specialists"
    assert occupation.group == "Community & Social Service"
    assert occupation.sector == "62"
    assert occupation.job_zone == 4
    assert occupation.job_zone_inferred is False
    assert framework.version == "v.26.05"
    assert framework.description is None  # the export's "" says nothing
    assert framework.scope is not None
    assert framework.scope.startswith("This framework covers community and institutional")
    assert framework.schema_version == "1.0"
    assert framework.exported_at == "2026-05-15T12:39:10.238Z"
    assert framework.sources == {
        "onet": "v30.2 (CC BY 4.0)",
        "crosswalk": "https://skillscrosswalk.com",
        "generator": "LER.me",
    }
    assert framework.attribution == "\u00a9 EBSCOed"


def test_kind_detection_on_the_seeds() -> None:
    assert competency_framework.looks_like(seed_text("001"))
    for other in ("000", "002", "003", "004"):
        assert not competency_framework.looks_like(seed_text(other)), other


# --- exports for other occupations ------------------------------------------------


def test_electricians_shuffled_levels_with_crlf() -> None:
    text = read_raw(CORPUS / "electricians" / "framework.json")
    assert "\r\n" in text
    assert text.index('"advanced"') < text.index('"emerging"')  # the file's key order
    assert competency_framework.looks_like(text)
    assert not onet_page.looks_like(text) and not noc_profile.looks_like(text)
    framework = competency_framework.extract(text)
    assert shape(framework) == [
        (1, "emerging", "Emerging", 5),
        (2, "developing", "Developing", 4),
        (3, "proficient", "Proficient", 4),
        (4, "advanced", "Advanced", 3),
    ]
    assert framework.warnings == []
    assert framework.version == "2025.1"
    assert framework.schema_version == "1.1"
    assert framework.attribution == "Example Trades Council"


def test_electricians_statements() -> None:
    framework = competency_framework.extract(read_raw(CORPUS / "electricians" / "framework.json"))
    emerging = framework.levels[0].statements
    assert [s.object_phrase for s in emerging] == [
        "Personal protective equipment and lockout procedures",
        "Conduit, boxes and cable supports",
        "Hand and power tools",
        "Basic circuit theory",  # split at a spaced hyphen when there is no dash
        "Material lists and job-site housekeeping",  # no dash at all
    ]
    assert emerging[3].performance_phrase == (
        "explain how voltage, current and resistance relate when testing simple circuits."
    )
    assert emerging[4].performance_phrase is None
    advanced = framework.levels[3].statements
    assert [s.position for s in advanced] == [1, 2, 3]
    assert advanced[2].object_phrase == "Apprentice development"


def test_electricians_occupation_types() -> None:
    occupation = competency_framework.extract(
        read_raw(CORPUS / "electricians" / "framework.json")
    ).occupation
    assert occupation.soc == "47-2111.00"
    assert occupation.job_zone == 3  # given as the string "3"
    assert occupation.sector == "23"  # given as the number 23
    assert occupation.job_zone_inferred is True
    assert occupation.group == "Construction & Extraction"


def test_registered_nurses_dreyfus_scale() -> None:
    text = read_raw(CORPUS / "registered-nurses" / "framework.json")
    assert competency_framework.looks_like(text)
    framework = competency_framework.extract(text)
    assert shape(framework) == [
        (1, "novice", "Novice", 3),
        (2, "advanced_beginner", "Advanced Beginner", 2),
        (3, "competent", "Competent", 2),
        (4, "proficient", "Proficient", 2),
        (5, "expert", "Expert", 2),
    ]
    assert framework.warnings == []
    assert framework.occupation.job_zone == 3
    assert framework.scope == "Acute medical-surgical inpatient units in a general hospital."


def test_registered_nurses_en_dashes_and_object_statements() -> None:
    framework = competency_framework.extract(
        read_raw(CORPUS / "registered-nurses" / "framework.json")
    )
    novice = framework.levels[0].statements
    assert novice[1].text == (
        "Hand hygiene and isolation precautions \u2013 follow on every patient contact, "
        "asking when unsure."
    )
    assert novice[1].object_phrase == "Hand hygiene and isolation precautions"
    assert novice[1].performance_phrase == "follow on every patient contact, asking when unsure."
    assert novice[1].position == 2
    expert = framework.levels[4].statements
    assert expert[0].object_phrase == "Deteriorating patients with atypical presentations"
    proficient = framework.levels[3].statements
    assert proficient[1].object_phrase == "Patient education resources"
    assert proficient[1].performance_phrase is None


# --- level order ---------------------------------------------------------------


def test_explicit_order_field_wins() -> None:
    levels = {
        "lead": {"label": "Leads the trade", "rank": 3, "statements": ["Crews \u2014 run"]},
        "start": {"label": "Starts out", "rank": "1", "statements": []},
        "middle": {"label": "Works alone", "rank": 2, "statements": []},
    }
    framework = competency_framework.extract(small(levels))
    assert [lv.key for lv in framework.levels] == ["start", "middle", "lead"]
    assert framework.warnings == []


def test_levels_as_a_list() -> None:
    levels = [
        {"key": "expert", "label": "Expert", "statements": [{"text": "Audits \u2014 lead"}]},
        {"label": "Foundational", "statements": ["Tools \u2014 name"]},
        {"key": "intermediate", "label": "Intermediate", "statements": []},
    ]
    framework = competency_framework.extract(small(levels))
    assert shape(framework) == [
        (1, "foundational", "Foundational", 1),
        (2, "intermediate", "Intermediate", 0),
        (3, "expert", "Expert", 1),
    ]
    assert framework.levels[2].statements[0].performance_phrase == "lead"


def test_numbered_levels() -> None:
    levels = {f"level-{n}": {"label": f"Level {n}", "statements": []} for n in (3, 1, 2)}
    framework = competency_framework.extract(small(levels))
    assert [lv.key for lv in framework.levels] == ["level-1", "level-2", "level-3"]


def test_unknown_scale_keeps_document_order_with_a_warning() -> None:
    levels = {"blue": {"label": "Blue", "statements": []}, "red": {"label": "Red"}}
    framework = competency_framework.extract(small(levels))
    assert [(lv.key, lv.position) for lv in framework.levels] == [("blue", 1), ("red", 2)]
    assert framework.warnings == [
        "levels kept in document order: no order field and no known proficiency scale "
        "fits blue, red"
    ]


# --- bad input -------------------------------------------------------------------


def test_job_zone_in_words() -> None:
    data = json.loads(seed_text("001"))
    data["occupation"]["jobZone"] = "four"
    text = json.dumps(data, indent=2)
    with pytest.raises(InputError) as caught:
        competency_framework.extract(text)
    assert caught.value.message == "occupation.jobZone: expected an integer 1-5, got 'four'"
    assert caught.value.line is not None
    assert text.splitlines()[caught.value.line - 1].strip() == '"jobZone": "four",'


def test_job_zone_out_of_range() -> None:
    with pytest.raises(InputError) as caught:
        competency_framework.extract(small({"novice": {"statements": []}}, jobZone=7))
    assert caught.value.message == "occupation.jobZone: expected an integer 1-5, got 7"
    assert caught.value.line == 1


def test_wrong_statement_type_names_its_path_and_line() -> None:
    lines = read_raw(CORPUS / "electricians" / "framework.json").split("\r\n")
    index = next(i for i, line in enumerate(lines) if "Hand and power tools" in line)
    lines[index] = "                    42,"
    with pytest.raises(InputError) as caught:
        competency_framework.extract("\r\n".join(lines))
    assert caught.value.message == (
        'framework.levels.emerging.statements[2]: expected a string or an object with "text", '
        "got 42"
    )
    assert caught.value.line == index + 1


def test_truncated_json_names_the_last_line() -> None:
    lines = read_raw(CORPUS / "electricians" / "framework.json").split("\r\n")
    truncated = "\r\n".join(lines[:19]) + "\r\n" + lines[19][:25]
    assert competency_framework.looks_like(truncated)  # still detected, then reported
    with pytest.raises(InputError) as caught:
        competency_framework.extract(truncated)
    assert caught.value.line == 20
    assert caught.value.message.startswith("invalid JSON: ")
    assert "truncated" in caught.value.message


def test_invalid_json_line_with_cr_line_ends() -> None:
    text = '{\r"framework": {\r"version": "1",\r"levels": {,}\r}\r}'
    with pytest.raises(InputError) as caught:
        competency_framework.extract(text)
    assert caught.value.line == 4


def test_deeply_nested_json() -> None:
    text = '{"framework": ' + "[" * 200_000 + "]" * 200_000 + "}"
    with pytest.raises(InputError) as caught:
        competency_framework.extract(text)
    assert "nested too deeply" in caught.value.message


def test_empty_text() -> None:
    assert not competency_framework.looks_like("")
    with pytest.raises(InputError) as caught:
        competency_framework.extract("\ufeff  \n")
    assert caught.value.line == 1
    assert "empty document" in caught.value.message


def test_missing_version_and_levels() -> None:
    with pytest.raises(InputError) as caught:
        competency_framework.extract('{"framework": {"levels": {}}}')
    assert caught.value.message == "framework.version: missing"
    with pytest.raises(InputError) as caught:
        competency_framework.extract('{"framework": {"version": "1", "levels": {}}}')
    assert caught.value.message == "framework.levels: no levels"
    with pytest.raises(InputError) as caught:
        competency_framework.extract('{"framework": {"version": "1", "levels": "four"}}')
    assert caught.value.message == (
        "framework.levels: expected an object of levels or a list of levels, got 'four'"
    )


def test_unrelated_json_is_not_any_known_kind() -> None:
    for text in (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null}]}',
        '{\n  "name": "pipeline",\n  "version": "2.0.1",\n  "levels": 3\n}\n',
        "[1, 2, 3]",
    ):
        assert not competency_framework.looks_like(text), text
        assert not onet_page.looks_like(text), text
        assert not noc_profile.looks_like(text), text

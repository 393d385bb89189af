"""job-description: the seed template and postings for other occupations in other layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from occugraph.build.extract import job_description
from occugraph.build.kinds import detect_kind
from occugraph.build.records.job_description import JobDescription
from occugraph.errors import InputError
from tests.conftest import CORPUS, SEEDS, read_raw


def seed_path(prefix: str) -> Path:
    [path] = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return path


@pytest.fixture(scope="module")
def seed_text() -> str:
    return read_raw(seed_path("004"))


@pytest.fixture(scope="module")
def seed(seed_text: str) -> JobDescription:
    return job_description.extract(seed_text)


@pytest.fixture(scope="module")
def electrician() -> JobDescription:
    return job_description.extract(read_raw(CORPUS / "electricians" / "job-description.txt"))


@pytest.fixture(scope="module")
def nurse() -> JobDescription:
    return job_description.extract(read_raw(CORPUS / "registered-nurses" / "job-description.txt"))


# --- the seed ---------------------------------------------------------------------------


def test_seed_is_detected(seed_text: str) -> None:
    assert job_description.looks_like(seed_text)
    assert detect_kind(seed_text) == "job-description"


def test_seed_title_and_summary(seed: JobDescription) -> None:
    assert seed.title == "Probation Officer"
    assert seed.summary is not None
    assert seed.summary.startswith("The job of a Probation Officer is to provide support")
    assert seed.summary.endswith("and drug and alcohol services.")


def test_seed_responsibilities(seed: JobDescription) -> None:
    assert len(seed.responsibilities) == 6
    assert seed.responsibilities[0] == (
        "Conduct interviews with probationers to assess their progress"
    )
    assert seed.responsibilities[-1].startswith("Enforce the conditions of probation")
    assert not any(item.startswith("To ") for item in seed.responsibilities)


def test_seed_unheaded_to_group_is_objectives(seed: JobDescription) -> None:
    assert len(seed.objectives) == 5
    assert all(item.startswith("To ") for item in seed.objectives)
    assert seed.objectives[0] == (
        "To provide probation and aftercare services to offenders in the community, in order "
        "to reduce reoffending and promote rehabilitation."
    )


def test_seed_skills_and_qualifications(seed: JobDescription) -> None:
    assert seed.skills == [
        "communication",
        "interpersonal",
        "organizational",
        "problem-solving",
        "decision-making",
    ]
    assert seed.qualifications == [
        "A bachelor\u2019s degree in social work, sociology, psychology, or a related field is "
        "typically required for this position.",
        "Some states also require probation officers to complete a period of on-the-job "
        "training before they can become certified.",
    ]
    assert [(d.level, d.fields, d.required) for d in seed.degrees] == [
        ("bachelor", ["social work", "sociology", "psychology"], True)
    ]
    assert [r.kind for r in seed.requirements] == ["training", "certification"]


# --- electrician: 'Job Title:' header, '- ' bullets, 'Requirements:' -------------------------


def test_electrician_posting(electrician: JobDescription) -> None:
    assert electrician.title == "Electrician"
    assert electrician.summary == (
        "We are looking for a licensed electrician to join our commercial maintenance team. "
        "You will keep our clients' lighting, power and control systems running safely and "
        "help our apprentices learn the trade."
    )
    assert electrician.responsibilities == [
        "Install and maintain wiring, lighting, panels and control systems",
        "Diagnose electrical faults using meters and testing equipment",
        "Replace damaged breakers, switches and outlets",
        "Read and follow blueprints, schematics and the electrical code",
        "Complete job sheets and safety checklists at the end of each visit",
    ]
    assert electrician.objectives == []


def test_electrician_requirements_list(electrician: JobDescription) -> None:
    assert electrician.skills == [
        "troubleshooting",
        "problem-solving",
        "communication",
        "attention to detail",
    ]
    assert electrician.qualifications == [
        "Valid state journeyman electrician license",
        "At least 3 years of experience in commercial electrical work",
        "Completion of a registered apprenticeship program",
        "Must pass a background check and drug screening",
    ]
    assert [r.kind for r in electrician.requirements] == [
        "licence",
        "experience",
        "training",
        "background-check",
        "drug-screening",
    ]
    assert electrician.degrees == []
    # Benefits are neither skills nor qualifications.
    assert "Paid overtime" not in electrician.model_dump_json()


# --- registered nurse: '* ' bullets, Objectives heading, Skills & Qualifications ----------


def test_nurse_template(nurse: JobDescription) -> None:
    assert nurse.title == "Registered Nurse"
    assert nurse.summary is not None and nurse.summary.startswith("Registered nurses assess")
    assert len(nurse.responsibilities) == 5
    assert nurse.responsibilities[-1] == "Maintain accurate, confidential health records"
    assert nurse.objectives == [
        "Deliver safe, evidence-based care to every patient",
        "Reduce avoidable readmissions through clear discharge teaching",
    ]
    assert nurse.skills == [
        "communication",
        "critical thinking",
        "compassion",
        "patience",
        "teamwork",
    ]
    assert [(d.level, d.fields) for d in nurse.degrees] == [
        ("bachelor", ["nursing"]),
        ("associate", ["nursing"]),
    ]
    assert [r.kind for r in nurse.requirements] == ["experience", "licence", "certification"]
    assert nurse.qualifications[1] == (
        "Current RN license and Basic Life Support (BLS) certification"
    )


# --- other layouts ------------------------------------------------------------------------------

MARKDOWN = """\
# Data Analyst Job Description

Our analytics team turns raw numbers into decisions for the sales and finance groups.

## What you'll do
1. Build weekly dashboards for regional managers
2. Clean and join data from several source systems
3. Present findings to non-technical colleagues

## Qualifications
- Bachelor's degree in statistics, economics or computer science
- Two years of experience with SQL
- Strong analytical and presentation skills
"""


def test_markdown_layout_without_objectives() -> None:
    posting = job_description.extract(MARKDOWN)
    assert job_description.looks_like(MARKDOWN)
    assert posting.title == "Data Analyst"
    assert posting.summary == (
        "Our analytics team turns raw numbers into decisions for the sales and finance groups."
    )
    assert posting.responsibilities == [
        "Build weekly dashboards for regional managers",
        "Clean and join data from several source systems",
        "Present findings to non-technical colleagues",
    ]
    assert posting.objectives == []
    assert posting.skills == ["analytical", "presentation"]
    assert [(d.level, d.fields) for d in posting.degrees] == [
        ("bachelor", ["statistics", "economics", "computer science"])
    ]
    assert [r.kind for r in posting.requirements] == ["experience"]


def test_position_header_and_unmarked_duty_lines_with_crlf() -> None:
    text = (
        "Position: Warehouse Supervisor\r\n\r\nDuties\r\nSchedule shifts for the picking team\r\n"
        "Check incoming deliveries against orders\r\n\r\nRequirements\r\n"
        "Forklift certification is required.\r\n"
    )
    posting = job_description.extract(text)
    assert job_description.looks_like(text)
    assert posting.title == "Warehouse Supervisor"
    assert posting.summary is None
    assert posting.responsibilities == [
        "Schedule shifts for the picking team",
        "Check incoming deliveries against orders",
    ]
    assert posting.qualifications == ["Forklift certification is required."]
    assert [r.kind for r in posting.requirements] == ["certification"]


def test_headings_alone_identify_a_posting_without_a_title_line() -> None:
    text = (
        "Field Technician\n\nAbout the role\nYou will keep our customers' equipment running.\n\n"
        "Responsibilities\n\u2022 Service pumps\n\u2022 Log every repair\n\u2022 Order parts\n\n"
        "Skills\n\u2022 Mechanical aptitude\n"
    )
    assert job_description.looks_like(text)
    posting = job_description.extract(text)
    assert posting.title == "Field Technician"
    assert posting.summary == "You will keep our customers' equipment running."
    assert posting.responsibilities == ["Service pumps", "Log every repair", "Order parts"]
    assert posting.skills == ["mechanical aptitude"]


# --- what is not a job description -------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_other_seeds_are_not_claimed(prefix: str) -> None:
    assert not job_description.looks_like(read_raw(seed_path(prefix)))


@pytest.mark.parametrize(
    "path",
    ["electricians/career-article.txt", "registered-nurses/career-article.txt"],
)
def test_career_articles_are_not_claimed(path: str) -> None:
    assert not job_description.looks_like(read_raw(CORPUS / path))


def test_a_noc_profile_with_duty_and_requirement_lists_is_not_claimed() -> None:
    text = (
        "Welders and related machine operators (NOC 7237)\n\nDuties\n"
        "  \u2022 read drawings\n  \u2022 weld parts\n  \u2022 repair equipment\n\n"
        "Employment requirements\n  \u2022 Completion of secondary school is usually required.\n"
    )
    assert not job_description.looks_like(text)
    assert job_description.looks_like(text.replace(" (NOC 7237)", " Job Description"))


@pytest.mark.parametrize(
    "text",
    ["", "  \n ", "\x00\x01\x02\x03 Job Description \x00" * 20, '{"jobTitle": "Nurse"}'],
    ids=["empty", "blank", "binary", "json"],
)
def test_looks_like_rejects_empty_binary_and_structured_text(text: str) -> None:
    assert not job_description.looks_like(text)


def test_extract_errors_are_located() -> None:
    with pytest.raises(InputError) as empty:
        job_description.extract("\n\n")
    assert empty.value.line == 1
    with pytest.raises(InputError) as untitled:
        job_description.extract("\nResponsibilities\n- Lift boxes\n- Stack pallets\n")
    assert untitled.value.line == 2
    assert "job title" in str(untitled.value)


def test_key_value_lines_are_neither_headings_nor_summary() -> None:
    text = (
        "Job Title: Welder\nLocation: Plant 2\nReports To: Shift Lead\n\n"
        "Note: this role involves shift work on nights and weekends, so candidates should be "
        "comfortable with a rotating schedule.\n\nResponsibilities\n- Weld frames\n- Grind seams\n"
    )
    posting = job_description.extract(text)
    assert posting.title == "Welder"
    assert posting.summary is not None
    assert posting.summary.startswith("Note: this role involves shift work")
    assert "Plant 2" not in posting.model_dump_json()
    assert posting.responsibilities == ["Weld frames", "Grind seams"]

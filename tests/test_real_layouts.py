"""Documents laid out as real public pages are (tests/data/real-layouts): what each yields.

The set reproduces the layouts of Job Bank / WorkBC / provincial NOC profiles, job-board
postings and HR templates, and career guides (its README says where each was seen);
benchmarks/extraction_quality.py scores all of it against its gold file, and these tests
pin what a reader of a few of them must get.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from occugraph.build import build
from occugraph.build.extract import competency_framework
from occugraph.build.kinds import detect_kind, extract
from occugraph.build.records.career_article import CareerArticle
from occugraph.build.records.job_description import JobDescription
from occugraph.build.records.noc_profile import NocProfile
from occugraph.errors import InputError

SET = Path(__file__).parent / "data" / "real-layouts"
HOLDOUT = Path(__file__).parent / "data" / "real-layouts-holdout"
GOLD = {
    **yaml.safe_load((SET / "gold.yaml").read_text()),
    **yaml.safe_load((HOLDOUT / "gold.yaml").read_text()),
}


def read(name: str) -> str:
    path = SET / "docs" / name
    return (path if path.exists() else HOLDOUT / "docs" / name).read_text(encoding="utf-8")


def noc(name: str) -> NocProfile:
    record = extract(read(name))
    assert isinstance(record, NocProfile)
    return record


def posting(name: str) -> JobDescription:
    record = extract(read(name))
    assert isinstance(record, JobDescription)
    return record


def article(name: str) -> CareerArticle:
    record = extract(read(name))
    assert isinstance(record, CareerArticle)
    return record


def pay(record: NocProfile | JobDescription | CareerArticle) -> list[tuple[float, str | None]]:
    return [(figure.amount, figure.period) for figure in record.salaries]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_every_document_is_read_as_its_kind(name: str) -> None:
    assert detect_kind(read(name)) == GOLD[name]["kind"]


# --- NOC profiles ------------------------------------------------------------------------


def test_duties_after_a_lead_in_with_no_heading_are_duties_not_job_titles() -> None:
    profile = noc("noc-accountants-2021-jobbank.txt")
    assert (profile.code, profile.version) == ("11100", "2021")
    assert profile.title == "Financial auditors and accountants"
    assert profile.job_titles == [
        "accountant",
        "chartered professional accountant (CPA)",
        "financial auditor",
        "internal auditor",
        "tax accountant",
        "cost accountant",
    ]
    assert [len(group.duties) for group in profile.duty_groups] == [5, 2]
    assert profile.duty_groups[0].duties[0] == (
        "Plan and set up accounting policies and systems for organizations"
    )
    assert profile.duty_groups[1].duties[-1] == (
        "Test financial records and report on their accuracy to management"
    )


def test_what_the_people_are_like_is_not_an_employer() -> None:
    profile = noc("noc-accountants-2021-jobbank.txt")
    assert "may be self-employed" in profile.employers
    assert "work for accounting firms, banks and all levels of government" in profile.employers
    assert profile.characteristics == [
        "are detail-oriented and comfortable with numbers",
        "enjoy solving problems and explaining figures to others",
    ]


def test_a_banner_is_never_the_title_and_the_fact_box_gives_a_wage() -> None:
    profile = noc("noc-plumbers-2021-workbc.txt")
    assert (profile.code, profile.title) == ("72300", "Plumbers")
    assert pay(profile) == [(70060.0, "year")]
    assert profile.duty_groups[0].duties[-1] == "Prepare cost estimates"


def test_a_noc_label_above_its_code_and_sub_roles_under_the_lead_in() -> None:
    profile = noc("noc-pharmacists-2016-nbjobs.txt")
    assert (profile.code, profile.version, profile.title) == ("3131", "2016", "Pharmacists")
    assert [group.title for group in profile.duty_groups] == [
        "Community pharmacists and hospital pharmacists",
        "Industrial pharmacists",
    ]
    assert pay(profile) == [(48.5, "hour"), (94898.0, "year")]


def test_employment_requirements_give_degrees() -> None:
    profile = noc("noc-pharmacists-2021-oasis.txt")
    assert [degree.level for degree in profile.degrees] == ["bachelor"]
    assert profile.job_titles[0] == "clinical pharmacist"


# --- job descriptions ----------------------------------------------------------------------


def test_a_role_line_with_reports_to_and_unheaded_dash_lists() -> None:
    job = posting("jd-accountant-role-line.txt")
    assert job.title == "Accountant"
    assert job.responsibilities == [
        "Keep the general ledger up to date and close the books each month",
        "Handle accounts payable and accounts receivable",
        "Prepare and file sales tax and payroll tax returns",
        "Reconcile bank and credit-card accounts",
        "Work with external auditors during the year-end audit",
    ]
    assert job.skills == ["gaap", "accounting software"]
    assert [degree.level for degree in job.degrees] == ["bachelor"]


def test_job_board_ads_are_dropped_and_pay_is_read() -> None:
    job = posting("jd-truck-driver-hey.txt")
    assert job.title == "Truck Driver"
    assert "Hey there" not in (job.summary or "")
    assert not any("post your job" in item.lower() for item in job.responsibilities)
    assert job.responsibilities[0] == "Drive a tractor-trailer on regional routes"
    assert pay(job) == [(24.0, "hour"), (30.0, "hour")]


def test_a_template_title_with_a_tagline_and_an_ad_credit_that_is_no_wage() -> None:
    job = posting("jd-accountant-indeed.txt")
    assert job.title == "Accountant"
    assert pay(job) == [(27.43, "hour")]  # not the $75 sponsoring credit
    assert "Filing tax returns on time" in job.responsibilities


def test_a_code_stated_in_a_posting_is_its_claim() -> None:
    job = posting("jd-truck-driver-numbered.txt")
    assert (job.title, job.code) == ("CDL-A Truck Driver", "53-3032.00")
    assert job.claim().code == "53-3032.00"
    assert pay(job) == [(68000.0, "year")]
    assert posting("jd-truck-driver-hey.txt").code is None


def test_a_posting_titled_by_its_first_line() -> None:
    job = posting("jd-line-cook-posting.txt")
    assert job.title == "Line Cook"  # not 'Full' from 'Full job description'
    assert pay(job) == [(18.0, "hour"), (22.0, "hour")]
    assert job.skills == ["teamwork"]


# --- career articles -----------------------------------------------------------------------


def test_an_article_with_a_duties_heading_is_no_job_description() -> None:
    blog = article("article-carpenter-blog.txt")
    assert blog.occupation == "Carpenter"
    assert blog.duties[:2] == [
        "Read plans and working out measurements",
        "Frame walls, floors and roofs",
    ]
    assert pay(blog) == [(18.0, "hour"), (30.0, "hour")]


def test_salary_lines_with_an_hourly_figure_in_brackets() -> None:
    guide = article("article-what-does-a-pharmacist-do.txt")
    assert guide.occupation == "Pharmacist"
    assert pay(guide)[:2] == [(132750.0, "year"), (63.82, "hour")]
    assert "Give flu shots and other vaccines" in guide.duties
    assert guide.title not in {heading.heading for heading in guide.sections}
    assert not any("Illustration" in (section.heading or "") for section in guide.sections)


def test_specialisations_are_the_list_after_the_cue_not_any_later_list() -> None:
    guide = article("article-what-does-a-pharmacist-do.txt")
    assert guide.specialisations == ["oncology", "nuclear pharmacy"]
    assert article("article-web-developer-usnews.txt").specialisations == []


def test_primary_skills_on_one_line_and_hourly_salary_ranges() -> None:
    profile = article("article-web-developer-primary-skills.txt")
    assert profile.skills[:3] == ["html", "css", "javascript"]
    assert pay(profile) == [(21.5, "hour"), (52.1, "hour"), (44720.0, "year"), (108370.0, "year")]
    assert profile.duties[0] == "Write code for web pages and web applications"


def test_a_fact_box_page_under_a_site_label() -> None:
    page = article("article-dental-hygienist-roadtrip.txt")
    assert page.title == "Dental Hygienists"
    assert pay(page) == [(87530.0, "year")]
    assert [degree.level for degree in page.degrees] == ["associate"]


def test_pay_under_a_pay_heading_is_yearly() -> None:
    guide = article("article-accountants-ooh.txt")
    assert pay(guide) == [(79880.0, "year"), (50440.0, "year"), (137760.0, "year")]


# --- frameworks -----------------------------------------------------------------------------

NO_OCCUPATION = (
    '{"schemaVersion": "1.0",\n "framework": {"version": "v.1", "levels": '
    '{"emerging": {"label": "Emerging", "statements": ["Welds \\u2014 check them"]}}}}'
)


def test_a_framework_with_no_occupation_object_is_an_error() -> None:
    with pytest.raises(InputError, match=r"occupation: missing"):
        competency_framework.extract(NO_OCCUPATION)


def test_the_build_names_the_framework_with_no_occupation_and_makes_none_up(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "no-occupation.json").write_text(NO_OCCUPATION)
    (corpus / "welders.json").write_text(read("framework-welders.json"))
    report = build([corpus], store=tmp_path / "store")
    [error] = report.errors
    assert error.startswith(str(corpus / "no-occupation.json") + ":")
    assert "occupation: missing" in error
    assert report.occupations == {"51-4121.00"}

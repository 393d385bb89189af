"""career-article: the seed blog post and articles about other occupations in other layouts."""

from __future__ import annotations

import pytest

from occugraph.build.extract import career_article
from occugraph.build.kinds import detect_kind
from occugraph.build.records.career_article import CareerArticle
from occugraph.errors import InputError
from tests.conftest import CORPUS, SEEDS, read_raw


@pytest.fixture(scope="module")
def seed_text() -> str:
    [path] = sorted(SEEDS.glob("002_*.txt"))
    return read_raw(path)


@pytest.fixture(scope="module")
def seed(seed_text: str) -> CareerArticle:
    return career_article.extract(seed_text)


@pytest.fixture(scope="module")
def electricians_text() -> str:
    return read_raw(CORPUS / "electricians" / "career-article.txt")


@pytest.fixture(scope="module")
def electricians(electricians_text: str) -> CareerArticle:
    return career_article.extract(electricians_text)


@pytest.fixture(scope="module")
def nurses() -> CareerArticle:
    return career_article.extract(read_raw(CORPUS / "registered-nurses" / "career-article.txt"))


# --- the seed ---------------------------------------------------------------------------


def test_seed_is_detected_as_a_career_article(seed_text: str) -> None:
    assert career_article.looks_like(seed_text)
    assert detect_kind(seed_text) == "career-article"


def test_seed_sections_are_the_headings_and_junk_is_gone(seed: CareerArticle) -> None:
    assert seed.title is None
    assert [section.heading for section in seed.sections] == [
        None,
        "What Does a Parole and Probation Officer Do?",
        "Daily Responsibilities and Tasks",
        "Qualifications and Education Requirements",
        "Education and Degree Programs",
        "Skills and Qualities Needed to Succeed",
        "Essential Soft Skills",
        "Career Outlook and Advancement Opportunities",
        "Potential for Growth and Specialization",
        "Interview Process and Tips",
    ]
    assert seed.sections[0].text.startswith("Hey everyone!")
    assert seed.sections[-1].text.endswith("such as")
    dump = seed.model_dump_json()
    for junk in ("Related News", "Lastest News", "Views", "Webull", "Smartwatch", "Nov 16"):
        assert junk not in dump


def test_seed_duties_are_verb_phrases(seed: CareerArticle) -> None:
    for duty in (
        "Conduct home visits to check on parolees or probationers",
        "Meet with them to discuss their progress",
        "Conduct risk assessments",
        "Maintain detailed records",
        "Prepare reports",
        "Testify in court if needed",
        "Review case files",
        "Investigate and take appropriate action",
        "Refer the client to treatment",
    ):
        assert duty in seed.duties
    assert seed.duties[0] == "Supervise individuals who are under the jurisdiction of the court"
    assert len(seed.duties) == 27
    assert all(duty[0].isupper() and not duty.endswith(("?", ".")) for duty in seed.duties)
    # Sentences about skills, education or pay do not leak into duties.
    assert not any(duty.startswith(("Pass", "Communicate", "Listen")) for duty in seed.duties)


def test_seed_skills(seed: CareerArticle) -> None:
    assert seed.skills[:4] == ["communication", "writing", "active listening", "interpersonal"]
    for skill in (
        "time management",
        "empathy",
        "judgment",
        "working independently",
        "conflict resolution",
        "adaptability",
        "integrity",
    ):
        assert skill in seed.skills
    assert len(seed.skills) == len(set(seed.skills))
    assert all(skill == skill.lower() for skill in seed.skills)


def test_seed_degrees_and_fields(seed: CareerArticle) -> None:
    assert [(d.level, d.fields, d.required) for d in seed.degrees] == [
        ("bachelor", ["criminal justice", "social work", "psychology"], True),
        ("master", ["criminal justice", "social work"], None),
    ]
    assert seed.fields_of_study == ["criminal justice", "social work", "psychology", "sociology"]


def test_seed_requirements(seed: CareerArticle) -> None:
    kinds = {r.kind for r in seed.requirements}
    assert kinds == {
        "experience",
        "background-check",
        "drug-screening",
        "exam",
        "fitness-test",
        "training",
        "licence",
    }
    by_kind = {r.kind: r.text for r in reversed(seed.requirements)}  # first mention wins
    assert "written examination" in by_kind["exam"]
    assert "physical fitness test" in by_kind["fitness-test"]
    assert "training academy" in by_kind["training"]
    assert "driver\u2019s license" in by_kind["licence"]
    assert by_kind["background-check"] == "This includes passing a background check."


def test_seed_salary(seed: CareerArticle) -> None:
    [figure] = seed.salaries
    assert figure.amount == 59860.0
    assert figure.currency == "USD"
    assert figure.period == "year"
    assert figure.statistic == "median"
    assert figure.approximate is True
    assert figure.source is not None and "Bureau of Labor Statistics" in figure.source


def test_seed_specialisations_and_career_paths(seed: CareerArticle) -> None:
    assert seed.specialisations == [
        "juvenile offenders",
        "sex offenders",
        "individuals with mental health issues",
        "research",
        "policy development",
        "program evaluation",
    ]
    assert seed.career_paths == [
        "supervisory positions",
        "supervising other officers",
        "managing a team",
        "supervisory roles",
        "senior officer",
        "supervisor",
        "administrative roles",
        "training other officers",
        "managing agency programs",
        "higher position",
        "chief probation officer or parole officer",
        "independent consultant",
    ]


# --- electricians: markdown headings, CRLF, breadcrumb and related-posts junk ---------------


def test_electricians_file_really_has_crlf(electricians_text: str) -> None:
    assert "\r\n" in electricians_text
    assert career_article.looks_like(electricians_text)
    assert detect_kind(electricians_text) == "career-article"


def test_electricians_crlf_reads_like_lf(
    electricians_text: str, electricians: CareerArticle
) -> None:
    assert career_article.extract(electricians_text.replace("\r\n", "\n")) == electricians


def test_electricians_title_sections_and_junk(electricians: CareerArticle) -> None:
    assert electricians.title == "How to Become an Electrician"
    assert [s.heading for s in electricians.sections] == [
        None,
        "What Electricians Do",
        "Skills You Need",
        "Training and Licensing",
        "Salary",
        "Career Advancement",
    ]
    dump = electricians.model_dump_json()
    for junk in ("Home >", "Related Posts", "Plumber", "Views", "Welding"):
        assert junk not in dump


def test_electricians_duties(electricians: CareerArticle) -> None:
    assert electricians.duties == [
        "Install, maintain and repair electrical systems in buildings of every kind",
        "Read blueprints and wiring diagrams",
        "Run conduit and pull cable",
        "Connect fixtures, outlets and breaker panels",
        "Inspect existing systems to find faults and replace worn components before they fail",
        "Test circuits with voltmeters and other meters to confirm that the work is safe",
        "Follow the National Electrical Code and local building rules on every job",
    ]


def test_electricians_skills_degrees_requirements(electricians: CareerArticle) -> None:
    assert electricians.skills == [
        "troubleshooting",
        "math",
        "working independently",
        "attention to detail",
    ]
    assert [(d.level, d.fields) for d in electricians.degrees] == [
        ("high school diploma", []),
        ("certificate", ["electrical technology"]),
    ]
    kinds = [r.kind for r in electricians.requirements]
    assert kinds == ["training", "exam", "training", "licence", "drug-screening", "licence"]
    assert "apprenticeship" in electricians.requirements[0].text
    assert "driver's license" in electricians.requirements[-1].text


def test_electricians_hourly_and_annual_pay(electricians: CareerArticle) -> None:
    assert [
        (s.amount, s.period, s.statistic, s.approximate, s.source) for s in electricians.salaries
    ] == [
        (18.0, "hour", "starting", True, None),
        (29.5, "hour", None, False, None),
        (61000.0, "year", "mean", True, "Bureau of Labor Statistics"),
    ]


def test_electricians_specialisations_and_paths(electricians: CareerArticle) -> None:
    assert electricians.specialisations == [
        "residential wiring",
        "industrial controls",
        "solar installation",
    ]
    assert electricians.career_paths == [
        "master electricians",
        "project supervisors",
        "electrical inspectors",
        "electrical contractor",
    ]


# --- registered nurses: headings ending in ':' --------------------------------------------


def test_nurses_sections(nurses: CareerArticle) -> None:
    assert nurses.title is None
    assert [s.heading for s in nurses.sections] == [
        None,
        "Job Duties",
        "Education Requirements",
        "Licensing and Exams",
        "Important Qualities",
        "Pay and Job Outlook",
    ]


def test_nurses_facts(nurses: CareerArticle) -> None:
    assert nurses.duties[:3] == [
        "Assess patients on admission and throughout their stay",
        "Administer medications",
        "Monitor vital signs and record every change in the patient's chart",
    ]
    assert nurses.skills == [
        "communication",
        "compassion",
        "patience",
        "critical thinking",
        "time management",
    ]
    assert [(d.level, d.fields) for d in nurses.degrees] == [
        ("associate", ["nursing"]),
        ("bachelor", ["nursing"]),
        ("master", ["nursing", "health administration"]),
    ]
    assert [r.kind for r in nurses.requirements] == [
        "exam",
        "licence",
        "background-check",
        "certification",
    ]
    assert "NCLEX-RN" in nurses.requirements[0].text
    [pay] = nurses.salaries
    assert (pay.amount, pay.period, pay.statistic, pay.approximate, pay.source) == (
        86070.0,
        "year",
        "median",
        False,
        "Bureau of Labor Statistics",
    )
    assert nurses.career_paths == ["charge nurse roles", "nurse manager"]
    assert nurses.specialisations == []


# --- other layouts and bad input --------------------------------------------------------------

PLAIN = """\
Careers in Landscape Design

Landscape designers plan gardens, parks and courtyards for homeowners, towns and companies. \
The work mixes drawing, plant science and conversation with clients. Designers spend part of \
the week outdoors and part of it at a desk. Many enjoy seeing a bare plot turn into a garden \
over a single season. The field rewards patience and a good eye for colour and form.

Daily Work

Designers meet with clients to agree on a budget. They also survey sites, draw plans and \
choose plants that suit the soil and climate. Some supervise the crews that build the design. \
Winter is usually quieter, so many use those months to refresh their portfolio and visit \
nurseries to see what new varieties are available.

Getting Started

A bachelor's degree in landscape architecture or horticulture is common, though some designers \
start with an associate degree. Designers earn a median of $58,000 per year in many regions, and \
experienced designers can move into project management roles.
"""


def test_an_article_without_a_skills_section_has_no_skills() -> None:
    article = career_article.extract(PLAIN)
    assert career_article.looks_like(PLAIN)
    assert article.title == "Careers in Landscape Design"
    assert [s.heading for s in article.sections] == [None, "Daily Work", "Getting Started"]
    assert article.skills == []
    assert article.duties == [
        "Meet with clients to agree on a budget",
        "Survey sites",  # a verb the lexicon lacks, known from its subject 'They'
        "Draw plans and choose plants that suit the soil and climate",
        "Supervise the crews that build the design",
    ]
    assert [(d.level, d.fields) for d in article.degrees] == [
        ("bachelor", ["landscape architecture", "horticulture"]),
        ("associate", []),
    ]
    assert [(s.amount, s.period, s.statistic) for s in article.salaries] == [
        (58000.0, "year", "median")
    ]
    assert article.career_paths == ["project management roles"]


def test_markdown_bullets_under_a_duties_heading_are_duties() -> None:
    text = PLAIN.replace(
        "Daily Work\n\n",
        "## Daily Work\n\n\u2022 Prepare planting schedules.\n\u25aa Estimating material costs\n\n",
    )
    article = career_article.extract(text)
    assert article.duties[:2] == ["Prepare planting schedules", "Estimate material costs"]


def test_breadcrumbs_cookie_banners_and_share_blocks_are_dropped() -> None:
    text = (
        "Home \u00bb Careers \u00bb Outdoors\n"
        "We use cookies to improve your experience. By continuing you accept our privacy policy.\n"
        + PLAIN
        + "\nShare this:\nFacebook\nTwitter\n\nComments (3)\nGreat read, thanks!\n"
    )
    article = career_article.extract(text)
    assert article.title == "Careers in Landscape Design"
    dump = article.model_dump_json()
    for junk in ("cookies", "Facebook", "Great read", "Outdoors"):
        assert junk not in dump
    assert article.sections[-1].text.endswith("project management roles.")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "\x00\x01\x02PK\x03\x04" * 50,
        '{"title": "Electrician", "duties": ["wire houses"]}',
        "---\ntitle: Nurse\n---\n" + PLAIN,
        "name,code,wage,hours\n" + "Welder,51-4121,24.50,40\n" * 40,
        "\n".join(f"field_{n}: a value that goes on for several words here." for n in range(60)),
        "Electricians wire buildings. They test circuits.",
    ],
    ids=["empty", "blank", "binary", "json", "frontmatter", "csv", "key-value", "too-short"],
)
def test_looks_like_rejects_what_is_not_running_prose(text: str) -> None:
    assert not career_article.looks_like(text)


def test_empty_and_binary_input_raise_located_errors() -> None:
    with pytest.raises(InputError) as empty:
        career_article.extract("  \n")
    assert empty.value.line == 1
    with pytest.raises(InputError) as binary:
        career_article.extract("fine line\nsecond\n\x00\x01\x02\x03 garbage")
    assert binary.value.line == 3
    assert "binary" in str(binary.value)


def test_a_share_widget_between_sections_keeps_the_next_heading() -> None:
    text = PLAIN.replace("Getting Started\n", "Share this article\nFacebook\nGetting Started\n")
    article = career_article.extract(text)
    assert [s.heading for s in article.sections] == [None, "Daily Work", "Getting Started"]
    assert "Facebook" not in article.model_dump_json()

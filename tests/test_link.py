"""Resolution of documents to occupations, and of phrases to O*NET elements."""

from __future__ import annotations

import pytest

from occugraph.build.elements import ElementMatcher
from occugraph.build.link import resolve, title_tokens, title_variants
from occugraph.build.records.career_article import CareerArticle
from occugraph.build.records.competency_framework import CompetencyFramework, FrameworkOccupation
from occugraph.build.records.job_description import JobDescription
from occugraph.build.records.noc_profile import NocProfile
from occugraph.build.records.onet_page import OnetPage
from occugraph.build.records.prose import Section
from occugraph.build.reference import Element, load_reference


@pytest.fixture(scope="module")
def matcher() -> ElementMatcher:
    return ElementMatcher(load_reference().elements)


def names(elements: list[Element]) -> list[str]:
    return [e.name for e in elements]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        (
            "Social perceptiveness and active listening skills",
            ["Social Perceptiveness", "Active Listening"],
        ),
        ("Inductive and deductive reasoning", ["Inductive Reasoning", "Deductive Reasoning"]),
        (
            "Critical thinking and complex problem solving",
            ["Critical Thinking", "Complex Problem Solving"],
        ),
        ("Time management and caseload prioritization strategies", ["Time Management"]),
        ("Oral and written comprehension", ["Oral Comprehension", "Written Comprehension"]),
        ("Case folders for assigned clients", []),
        ("Electronically monitored participants", []),
    ],
)
def test_elements_named_in_a_statement(
    matcher: ElementMatcher, phrase: str, expected: list[str]
) -> None:
    assert names(matcher.named_in(phrase)) == expected


def test_a_name_in_two_domains_prefers_the_skill(matcher: ElementMatcher) -> None:
    element = matcher.element_for_skill("mathematics")
    assert element is not None
    assert (element.name, element.domain) == ("Mathematics", "Skill")
    assert matcher.element_for_skill("communication") is None


def test_noc_titles_are_read_in_both_orders() -> None:
    assert title_variants("officer, parole - probation officer") == {
        ("parole", "officer"),
        ("probation", "officer"),
    }
    assert title_tokens("Nurses, Registered") == ("nurse", "registered")


def page(code: str, title: str) -> OnetPage:
    return OnetPage(code=code, title=title)


def test_code_wins_and_unknown_codes_fall_back_to_the_title() -> None:
    reference = load_reference()
    result = resolve(
        {
            "a": page("29-1141.00", "Registered Nurses"),
            "b": page("15-1132.00", "Software Developers"),  # an O*NET 20 code, since renumbered
        },
        reference,
    )
    assert (result["a"].code, result["a"].method) == ("29-1141.00", "code")
    assert (result["b"].code, result["b"].method) == ("15-1252.00", "title")


def test_job_titles_from_a_noc_profile_resolve_a_job_description() -> None:
    reference = load_reference()
    noc = NocProfile(
        code="72200",
        version="2021",
        title="Electricians (except industrial and power system)",
        job_titles=["wireman/wirewoman, electrical", "journeyman electrician"],
    )
    posting = JobDescription(title="Electrical Wirewoman")
    unrelated = JobDescription(title="Underwater Basket Weaver")
    result = resolve({"noc": noc, "jd": posting, "x": unrelated}, reference)
    assert (result["noc"].code, result["noc"].method) == ("47-2111.00", "noc-code")
    assert (result["jd"].code, result["jd"].method) == ("47-2111.00", "job-title")
    assert result["x"].code is None
    assert "Underwater Basket Weaver" in (result["x"].problem or "")


def test_an_ambiguous_noc_code_is_settled_by_the_corpus_or_reported() -> None:
    reference = load_reference()
    noc = NocProfile(
        code="3012", version="2016", title="Registered nurses and registered psychiatric nurses"
    )
    alone = resolve({"noc": noc}, reference)["noc"]
    assert alone.code is None
    assert "29-1141.00" in (alone.problem or "") and "29-1141.02" in (alone.problem or "")
    framework = CompetencyFramework(
        occupation=FrameworkOccupation(soc="29-1141.00", title="Registered Nurses"),
        version="1",
        levels=[],
    )
    together = resolve({"noc": noc, "fw": framework}, reference)["noc"]
    assert (together.code, together.method) == ("29-1141.00", "noc-code")


def test_an_article_is_about_the_occupation_it_mentions_most() -> None:
    reference = load_reference()
    text = (
        "Dental hygienists clean teeth. Many dental hygienists work part time. "
        "Dentists supervise them."
    )
    article = CareerArticle(sections=[Section(heading=None, text=text)])
    result = resolve({"a": article}, reference)["a"]
    assert (result.code, result.method) == ("29-1292.00", "mentions")
    vague = CareerArticle(sections=[Section(heading=None, text="A job is a job.")])
    assert resolve({"v": vague}, reference)["v"].code is None


def test_a_document_that_states_no_occupation_goes_with_the_task_it_describes() -> None:
    from occugraph.build.records.onet_task import OnetTask

    stated = OnetTask(task_id="2875", text="Connect wires.", occupation_code="47-2111.00")
    unstated = OnetTask(task_id="2875", text="Connect wires.", detailed_activity="Install")
    alone = OnetTask(task_id="9999", text="Something else.")
    resolved = resolve({"a": stated, "b": unstated, "c": alone}, load_reference())
    assert (resolved["a"].code, resolved["a"].method) == ("47-2111.00", "code")
    assert (resolved["b"].code, resolved["b"].method) == ("47-2111.00", "shared-id")
    assert resolved["c"].code is None and resolved["c"].problem

"""Documents of other occupations, written for the tests in other layouts (tests/corpus/).

Nothing about them is in src/: these values come out only if the extractors and the
linking are general.
"""

from __future__ import annotations

import pytest
from pyoxigraph import Store

from occugraph.build import BuildReport
from tests.conftest import select

ELECTRICIANS = "https://graph.org.ai/occupations/Electricians"
NURSES = "https://graph.org.ai/occupations/RegisteredNurses"


def test_kinds_and_resolution(corpus_build: tuple[BuildReport, Store]) -> None:
    report, _ = corpus_build
    assert report.errors == []
    found = {
        (e.source.path.split("corpus/")[1], e.kind, e.resolution.code, e.resolution.method)
        for e in report.entries
        if e.resolution
    }
    assert found == {
        ("electricians/career-article.txt", "career-article", "47-2111.00", "mentions"),
        ("electricians/framework.json", "competency-framework", "47-2111.00", "code"),
        ("electricians/job-description.txt", "job-description", "47-2111.00", "title"),
        ("electricians/noc-profile.txt", "noc-profile", "47-2111.00", "noc-code"),
        ("electricians/onet-page.md", "onet-page", "47-2111.00", "code"),
        ("registered-nurses/career-article.txt", "career-article", "29-1141.00", "mentions"),
        ("registered-nurses/framework.json", "competency-framework", "29-1141.00", "code"),
        ("registered-nurses/job-description.txt", "job-description", "29-1141.00", "title"),
        # NOC 3012 maps to two O*NET occupations; the other documents settle which.
        ("registered-nurses/noc-profile.txt", "noc-profile", "29-1141.00", "noc-code"),
        ("registered-nurses/onet-page.md", "onet-page", "29-1141.00", "code"),
    }


@pytest.mark.parametrize(
    ("occupation", "levels"),
    [
        (
            ELECTRICIANS,
            [
                ("Emerging", "1", "5"),
                ("Developing", "2", "4"),
                ("Proficient", "3", "4"),
                ("Advanced", "4", "3"),
            ],
        ),
        (
            NURSES,
            [
                ("Novice", "1", "3"),
                ("Advanced Beginner", "2", "2"),
                ("Competent", "3", "2"),
                ("Proficient", "4", "2"),
                ("Expert", "5", "2"),
            ],
        ),
    ],
)
def test_levels_come_out_in_progression_order_whatever_the_key_order(
    corpus_build: tuple[BuildReport, Store], occupation: str, levels: list[tuple[str, ...]]
) -> None:
    _, store = corpus_build
    # Ranks are read in the framework's own graph: a level shared by two scales
    # (Proficient) has its place in each.
    rows = select(
        store,
        f"""
        SELECT ?label ?rank (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{
          ?f occ:frameworkFor <{occupation}> ; occ:hasStatement ?s .
          ?s occ:atLevel ?l . ?l rdfs:label ?label ; occ:rank ?rank }} }}
        GROUP BY ?label ?rank ORDER BY ?rank""",
    )
    assert rows == levels


def test_noc_groups_with_their_titles(corpus_build: tuple[BuildReport, Store]) -> None:
    _, store = corpus_build
    rows = select(
        store,
        """
        SELECT ?noc ?occupation (COUNT(DISTINCT ?title) AS ?titles) WHERE { GRAPH ?g {
          ?noc a occ:NocUnitGroup ; occ:onetEquivalent ?occupation ; occ:hasJobTitle ?title }
        } GROUP BY ?noc ?occupation ORDER BY ?noc""",
    )
    assert rows == [
        ("https://graph.org.ai/noc/2016/3012", NURSES, "6"),
        ("https://graph.org.ai/noc/2021/72200", ELECTRICIANS, "4"),
    ]


def test_prose_salaries_and_o_net_skills(corpus_build: tuple[BuildReport, Store]) -> None:
    _, store = corpus_build
    salaries = select(
        store,
        f"""
        SELECT ?amount ?period WHERE {{ <{ELECTRICIANS}> occ:estimatedSalary ?s .
          ?s occ:amount ?amount ; occ:period ?period }} ORDER BY ?amount""",
    )
    assert [(float(a or 0), p) for a, p in salaries] == [
        (18.0, "hour"),
        (29.5, "hour"),
        (61000.0, "year"),
    ]
    onet_skills = {
        name
        for (name,) in select(
            store,
            f"""
        SELECT DISTINCT ?name WHERE {{ <{ELECTRICIANS}> occ:requiresSkill ?s .
          ?s a occ:OnetSkill ; rdfs:label ?name }}""",
        )
    }
    assert "Troubleshooting" in onet_skills
    nurse_skills = {
        name
        for (name,) in select(
            store,
            f"""
        SELECT DISTINCT ?name WHERE {{ <{NURSES}> occ:requiresSkill ?s . ?s rdfs:label ?name }}""",
        )
    }
    assert {"Critical Thinking", "Communication", "Time Management"} <= nurse_skills

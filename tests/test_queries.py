"""The saved queries in queries/: each loads, runs and gives what the documents say.

Expected values come from reading the seed and corpus documents themselves (the
framework JSON is read here; the prose documents are quoted), never from running
the code under test a second way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, QueryTriples, Store

from occugraph.build import BuildReport, build
from occugraph.cli import main
from occugraph.query.saved import QUERIES_DIR, SavedQuery, find, saved_queries
from occugraph.store.embedded import open_read_only
from tests.conftest import CORPUS, SEED_NOC_TITLES, SEEDS

GO = "https://graph.org.ai/"
OCC = "https://graph.org.ai/ontology#"
PROBATION = GO + "occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
PROBATION_TITLE = "Probation Officers and Correctional Treatment Specialists"
ELECTRICIANS = GO + "occupations/Electricians"
NURSES = GO + "occupations/RegisteredNurses"

NAMES = sorted(path.stem for path in QUERIES_DIR.glob("*.rq"))

Row = dict[str, str | None]


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def source_iri(path: Path) -> str:
    return GO + "sources/" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]


# One set of parameters per saved query, for the seeds (probation officers, NOC 4155).
SEED_PARAMS: dict[str, dict[str, str]] = {
    "competency-statements": {"occupation": "21-1092.00"},
    "described-by-sources": {"occupation": "21-1092.00"},
    "education-requirements": {"occupation": "21-1092.00"},
    "element-statements": {"element": "Active Listening"},
    "graph-statistics": {},
    "hot-technologies": {"occupation": "21-1092.00"},
    "hiring-requirements": {"occupation": "21-1092.00"},
    "job-titles": {"occupation": "21-1092.00"},
    "noc-crosswalk": {"occupation": "21-1092.00"},
    "noc-job-titles": {"occupation": "21-1092.00"},
    "noc-sub-roles": {"noc": "4155"},
    "occupation-card": {"occupation": "21-1092.00"},
    "occupation-products": {"occupation": "21-1092.00"},
    "occupation-context": {"occupation": "21-1092.00"},
    "occupation-skills": {"occupation": "21-1092.00"},
    "occupation-summary": {"occupation": "21-1092.00"},
    "occupation-tasks": {"occupation": "21-1092.00"},
    "occupations-by-label": {"label": "probation@en"},
    "occupations-sharing-skills": {"occupation": "21-1092.00"},
    "occupations-with-skill": {"skill": GO + "skills/Communication"},
    "occupations-using-product": {"product": "Spreadsheet software"},
    "occupations-sharing-work-activities": {"occupation": "21-1092.00"},
    "onet-tasks": {"occupation": "21-1092.00"},
    "progression-levels": {"occupation": "21-1092.00"},
    "salary-figures": {"occupation": "21-1092.00"},
    "source-graph": {"source": source_iri(seed_path("004"))},
    "source-provenance": {"occupation": "21-1092.00"},
    "tasks-attested-by-several-sources": {"occupation": "21-1092.00"},
    "work-activity-tree": {"activity": "Getting Information"},
}

# The seeds describe one occupation and state no task in the same words twice; they hold
# none of graph.org.ai's task, technology or tool pages (tests/test_graph_org_ai.py has).
EMPTY_ON_SEEDS = {
    "tasks-attested-by-several-sources",
    "occupations-sharing-skills",
    "hot-technologies",
    "occupation-products",
    "occupations-using-product",
    "occupations-sharing-work-activities",
    "onet-tasks",
    "work-activity-tree",
}


@pytest.fixture(scope="module")
def queries() -> dict[str, SavedQuery]:
    return saved_queries()


@pytest.fixture(scope="module")
def corpus_store(corpus_build: tuple[BuildReport, Store]) -> Store:
    return corpus_build[1]


def rows(store: Store, name: str, **params: str) -> list[Row]:
    """A SELECT query's solutions as dicts of plain values (None when unbound)."""
    result = find(name).run(store, params)
    assert isinstance(result, QuerySolutions), f"{name} is not a SELECT query"
    names = [variable.value for variable in result.variables]
    return [
        {n: (None if term is None else term.value) for n, term in zip(names, row, strict=True)}
        for row in result
    ]


def column(found: list[Row], name: str) -> list[str | None]:
    return [row[name] for row in found]


def bound(values: list[str | None]) -> list[str]:
    """Values that must all be bound, to sort: an unbound one fails here."""
    assert None not in values, values
    return [value for value in values if value is not None]


def framework_statements(path: Path, level_keys: list[str]) -> list[tuple[str, int, str]]:
    """(level label, position, text) in the given level order, as the JSON export says."""
    levels = json.loads(path.read_text(encoding="utf-8"))["framework"]["levels"]
    expected = []
    for key in level_keys:
        for n, statement in enumerate(levels[key]["statements"], 1):
            text = statement["text"] if isinstance(statement, dict) else statement
            expected.append((levels[key]["label"], n, text))
    return expected


# -- every query: loads, documents itself, runs ----------------------------------


def test_there_are_at_least_sixteen_saved_queries(queries: dict[str, SavedQuery]) -> None:
    assert len(queries) >= 16
    assert sorted(queries) == NAMES


def test_every_query_has_seed_parameters_in_this_test() -> None:
    assert sorted(SEED_PARAMS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_query_is_documented(name: str, queries: dict[str, SavedQuery]) -> None:
    query = queries[name]
    assert query.title.strip()
    assert len(query.description.split()) >= 8
    for parameter in query.params.values():
        assert parameter.description.strip()


@pytest.mark.parametrize("name", NAMES)
def test_query_runs_on_the_seeds(name: str, seeds_store: Store) -> None:
    result = find(name).run(seeds_store, SEED_PARAMS[name])
    if isinstance(result, QueryBoolean):
        assert bool(result)
    elif isinstance(result, QueryTriples):
        assert len(list(result)) > 0
    else:
        found = list(result)
        assert (len(found) == 0) == (name in EMPTY_ON_SEEDS)


def test_the_kinds_of_query_exercise_every_result_form(queries: dict[str, SavedQuery]) -> None:
    forms = {
        name: re.search(r"^(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", q.text, re.MULTILINE)
        for name, q in queries.items()
    }
    assert all(forms.values())
    forms_found = {match[1] for match in forms.values() if match}
    assert {"SELECT", "CONSTRUCT", "ASK"} <= forms_found
    types = {p.type for q in queries.values() for p in q.params.values()}
    assert types == {"iri", "string", "integer", "langstring", "occupation"}
    assert any(
        not p.required and p.default is not None
        for q in queries.values()
        for p in q.params.values()
    )


# -- real answers on the seeds -------------------------------------------------------


def test_competency_statements_in_progression_order(seeds_store: Store) -> None:
    found = rows(seeds_store, "competency-statements", occupation="21-1092.00")
    assert len(found) == 40
    expected = framework_statements(
        seed_path("001"), ["emerging", "developing", "proficient", "advanced"]
    )
    got = [(r["level"], int(r["position"] or 0), r["statementText"]) for r in found]
    assert got == expected
    assert [r["level"] for r in found[:10]] == ["Emerging"] * 10
    assert [int(r["position"] or 0) for r in found[:10]] == list(range(1, 11))
    assert [r["rank"] for r in found[::10]] == ["1", "2", "3", "4"]
    eighth_developing = found[17]
    assert eighth_developing["level"] == "Developing"
    assert eighth_developing["objectPhrase"] == "Social perceptiveness and active listening skills"
    assert eighth_developing["performancePhrase"] == (
        "apply during client interviews to detect deception, assess emotional state, "
        "and identify emerging risk factors."
    )
    assert eighth_developing["statement"] == (
        GO + "frameworks/ProbationOfficersAndCorrectionalTreatmentSpecialists/v.26.05/developing/8"
    )
    assert set(column(found, "file")) == {seed_path("001").name}


def test_competency_statements_of_one_level(seeds_store: Store) -> None:
    found = rows(seeds_store, "competency-statements", occupation="21-1092.00", level="Proficient")
    assert column(found, "level") == ["Proficient"] * 10
    assert set(column(found, "rank")) == {"3"}
    assert (found[0]["statementText"] or "").startswith("Complex, high-risk caseloads")


def test_progression_levels(seeds_store: Store) -> None:
    found = rows(seeds_store, "progression-levels", occupation=PROBATION_TITLE)
    assert column(found, "level") == ["Emerging", "Developing", "Proficient", "Advanced"]
    assert column(found, "rank") == ["1", "2", "3", "4"]
    assert column(found, "nextLevel") == ["Developing", "Proficient", "Advanced", None]
    assert column(found, "statements") == ["10"] * 4
    assert set(column(found, "version")) == {"v.26.05"}


def test_skills_with_the_sources_that_attest_them(seeds_store: Store) -> None:
    found = rows(seeds_store, "occupation-skills", occupation="21-1092.00")
    by_kind: dict[str, set[str | None]] = {}
    for row in found:
        by_kind.setdefault(row["sourceKind"] or "", set()).add(row["label"])
    # The job description: "strong communication and interpersonal skills ... good
    # organizational, problemsolving, and decision-making skills".
    assert by_kind["job-description"] == {
        "Communication",
        "Interpersonal",
        "Organizational",
        "Problem-solving",
        "Decision-making",
    }
    # The framework's statements name these O*NET elements in their object phrases.
    assert by_kind["competency-framework"] == {
        "Social Perceptiveness",
        "Active Listening",
        "Inductive Reasoning",
        "Deductive Reasoning",
        "Critical Thinking",
        "Complex Problem Solving",
        "Time Management",
        "Coordination",
    }
    assert {"Writing", "Speaking", "Active Listening", "Empathy"} <= by_kind["career-article"]
    abilities = {r["label"] for r in found if r["domain"] == "ability"}
    assert abilities == {"Inductive Reasoning", "Deductive Reasoning"}
    listening = [r for r in found if r["label"] == "Active Listening"]
    assert {r["sourceKind"] for r in listening} == {"career-article", "competency-framework"}
    assert {r["sourceCount"] for r in listening} == {"2"}
    assert {r["onetElement"] for r in listening} == {"true"}
    assert {r["onetId"] for r in listening} == {"2.A.1.b"}
    communication = [r for r in found if r["label"] == "Communication"]
    assert {r["onetElement"] for r in communication} == {"false"}
    assert {r["file"] for r in communication} == {seed_path("002").name, seed_path("004").name}


JOB_DESCRIPTION_TASKS = [
    "Conduct interviews with probationers to assess their progress",
    "Prepare reports on probationers' progress for courts and judges",
    "Maintain contact with probationers' family members, employers, and other important "
    "people in their lives",
    "Provide support and guidance to probationers as they work to turn their lives around",
    "Help connect probationers with resources like job training, substance abuse treatment, "
    "and housing assistance",
    "Enforce the conditions of probation, including meeting regularly with a probation "
    "officer, obeying all laws, and completing any required programs or community service",
]
PROBATION_AND_PAROLE_DUTIES = [
    "interview offenders, police, family, friends, school authorities and employers to prepare "
    "pre-sentence reports and assess offenders' prospects for successful re-entry into the "
    "community",
    "plan rehabilitation programs with offenders, establishing rules of conduct, goals and "
    "objectives",
    "refer offenders to community and social service programs, as needed",
    "supervise the terms of a probation order and attend court",
    "interview probationers and parolees regularly to evaluate their progress in accomplishing "
    "goals and maintaining the terms specified in their probation contracts and rehabilitation "
    "plans",
    "recommend corrective action or start court action when terms of probation or parole are "
    "violated",
    "may perform office management duties and supervise support staff",
    "may participate in policy development",
]
CLASSIFICATION_DUTIES = [
    "interview inmates to assess adjustment problems and develop suitable rehabilitation programs",
    "prepare classification reports recommending type of confinement and types of "
    "interventions considered most beneficial for the rehabilitation of the inmates",
    "plan rehabilitation programs with offenders, identifying needs and setting out goals and "
    "objectives",
    "work with the inmates' families and contacts in the community to maintain established "
    "bonds outside of the institution",
    "help inmates with their problems and evaluate their progress",
]


def test_tasks_with_the_sources_that_state_them(seeds_store: Store) -> None:
    found = rows(seeds_store, "occupation-tasks", occupation=PROBATION)
    by_kind: dict[str, list[str | None]] = {}
    for row in found:
        by_kind.setdefault(row["sourceKind"] or "", []).append(row["text"])
    assert sorted(bound(by_kind["job-description"])) == sorted(JOB_DESCRIPTION_TASKS)
    assert sorted(bound(by_kind["noc-profile"])) == sorted(
        PROBATION_AND_PAROLE_DUTIES + CLASSIFICATION_DUTIES
    )
    roles = {r["text"]: r["subRole"] for r in found if r["sourceKind"] == "noc-profile"}
    assert {roles[t] for t in PROBATION_AND_PAROLE_DUTIES} == {"Probation and parole officers"}
    assert {roles[t] for t in CLASSIFICATION_DUTIES} == {
        "Classification officers, correctional institutions"
    }
    article = by_kind["career-article"]
    assert "Conduct home visits to check on parolees or probationers" in article
    assert "Conduct risk assessments" in article
    assert "Testify in court if needed" in article
    assert set(by_kind) == {"career-article", "job-description", "noc-profile"}
    texts = [(r["text"] or "").lower() for r in found]
    assert texts == sorted(texts)


def test_tasks_attested_by_several_sources(seeds_store: Store) -> None:
    # No two seed documents state a task in the same words.
    assert rows(seeds_store, "tasks-attested-by-several-sources", occupation="21-1092.00") == []
    every_task = rows(
        seeds_store, "tasks-attested-by-several-sources", occupation="21-1092.00", min_sources="1"
    )
    listed = rows(seeds_store, "occupation-tasks", occupation="21-1092.00")
    assert len(every_task) == len({r["task"] for r in listed})
    assert set(column(every_task, "sources")) == {"1"}
    assert set(column(every_task, "min_sources")) == {"1"}


@pytest.fixture(scope="module")
def repeated_task_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The seeds plus a second job description that repeats the seed one and, in other
    letter case and punctuation, one NOC duty."""
    corpus = tmp_path_factory.mktemp("repeated") / "corpus"
    shutil.copytree(SEEDS, corpus)
    template = seed_path("004").read_text(encoding="utf-8")
    marker = "  • Enforce the conditions of probation"
    assert marker in template
    extra = template.replace(
        marker, "  • Supervise the terms of a probation order, and attend court.\n" + marker
    )
    (corpus / "005_second_posting.txt").write_text(extra, encoding="utf-8")
    store_dir = tmp_path_factory.mktemp("repeated") / "store"
    report = build([corpus], store=store_dir)
    assert not report.errors
    return open_read_only(store_dir)


def test_tasks_attested_by_two_sources_when_documents_agree(repeated_task_store: Store) -> None:
    found = rows(repeated_task_store, "tasks-attested-by-several-sources", occupation="21-1092.00")
    by_wording = {r["wording"]: r for r in found}
    assert len(found) == len(JOB_DESCRIPTION_TASKS) + 1
    assert set(column(found, "sources")) == {"2"}
    for task in JOB_DESCRIPTION_TASKS:
        assert by_wording[task]["sourceKinds"] == "job-description"
    supervise = next(r for r in found if "probation order" in (r["wording"] or ""))
    assert set((supervise["sourceKinds"] or "").split(", ")) == {"noc-profile", "job-description"}
    assert set((supervise["wordings"] or "").split(" | ")) == {
        "supervise the terms of a probation order and attend court",
        "Supervise the terms of a probation order, and attend court.",
    }
    assert set((supervise["files"] or "").split(", ")) == {
        seed_path("003").name,
        "005_second_posting.txt",
    }
    three = rows(
        repeated_task_store,
        "tasks-attested-by-several-sources",
        occupation="21-1092.00",
        min_sources="3",
    )
    assert three == []


def test_noc_equivalents_and_their_job_titles(seeds_store: Store) -> None:
    found = rows(seeds_store, "noc-job-titles", occupation="21-1092.00")
    titled = [r for r in found if r["jobTitleLabel"]]
    # The profile lists each of its six titles twice.
    assert column(titled, "jobTitleLabel") == SEED_NOC_TITLES
    assert {(r["version"], r["nocCode"]) for r in titled} == {("2016", "4155")}
    assert {r["file"] for r in titled} == {seed_path("003").name}
    untitled = [(r["version"], r["nocCode"], r["nocTitle"]) for r in found if not r["jobTitle"]]
    assert untitled == [
        ("2021", "41311", "Probation and parole officers"),
        ("2021", "42201", "Social and community service workers"),
    ]


def test_crosswalk_soc_to_noc_2016_to_noc_2021(seeds_store: Store) -> None:
    found = rows(seeds_store, "noc-crosswalk", occupation="21-1092.00")
    assert [
        (r["socCode"], r["noc2016"], r["match"], r["noc2021"], r["direct2021"]) for r in found
    ] == [
        ("21-1092.00", "4155", "close", "41311", "true"),
        ("21-1092.00", "4155", "close", "42201", "true"),
    ]
    assert set(column(found, "noc2016Title")) == {
        "Probation and parole officers and related occupations"
    }


def test_education_requirements(seeds_store: Store) -> None:
    found = rows(seeds_store, "education-requirements", occupation="21-1092.00")
    degrees = [
        (r["degreeLevel"], tuple(sorted((r["fields"] or "").split(", "))), r["required"], r["file"])
        for r in found
        if r["degreeLevel"]
    ]
    article, posting = seed_path("002").name, seed_path("004").name
    assert sorted(degrees, key=str) == sorted(
        [
            ("bachelor", ("criminal justice", "psychology", "social work"), "true", article),
            ("master", ("criminal justice", "social work"), None, article),
            ("bachelor", ("psychology", "social work", "sociology"), "true", posting),
        ],
        key=str,
    )
    assert all(r["degreeLevel"] for r in found[:3])
    bachelor = next(r for r in found if r["file"] == posting)
    assert bachelor["text"] == (
        "A bachelor’s degree in social work, sociology, psychology, or a related field is "
        "typically required for this position."
    )
    fields_alone = {r["fields"] for r in found if not r["degreeLevel"]}
    assert {"criminal justice", "social work", "psychology", "sociology"} <= fields_alone


def test_salary_figures(seeds_store: Store) -> None:
    found = rows(seeds_store, "salary-figures", occupation="21-1092.00")
    assert len(found) == 1
    salary = found[0]
    assert float(salary["amount"] or 0) == 59860
    assert (salary["currency"], salary["period"], salary["statistic"]) == ("USD", "year", "median")
    assert salary["publisher"] == "U.S. Bureau of Labor Statistics"
    assert salary["approximate"] == "true"  # "was around $59,860"
    assert (salary["sourceKind"], salary["file"]) == ("career-article", seed_path("002").name)
    assert "$59,860" in (salary["text"] or "")


def test_hiring_requirements(seeds_store: Store) -> None:
    found = rows(seeds_store, "hiring-requirements", occupation="21-1092.00")
    kinds: dict[str, set[str | None]] = {}
    for row in found:
        kinds.setdefault(row["sourceKind"] or "", set()).add(row["requirementKind"])
    assert {
        "background-check",
        "drug-screening",
        "exam",
        "fitness-test",
        "training",
        "licence",
    } <= kinds["career-article"]
    assert kinds["job-description"] == {"training", "certification"}
    training = {r["sourceCount"] for r in found if r["requirementKind"] == "training"}
    assert training == {"2"}
    assert found[0]["requirementKind"] == "training"
    licence = next(r for r in found if r["requirementKind"] == "licence")
    assert "driver’s license" in (licence["text"] or "")


def test_source_provenance(seeds_store: Store) -> None:
    found = rows(seeds_store, "source-provenance", occupation="21-1092.00")
    files = sorted(SEEDS.glob("*.txt"))
    assert column(found, "file") == [f.name for f in files]
    assert column(found, "sourceKind") == [
        "onet-page",
        "competency-framework",
        "career-article",
        "noc-profile",
        "job-description",
    ]
    for row, path in zip(found, files, strict=True):
        assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert row["source"] == source_iri(path)
        graph = NamedNode(row["source"] or "")
        assert int(row["triples"] or 0) == len(
            list(seeds_store.quads_for_pattern(None, None, None, graph))
        )
        assert (row["builtAt"] or "")[:2] == "20"
    tasks = {r["sourceKind"]: int(r["tasks"] or 0) for r in found}
    assert tasks["job-description"] == len(JOB_DESCRIPTION_TASKS)
    assert tasks["noc-profile"] == len(PROBATION_AND_PAROLE_DUTIES + CLASSIFICATION_DUTIES)
    assert tasks["onet-page"] == 0
    skills = {r["sourceKind"]: int(r["skills"] or 0) for r in found}
    assert skills["job-description"] == 5
    assert skills["competency-framework"] == 8
    assert {r["resolvedBy"] for r in found} <= {
        "code",
        "title",
        "job-title",
        "noc-code",
        "mentions",
    }


def test_occupations_sharing_or_requiring_a_skill_on_the_seeds(seeds_store: Store) -> None:
    # Only one occupation is described by the seeds: nobody shares its skills.
    assert rows(seeds_store, "occupations-sharing-skills", occupation="21-1092.00") == []
    found = rows(seeds_store, "occupations-with-skill", skill=GO + "skills/Communication")
    assert [(r["occupation"], r["code"], r["sources"]) for r in found] == [
        (PROBATION, "21-1092.00", "2")
    ]
    assert set((found[0]["sourceKinds"] or "").split(", ")) == {"career-article", "job-description"}
    assert rows(seeds_store, "occupations-with-skill", skill=GO + "skills/Welding") == []


@pytest.mark.parametrize(
    "element", ["Active Listening", "active listening", GO + "skills/ActiveListening"]
)
def test_statements_naming_an_element(seeds_store: Store, element: str) -> None:
    found = rows(seeds_store, "element-statements", element=element)
    assert [(r["level"], r["rank"], r["position"]) for r in found] == [("Developing", "2", "8")]
    assert (found[0]["statementText"] or "").startswith(
        "Social perceptiveness and active listening skills"
    )
    assert found[0]["element"] == element


def test_statements_naming_an_element_for_one_occupation(seeds_store: Store) -> None:
    everywhere = rows(seeds_store, "element-statements", element="Coordination")
    assert [(r["level"], r["position"]) for r in everywhere] == [
        ("Proficient", "3"),
        ("Proficient", "6"),
    ]
    mine = rows(
        seeds_store, "element-statements", element="Coordination", occupation=PROBATION_TITLE
    )
    assert mine == everywhere
    theirs = rows(
        seeds_store, "element-statements", element="Coordination", occupation="Electricians"
    )
    assert theirs == []
    assert rows(seeds_store, "element-statements", element="Welding") == []


def test_graph_statistics(seeds_store: Store) -> None:
    found = rows(seeds_store, "graph-statistics")
    stats: dict[tuple[str, str], int] = {}
    for r in found:
        category, item = r["category"], r["item"]
        assert category is not None and item is not None
        stats[category, item] = int(r["count"] or 0)
    source_graphs = {k[1]: v for k, v in stats.items() if k[0] == "graphs" and "source" in k[1]}
    assert source_graphs == {
        "source: onet-page": 1,
        "source: competency-framework": 1,
        "source: career-article": 1,
        "source: noc-profile": 1,
        "source: job-description": 1,
    }
    assert stats["graphs", "reference"] == stats["graphs", "links"] == 1
    assert stats["things", "source documents"] == 5
    assert stats["things", "occupations described by sources"] == 1
    assert stats["things", "competency statements"] == 40
    assert stats["things", "competency frameworks"] == 1
    assert stats["things", "occupations in the O*NET reference"] > 1000
    tasks = rows(seeds_store, "occupation-tasks", occupation="21-1092.00")
    assert stats["things", "tasks"] == len({r["task"] for r in tasks})
    per_graph = Counter(
        quad.graph_name.value
        for quad in seeds_store.quads_for_pattern(None, None, None)
        if isinstance(quad.graph_name, NamedNode)
    )
    triples = {k[1]: v for k, v in stats.items() if k[0] == "triples"}
    assert sum(triples.values()) == sum(per_graph.values())
    assert triples["reference"] == per_graph[GO + "graphs/reference"]
    assert triples["source: job-description"] == per_graph[source_iri(seed_path("004"))]


def test_noc_sub_roles_with_their_duties(seeds_store: Store) -> None:
    found = rows(seeds_store, "noc-sub-roles", noc="4155")
    assert {r["group"] for r in found} == {GO + "noc/2016/4155"}
    definitions = {r["subRoleTitle"]: r["definition"] for r in found if r["definition"]}
    assert definitions == {
        "Probation officers": "check on the conduct and behaviour of criminal offenders serving "
        "probation terms",
        "Parole officers": "observe criminal offenders serving the remainder of sentences while "
        "being released into the community on parole under certain conditions",
        "Classification officers": "assess inmates and develop rehabilitation programs for "
        "criminal offenders in correctional facilities",
    }
    duties: dict[str, list[str | None]] = {}
    for row in found:
        if row["duty"]:
            duties.setdefault(row["subRoleTitle"] or "", []).append(row["duty"])
    assert sorted(bound(duties["Probation and parole officers"])) == sorted(
        PROBATION_AND_PAROLE_DUTIES
    )
    assert sorted(bound(duties["Classification officers, correctional institutions"])) == sorted(
        CLASSIFICATION_DUTIES
    )
    assert len(found) == 3 + len(PROBATION_AND_PAROLE_DUTIES) + len(CLASSIFICATION_DUTIES)
    assert rows(seeds_store, "noc-sub-roles", noc="9999") == []


def test_occupation_summary_is_a_graph(seeds_store: Store) -> None:
    result = find("occupation-summary").run(seeds_store, {"occupation": "21-1092.00"})
    assert isinstance(result, QueryTriples)
    triples = {(t.subject.value, t.predicate.value, t.object.value) for t in result}
    assert (PROBATION, OCC + "onetCode", "21-1092.00") in triples
    assert (PROBATION, "http://www.w3.org/2000/01/rdf-schema#label", PROBATION_TITLE) in triples
    nocs = {o for s, p, o in triples if s == PROBATION and p == OCC + "nocEquivalent"}
    assert nocs == {GO + "noc/2016/4155", GO + "noc/2021/41311", GO + "noc/2021/42201"}
    kinds = {o for s, p, o in triples if p == OCC + "sourceKind"}
    assert kinds == {
        "onet-page",
        "competency-framework",
        "career-article",
        "noc-profile",
        "job-description",
    }
    tasks = {o for s, p, o in triples if s == PROBATION and p == OCC + "hasTask"}
    listed = rows(seeds_store, "occupation-tasks", occupation="21-1092.00")
    assert tasks == {r["task"] for r in listed}
    labels = {o for s, p, o in triples if s in tasks and p.endswith("#label")}
    assert set(JOB_DESCRIPTION_TASKS) <= labels


@pytest.mark.parametrize(
    ("params", "answer"),
    [
        ({"occupation": "21-1092.00"}, True),
        ({"occupation": "21-1092.00", "min_sources": "5"}, True),
        ({"occupation": "21-1092.00", "min_sources": "6"}, False),
        ({"occupation": PROBATION_TITLE.lower(), "min_sources": "5"}, True),
        ({"occupation": "Electricians"}, False),
        ({"occupation": GO + "occupations/Nobody"}, False),
    ],
)
def test_described_by_at_least_n_sources(
    seeds_store: Store, params: dict[str, str], answer: bool
) -> None:
    result = find("described-by-sources").run(seeds_store, params)
    assert isinstance(result, QueryBoolean)
    assert bool(result) is answer


def test_occupations_by_label_in_a_language(seeds_store: Store) -> None:
    found = rows(seeds_store, "occupations-by-label", label="probation@en")
    assert {(r["code"], r["matchedLabel"], r["matchedVia"]) for r in found} == {
        ("21-1092.00", PROBATION_TITLE, "occupation title"),
        ("21-1092.00", "Probation Officer", "job title"),
        ("21-1092.00", "officer, parole - probation officer", "job title"),
    }
    # The labels are English plain strings: a regional English tag matches, French does not.
    assert rows(seeds_store, "occupations-by-label", label="PROBATION@en-US") != []
    assert rows(seeds_store, "occupations-by-label", label="probation@fr") == []
    assert rows(seeds_store, "occupations-by-label", label="@en") == []


def test_job_titles(seeds_store: Store) -> None:
    found = rows(seeds_store, "job-titles", occupation="21-1092.00")
    assert sorted(bound(column(found, "title"))) == sorted([*SEED_NOC_TITLES, "Probation Officer"])
    posting = next(r for r in found if r["title"] == "Probation Officer")
    assert (posting["listedBy"], posting["sourceKind"]) == (PROBATION, "job-description")
    assert set(column(found, "resolved")) == {"true"}


def test_occupation_context(seeds_store: Store) -> None:
    found = rows(seeds_store, "occupation-context", occupation="21-1092.00")
    by_aspect: dict[str, set[str | None]] = {}
    for row in found:
        by_aspect.setdefault(row["aspect"] or "", set()).add(row["text"])
    assert by_aspect["employer"] == {
        "work for federal and provincial governments",
        "work in the community and in correctional facilities",
    }
    assert by_aspect["work environment"] == {
        "Work takes place in a conventional indoor office setting."
    }
    assert (
        "Progression to correctional service management positions is possible with additional "
        "training or experience." in by_aspect["career path"]
    )
    assert len(by_aspect["objective"]) == 5
    assert {"juvenile offenders", "sex offenders"} <= by_aspect["specialisation"]


def test_source_graph_is_the_whole_named_graph(seeds_store: Store) -> None:
    iri = source_iri(seed_path("004"))
    result = find("source-graph").run(seeds_store, {"source": iri})
    assert isinstance(result, QueryTriples)
    got = {(t.subject, t.predicate, t.object) for t in result}
    expected = {
        (q.subject, q.predicate, q.object)
        for q in seeds_store.quads_for_pattern(None, None, None, NamedNode(iri))
    }
    assert got == expected
    assert len(got) > 0


def test_occupation_card(seeds_store: Store) -> None:
    (card,) = rows(seeds_store, "occupation-card", occupation=PROBATION_TITLE)
    assert (card["code"], card["title"]) == ("21-1092.00", PROBATION_TITLE)
    assert card["noc2016s"] == "4155"
    assert set((card["noc2021s"] or "").split(", ")) == {"41311", "42201"}


# -- the other occupations: same queries, by code and by title -------------------------

OTHERS = [
    pytest.param("47-2111.00", ELECTRICIANS, id="electricians-by-code"),
    pytest.param("Electricians", ELECTRICIANS, id="electricians-by-title"),
    pytest.param("29-1141.00", NURSES, id="nurses-by-code"),
    pytest.param("registered nurses", NURSES, id="nurses-by-title"),
]

LEVELS = {
    ELECTRICIANS: (
        CORPUS / "electricians" / "framework.json",
        ["emerging", "developing", "proficient", "advanced"],
    ),
    NURSES: (
        CORPUS / "registered-nurses" / "framework.json",
        ["novice", "advanced_beginner", "competent", "proficient", "expert"],
    ),
}


@pytest.mark.parametrize(("given", "iri"), OTHERS)
def test_competency_statements_of_the_other_occupations(
    corpus_store: Store, given: str, iri: str
) -> None:
    found = rows(corpus_store, "competency-statements", occupation=given)
    path, keys = LEVELS[iri]
    expected = framework_statements(path, keys)
    assert [(r["level"], int(r["position"] or 0), r["statementText"]) for r in found] == expected
    assert set(column(found, "occupation")) == {iri}
    # /levels/Proficient is shared; each framework's own graph says where it ranks.
    proficient = {r["rank"] for r in found if r["level"] == "Proficient"}
    assert proficient == ({"3"} if iri == ELECTRICIANS else {"4"})


def test_nurse_levels_run_from_novice_to_expert(corpus_store: Store) -> None:
    found = rows(corpus_store, "progression-levels", occupation="Registered Nurses")
    assert column(found, "level") == [
        "Novice",
        "Advanced Beginner",
        "Competent",
        "Proficient",
        "Expert",
    ]
    assert column(found, "statements") == ["3", "2", "2", "2", "2"]


@pytest.mark.parametrize(
    "name",
    [
        "competency-statements",
        "occupation-skills",
        "occupation-tasks",
        "noc-job-titles",
        "noc-crosswalk",
        "education-requirements",
        "salary-figures",
        "hiring-requirements",
        "source-provenance",
        "job-titles",
        "occupation-context",
        "occupations-sharing-skills",
    ],
)
def test_code_and_title_give_the_same_answer(corpus_store: Store, name: str) -> None:
    for code, title in [("47-2111.00", "Electricians"), ("29-1141.00", "Registered Nurses")]:
        by_code = rows(corpus_store, name, occupation=code)
        assert by_code == rows(corpus_store, name, occupation=title)
        assert by_code, f"{name} gives nothing for {title}"


def test_crosswalk_of_the_other_occupations(corpus_store: Store) -> None:
    electricians = rows(corpus_store, "noc-crosswalk", occupation="47-2111.00")
    assert [(r["noc2016"], r["match"], r["noc2021"]) for r in electricians] == [
        ("7241", "exact", "72200"),
        ("7242", "exact", "72201"),
        ("7243", "exact", "72202"),
    ]
    nurses = rows(corpus_store, "noc-crosswalk", occupation="Registered Nurses")
    assert [(r["noc2016"], r["match"], r["noc2021"], r["direct2021"]) for r in nurses] == [
        ("3012", "exact", "31301", "true")
    ]


def test_noc_job_titles_of_the_other_occupations(corpus_store: Store) -> None:
    electricians = rows(corpus_store, "noc-job-titles", occupation="Electricians")
    # Six lines in the profile, two of them repeats in other case and spacing.
    assert [r["jobTitleLabel"] for r in electricians if r["jobTitle"]] == [
        "apprentice electrician",
        "electrician, construction",
        "residential electrician",
        "wireman/wirewoman, electrical",
    ]
    assert {r["nocCode"] for r in electricians if r["jobTitle"]} == {"72200"}
    nurses = rows(corpus_store, "noc-job-titles", occupation="29-1141.00")
    assert sorted(r["jobTitleLabel"] or "" for r in nurses if r["jobTitle"]) == [
        "clinical nurse",
        "nurse clinician",
        "nurse, registered (R.N.)",
        "occupational health nurse",
        "psychiatric nurse, registered (R.P.N.)",
        "public health nurse",
    ]


def test_salaries_and_education_of_the_other_occupations(corpus_store: Store) -> None:
    electricians = rows(corpus_store, "salary-figures", occupation="Electricians")
    assert {(float(r["amount"] or 0), r["period"]) for r in electricians} == {
        (61000.0, "year"),
        (29.5, "hour"),
        (18.0, "hour"),
    }
    nurses = rows(corpus_store, "salary-figures", occupation="29-1141.00")
    assert [(float(r["amount"] or 0), r["period"], r["statistic"]) for r in nurses] == [
        (86070.0, "year", "median")
    ]
    education = rows(corpus_store, "education-requirements", occupation="Registered Nurses")
    article = {
        (r["degreeLevel"], r["fields"])
        for r in education
        if r["sourceKind"] == "career-article" and r["degreeLevel"]
    }
    assert {("associate", "nursing"), ("bachelor", "nursing")} <= article
    assert {r["degreeLevel"] for r in education if r["sourceKind"] == "job-description"} == {
        "bachelor",
        "associate",
    }


def test_other_occupations_share_communication(corpus_store: Store) -> None:
    found = rows(corpus_store, "occupations-sharing-skills", occupation="Electricians")
    assert [(r["other"], r["otherCode"], r["shared"], r["sharedElements"]) for r in found] == [
        (NURSES, "29-1141.00", "1", "Communication")
    ]
    back = rows(corpus_store, "occupations-sharing-skills", occupation="29-1141.00")
    assert [(r["other"], r["sharedElements"]) for r in back] == [(ELECTRICIANS, "Communication")]
    requiring = rows(corpus_store, "occupations-with-skill", skill=GO + "skills/Communication")
    assert [(r["title"], r["sources"]) for r in requiring] == [
        ("Registered Nurses", "2"),
        ("Electricians", "1"),
    ]


def test_provenance_and_sources_of_the_other_occupations(corpus_store: Store) -> None:
    for title, folder in [
        ("Electricians", "electricians"),
        ("Registered Nurses", "registered-nurses"),
    ]:
        found = rows(corpus_store, "source-provenance", occupation=title)
        assert sorted(bound(column(found, "file"))) == sorted(
            p.name for p in (CORPUS / folder).iterdir()
        )
        for row in found:
            digest = hashlib.sha256((CORPUS / folder / (row["file"] or "")).read_bytes())
            assert row["sha256"] == digest.hexdigest()
        for n, answer in [(5, True), (6, False)]:
            result = find("described-by-sources").run(
                corpus_store, {"occupation": title, "min_sources": str(n)}
            )
            assert bool(result) is answer
    assert rows(corpus_store, "tasks-attested-by-several-sources", occupation="Electricians") == []


def test_sub_roles_of_the_other_noc_groups(corpus_store: Store) -> None:
    electricians = rows(corpus_store, "noc-sub-roles", noc="72200")
    group_duties = [r["duty"] for r in electricians if not r["subRole"]]
    assert len(group_duties) == 7
    assert "pull wire through conduits and through holes in walls and floors" in group_duties
    apprentices = [r["duty"] for r in electricians if r["subRoleTitle"] == "Apprentices"]
    assert apprentices == [
        "assist journeypersons with rough-in and finishing work",
        "keep the work area clean and organised",
    ]
    assert {r["subRoleTitle"] for r in electricians if r["definition"]} == {
        "Construction electricians",
        "Renovation electricians",
    }
    nurses = rows(corpus_store, "noc-sub-roles", noc="3012")
    counts = Counter(r["subRoleTitle"] for r in nurses if r["duty"])
    assert counts == {"Registered nurses": 6, "Registered psychiatric nurses": 3}
    assert {r["definition"] for r in nurses if r["subRoleTitle"] == "Nurse researchers"} == {
        "design and carry out studies of patient outcomes and nursing interventions"
    }


def test_find_nurses_by_label(corpus_store: Store) -> None:
    found = rows(corpus_store, "occupations-by-label", label="nurse@en")
    assert ("29-1141.00", "clinical nurse", "job title") in {
        (r["code"], r["matchedLabel"], r["matchedVia"]) for r in found
    }
    assert rows(corpus_store, "occupations-by-label", label="nurse@fr") == []


# -- output formats through the command line -----------------------------------------


@pytest.fixture(scope="module")
def store_dir(seeds_build: tuple[BuildReport, Store], seeds_link: Path) -> str:
    report, _ = seeds_build
    assert not report.errors
    return str(seeds_link)


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_json_is_sparql_json_results(store_dir: str) -> None:
    result = cli(
        "query", "competency-statements", "-p", "occupation=21-1092.00", "--format", "json",
        "--store", store_dir,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["head"]["vars"] == [
        "occupation", "framework", "version", "rank", "level", "position", "statement",
        "statementText", "objectPhrase", "performancePhrase", "file",
    ]  # fmt: skip
    bindings = document["results"]["bindings"]
    assert len(bindings) == 40
    assert bindings[0]["level"] == {"type": "literal", "value": "Emerging"}
    assert bindings[0]["occupation"] == {"type": "uri", "value": PROBATION}
    assert bindings[0]["rank"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_csv_and_tsv_have_a_header_and_every_row(store_dir: str) -> None:
    result = cli(
        "query", "noc-job-titles", "-p", "occupation=21-1092.00", "--format", "csv",
        "--store", store_dir,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert table[0] == [
        "occupation", "noc", "version", "nocCode", "nocTitle", "jobTitle", "jobTitleLabel", "file"
    ]  # fmt: skip
    assert len(table) == 1 + 8
    assert [row[6] for row in table[1:7]] == SEED_NOC_TITLES

    result = cli(
        "query", "noc-job-titles", "-p", "occupation=21-1092.00", "--format", "tsv",
        "--store", store_dir,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["?occupation", "?noc", "?version"]
    assert len(lines) == 1 + 8
    assert lines[1].split("\t")[6] == '"caseworker, corrections - case manager"'


# rdflib's JSON-LD parser builds a ConjunctiveGraph, which rdflib 7.6 deprecates.
@pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated, use Dataset instead.:DeprecationWarning"
)
@pytest.mark.parametrize("format_", ["turtle", "jsonld"])
def test_construct_as_turtle_and_jsonld(store_dir: str, format_: str) -> None:
    result = cli(
        "query", "occupation-summary", "-p", "occupation=21-1092.00", "--format", format_,
        "--store", store_dir,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(
        data=result.stdout, format="json-ld" if format_ == "jsonld" else "turtle"
    )
    onet = rdflib.Namespace(OCC)
    occupation = rdflib.URIRef(PROBATION)
    assert str(graph.value(occupation, onet.onetCode)) == "21-1092.00"
    assert str(graph.value(occupation, rdflib.RDFS.label)) == PROBATION_TITLE
    assert len(set(graph.objects(occupation, onet.nocEquivalent))) == 3
    assert len(set(graph.subjects(onet.about, occupation))) == 5
    direct = find("occupation-summary").run(
        open_read_only(Path(store_dir)),
        {"occupation": "21-1092.00"},
    )
    assert isinstance(direct, QueryTriples)
    assert len(graph) == len({(t.subject, t.predicate, t.object) for t in direct})
    tasks = set(graph.objects(occupation, onet.hasTask))
    assert {str(graph.value(t, rdflib.RDFS.label)) for t in tasks} >= set(JOB_DESCRIPTION_TASKS)


def test_select_as_turtle_is_a_clear_error(store_dir: str) -> None:
    result = cli(
        "query", "salary-figures", "-p", "occupation=21-1092.00", "--format", "turtle",
        "--store", store_dir,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "--format turtle is for CONSTRUCT and DESCRIBE queries" in result.stderr


def test_ask_as_json_and_table(store_dir: str) -> None:
    result = cli(
        "query", "described-by-sources", "-p", "occupation=21-1092.00", "-p", "min_sources=5",
        "--format", "json", "--store", store_dir,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["boolean"] is True
    result = cli(
        "query", "described-by-sources", "-p", "occupation=21-1092.00", "-p", "min_sources=6",
        "--store", store_dir,
    )  # fmt: skip
    assert result.stdout == "no\n"


def test_cli_names_a_bad_parameter(store_dir: str) -> None:
    result = cli(
        "query", "tasks-attested-by-several-sources", "-p", "occupation=21-1092.00",
        "-p", "min_sources=four", "--store", store_dir,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "parameter 'min_sources': 'four' is not a valid integer" in result.stderr


def test_queries_command_lists_every_query() -> None:
    result = cli("queries")
    assert result.exit_code == 0, result.output
    for name in NAMES:
        assert name in result.stdout

"""The seeds build: the values the project promises for its five seed documents."""

from __future__ import annotations

from pyoxigraph import Store

from occugraph.build import BuildReport
from tests.conftest import SEED_NOC_TITLES, select

OCCUPATION = "https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"


def test_every_seed_builds_with_its_kind(seeds_build: tuple[BuildReport, Store]) -> None:
    report, _ = seeds_build
    assert report.errors == []
    assert {e.source.name[:3]: e.kind for e in report.entries} == {
        "000": "onet-page",
        "001": "competency-framework",
        "002": "career-article",
        "003": "noc-profile",
        "004": "job-description",
    }
    assert report.occupations == {"21-1092.00"}


def test_all_five_documents_are_about_one_occupation(seeds_store: Store) -> None:
    rows = select(
        seeds_store,
        """
        SELECT ?kind ?occupation ?how WHERE {
          GRAPH graphs:links { ?source occ:about ?occupation ; occ:resolvedBy ?how }
          GRAPH ?source { ?source occ:sourceKind ?kind }
        } ORDER BY ?kind""",
    )
    assert rows == [
        ("career-article", OCCUPATION, "mentions"),
        ("competency-framework", OCCUPATION, "code"),
        ("job-description", OCCUPATION, "job-title"),
        ("noc-profile", OCCUPATION, "noc-code"),
        ("onet-page", OCCUPATION, "code"),
    ]
    # Every document's own graph says something about that same node.
    graphs = select(
        seeds_store,
        f"""
        SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{
          GRAPH ?g {{ {{ <{OCCUPATION}> ?p ?o }} UNION {{ ?s ?q <{OCCUPATION}> }} }}
          FILTER(STRSTARTS(STR(?g), "https://graph.org.ai/sources/"))
        }}""",
    )
    assert graphs == [("5",)]


def test_four_levels_in_order_with_ten_statements_each(seeds_store: Store) -> None:
    rows = select(
        seeds_store,
        """
        SELECT ?label ?rank (COUNT(?statement) AS ?n) WHERE {
          ?statement occ:atLevel ?level . ?level rdfs:label ?label ; occ:rank ?rank .
        } GROUP BY ?label ?rank ORDER BY ?rank""",
    )
    assert rows == [
        ("Emerging", "1", "10"),
        ("Developing", "2", "10"),
        ("Proficient", "3", "10"),
        ("Advanced", "4", "10"),
    ]
    chain = select(
        seeds_store,
        """
        SELECT ?from ?to WHERE { ?a occ:precedes ?b . ?a rdfs:label ?from . ?b rdfs:label ?to }
        ORDER BY ?from""",
    )
    assert chain == [
        ("Developing", "Proficient"),
        ("Emerging", "Developing"),
        ("Proficient", "Advanced"),
    ]


def test_statements_are_linked_to_the_elements_they_name(seeds_store: Store) -> None:
    rows = select(
        seeds_store,
        """
        SELECT ?statement ?name WHERE {
          ?statement occ:namesElement ?element . ?element rdfs:label ?name
        } ORDER BY ?statement ?name""",
    )
    by_statement: dict[str, list[str]] = {}
    for statement, name in rows:
        assert statement is not None and name is not None
        by_statement.setdefault(statement.split("/v.26.05/")[1], []).append(name)
    assert by_statement["developing/8"] == ["Active Listening", "Social Perceptiveness"]
    assert by_statement["developing/9"] == ["Deductive Reasoning", "Inductive Reasoning"]
    assert by_statement["proficient/7"] == ["Complex Problem Solving", "Critical Thinking"]


def test_noc_4155_with_titles_duties_and_equivalents(seeds_store: Store) -> None:
    titles = select(
        seeds_store,
        """
        SELECT ?title WHERE { noc2016:4155 occ:hasJobTitle/rdfs:label ?title }
        ORDER BY ?title""",
    )
    assert [t for (t,) in titles] == SEED_NOC_TITLES
    duties = select(
        seeds_store,
        """
        SELECT ?role (COUNT(?task) AS ?n) WHERE {
          noc2016:4155 occ:hasSubRole ?r . ?r rdfs:label ?role ; occ:hasTask ?task
        } GROUP BY ?role ORDER BY ?role""",
    )
    assert duties == [
        ("Classification officers, correctional institutions", "5"),
        ("Probation and parole officers", "8"),
    ]
    links = select(
        seeds_store,
        """
        SELECT ?p ?o WHERE {
          { noc2016:4155 ?p ?o FILTER(?p IN (occ:onetEquivalent, skos:closeMatch,
                                                skos:exactMatch)) }
        } ORDER BY ?p ?o""",
    )
    assert ("https://graph.org.ai/ontology#onetEquivalent", OCCUPATION) in links
    assert (
        "http://www.w3.org/2004/02/skos/core#closeMatch",
        "https://graph.org.ai/noc/2021/41311",
    ) in links
    back = select(
        seeds_store,
        f"SELECT DISTINCT ?noc WHERE {{ <{OCCUPATION}> occ:nocEquivalent ?noc }} ORDER BY ?noc",
    )
    assert [n for (n,) in back] == [
        "https://graph.org.ai/noc/2016/4155",
        "https://graph.org.ai/noc/2021/41311",
        "https://graph.org.ai/noc/2021/42201",
    ]


def test_prose_skills_degrees_and_salary(seeds_store: Store) -> None:
    salary = select(
        seeds_store,
        f"""
        SELECT ?amount ?currency ?period ?statistic ?publisher WHERE {{
          <{OCCUPATION}> occ:estimatedSalary ?s .
          ?s occ:amount ?amount ; occ:currency ?currency ; occ:period ?period ;
             occ:statistic ?statistic ; occ:publisher ?publisher }}""",
    )
    assert len(salary) == 1
    amount, currency, period, statistic, publisher = salary[0]
    assert (float(amount or 0), currency, period, statistic) == (59860.0, "USD", "year", "median")
    assert "Bureau of Labor Statistics" in (publisher or "")

    degrees = select(
        seeds_store,
        f"""
        SELECT ?level ?field WHERE {{
          <{OCCUPATION}> occ:educationRequirement ?d . ?d occ:degreeLevel ?level ;
          occ:fieldOfStudy ?field }}""",
    )
    assert ("bachelor", "criminal justice") in degrees
    assert ("bachelor", "social work") in degrees
    assert ("bachelor", "psychology") in degrees

    skills = {
        name
        for (name,) in select(
            seeds_store,
            f"""
        SELECT ?name WHERE {{ <{OCCUPATION}> occ:requiresSkill ?s . ?s rdfs:label ?name }}""",
        )
    }
    assert {"Active Listening", "Writing", "Time Management", "Communication"} <= skills
    onet = {
        name
        for (name,) in select(
            seeds_store,
            f"""
        SELECT ?name WHERE {{ <{OCCUPATION}> occ:requiresSkill ?s . ?s a occ:OnetSkill ;
                              rdfs:label ?name }}""",
        )
    }
    assert {"Active Listening", "Writing", "Time Management"} <= onet
    assert "Communication" not in onet


def test_every_source_graph_has_its_provenance(seeds_store: Store) -> None:
    rows = select(
        seeds_store,
        """
        SELECT ?g ?name ?sha ?version WHERE {
          GRAPH ?g { ?g occ:fileName ?name ; occ:sha256 ?sha ; occ:extractorVersion ?version ;
                        prov:generatedAtTime ?t ; prov:wasGeneratedBy ?activity .
                     ?activity a prov:Activity } } ORDER BY ?name""",
    )
    assert [(r[1] or "")[:3] for r in rows] == ["000", "001", "002", "003", "004"]
    for graph, _, sha, _ in rows:
        assert graph == "https://graph.org.ai/sources/" + (sha or "")[:16]

"""The saved-query engine: values are only ever values, and bad files or values get
clear errors that name the parameter, the file and the line.

The last tests pin engine bugs found while writing the saved queries (now fixed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import QuerySolutions, QueryTriples, Store

from occugraph.query.saved import QueryError, SavedQuery, find, load
from tests.test_queries import GO, PROBATION, PROBATION_TITLE, rows

# -- injection: a value is only ever a value -------------------------------------------

PAYLOADS = [
    "} UNION { ?s ?p ?o }",
    '" } UNION { ?s ?p ?o } #',
    "<http://x> } UNION {",
    "' } UNION { ?s ?p ?o } #",
    "say \"hello\" and 'bye'",
    "<https://graph.org.ai/noc/2016/4155>",
    "4155> . ?s ?p ?o",
    "4155\n} UNION { ?s ?p ?o }\n#",
    "# 4155",
    "4155 # } UNION { ?s ?p ?o }",
    "\\u0022 } UNION { ?s ?p ?o }",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_string_values_cannot_break_out(seeds_store: Store, payload: str) -> None:
    baseline = rows(seeds_store, "noc-sub-roles", noc="9999")
    assert rows(seeds_store, "noc-sub-roles", noc=payload) == baseline == []
    assert rows(seeds_store, "element-statements", element=payload) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_langstring_values_cannot_break_out(seeds_store: Store, payload: str) -> None:
    baseline = rows(seeds_store, "occupations-by-label", label="zzzz@en")
    assert rows(seeds_store, "occupations-by-label", label=payload + "@en") == baseline == []
    # Without a language tag (issue 14) the whole value is English text, and still a value.
    assert rows(seeds_store, "occupations-by-label", label=payload) == []
    assert rows(seeds_store, "occupations-by-label", label="nurse@en " + payload) == []


@pytest.mark.parametrize("payload", [*PAYLOADS, "2 } UNION { ?s ?p ?o }", "2.5", "1e3", "", "0x2"])
def test_integer_values_are_checked(seeds_store: Store, payload: str) -> None:
    with pytest.raises(QueryError, match=r"parameter 'min_sources'.*not a valid integer"):
        find("tasks-attested-by-several-sources").run(
            seeds_store, {"occupation": "21-1092.00", "min_sources": payload}
        )
    with pytest.raises(QueryError, match="parameter 'min_sources'"):
        find("described-by-sources").run(
            seeds_store, {"occupation": "21-1092.00", "min_sources": payload}
        )


@pytest.mark.parametrize(
    "payload",
    [
        *PAYLOADS,
        "http://x> } UNION { ?s ?p ?o } #",
        GO + "skills/Communication> } UNION { ?s ?p ?o } #",
        GO + "skills/Communication\n",
        "skills/Communication",
    ],
)
def test_iri_values_are_checked(seeds_store: Store, payload: str) -> None:
    with pytest.raises(QueryError, match=r"parameter 'skill'.*not a valid iri"):
        find("occupations-with-skill").run(seeds_store, {"skill": payload})
    with pytest.raises(QueryError, match=r"parameter 'source'.*not a valid iri"):
        find("source-graph").run(seeds_store, {"source": payload})


def test_a_valid_but_odd_iri_is_only_a_value(seeds_store: Store) -> None:
    odd = GO + "skills/Communication%3E%20%7D%20UNION%20%7B%20?s%20?p%20?o%20%7D#x"
    assert rows(seeds_store, "occupations-with-skill", skill=odd) == []
    result = find("source-graph").run(seeds_store, {"source": odd})
    assert isinstance(result, QueryTriples)
    assert list(result) == []


@pytest.mark.parametrize(
    "payload",
    [
        *PAYLOADS,
        '21-1092.00" } UNION { ?s ?p ?o } #',
        "21-1092.00 } UNION { ?s ?p ?o }",
        PROBATION + "> } UNION { ?s ?p ?o } #",
        PROBATION_TITLE + "\n} UNION { ?s ?p ?o }",
    ],
)
def test_occupation_values_are_checked(seeds_store: Store, payload: str) -> None:
    with pytest.raises(QueryError, match="parameter 'occupation'"):
        find("occupation-tasks").run(seeds_store, {"occupation": payload})


def test_an_unknown_occupation_iri_is_only_a_value(seeds_store: Store) -> None:
    nobody = GO + "occupations/Nobody"
    assert rows(seeds_store, "occupation-tasks", occupation=nobody) == []
    assert rows(seeds_store, "competency-statements", occupation=nobody) == []


# -- header and parameter errors -----------------------------------------------------

GOOD_HEADER = """\
#+ title: Tasks
#+ description: The tasks of one occupation.
#+ params:
#+   occupation:
#+     type: occupation
#+     required: true
#+     description: The occupation.
"""
GOOD_BODY = """\
PREFIX occ: <https://graph.org.ai/ontology#>
SELECT ?occupation ?task WHERE { ?occupation occ:hasTask ?task }
"""


def write(tmp_path: Path, text: str, name: str = "bad-query.rq") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_and_runs_as_an_ad_hoc_query(tmp_path: Path, seeds_store: Store) -> None:
    path = write(tmp_path, GOOD_HEADER + GOOD_BODY, "my-tasks.rq")
    query = find(str(path))
    assert query.name == "my-tasks"
    assert len(rows_of(query, seeds_store, occupation="21-1092.00")) > 0


def rows_of(query: SavedQuery, store: Store, **params: str) -> list[Any]:
    result = query.run(store, params)
    assert isinstance(result, QuerySolutions)
    return list(result)


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "#+ title: Tasks\n#+ description: one: two\n" + GOOD_BODY)
    with pytest.raises(QueryError, match="header is not valid YAML") as caught:
        load(path)
    assert caught.value.line == 2
    assert caught.value.path == str(path)


def test_an_unknown_header_key_names_its_line(tmp_path: Path) -> None:
    text = GOOD_HEADER.replace("#+ params:", "#+ author: me\n#+ params:")
    with pytest.raises(QueryError, match="author: Extra inputs are not permitted") as caught:
        load(write(tmp_path, text + GOOD_BODY))
    assert caught.value.line == 3


def test_an_unknown_parameter_type_is_rejected(tmp_path: Path) -> None:
    text = GOOD_HEADER.replace("type: occupation", "type: date")
    with pytest.raises(QueryError, match=r"params\.occupation\.type: Input should be") as caught:
        load(write(tmp_path, text + GOOD_BODY))
    # Somewhere in the parameter's declaration (lines 3 to 5).
    assert caught.value.line is not None
    assert 3 <= caught.value.line <= 5


def test_an_unknown_parameter_type_names_the_type_line(tmp_path: Path) -> None:
    text = GOOD_HEADER.replace("type: occupation", "type: date")
    with pytest.raises(QueryError) as caught:
        load(write(tmp_path, text + GOOD_BODY))
    assert caught.value.line == 5


def test_a_parameter_that_is_not_projected(tmp_path: Path) -> None:
    body = GOOD_BODY.replace("SELECT ?occupation ?task", "SELECT ?task")
    with pytest.raises(QueryError, match="'occupation' must be a projected variable") as caught:
        load(write(tmp_path, GOOD_HEADER + body))
    assert caught.value.line == 4


def test_an_ask_parameter_only_used_in_a_filter_is_not_bound(tmp_path: Path) -> None:
    """pyoxigraph binds a variable only where it is in scope, so described-by-sources
    brings its integer into scope with VALUES."""
    header = GOOD_HEADER + "#+   n:\n#+     type: integer\n#+     description: A number.\n"
    body = "ASK { ?occupation ?p ?o FILTER(?o > ?n) }\n"
    with pytest.raises(QueryError, match="'n' must be a projected variable") as caught:
        load(write(tmp_path, header + body))
    assert caught.value.line == 8


def test_invalid_sparql_names_its_line(tmp_path: Path) -> None:
    body = (
        "PREFIX occ: <https://graph.org.ai/ontology#>\n"  # line 8
        "SELECT ?occupation ?task WHERE {\n"
        '  ?occupation occ:hasTask "unterminated .\n'  # line 10: a string that never ends
        "}\n"
        "ORDER BY ?task\n"
    )
    with pytest.raises(QueryError, match="not valid SPARQL") as caught:
        load(write(tmp_path, GOOD_HEADER + body))
    assert caught.value.line == 10


@pytest.mark.parametrize("name", ["Bad-Query.rq", "bad_query.rq", "badQuery.rq", "bad--query.rq"])
def test_file_names_must_be_lower_case_words_joined_by_dashes(tmp_path: Path, name: str) -> None:
    with pytest.raises(QueryError, match="lower-case words joined by '-'"):
        load(write(tmp_path, GOOD_HEADER + GOOD_BODY, name))


def test_a_missing_required_parameter(seeds_store: Store) -> None:
    with pytest.raises(QueryError, match="needs parameter 'occupation' \\(occupation\\)"):
        find("occupation-tasks").run(seeds_store, {})


def test_an_unknown_parameter(seeds_store: Store) -> None:
    with pytest.raises(QueryError, match="has no parameter 'ocupation' \\(it takes: occupation\\)"):
        find("occupation-tasks").run(seeds_store, {"ocupation": "21-1092.00"})


def test_an_integer_given_in_words(seeds_store: Store) -> None:
    with pytest.raises(QueryError, match="parameter 'min_sources': 'four' is not a valid integer"):
        find("tasks-attested-by-several-sources").run(
            seeds_store, {"occupation": "21-1092.00", "min_sources": "four"}
        )


def test_an_unknown_occupation_title(seeds_store: Store) -> None:
    with pytest.raises(QueryError, match=r"parameter 'occupation'.*no occupation has that title"):
        find("occupation-tasks").run(seeds_store, {"occupation": "Dragon Tamers"})
    with pytest.raises(QueryError, match="no occupation has that code"):
        find("occupation-tasks").run(seeds_store, {"occupation": "99-9999.99"})


def test_a_parameter_name_that_is_no_sparql_variable(tmp_path: Path) -> None:
    text = GOOD_HEADER + "#+   min-sources:\n#+     type: integer\n#+     description: N.\n"
    with pytest.raises(QueryError):
        load(write(tmp_path, text + GOOD_BODY))


def test_a_default_that_does_not_fit_its_type(tmp_path: Path) -> None:
    text = GOOD_HEADER + "#+   n:\n#+     type: integer\n#+     default: two\n"
    body = GOOD_BODY.replace("?task WHERE", "?task ?n WHERE")
    with pytest.raises(QueryError):
        load(write(tmp_path, text + body))


def test_a_key_given_twice_is_an_error(tmp_path: Path) -> None:
    text = GOOD_HEADER.replace("#+ title:", "#+ title: First\n#+ title:", 1)
    with pytest.raises(QueryError, match="'title' is given twice"):
        load(write(tmp_path, text + GOOD_BODY))


def test_a_boolean_is_not_an_integer_default(tmp_path: Path) -> None:
    text = GOOD_HEADER + "#+   n:\n#+     type: integer\n#+     default: true\n"
    body = GOOD_BODY.replace("?task WHERE", "?task ?n WHERE")
    with pytest.raises(QueryError, match=r"params\.n\.default"):
        load(write(tmp_path, text + body))

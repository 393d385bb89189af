"""Property-based fuzzing: arbitrary input never raises anything but InputError, quickly.

Detection and every extractor are called directly on each example (not only the
extractor that detection would pick), so each reader also sees documents of the
other kinds. Returning a record is fine; raising anything but ``InputError`` or
taking longer than the deadline is a bug. The examples are derived from the test
function (``derandomize``), so a CI run tests what a developer's run tested.
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from occugraph.build.extract import competency_framework
from occugraph.build.kinds import detect_kind, extract, kinds
from occugraph.build.sources import decode
from occugraph.errors import InputError

settings.register_profile(
    "fuzz",
    max_examples=60,
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# For a long local hunt: OCCUGRAPH_FUZZ=fuzz-long pytest tests/test_fuzz.py (new examples each run).
settings.register_profile(
    "fuzz-long", settings.get_profile("fuzz"), max_examples=3000, derandomize=False
)
FUZZ = settings.get_profile(os.environ.get("OCCUGRAPH_FUZZ", "fuzz"))

READERS: tuple[Callable[[str], object], ...] = (
    detect_kind,
    extract,
    *(kind.extractor.extract for kind in kinds()),
)


def survives(text: str) -> None:
    """Each reader returns, or refuses the text with an InputError."""
    for read in READERS:
        try:
            read(text)
        except InputError as error:
            assert error.message.strip(), "an error must say what is wrong"
            assert "\n" not in str(error), "an error is one line"


# --- building blocks ------------------------------------------------------------

# Pieces the extractors' patterns look for, so that random text hits their branches.
CHARACTERS = [*"\n\n\n   \t-*•#:.,;!?()[]{}<>/\"'`~|0123456789—–’$£€", "\u00a0", "\x0c"]
PHRASES = [
    "NOC",
    "NOC 2021",
    "(NOC 72200)",
    "72200 - ",
    "4155",
    "Job Title:",
    " Job Description",
    "Duties",
    "Duties:\n",
    "Skills",
    "Requirements:",
    "## ",
    "# ",
    "- ",
    "1. ",
    "  • ",
    "---\n",
    "title: ",
    "code: ",
    "$id: ",
    "<Tasks occupation=",
    '"x"',
    "{",
    " />",
    "They ",
    "ability to ",
    "skills",
    " and ",
    ", ",
    "degree in ",
    "bachelor's degree",
    "$59,860 a year",
    "median",
    "become a ",
    "specialize in ",
    "such as ",
    "background check",
    "U.S. ",
    "e.g. ",
    "Related posts",
    "cookies",
    "12k views",
    "Officers supervise offenders. ",
    "\ufeff",
    "\u2028",
]
tokens = st.lists(st.sampled_from(CHARACTERS + PHRASES) | st.text(max_size=6), max_size=60).map(
    "".join
)
words = st.text(alphabet=string.ascii_letters + " -'’", min_size=1, max_size=20)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["emerging", "advanced", "Level 2", "Wiring — install", "4", ""]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(["label", "statements", "key", "rank", "order", "text", "jobZone"])
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@st.composite
def frameworks(draw: st.DrawFn) -> str:
    """Framework-shaped exports with arbitrary values where the real ones go."""
    levels = draw(
        json_values
        | st.dictionaries(
            words,
            st.fixed_dictionaries(
                {"label": json_values, "statements": st.lists(json_values | words, max_size=4)}
            )
            | json_values,
            max_size=4,
        )
    )
    document: dict[str, Any] = {
        "occupation": draw(
            json_values
            | st.fixed_dictionaries(
                {"soc": json_values, "jobZone": json_values, "sector": json_values}
            )
        ),
        "framework": draw(
            json_values | st.fixed_dictionaries({"version": json_values, "levels": st.just(levels)})
        ),
    }
    if draw(st.booleans()):
        document["sources"] = draw(json_values)
    text = json.dumps(document, indent=draw(st.sampled_from([None, 1])))
    cut = draw(st.integers(min_value=0, max_value=len(text)))
    return text[:cut] if draw(st.booleans()) else text


@st.composite
def valid_frameworks(draw: st.DrawFn) -> dict[str, Any]:
    """A well-formed export whose labels and statements are arbitrary text: the other
    framework property seldom gets past the types, so this one explores what is read."""
    statement = st.text(max_size=120) | st.fixed_dictionaries({"text": st.text(max_size=120)})
    level = st.fixed_dictionaries(
        {"label": st.text(max_size=40), "statements": st.lists(statement, max_size=5)},
        optional={"rank": st.integers(min_value=-3, max_value=9)},
    )
    keys = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=12)
    return {
        "occupation": {
            "soc": draw(st.sampled_from(["47-2111.00", "29-1141.00", "11-1011.03"])),
            "title": draw(st.text(max_size=60)),
        },
        "framework": {
            "version": draw(st.text(string.ascii_letters + string.digits + ".", min_size=1)),
            "levels": draw(st.dictionaries(keys, level, min_size=1, max_size=6)),
        },
    }


yaml_scalars = st.sampled_from(
    [
        "Electricians",
        "47-2111.00",
        "'quoted'",
        '"\\ud800"',
        "yes",
        "~",
        "0x1F",
        "1e999",
        "2024-13-45",
        "2024-02-29",
        "[a, b]",
        "{a: 1}",
        "&x anchored",
        "*x",
        "!!python/object:os.system {}",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "|\n  block",
        ">-\n  folded",
        "[[[[",
        "http://[::1",
        "https://graph.org.ai/occupations/Electricians",
        "9" * 5000,
    ]
)


@st.composite
def onet_pages(draw: st.DrawFn) -> str:
    keys = st.sampled_from(["title", "code", "$id", "$type", "description", "source", "<<"])
    lines = draw(
        st.lists(
            st.tuples(keys | words, yaml_scalars | words | tokens).map(
                lambda kv: f"{kv[0]}: {kv[1]}"
            ),
            max_size=8,
        )
    )
    close = draw(st.sampled_from(["---", "...", ""]))
    body = draw(
        st.lists(
            st.sampled_from(["## Tasks", "# A #", "```", "<Tasks occupation={x} />", "<A b='c'>"])
            | tokens,
            max_size=10,
        )
    )
    return "\n".join(["---", *lines, close, *body])


@st.composite
def noc_profiles(draw: st.DrawFn) -> str:
    code = draw(st.text(alphabet=string.digits, min_size=1, max_size=7))
    header = draw(
        st.sampled_from(
            [
                f"{{t}} (NOC {code})",
                f"NOC 2016 {code} - {{t}}",
                f"{code} - {{t}}",
                f"{{t}} ({code})",
            ]
        )
    ).format(t=draw(words))
    headings = st.sampled_from(
        ["About this job", "Job titles", "Duties", "Work environment", "Career paths", "Skills"]
    )
    lines = st.one_of(
        headings,
        words.map(lambda w: f"  • {w}"),
        words.map(lambda w: f"{w}:"),
        words.map(lambda w: f"    {w}"),
        tokens,
        st.just(""),
    )
    return "\n".join([header, *draw(st.lists(lines, max_size=25))])


@st.composite
def postings(draw: st.DrawFn) -> str:
    """Job descriptions and career articles: headed lists and sentences from their lexicons."""
    sentence = st.lists(st.sampled_from(PHRASES) | words, min_size=1, max_size=12).map(
        lambda parts: " ".join(parts) + "."
    )
    lines = st.one_of(
        st.sampled_from(["Duties:", "## Skills", "Requirements", "What You'll Do", "Career Paths"]),
        sentence,
        sentence.map(lambda s: f"- {s}"),
        st.just(""),
        tokens,
    )
    title = draw(st.sampled_from(["Welder Job Description", "Job Title: Welder", "# Welders", ""]))
    return "\n".join([title, *draw(st.lists(lines, max_size=30))])


# --- the properties ---------------------------------------------------------------


@FUZZ
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    survives(text)


@FUZZ
@given(tokens)
def test_text_made_of_what_the_patterns_look_for(text: str) -> None:
    survives(text)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_through_decode(data: bytes) -> None:
    try:
        text = decode(data)
    except InputError:
        return
    survives(text)


@FUZZ
@given(json_values)
def test_bare_json_values(value: object) -> None:
    survives(json.dumps(value))


@FUZZ
@given(frameworks())
def test_framework_shaped_json(text: str) -> None:
    survives(text)


@FUZZ
@given(valid_frameworks())
def test_a_well_formed_framework_is_read_whatever_its_text(document: dict[str, Any]) -> None:
    record = competency_framework.extract(json.dumps(document))
    levels = document["framework"]["levels"]
    assert sorted(level.key for level in record.levels) == sorted(levels)
    stated = sum(
        1
        for body in levels.values()
        for item in body["statements"]
        if " ".join((item["text"] if isinstance(item, dict) else item).split())
    )
    assert sum(len(level.statements) for level in record.levels) == stated
    survives(json.dumps(document))


@FUZZ
@given(onet_pages())
def test_frontmatter_with_arbitrary_keys_and_values(text: str) -> None:
    survives(text)


@FUZZ
@given(noc_profiles())
def test_noc_like_text(text: str) -> None:
    survives(text)


@FUZZ
@given(postings())
def test_posting_and_article_like_text(text: str) -> None:
    survives(text)


@settings(FUZZ, max_examples=20)
@given(
    st.lists(st.sampled_from(CHARACTERS + PHRASES), min_size=1, max_size=3).map("".join),
    st.integers(min_value=1, max_value=100_000),
)
def test_one_piece_repeated_into_a_long_line(piece: str, length: int) -> None:
    """Catastrophic backtracking shows on long runs of one character or pattern."""
    survives(piece * (length // len(piece) + 1))

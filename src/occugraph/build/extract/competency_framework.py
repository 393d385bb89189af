"""Competency-framework exports: JSON with an occupation, proficiency levels and statements.

Two things need care beyond reading JSON (RFC 8259). JSON objects are unordered,
so the levels' progression is never taken from key order when anything better is
known: an explicit order field, else a table of well-known proficiency scales.
And statements read "object — performance, context"; the dash splits what the
competency is about from what is done with it.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

from occugraph.build.extract import Extractor
from occugraph.build.extract.located_json import Path, Reader, dotted
from occugraph.build.extract.text import clean, strip_bom
from occugraph.build.records.competency_framework import (
    CompetencyFramework,
    CompetencyStatement,
    FrameworkOccupation,
    ProficiencyLevel,
)
from occugraph.errors import InputError

KIND = "competency-framework"

# How much of the start to sniff: enough for the occupation block that precedes the framework.
_SNIFF_CHARS = 4000
_FRAMEWORK_KEY = re.compile(r'"framework"\s*:')
_LEVELS_KEY = re.compile(r'"levels"\s*:')
_STATEMENTS_KEY = re.compile(r'"(?:statements|occupation)"\s*:')
# A spaced em or en dash is the export's separator; a spaced hyphen is the fallback.
_DASH = re.compile("\\s+[\u2014\u2013]\\s+")  # em dash, en dash
_HYPHEN = re.compile(r"\s+--?\s+")
_MAX_LEVELS = 100  # real scales have 3 to 10; thousands would only cost time
_ORDER_FIELDS = ("order", "rank", "position", "level", "index", "sequence", "ordinal")
_NUMBERED = re.compile(r"^(?:level|lvl|l|tier|stage|band|grade|step)?\s*(\d{1,3})$")

# Well-known proficiency scales, lowest first; '|' separates names of the same rank.
_SCALES: tuple[tuple[frozenset[str], ...], ...] = tuple(
    tuple(frozenset(rank.strip().split("|")) for rank in scale.split("<"))
    for scale in (
        "emerging < developing < proficient < advanced < expert|leading|mastery",
        "novice < advanced beginner < competent < proficient < expert",
        "beginner|foundational|foundation|basic|fundamental|elementary < intermediate"
        " < advanced < expert|master|mastery",
        "awareness|aware < working|working knowledge < practitioner < expert",
        "entry|entry level|junior < intermediate|mid|mid level < senior|experienced"
        " < lead|principal|expert",
        "low|basic < medium|moderate < high",
    )
)


def looks_like(text: str) -> bool:
    """True for a JSON object that mentions a framework or proficiency levels near its start.

    Only the start is read, so a truncated export is still recognised and then
    reported as truncated by ``extract``.

    >>> looks_like('{"framework": {"version": "1", "levels": {')
    True
    >>> looks_like('{"type": "FeatureCollection", "features": []}')
    False
    """
    head = strip_bom(text).lstrip()[:_SNIFF_CHARS]
    if not head.startswith("{"):
        return False
    if _FRAMEWORK_KEY.search(head):
        return True
    return bool(_LEVELS_KEY.search(head) and _STATEMENTS_KEY.search(head))


def extract(text: str) -> CompetencyFramework:
    """Read a competency-framework export, levels lowest first.

    >>> fw = extract('{"occupation": {"soc": "47-2111.00"},'
    ...              '"framework": {"version": "2", "levels": {'
    ...              '"advanced": {"label": "Advanced", "statements": []},'
    ...              '"emerging": {"label": "Emerging", "statements": ["Wiring — install"]}}}}')
    >>> [level.key for level in fw.levels], fw.levels[0].statements[0].performance_phrase
    (['emerging', 'advanced'], 'install')

    :raises InputError: for invalid JSON, a value of the wrong type or a missing part
        (the occupation, the framework or its version), naming its path and line.
    """
    reader = Reader(strip_bom(text))
    root = reader.parse()
    reader.expect(root, dict, (), "an object")
    warnings: list[str] = []
    stated = root.get("occupation")
    occupation = _occupation(reader, {} if stated is None else stated)
    framework = root.get("framework")
    if framework is None:
        raise InputError("no 'framework' object in the export", line=1)
    reader.expect(framework, dict, ("framework",), "an object")
    version = reader.text(framework.get("version"), ("framework", "version"), numbers=True)
    if not version:
        raise InputError("framework.version: missing", line=reader.line(("framework",)))
    levels = _levels(reader, framework.get("levels"), warnings)
    if stated is None:
        # Checked last, so the rest is still read (and its faults reported) first. An
        # export about no occupation has nothing to hang on: building it would make one up.
        raise InputError(
            "occupation: missing (the export names no occupation object)", line=reader.line(())
        )
    return CompetencyFramework(
        schema_version=reader.text(root.get("schemaVersion"), ("schemaVersion",), numbers=True),
        exported_at=reader.text(root.get("exportedAt"), ("exportedAt",)),
        occupation=occupation,
        version=version,
        description=reader.text(framework.get("description"), ("framework", "description")),
        scope=reader.text(framework.get("contextCovered"), ("framework", "contextCovered")),
        levels=levels,
        sources=_sources(reader, root.get("sources")),
        attribution=reader.text(root.get("attribution"), ("attribution",)),
        warnings=warnings,
    )


def split_statement(text: str) -> tuple[str, str | None]:
    """Split "object — performance, context" at its first spaced em or en dash.

    A spaced hyphen is the fallback only, since object phrases can hold one.

    >>> split_statement("Wiring diagrams \u2013 read and interpret, on site")
    ('Wiring diagrams', 'read and interpret, on site')
    >>> split_statement("Safety awareness")
    ('Safety awareness', None)
    """
    match = _DASH.search(text) or _HYPHEN.search(text)
    if match is None:
        return text, None
    head, tail = text[: match.start()].strip(), text[match.end() :].strip()
    if not head:
        return text, None
    return head, tail or None


class _Level(NamedTuple):
    key: str
    label: str
    statements: list[CompetencyStatement]
    order: dict[str, float]  # the level's numeric order fields, e.g. {"rank": 2.0}


def _occupation(reader: Reader, value: Any) -> FrameworkOccupation:
    reader.expect(value, dict, ("occupation",), "an object")

    def text(key: str, *, numbers: bool = False) -> str | None:
        return reader.text(value.get(key), ("occupation", key), numbers=numbers)

    return FrameworkOccupation(
        soc=text("soc"),
        title=text("title"),
        group=text("group"),
        sector=text("sector", numbers=True),
        job_zone=_job_zone(reader, value.get("jobZone")),
        job_zone_inferred=_flag(reader, value.get("jobZoneInferred")),
    )


def _job_zone(reader: Reader, value: Any) -> int | None:
    """O*NET job zones run 1-5; exports write them as numbers or numeric strings."""
    if value is None:
        return None
    zone: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        zone = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,3}\s*", value)
    ):
        zone = int(value)
    if zone is None or not 1 <= zone <= 5:
        raise reader.fail(("occupation", "jobZone"), "an integer 1-5", value)
    return zone


def _flag(reader: Reader, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise reader.fail(("occupation", "jobZoneInferred"), "true or false", value)


def _sources(reader: Reader, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    reader.expect(value, dict, ("sources",), "an object of names to text")
    sources: dict[str, str] = {}
    for key, item in value.items():
        text = reader.text(item, ("sources", key), numbers=True)
        if text is not None:
            sources[key] = text
    return sources


def _levels(reader: Reader, value: Any, warnings: list[str]) -> list[ProficiencyLevel]:
    """Levels in progression order, from a key->level object or a list of levels."""
    path: Path = ("framework", "levels")
    if value is None:
        raise InputError("framework.levels: missing", line=reader.line(("framework",)))
    if isinstance(value, dict):
        entries = [((*path, key), key, body) for key, body in value.items()]
    elif isinstance(value, list):
        entries = [((*path, i), None, body) for i, body in enumerate(value)]
    else:
        raise reader.fail(path, "an object of levels or a list of levels", value)
    if not entries:
        raise InputError("framework.levels: no levels", line=reader.line(path))
    if len(entries) > _MAX_LEVELS:
        raise InputError(
            f"framework.levels: {len(entries):,} levels; a proficiency scale has at most "
            f"{_MAX_LEVELS}",
            line=reader.line(path),
        )
    levels = [_level(reader, where, key, body) for where, key, body in entries]
    keys = [level.key for level in levels]
    seen: set[str] = set()
    for where, key in zip((where for where, _, _ in entries), keys, strict=True):
        if key in seen:  # the key names the level's statements in their identifiers
            raise InputError(
                f"framework.levels: duplicate level key {key!r}", line=reader.line(where)
            )
        seen.add(key)
    order, how = _progression(levels)
    if how is None and isinstance(value, dict):
        warnings.append(
            "levels kept in document order: no order field and no known proficiency scale "
            f"fits {', '.join(keys)}"
        )
    return [
        ProficiencyLevel(key=level.key, label=level.label, position=n, statements=level.statements)
        for n, level in enumerate((levels[i] for i in order), start=1)
    ]


def _level(reader: Reader, path: Path, key: str | None, body: Any) -> _Level:
    if isinstance(body, list):  # A bare list of statements under its key.
        body = {"statements": body}
        statements_path: Path = path
    else:
        reader.expect(body, dict, path, "an object with a label and statements")
        statements_path = (*path, "statements")
    label = reader.text(
        body.get("label") or body.get("name") or body.get("title"), (*path, "label")
    )
    if key is None:
        key = reader.text(body.get("key") or body.get("id"), (*path, "key"), numbers=True)
        if key is None and label:
            key = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        if not key:
            raise InputError(
                f"{dotted(path)}: a level needs a key or a label", line=reader.line(path)
            )
    raw = body.get("statements", [])
    reader.expect(raw, list, statements_path, "a list of statements")
    statements: list[CompetencyStatement] = []
    for i, item in enumerate(raw):
        text = _statement_text(reader, item, (*statements_path, i))
        if text:
            object_phrase, performance = split_statement(text)
            statements.append(
                CompetencyStatement(
                    position=len(statements) + 1,
                    text=text,
                    object_phrase=object_phrase,
                    performance_phrase=performance,
                )
            )
    label = label or key.replace("-", " ").replace("_", " ").title()
    return _Level(key, label, statements, _order_values(body))


def _statement_text(reader: Reader, item: Any, path: Path) -> str | None:
    if isinstance(item, dict):
        for field in ("text", "statement", "description"):
            if field in item:
                return reader.text(item[field], (*path, field))
        raise reader.fail(path, 'a string or an object with "text"', item)
    if not isinstance(item, str):
        raise reader.fail(path, 'a string or an object with "text"', item)
    return clean(item) or None


def _order_values(body: dict[str, Any]) -> dict[str, float]:
    """The level's numeric order fields (numbers or numeric strings)."""
    values: dict[str, float] = {}
    for field in _ORDER_FIELDS:
        value = body.get(field)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) or (
            isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+(?:\.[0-9]+)?\s*", value)
        ):
            try:
                number = float(value)
            except OverflowError:  # an integer beyond any float
                continue
            if math.isfinite(number):  # NaN and Infinity order nothing
                values[field] = number
    return values


def _progression(levels: list[_Level]) -> tuple[list[int], str | None]:
    """Indices of the levels lowest first, and what decided the order (None: nothing)."""
    document = list(range(len(levels)))
    for field in _ORDER_FIELDS:
        if all(field in level.order for level in levels):
            return sorted(document, key=lambda i: levels[i].order[field]), field
    ranks = _scale_ranks(levels)
    if ranks is not None:
        return sorted(document, key=lambda i: ranks[i]), "scale"
    return document, None


def _scale_ranks(levels: list[_Level]) -> list[int] | None:
    """Each level's rank in the first known scale that names every level exactly once.

    Numbered levels ("Level 1", "L2") are a scale of their own.
    """
    names = [{_normal(level.key), _normal(level.label)} for level in levels]
    numbered = [_number(level_names) for level_names in names]
    if all(n is not None for n in numbered) and len(set(numbered)) == len(numbered):
        return [n for n in numbered if n is not None]
    for scale in _SCALES:
        ranks = [
            next((rank for rank, known in enumerate(scale) if level_names & known), None)
            for level_names in names
        ]
        if None not in ranks and len(set(ranks)) == len(ranks):
            return [rank for rank in ranks if rank is not None]
    return None


def _number(names: set[str]) -> int | None:
    for name in names:
        match = _NUMBERED.match(name)
        if match:
            return int(match.group(1))
    return None


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


EXTRACTOR = Extractor(
    kind=KIND, record=CompetencyFramework, precedence=20, looks_like=looks_like, extract=extract
)

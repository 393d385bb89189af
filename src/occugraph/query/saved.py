"""Saved queries: ``.rq`` files with a typed header, run with bound parameters.

occugraph's own are the project's ``queries/`` folder (shipped in the package); a user adds
folders of their own (``--queries``), read the same way.

The header is YAML in ``#+`` comment lines, in the style of grlc, and declares a
title, a description and typed parameters. Parameter values are turned into RDF
terms and bound by the engine (pyoxigraph ``substitutions``, SPARQL SEP-0007),
never pasted into the query text, so a value can only ever be a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Protocol
from typing import Literal as Choice

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
    Variable,
)

from occugraph.build.link import title_tokens, title_variants
from occugraph.errors import OccugraphError
from occugraph.files import SAVED_QUERIES, own_query

QUERIES_DIR = SAVED_QUERIES

ParameterType = Choice["iri", "string", "integer", "langstring", "occupation"]

_HEADER = re.compile(r"^#\+ ?(.*)$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VARIABLE = r"^[A-Za-z_][A-Za-z0-9_]*$"
_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_LANGSTRING = re.compile(r"^(.*)@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$", re.DOTALL)

DEFAULT_LANGUAGE = "en"
"""The language of a langstring value given without one ('electrician' is 'electrician@en')."""

QueryResult = QuerySolutions | QueryBoolean | QueryTriples
Bindings = dict[Variable, NamedNode | BlankNode | Literal | Triple]


class Queryable(Protocol):
    """What binding parameters needs of a store: pyoxigraph's ``Store``, or a remote
    store (:class:`occugraph.remote.RemoteStore`)."""

    def query(
        self,
        query: str,
        /,
        *,
        use_default_graph_as_union: bool = False,
        substitutions: Bindings | None = None,
    ) -> QueryResult: ...

    def __len__(self) -> int: ...


class QueryError(OccugraphError):
    """A saved query that cannot be read, or a parameter value that does not fit."""


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ParameterType = Field(
        description="iri, string, integer, langstring ('text@fr', or 'text' in English), "
        "or occupation "
        "(an IRI, an O*NET-SOC code or a title, resolved to the occupation's IRI)."
    )
    description: str = ""
    required: bool = False
    default: StrictStr | StrictInt | None = None

    @model_validator(mode="after")
    def _default_fits_type(self) -> Parameter:
        """A default is checked like a given value, at load time rather than at run time."""
        if self.default is None:
            return self
        if self.type == "integer" and not re.fullmatch(r"[+-]?\d+", str(self.default)):
            raise ValueError(f"default {self.default!r} is not an integer")
        if self.type != "integer" and not isinstance(self.default, str):
            raise ValueError(f"default {self.default!r} is not text")
        if self.type == "iri":
            NamedNode(str(self.default))  # raises ValueError for an invalid IRI
        return self


class SavedQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The file name without '.rq': how users call it.")
    title: str = ""
    description: str = ""
    params: dict[Annotated[str, StringConstraints(pattern=_VARIABLE)], Parameter] = Field(
        default_factory=dict, description="Each name is a SPARQL variable of the query."
    )
    text: str = Field(description="The whole file, header included (it is only comments).")
    path: str

    def bind(self, store: Queryable, values: Mapping[str, str]) -> Bindings:
        """Typed RDF terms for the given values and the declared defaults."""
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {unknown[0]!r} "
                f"(it takes: {', '.join(self.params) or 'none'})"
            )
        bound: Bindings = {}
        for name, parameter in self.params.items():
            value = values.get(name, parameter.default)
            if value is None:
                if parameter.required:
                    raise QueryError(
                        f"query {self.name!r} needs parameter {name!r} "
                        f"({parameter.type}): {parameter.description}"
                    )
                continue
            bound[Variable(name)] = _term(store, name, parameter.type, str(value))
        return bound

    def run(self, store: Store, values: Mapping[str, str]) -> QueryResult:
        result: QueryResult = store.query(
            self.text, substitutions=self.bind(store, values), use_default_graph_as_union=True
        )
        return result


def _term(store: Queryable, name: str, kind: str, value: str) -> NamedNode | Literal:
    try:
        if kind == "iri":
            return NamedNode(value)
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise ValueError("not a whole number")
            return Literal(
                str(int(value)), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            )
        if kind == "langstring":
            match = _LANGSTRING.match(value)
            if match is None:
                return Literal(value, language=DEFAULT_LANGUAGE)
            return Literal(match[1], language=match[2])
        if kind == "occupation":
            return resolve_occupation(store, value)
        return Literal(value)
    except ValueError as error:
        raise QueryError(f"parameter {name!r}: {value!r} is not a valid {kind} ({error})") from None


def canonical(store: Queryable, iri: NamedNode) -> NamedNode | None:
    """The IRI that ``iri`` is another name of, if it is an alias (owl:sameAs)."""
    result = store.query(
        own_query("canonical"),
        use_default_graph_as_union=True,
        substitutions={Variable("alias"): iri},
    )
    assert isinstance(result, QuerySolutions)
    found = next(iter(result), None)
    node = None if found is None else found["canonical"]
    return node if isinstance(node, NamedNode) else None


def resolve_occupation(store: Queryable, value: str) -> NamedNode:
    """An occupation given as an IRI (its own or an alias), an O*NET-SOC code or its
    title, as its IRI: what ``describe``, an ``occupation`` parameter of a saved query (on
    the command line and the server) and the server's pages all take.

    A title is compared as the build compares titles (case, accents, apostrophes and
    plurals aside: :func:`title_tokens`), with the occupations' own titles first, then the
    job titles the build resolved to an occupation (:func:`title_variants`: "charge
    nurse" is one of NOC's "nurse, registered - charge nurse").
    """
    if re.match(r"^https?://", value):
        given = NamedNode(value)
        return canonical(store, given) or given
    key = value.strip()
    found = _by_code(store, key) if _CODE.match(key) else _by_title(store, key)
    if len(found) != 1:
        what = "code" if _CODE.match(key) else "title"
        raise ValueError(
            f"no occupation has that {what}"
            if not found
            else f"{len(found)} occupations have that {what}"
        )
    return NamedNode(found[0])


def _by_code(store: Queryable, code: str) -> list[str]:
    """The occupations whose O*NET-SOC code is ``code``."""
    result = store.query(
        own_query("find-occupation"),
        use_default_graph_as_union=True,
        substitutions={Variable("key"): Literal(code)},
    )
    assert isinstance(result, QuerySolutions)
    return sorted({row["occupation"].value for row in result})


def _by_title(store: Queryable, title: str) -> list[str]:
    """The occupations a title names, from the first tier that has any: an occupation's
    own label as given (case aside), then as the build compares titles, then a job title
    the build resolved to it. One scan of the labels serves all three."""
    result = store.query(own_query("occupation-labels"), use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    wanted, tokens = title.casefold(), title_tokens(title)
    tiers: list[set[str]] = [set(), set(), set()]
    for row in result:
        label, occupation = row["label"].value, row["occupation"].value
        if row["tier"].value == "1":
            if label.casefold() == wanted:
                tiers[0].add(occupation)
            if tokens and title_tokens(label) == tokens:
                tiers[1].add(occupation)
        elif tokens and tokens in title_variants(label):
            tiers[2].add(occupation)
    return sorted(next((tier for tier in tiers if tier), set()))


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        for key in keys:
            if keys.count(key) > 1:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is given twice", node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


def load(path: Path) -> SavedQuery:
    """Read and check one saved query; errors name the file and the line."""
    text = path.read_text(encoding="utf-8")
    header_lines: list[str] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match is None:
            break
        header_lines.append(match[1])
    name = path.stem
    if not _NAME.match(name):
        raise QueryError(
            "a saved query's file name must be lower-case words joined by '-'", path=str(path)
        )
    try:
        header = yaml.load("\n".join(header_lines), Loader=_UniqueKeyLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise QueryError(
            f"header is not valid YAML: {getattr(error, 'problem', error)}",
            path=str(path),
            line=mark.line + 1 if mark else 1,
        ) from None
    if not isinstance(header, dict):
        raise QueryError("header must be '#+ key: value' lines", path=str(path), line=1)
    try:
        query = SavedQuery(name=name, text=text, path=str(path), **header)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise QueryError(
            f"header: {where}: {first['msg']}",
            path=str(path),
            line=_line_of(header_lines, *map(str, first["loc"])),
        ) from None
    _check_against_empty_store(query, header_lines)
    return query


def _check_against_empty_store(query: SavedQuery, header_lines: list[str]) -> None:
    """Parse the query, with every parameter bound, before anyone runs it."""
    dummy: Bindings = {Variable(name): Literal("") for name in query.params}
    try:
        Store().query(query.text, substitutions=dummy, use_default_graph_as_union=True)
    except SyntaxError as error:
        where = re.search(r"at (\d+):\d+", str(error))
        raise QueryError(
            f"not valid SPARQL: {error}", path=query.path, line=int(where[1]) if where else None
        ) from None
    except RuntimeError as error:
        # pyoxigraph binds only variables a SELECT projects (SEP-0007).
        missing = next((n for n in query.params if f"?{n} " in f"{error} "), None)
        raise QueryError(
            f"parameter {missing!r} must be a projected variable of the query ({error})",
            path=query.path,
            line=_line_of(header_lines, missing or "params"),
        ) from None


def _line_of(header_lines: list[str], *path: str) -> int:
    """The header line of a key, following its path ('params', 'n', 'type') down the YAML."""
    found, start = 1, 0
    for key in path:
        for number in range(start, len(header_lines)):
            if re.match(rf"^\s*{re.escape(key)}\s*:", header_lines[number]):
                found, start = number + 1, number + 1
                break
    return found


class QueryLibrary:
    """The saved queries: occugraph's own, then those in folders a user adds (``--queries``).

    A user's query replaces occugraph's own of the same name, so one can be adapted
    without copying the others; two of a user's folders may not both name one query.
    Each query is read and checked once, and again only when its file changes (reading
    and checking costs about 2 ms, more than running a small query).
    """

    def __init__(self, folders: Sequence[Path] = ()) -> None:
        for folder in folders:
            if not folder.is_dir():
                raise QueryError("no such folder of saved queries", path=str(folder))
        self.folders = (QUERIES_DIR, *folders)
        self._read: dict[Path, tuple[int, SavedQuery]] = {}

    def paths(self) -> dict[str, Path]:
        """Every saved query's file, by name."""
        found: dict[str, Path] = {}
        users: dict[str, Path] = {}
        for folder in self.folders:
            for path in sorted(folder.glob("*.rq")):
                if folder != QUERIES_DIR:
                    if path.stem in users:
                        raise QueryError(
                            f"saved query {path.stem!r} is also {users[path.stem]}", path=str(path)
                        )
                    users[path.stem] = path
                found[path.stem] = path
        return dict(sorted(found.items()))

    def all(self) -> dict[str, SavedQuery]:
        return {name: self._load(path) for name, path in self.paths().items()}

    def find(self, name_or_path: str) -> SavedQuery:
        """A saved query by name, or any ``.rq`` file by path."""
        path = Path(name_or_path)
        if path.suffix == ".rq" and path.exists():
            return load(path)
        if _NAME.match(name_or_path):
            for folder in reversed(self.folders):
                candidate = folder / f"{name_or_path}.rq"
                if candidate.exists():
                    return self._load(candidate)
        known = ", ".join(self.paths())
        raise QueryError(f"no saved query named {name_or_path!r} (known: {known})")

    def _load(self, path: Path) -> SavedQuery:
        stamp = path.stat().st_mtime_ns
        kept = self._read.get(path)
        if kept is None or kept[0] != stamp:
            kept = self._read[path] = (stamp, load(path))
        return kept[1]


def saved_queries(folders: Sequence[Path] = ()) -> dict[str, SavedQuery]:
    """Every saved query, by name (occugraph's own and those in ``folders``)."""
    return QueryLibrary(folders).all()


def find(name_or_path: str, folders: Sequence[Path] = ()) -> SavedQuery:
    """A saved query by name (occugraph's own or one in ``folders``), or a file by path."""
    return QueryLibrary(folders).find(name_or_path)

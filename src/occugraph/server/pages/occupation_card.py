"""The occupation card: the saved queries' rows shaped into the page's sections.

Pure functions from rows (``{variable: value}``) to a typed payload the
``occupation.html`` template renders: the card, competency statements by level,
skills and tasks with the sources that attest them, NOC equivalents with their job
titles, salaries, provenance, and the neighbourhood diagram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup
from pyoxigraph import Literal, NamedNode, Triple

from occugraph.server.pages.diagram import Edge, Node, neighbourhood
from occugraph.server.pages.resource import alternates, href
from occugraph.vocabulary import LABEL, OCC

Row = dict[str, str]

RESOLVED_BY = {
    "code": "by its O*NET-SOC code",
    "title": "by its title",
    "job-title": "by a job title it uses",
    "noc-code": "by the NOC code of an equivalent unit group",
    "noc-concordance": "by a NOC 2016 code, through the NOC 2021 group that replaced it",
    "autocoder": "by the O*NET occupation its title and duties are most like",
    "shared-id": "by a thing it describes that another document ties to this occupation",
    "mentions": "by the occupations its text mentions",
}

DOMAINS = {
    "skill": "Skills",
    "knowledge": "Knowledge",
    "ability": "Abilities",
    "work activity": "Work activities",
}


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None
    file: str = ""  # the source document that names it, where that matters


@dataclass(frozen=True)
class SourceRef:
    kind: str
    file: str
    href: str | None
    role: str = ""


@dataclass(frozen=True)
class Statement:
    href: str | None
    position: int
    text: str
    object: str
    performance: str


@dataclass(frozen=True)
class Level:
    rank: int
    label: str
    href: str | None
    statements: list[Statement]


@dataclass(frozen=True)
class Framework:
    href: str | None
    version: str
    progression: str
    levels: list[Level]


@dataclass
class Attested:
    """A skill (or other element) or a task, with the sources that state it."""

    text: str
    href: str | None
    onet_id: str = ""
    sources: list[SourceRef] = field(default_factory=list)
    kind: str = ""
    """For an O*NET task: Core or Supplemental."""


@dataclass(frozen=True)
class Product:
    """A technology or tool the occupation uses."""

    name: str
    href: str | None
    hot: bool
    in_demand: bool
    commodity: Link | None


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    items: list[Attested]


@dataclass
class NocGroup:
    version: str
    code: str
    title: str
    href: str | None
    titles: list[Link] = field(default_factory=list)
    profile: SourceRef | None = None


@dataclass(frozen=True)
class Salary:
    amount: str
    currency: str
    period: str
    statistic: str
    approximate: bool
    publisher: str
    text: str
    href: str | None
    source: SourceRef


@dataclass(frozen=True)
class Provenance:
    source: SourceRef
    resolved_by: str
    how: str
    built_at: str
    triples: str
    tasks: str
    skills: str


@dataclass
class OccupationPage:
    iri: str
    href: str | None
    title: str
    code: str
    descriptions: list[str]
    job_zone: Link | None
    industry: Link | None
    group: str
    stated_titles: list[str]
    frameworks: list[Framework]
    domains: list[Domain]
    tasks: list[Attested]
    technologies: list[Product]
    tools: list[Product]
    nocs: list[NocGroup]
    own_titles: list[Link]
    salaries: list[Salary]
    sources: list[Provenance]
    alternates: list[tuple[str, str]]
    diagram: Markup = field(default_factory=Markup)


def source_ref(row: Row) -> SourceRef:
    source = row.get("source")
    return SourceRef(
        row.get("sourceKind", ""), row.get("file", ""), href(source) if source else None
    )


def occupation_page(
    node: NamedNode, triples: list[Triple], rows: dict[str, list[Row]]
) -> OccupationPage:
    """The page's payload, from the resource's description and the saved queries' rows."""
    own: dict[str, list[Triple]] = {}
    for t in triples:
        if t.subject == node:
            own.setdefault(t.predicate.value, []).append(t)
    labels = {
        t.subject.value: t.object.value
        for t in triples
        if t.predicate == LABEL
        and isinstance(t.object, Literal)
        and isinstance(t.subject, NamedNode)
    }

    def literals(predicate: str) -> set[str]:
        return {
            t.object.value for t in own.get(OCC + predicate, []) if isinstance(t.object, Literal)
        }

    def linked(predicate: str) -> Link | None:
        found = [t.object for t in own.get(OCC + predicate, []) if isinstance(t.object, NamedNode)]
        if not found:
            return None
        return Link(labels.get(found[0].value, found[0].value), href(found[0].value))

    card = rows["card"][0] if rows["card"] else {}
    # Queries that name a source only by its file name link it through the provenance rows.
    files = {r["file"]: source_ref(r) for r in rows["provenance"] if r.get("file")}
    title = card.get("title") or labels.get(node.value) or node.value.rsplit("/", 1)[-1]
    page = OccupationPage(
        iri=node.value,
        href=href(node.value),
        title=title,
        code=card.get("code", ""),
        descriptions=list(
            dict.fromkeys(r["description"] for r in rows["card"] if r.get("description"))
        ),
        job_zone=linked("jobZone"),
        industry=linked("industry"),
        group=", ".join(sorted(literals("occupationGroup"))),
        stated_titles=sorted(
            literals("statedTitle") - {title} - {r["title"] for r in own_titles(node, rows)}
        ),
        frameworks=frameworks(rows["statements"], rows["levels"]),
        domains=domains(rows["skills"]),
        tasks=tasks(rows["tasks"], rows["onet_tasks"]),
        technologies=products(rows["products"], "technology"),
        tools=products(rows["products"], "tool"),
        nocs=noc_groups(rows["noc"], files),
        own_titles=[
            Link(r["title"], href(r["jobTitle"]), r.get("file", "")) for r in own_titles(node, rows)
        ],
        salaries=[
            Salary(
                amount=amount(row["amount"]),
                currency=row.get("currency", ""),
                period=row.get("period", ""),
                statistic=row.get("statistic", ""),
                approximate=row.get("approximate") == "true",
                publisher=row.get("publisher", ""),
                text=row.get("text", ""),
                href=href(row["figure"]) if row.get("figure") else None,
                source=files.get(row.get("file", ""))
                or SourceRef(row.get("sourceKind", ""), row.get("file", ""), None),
            )
            for row in rows["salaries"]
        ],
        sources=[
            Provenance(
                source=source_ref(row),
                resolved_by=row.get("resolvedBy", ""),
                how=RESOLVED_BY.get(row.get("resolvedBy", ""), row.get("resolvedBy", "")),
                built_at=row.get("builtAt", ""),
                triples=row.get("triples", ""),
                tasks=row.get("tasks", "0"),
                skills=row.get("skills", "0"),
            )
            for row in rows["provenance"]
        ],
        alternates=alternates(),
    )
    page.diagram = Markup(diagram(page))  # built by diagram.py, which escapes every label
    return page


def amount(value: str) -> str:
    """
    >>> amount("59860"), amount("21.5"), amount("n/a")
    ('59,860', '21.50', 'n/a')
    """
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"


def own_titles(node: NamedNode, rows: dict[str, list[Row]]) -> list[Row]:
    """Job titles sources use for the occupation itself (not for its NOC groups)."""
    return [r for r in rows["titles"] if r.get("listedBy") == node.value]


def frameworks(statements: list[Row], levels: list[Row]) -> list[Framework]:
    """Frameworks, each with its levels in progression order and their statements in order."""
    level_iris = {(r["framework"], r["level"]): r["levelIri"] for r in levels}
    progression = {r["framework"]: r.get("progression", "") for r in levels}
    versions: dict[str, str] = {}
    grouped: dict[str, dict[tuple[int, str], list[Statement]]] = {}
    for row in statements:
        versions[row["framework"]] = row.get("version", "")
        grouped.setdefault(row["framework"], {}).setdefault(
            (int(row["rank"]), row["level"]), []
        ).append(
            Statement(
                href(row["statement"]),
                int(row["position"]),
                row["statementText"],
                row.get("objectPhrase", ""),
                row.get("performancePhrase", ""),
            )
        )
    return [
        Framework(
            href(iri),
            versions[iri],
            progression.get(iri, ""),
            [
                Level(
                    rank,
                    label,
                    href(level_iris[(iri, label)]) if (iri, label) in level_iris else None,
                    sorted(items, key=lambda s: s.position),
                )
                for (rank, label), items in sorted(by_level.items())
            ],
        )
        for iri, by_level in grouped.items()
    ]


def domains(rows: list[Row]) -> list[Domain]:
    """Skills, knowledge, abilities and activities by domain, each with its sources."""
    grouped: dict[str, dict[str, Attested]] = {}
    for row in rows:
        element = grouped.setdefault(row["domain"], {}).setdefault(
            row["element"],
            Attested(
                row.get("label") or row["element"].rsplit("/", 1)[-1],
                href(row["element"]),
                row.get("onetId", ""),
            ),
        )
        element.sources.append(source_ref(row))
    order = list(DOMAINS)
    return [
        Domain(key, DOMAINS.get(key, key.capitalize()), list(items.values()))
        for key, items in sorted(
            grouped.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0])
        )
    ]


TASK_TYPES = {"Core": 0, "Supplemental": 1}


def tasks(rows: list[Row], onet: list[Row]) -> list[Attested]:
    """One entry per task with every source that states it: O*NET's Core tasks first, then
    its Supplemental ones, then the rest, most widely attested first."""
    types = {row["task"]: (row.get("taskType", ""), row.get("taskId", "")) for row in onet}
    found: dict[str, Attested] = {}
    for row in rows:
        kind, onet_id = types.get(row["task"], ("", ""))
        task = found.setdefault(
            row["task"], Attested(row["text"], href(row["task"]), onet_id, kind=kind)
        )
        ref = source_ref(row)
        task.sources.append(SourceRef(ref.kind, ref.file, ref.href, row.get("subRole", "")))
    return sorted(
        found.values(),
        key=lambda t: (TASK_TYPES.get(t.kind, 2), -len(t.sources), t.text.lower()),
    )


def products(rows: list[Row], category: str) -> list[Product]:
    """The technologies or the tools, in the order of the ``occupation-products`` query."""
    return [
        Product(
            row["name"],
            href(row["item"]),
            row.get("hot") == "true",
            row.get("inDemand") == "true",
            Link(row.get("commodityTitle", ""), href(row["commodity"]))
            if row.get("commodity")
            else None,
        )
        for row in rows
        if row.get("category") == category
    ]


def noc_groups(rows: list[Row], files: dict[str, SourceRef]) -> list[NocGroup]:
    found: dict[str, NocGroup] = {}
    for row in rows:
        group = found.setdefault(
            row["noc"],
            NocGroup(
                row.get("version", ""),
                row.get("nocCode", ""),
                row.get("nocTitle", ""),
                href(row["noc"]),
            ),
        )
        if row.get("jobTitle"):
            if row.get("file"):
                group.profile = files.get(row["file"]) or SourceRef("", row["file"], None)
            group.titles.append(
                Link(row.get("jobTitleLabel", ""), href(row["jobTitle"]), row.get("file", ""))
            )
    return list(found.values())


def diagram(page: OccupationPage, *, most: int = 4) -> str:
    """The occupation with its NOC groups, frameworks, best-attested elements and sources:
    at most ``most`` of each, and a box saying how many more there are where some are left out.
    """
    centre = Node("occupation", page.title, "occupation", page.href)
    nodes: list[Node] = []
    edges: list[Edge] = []

    def add(node: Node, label: str, *, inward: bool = False) -> None:
        nodes.append(node)
        ends = (node.key, "occupation") if inward else ("occupation", node.key)
        edges.append(Edge(*ends, label))

    def more(kind: str, left: int, anchor: str, group: str, label: str, inward: bool) -> None:
        if left > 0:
            add(Node(f"more:{kind}", f"{left} more", kind, anchor, group), label, inward=inward)

    nocs = page.nocs if len(page.nocs) <= most + 1 else page.nocs[:most]
    for group in nocs:
        kind = f"NOC {group.version} · {group.code}"
        add(
            Node(f"noc:{group.href}", group.title or group.code, kind, group.href, "noc"),
            "NOC equivalent",
        )
    more("NOC groups", len(page.nocs) - len(nocs), "#noc", "noc", "NOC equivalent", False)
    for framework in page.frameworks[:most]:
        label = f"framework {framework.version}"
        add(
            Node(f"framework:{framework.href}", label, "framework", framework.href),
            "framework for",
            inward=True,
        )
    attested = sorted(
        ((domain.key, item) for domain in page.domains for item in domain.items),
        key=lambda pair: -len(pair[1].sources),
    )
    for kind, item in attested[:most]:
        add(Node(f"element:{item.href}", item.text, kind, item.href, "skill"), f"requires {kind}")
    shown = page.sources if len(page.sources) <= most + 1 else page.sources[:most]
    for provenance in shown:
        source = provenance.source
        add(
            Node(f"source:{source.href}", source.file, source.kind, source.href, "source"),
            "about",
            inward=True,
        )
    more("documents", len(page.sources) - len(shown), "#provenance", "source", "about", True)
    return neighbourhood(centre, nodes, edges, title=f"{page.title} and what it links to")

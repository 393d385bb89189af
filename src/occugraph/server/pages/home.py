"""The home page's summary of the graph: what it holds and which occupations are described."""

from __future__ import annotations

from dataclasses import dataclass

from occugraph.server.pages.resource import href

Row = dict[str, str]


@dataclass(frozen=True)
class Described:
    title: str
    code: str
    sources: int
    href: str | None


@dataclass(frozen=True)
class Summary:
    things: list[tuple[str, str]]
    occupations: list[Described]


def summary(described: list[Row], statistics: list[Row]) -> Summary:
    """From the rows of ``sparql/described-occupations.rq`` and the ``graph-statistics``
    saved query."""
    return Summary(
        things=[(r["item"], r["count"]) for r in statistics if r.get("category") == "things"],
        occupations=[
            Described(
                r.get("title") or r["occupation"].rsplit("/", 1)[-1],
                r.get("onetCode", ""),
                int(r.get("sources", "0")),
                href(r["occupation"]),
            )
            for r in described
        ],
    )

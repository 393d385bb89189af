"""O*NET occupation pages: MDX with YAML frontmatter and headed component tags.

The page itself holds little data: the frontmatter names the occupation and the body
says which O*NET tables are shown where (``<Tasks occupation="…">``). So the record keeps
the frontmatter fields as stated and, per markdown heading, the component tags under it
(the page's shape is read by :mod:`~occugraph.build.extract.mdx`).

graph.org.ai publishes occupation pages in two generations: ``Standards.org.ai`` pages
whose ``$id`` is the title's slug, whose ``code`` and ``title`` came out of the generator
as mappings of nulls (the code then stands in the body, ``**O*NET Code**: 47-2111.00``,
and the title is the first heading), and ``Occupations.org.ai`` pages whose ``$id`` is the
O*NET-SOC code. Both ``$id`` forms name the same occupation.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from occugraph.build.extract import Extractor, mdx
from occugraph.build.records.onet_page import ComponentTag, OnetPage, PageSection
from occugraph.errors import InputError
from occugraph.slugs import slug

KIND = "onet-page"

# A frontmatter key that only an occupation page would carry, quoted or not.
_PAGE_KEY = re.compile(r"""^\s*["']?(?:title|code|\$id)["']?\s*:""")
_SOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_CODE_LINES = ("O*NET-SOC Code", "O*NET Code")


def looks_like(text: str) -> bool:
    """True if the text opens with a frontmatter block naming a title, code or $id.

    >>> looks_like("---\\ntitle: Electricians\\n---\\n# Electricians")
    True
    >>> looks_like("# Electricians")
    False
    """
    return mdx.starts_with_frontmatter(text, _PAGE_KEY)


def extract(text: str) -> OnetPage:
    """Read an O*NET page's frontmatter and its headed component tags.

    >>> page = extract("---\\ntitle: Electricians\\ncode: 47-2111.00\\n---\\n"
    ...                "## Tasks\\n<Tasks occupation=\\"Electricians\\" />")
    >>> page.code, page.sections[0].components[0].attributes
    ('47-2111.00', {'occupation': 'Electricians'})

    :raises InputError: for missing or broken frontmatter, or a bad title, code or $id.
    """
    page = mdx.read_page(text)
    stated_id = mdx.check_id(page)
    stated_type = page.text("$type")
    if stated_type is not None and stated_type.lower() != "occupation":
        raise InputError(
            f"a page of $type {stated_type}: occugraph reads O*NET pages of $type "
            "Occupation, Task, Technology and Tool",
            line=page.line("$type"),
        )
    title = _title(page)
    code = _code(page)
    warnings: list[str] = []
    if stated_id is not None:
        warning = _id_warning(stated_id, title, code)
        if warning:
            warnings.append(warning)
    headed, before = mdx.sections(page.body)
    sections = [
        PageSection(
            heading=text,
            level=level,
            components=[
                ComponentTag(name=tag.name, attributes=tag.attributes)
                for tag in mdx.tags("\n".join(chunk))
            ],
        )
        for text, level, chunk in headed
    ]
    stray = len(mdx.tags("\n".join(before)))
    if stray:
        warnings.append(f"{stray} component tag(s) before the first heading were ignored")
    return OnetPage(
        stated_id=stated_id,
        stated_type=stated_type,
        code=code,
        title=title,
        description=page.text("description"),
        source=page.text("source"),
        sections=sections,
        warnings=warnings,
    )


def _title(page: mdx.Page) -> str:
    if page.left_empty("title"):
        title = mdx.first_heading(page.body)
        if title is None:
            raise InputError(
                "frontmatter 'title' was left empty and the page has no heading to take it from",
                line=page.line("title"),
            )
        return title
    title = page.text("title")
    if not title:
        raise InputError("frontmatter has no 'title'", line=page.line("title"))
    return title


def _code(page: mdx.Page) -> str | None:
    if page.left_empty("code"):
        found = mdx.bold_field(page.body, *_CODE_LINES)
        if found is None:
            return None
        code, line = found[0], page.body_line + found[1]
    else:
        stated = page.text("code")
        if stated is None:
            return None
        code, line = stated, page.line("code")
    if not _SOC_CODE.match(code):
        raise InputError(
            f"frontmatter 'code': expected an O*NET-SOC code like 15-1252.00, got {code!r}",
            line=line,
        )
    return code


def _id_warning(stated_id: str, title: str, code: str | None) -> str | None:
    """A warning if the $id names neither the title's slug nor (graph.org.ai's other
    scheme) the page's own O*NET-SOC code."""
    last = unquote(urlsplit(stated_id).path.rstrip("/").rsplit("/", 1)[-1])
    expected = slug(title)
    if last == expected or (code is not None and last == code):
        return None
    return (
        f"$id {stated_id} disagrees with the slug of its title {title!r}: "
        f"expected the last segment {expected!r}, got {last!r}"
    )


EXTRACTOR = Extractor(
    kind=KIND, record=OnetPage, precedence=10, looks_like=looks_like, extract=extract
)

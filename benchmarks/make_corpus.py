"""Write a synthetic corpus: N real O*NET occupations × the five source kinds.

.venv/bin/python benchmarks/make_corpus.py --occupations 1016 --seed 1 --out /tmp/corpus

What public files give is real: O*NET codes, titles and descriptions and the
content-model element names (data/onet), NOC codes and titles (data/crosswalk),
NAICS sectors (data/naics). Everything no public file gives (competency
statements, duties, job titles, articles, job descriptions) is synthetic text
drawn from the pools below, different for every occupation and the same for the
same seed. Layouts vary the way real documents do (bullet characters, heading
styles, level scales, key order), so the extractors are exercised as with real
documents.

The output:

    DIR/README.md      says the corpus is synthetic and how it was made
    DIR/index.tsv      file, kind and O*NET code of every document
    DIR/documents/     the documents, one folder per occupation: build this folder

Every document says it is synthetic (a frontmatter key, a JSON field, a note
line, a sentence). Every document resolves to its own occupation: an occupation
gets a NOC profile only if the crosswalk gives it a NOC unit group whose titles
single it out among the group's occupations (972 of the 1,016), and a job
description only if some short title names it alone (all 1,016 with seed 1), so
1,016 occupations give 5,036 documents. Each occupation's documents depend only
on the seed and the occupation, so a smaller N writes a subset of the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from occugraph.build.link import TitleIndex, title_tokens, title_variants
from occugraph.build.reference import load_reference
from occugraph.slugs import slug

GENERATOR = "benchmarks/make_corpus.py"
KINDS = ("onet-page", "competency-framework", "noc-profile", "career-article", "job-description")

# SOC 2018 major groups: the first two digits of an O*NET-SOC code.
SOC_GROUPS = {
    "11": "Management", "13": "Business & Financial Operations",
    "15": "Computer & Mathematical", "17": "Architecture & Engineering",
    "19": "Life, Physical & Social Science", "21": "Community & Social Service",
    "23": "Legal", "25": "Educational Instruction & Library",
    "27": "Arts, Design, Entertainment, Sports & Media",
    "29": "Healthcare Practitioners & Technical", "31": "Healthcare Support",
    "33": "Protective Service", "35": "Food Preparation & Serving",
    "37": "Building & Grounds Cleaning & Maintenance", "39": "Personal Care & Service",
    "41": "Sales", "43": "Office & Administrative Support", "45": "Farming, Fishing & Forestry",
    "47": "Construction & Extraction", "49": "Installation, Maintenance & Repair",
    "51": "Production", "53": "Transportation & Material Moving", "55": "Military Specific",
}  # fmt: skip

# --- pools of synthetic text ---------------------------------------------------

VERBS = (
    "review", "prepare", "coordinate", "monitor", "maintain", "inspect", "document", "plan",
    "evaluate", "analyze", "schedule", "report", "assess", "organize", "supervise", "operate",
    "test", "explain", "record", "develop", "implement", "verify", "negotiate", "advise",
)  # fmt: skip
OBJECTS = (
    "work orders", "safety procedures", "project schedules", "quality records", "client files",
    "equipment logs", "budgets and cost estimates", "inspection reports", "training materials",
    "supply inventories", "service requests", "standard operating procedures", "data sets",
    "technical drawings", "case notes", "compliance checklists", "customer accounts",
    "incident reports", "maintenance plans", "performance measures", "production targets",
)  # fmt: skip
CONTEXTS = (
    "under direct supervision", "with periodic review by a senior colleague",
    "independently across a full workload", "in a busy team setting", "on site and in the field",
    "to agreed quality standards", "across several departments", "in line with regulations",
    "for internal and external clients", "within tight deadlines", "using standard tools",
    "in coordination with other teams", "across a regional service area",
)  # fmt: skip
SETTINGS = (
    "offices", "workshops", "laboratories", "hospitals and clinics", "schools and colleges",
    "government agencies", "private companies", "factories and plants", "retail stores",
    "construction sites", "non-profit organisations", "consulting firms", "warehouses",
)  # fmt: skip
FIELDS = (
    "business administration", "psychology", "engineering", "biology", "computer science",
    "education", "public health", "accounting", "communications", "chemistry", "economics",
    "nursing", "social work", "criminal justice", "mathematics", "graphic design",
)  # fmt: skip
QUALITIES = (
    "patience", "integrity", "flexibility", "attention to detail", "empathy", "teamwork",
    "professionalism", "stamina", "creativity", "leadership",
)  # fmt: skip
ENVIRONMENT = (
    "Work takes place in a conventional indoor office setting.",
    "Work may be done outdoors in all weather conditions.",
    "Shift work, including evenings and weekends, may be required.",
    "The work can involve standing for long periods.",
    "Travel between work sites is often required.",
    "Work may involve exposure to noise and dust.",
)  # fmt: skip
FILLER = (
    "No two days are exactly alike, and that variety is part of the appeal.",
    "Many people find the work rewarding because the results are visible.",
    "The role suits people who like structure as much as people who like variety.",
    "Employers value people who can explain their work clearly to others.",
    "Technology has changed the job a great deal over the last decade.",
    "It is worth talking to people already in the field before you commit.",
    "Part-time and contract positions are common in some regions.",
    "Good record keeping saves a great deal of trouble later on.",
    "Most newcomers learn a lot from experienced colleagues in their first year.",
    "Demand for these workers depends on the local economy and on public budgets.",
)  # fmt: skip
JUNK = (
    "Related Posts",
    "Top 10 Interview Questions and Answers\nNov 3, 2025 1,204 Views",
    "How to Write a Cover Letter That Works\nOct 28, 2025 980 Views",
    "Remote Work: Pros and Cons\nSep 14, 2025 2,311 Views",
)  # fmt: skip
BULLETS = ("•", "-", "*", "▪", "●", "–")
SCALES = (
    ("Emerging", "Developing", "Proficient", "Advanced"),
    ("Novice", "Advanced Beginner", "Competent", "Proficient", "Expert"),
    ("Foundational", "Intermediate", "Advanced", "Expert"),
    ("Awareness", "Working", "Practitioner", "Expert"),
    ("Entry", "Intermediate", "Senior", "Lead"),
    ("Level 1", "Level 2", "Level 3", "Level 4"),
)
PERFORMANCE = (
    "apply under direct guidance", "use routinely with occasional support",
    "apply independently", "lead others in applying", "explain and demonstrate",
    "adapt to new situations", "evaluate and improve", "teach and mentor others in",
)  # fmt: skip
COMPONENTS = (
    "Tasks", "Activities", "Skills", "Knowledge", "Abilities", "WorkContext", "Wages",
    "Industries", "JobZone", "Technology", "Tools", "Outlook", "Education", "Interests",
)  # fmt: skip


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    description: str
    noc: tuple[str, str, str] | None  # version, code, NOC title
    posting: str | None  # what a posting calls it; None: no posting names it alone
    taught: bool  # the posting title is known only from the occupation's NOC profile


def singular_word(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def singular(phrase: str) -> str:
    """'Business Managers of Artists' -> 'Business Manager of Artists'."""
    words = phrase.split()
    at = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    words[at] = singular_word(words[at])
    return " ".join(words)


_SECTION_WORDS = re.compile(
    r"skill|qualif|requir|experience|educat|abilit|knowledge|prefer|summary|overview|"
    r"introduction|description|responsib|dut(?:y|ies)|task|objective|goal|aim|purpose|competen",
    re.I,
)


def forms(*titles: str) -> set[str]:
    return {" ".join(v) for t in titles for v in title_variants(t) | {title_tokens(t)} if v}


def posting_titles(title: str) -> list[str]:
    """Singular ways to name an occupation in a posting, shortest first."""
    head, comma, rest = title.partition(",")
    parts = [p for p in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", title) if p]
    candidates = [singular(p.strip()) for p in parts if len(p.split()) >= 2]
    return [*candidates, singular(head), singular(head) + comma + rest]


def plan(seed: int) -> list[Occupation]:
    """Every occupation with the NOC group and posting title its documents will use.

    The choices make every document resolvable: a NOC group whose titles single the
    occupation out among the group's crosswalk codes, and a posting title that
    names only this occupation, both in the O*NET titles and in every title the
    NOC profiles of the corpus teach. An occupation gets no NOC profile (or no
    posting) when no choice qualifies.
    """
    reference = load_reference()
    titles = TitleIndex(reference)
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, codes in sorted(reference.noc_to_onet.items()):
        for code in codes:
            groups.setdefault(code, []).append(key)
    nocs: dict[str, tuple[str, str, str]] = {}
    for code, occupation in reference.occupations.items():
        keys = groups.get(code, [])
        random.Random(f"{seed}:{code}:noc").shuffle(keys)
        keys.sort(key=lambda k: len(reference.noc_to_onet[k]) > 1)  # its own groups first
        for key in keys:
            named = titles.named_by_reference(
                forms(reference.noc_groups[key].title, occupation.title)
            )
            if set(reference.noc_to_onet[key]) & named == {code}:
                nocs[code] = (*key, reference.noc_groups[key].title)
                break
    taught = TitleIndex(reference)
    for code, (_, _, noc_title) in nocs.items():
        taught.learn_forms(forms(noc_title, reference.occupations[code].title), code)
    found = []
    composites: set[str] = set()
    for code, occupation in sorted(reference.occupations.items()):
        posting: str | None = None
        for candidate in posting_titles(occupation.title):
            if len(candidate.split()) <= 8 and all(
                index.lookup(candidate)[0] == {code} for index in (titles, taught)
            ):
                posting = candidate
                break
        from_noc = False
        if posting is None and code in nocs and "," in occupation.title:
            # A short title only this occupation's NOC profile lists.
            head, rest = occupation.title.split(",", 1)
            for word in re.findall(r"[A-Z][\w-]+", rest):
                candidate = f"{word} {singular(head)}"
                if candidate not in composites and not any(
                    index.lookup(candidate)[0] for index in (titles, taught)
                ):
                    posting, from_noc = candidate, True
                    composites.add(candidate)
                    break
        if posting is None:
            whole = posting_titles(occupation.title)[-1]
            if len(whole.split()) <= 12 and not _SECTION_WORDS.search(whole):
                posting = whole
        found.append(
            Occupation(
                code,
                occupation.title,
                occupation.description,
                nocs.get(code),
                posting,
                from_noc,
            )
        )
    return found


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def occupations(count: int, seed: int) -> list[Occupation]:
    everyone = plan(seed)
    if count >= len(everyone):
        return everyone
    chosen = set(random.Random(seed).sample([o.code for o in everyone], count))
    return [o for o in everyone if o.code in chosen]


def clauses(description: str) -> list[str]:
    """Duty-like clauses of an O*NET description ('Plan, direct, or coordinate ...')."""
    parts = [p.strip() for p in re.split(r"(?<=[.;])\s+", description) if p.strip()]
    return [p.rstrip(".;") for p in parts if 3 <= len(p.split()) <= 40]


class Writer:
    """Synthetic text for one occupation, from a generator seeded by (seed, code)."""

    def __init__(self, occupation: Occupation, seed: int, elements: Sequence[str]) -> None:
        self.o = occupation
        self.rng = random.Random(f"{seed}:{occupation.code}")
        self.elements = elements
        self.one = occupation.posting or singular(occupation.title.split(",")[0])
        # Mentions are counted up to 8 words: a longer name is only read as a title line.
        self.long = max(len(self.one.split()), len(title_tokens(self.one))) > 8
        self.job_titles = self._job_titles()

    def pick(self, pool: Sequence[str], k: int = 1) -> list[str]:
        return self.rng.sample(list(pool), min(k, len(pool)))

    def duty(self) -> str:
        verb, thing, where = self.pick(VERBS)[0], self.pick(OBJECTS)[0], self.pick(CONTEXTS)[0]
        return f"{verb.capitalize()} {thing} {where}"

    def duties(self, k: int) -> list[str]:
        own = clauses(self.o.description)
        found = self.pick(own, max(1, k // 2)) + [self.duty() for _ in range(k)]
        return list(dict.fromkeys(found))[:k]

    def skills(self, k: int) -> list[str]:
        return [name.lower() for name in self.pick(self.elements, k)]

    def _job_titles(self) -> list[str]:
        words = self.one.split()
        inverted = f"{words[-1]}, {' '.join(words[:-1])}".lower() if len(words) > 1 else None
        titles = [self.one.lower(), inverted, f"senior {self.one.lower()}"]
        # NOC joins alternative titles with a dash; each side is a whole title.
        titles += [f"{self.one.lower()} - {self.one.lower()} {self.pick(('trainee', 'lead'))[0]}"]
        return [t for t in titles if t]

    def money(self) -> tuple[str, str]:
        yearly = self.rng.randrange(28_000, 160_000, 10)
        return f"${yearly:,}", f"${yearly / 2080:.2f}"

    def paragraph(self, sentences: list[str], filler: int) -> str:
        found = sentences + self.pick(FILLER, filler)
        self.rng.shuffle(found)
        return " ".join(found)


# --- one function per kind ----------------------------------------------------


def onet_page(w: Writer) -> str:
    o, rng = w.o, w.rng
    description = o.description.replace('"', "'")
    fields: list[tuple[str, str]] = [
        ("title", o.title if rng.random() < 0.5 else json.dumps(o.title)),
        ("code", o.code if rng.random() < 0.5 else f'"{o.code}"'),
        ("$type" if rng.random() < 0.7 else "'$type'", "Occupation"),
        ("source", "ONET"),
        ("note", f"synthetic page written by {GENERATOR}"),
    ]
    if rng.random() < 0.8:
        fields.append(("$id", f"https://graph.org.ai/occupations/{slug(o.title)}"))
    style = rng.randrange(3)
    if style == 0:
        wrapped = _wrap(description, 72, "  ")
        fields.append(("description", wrapped))
    elif style == 1:
        fields.append(("description", ">-\n" + _wrap(description, 72, "  ", first="  ")))
    else:
        fields.append(("description", json.dumps(description)))
    rng.shuffle(fields)
    lines = ["---", *(f"{key}: {value}" for key, value in fields), "---", ""]
    lines += [f"# {o.title}", ""]
    label = rng.choice(("**O\\*NET Code**", "**O\\*NET-SOC**", "O*NET-SOC code"))
    lines += [f"{label}: {o.code}", "", o.description, ""]
    closing = rng.random() < 0.2
    for heading in w.pick(
        (
            "Job Profile",
            "Work Activities",
            "Qualifications",
            "Work Context",
            "Labor Market",
            "What They Do",
            "What They Need",
        ),
        rng.randint(3, 6),
    ):
        lines += [f"## {heading}" + (" ##" if closing else ""), ""]
        for tag in w.pick(COMPONENTS, rng.randint(1, 3)):
            quote = rng.choice(('"', "'"))
            attribute = f"occupation={quote}{slug(o.title)}{quote}"
            if rng.random() < 0.3:
                lines += [f"### {re.sub(r'(?<=[a-z])(?=[A-Z])', ' ', tag)}", ""]
            if rng.random() < 0.5:
                lines += [f"<{tag} {attribute}></{tag}>", ""]
            else:
                lines += [f"<{tag} {attribute} />", ""]
    if rng.random() < 0.15:
        lines += ["## Notes for editors", "", "```mdx", '<Example occupation="Nobody" />', "```"]
    return "\n".join(lines).rstrip() + "\n"


def _wrap(text: str, width: int, indent: str, first: str = "") -> str:
    lines, line = [], first
    for word in text.split():
        if len(line) + len(word) + 1 > width and line.strip():
            lines.append(line)
            line = indent
        line += (" " if line.strip() else "") + word
    lines.append(line)
    return "\n".join(lines)


def framework(w: Writer) -> str:
    o, rng = w.o, w.rng
    scale = rng.choice(SCALES)
    dash = rng.choice((" — ", " — ", " – ", " - "))
    levels = []
    for rank, label in enumerate(scale, 1):
        statements: list[object] = []
        for _ in range(rng.randint(3, 8)):
            names = w.pick(w.elements, rng.choice((1, 1, 2)))
            thing = rng.choice(
                [
                    " and ".join(names),
                    f"{w.pick(OBJECTS)[0].capitalize()} for {w.pick(SETTINGS)[0]}",
                    f"{names[0]} in {w.pick(OBJECTS)[0]}",
                ]
            )
            text = f"{thing}{dash}{PERFORMANCE[min(rank * 2 - 2, 7)]}, {w.pick(CONTEXTS)[0]}."
            statements.append({"text": text} if rng.random() < 0.1 else text)
        level: dict[str, object] = {"label": label, "statements": statements}
        if scale[0] == "Level 1" or rng.random() < 0.2:
            level["rank"] = rank
        key = re.sub(r"[^a-z0-9]+", "_" if rng.random() < 0.5 else "-", label.lower())
        levels.append((key, level))
    rng.shuffle(levels)
    as_list = rng.random() < 0.25
    body: dict[str, object] = {
        "version": rng.choice((f"v.{rng.randint(20, 26)}.0{rng.randint(1, 9)}", "1.0", "2025.1")),
        "description": f"Competencies expected of {o.title.lower()} at each level (synthetic).",
        "contextCovered": f"{o.description} Settings include {', '.join(w.pick(SETTINGS, 2))}.",
        "levels": [{"key": k, **v} for k, v in levels] if as_list else dict(levels),
    }
    facts: dict[str, object] = {
        "soc": o.code,
        "title": o.title,
        "group": SOC_GROUPS.get(o.code[:2], "Other"),
        "sector": rng.choice(sorted(load_reference().sectors)),
        "jobZone": rng.randint(1, 5) if rng.random() < 0.8 else str(rng.randint(1, 5)),
        "jobZoneInferred": rng.random() < 0.3,
    }
    document: dict[str, object] = {
        "schemaVersion": rng.choice(("1.0", "1.1")),
        "exportedAt": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:00:00Z",
        "occupation": dict(sorted(facts.items(), key=lambda _: rng.random())),
        "framework": body,
        "sources": {"onet": "v30.2 (CC BY 4.0)", "generator": f"synthetic: {GENERATOR}"},
        "attribution": "Synthetic framework for benchmarks; not from any publisher",
    }
    items = list(document.items())
    rng.shuffle(items)
    indent = rng.choice((None, 2, 4))
    return json.dumps(dict(items), indent=indent, ensure_ascii=rng.random() < 0.3) + "\n"


def noc_profile(w: Writer) -> str:
    o, rng = w.o, w.rng
    assert o.noc is not None
    version, code, title = o.noc
    bullet = rng.choice(BULLETS)
    pad = rng.choice(("", "  "))

    def items(texts: list[str]) -> list[str]:
        return [f"{pad}{bullet} {t}" for t in texts]

    roles = [o.title.capitalize(), f"Senior {w.one.lower()}s"][: rng.randint(1, 2)]
    style = rng.randrange(3)
    if style == 0:
        lines = [f"{title} (NOC {code})", "", "About this job", ""]
    elif style == 1:
        lines = [f"National Occupational Classification (NOC) {version} Version 1.0", ""]
        lines += [f"{code} – {title}", "", "", "ABOUT THIS JOB", ""]
    else:
        lines = [f"# NOC {version} {code}: {title}", "", "## About this job", ""]
    heading = (str.upper if style == 1 else str) if style < 2 else (lambda h: f"## {h}")
    for role in roles:
        lines += [f"{role}:", "", *items([d.lower() for d in w.duties(2)]), ""]
    lines += ["People in this group:", "", *items([f"work in {s}" for s in w.pick(SETTINGS, 3)])]
    titles = w.job_titles
    lines += ["", heading("Common job titles"), "", *items(titles)]
    if rng.random() < 0.4:
        lines += items(titles)  # profiles often list them twice
    lines += ["", heading("Duties"), ""]
    for role in roles:
        lines += [role, "", *items([d.lower() for d in w.duties(rng.randint(3, 7))]), ""]
    lines += [heading("Work environment"), "", "Key aspects of the work in this occupation:", ""]
    lines += [*items(w.pick(ENVIRONMENT, 2)), "", heading("Career paths"), ""]
    lines += [
        f"Progression to supervisory {w.one.lower()} positions is possible with experience.",
        "",
        heading("Additional resources"),
        "",
        f"This profile is synthetic, written by {GENERATOR}; it is not published by ESDC.",
    ]
    return "\n".join(lines) + "\n"


def career_article(w: Writer, others: Sequence[Occupation]) -> str:
    o, rng = w.o, w.rng
    plural, one = o.title, w.one
    lower = one.lower()
    low, high = w.money()
    lines: list[str] = []
    if rng.random() < 0.3:
        lines += [f"Home > Careers > {SOC_GROUPS.get(o.code[:2], 'Jobs')}", ""]
    opening = rng.randrange(4)
    if w.long or o.posting is None:
        opening = 3  # no short name to count: the title line names the occupation
    if opening == 0:
        lines += [f"# How to Become {article(one)} {one}", ""]
    elif opening == 1:
        lines += [f"{plural}: A Career Guide", ""]
    elif opening == 3:
        lines += [f"# {plural}" if rng.random() < 0.5 else plural, ""]
    intro = [
        f"Thinking about working as {article(lower)} {lower}?",
        f"{plural} work in {', '.join(w.pick(SETTINGS, 3))}.",
        f"This guide explains what {plural.lower()} do, how to qualify and what the job pays.",
        "The guide is synthetic: it was written by a program for benchmarks.",
    ]
    lines += [w.paragraph(intro, 2), ""]
    other = w.pick(others, 2)
    sections: list[tuple[str, list[str]]] = [
        (
            rng.choice(
                (
                    f"What Does {article(one).capitalize()} {one} Do?",
                    "Job Duties:",
                    "Daily Responsibilities and Tasks",
                )
            ),
            [f"A typical {lower} will {lower_first(re.sub('^May ', '', d))}." for d in w.duties(4)]
            + [f"{plural} often work alongside {other[0].title.lower()}."],
        ),
        (
            rng.choice(("Skills You Need", "Important Qualities:", "Skills and Qualities")),
            [
                f"Good {plural.lower()} need strong {' and '.join(w.skills(2))} skills.",
                f"The ability to work independently and {', '.join(w.pick(QUALITIES, 2))} "
                "matter every day.",
                f"Employers also look for {w.skills(1)[0]} and {w.pick(QUALITIES)[0]}.",
            ],
        ),
        (
            rng.choice(
                (
                    "Education Requirements:",
                    "Training and Licensing",
                    "Education and Degree Programs",
                )
            ),
            [
                f"Most {plural.lower()} hold {rng.choice(('a bachelor', 'an associate'))}'s "
                f"degree in {' or '.join(w.pick(FIELDS, 2))}.",
                "Some employers require a certificate and a background check.",
                f"A master's degree in {w.pick(FIELDS)[0]} can open senior roles.",
            ],
        ),
        (
            rng.choice(("Salary", "Pay and Job Outlook:", "How Much Do They Earn?")),
            [
                f"According to the Bureau of Labor Statistics, {plural.lower()} earned a "
                f"median annual wage of {low}.",
                f"That is about {high} per hour.",
            ],
        ),
        (
            rng.choice(("Career Advancement", "Career Outlook and Advancement Opportunities")),
            [
                f"With experience, {article(lower)} {lower} can advance to become "
                f"a senior {lower} or a team supervisor.",
                f"Some {plural.lower()} move into roles such as {other[1].title.lower()}.",
            ],
        ),
    ]
    keep = [sections[0], *w.pick(sections[1:], rng.randint(2, 4))]
    for heading, sentences in keep:
        markdown = rng.random() < 0.3 and not heading.endswith(":")
        lines += [f"## {heading}" if markdown else heading]
        lines += [w.paragraph(sentences, rng.randint(2, 9)), ""]
        if rng.random() < 0.3:
            lines += [w.paragraph([f"{plural} {lower_first(w.duty())}."], 4), ""]
    lines += [f"That is the life of {article(lower)} {lower} in short."]
    if rng.random() < 0.5:
        lines += ["", *w.pick(JUNK, 3)]
    return "\n".join(lines) + "\n"


def job_description(w: Writer) -> str:
    o, rng = w.o, w.rng
    title = w.one
    senior = w.job_titles[2]
    short = max(len(senior.split()), len(title_tokens(senior))) <= 8 and "/" not in senior
    if o.noc is not None and short and rng.random() < 0.3:
        title = senior.title()  # a title only the NOC profile gives
    bullet = rng.choice(("•", "-", "*", "+", "1."))
    summary = (
        f"The {title} {rng.choice(('keeps', 'supports', 'runs'))} {w.pick(OBJECTS)[0]} for our "
        f"{w.pick(SETTINGS)[0]}. {o.description}"
    )

    def items(texts: list[str]) -> list[str]:
        if bullet == "1.":
            return [f"{n}. {t}" for n, t in enumerate(texts, 1)]
        return [f"{bullet} {t}" for t in texts]

    skills = [f"Strong {' and '.join(w.skills(2))} skills"] + [
        f"{q.capitalize()}" for q in w.pick(QUALITIES, 2)
    ]
    qualifications = [
        f"A bachelor's degree in {w.pick(FIELDS)[0]} or a related field",
        f"At least {rng.randint(1, 8)} years of experience",
    ]
    style = 3 if w.long else rng.randrange(3)
    note = f"Note: synthetic posting from {GENERATOR}"
    if style == 3:  # a title too long for 'Job Title:' or '... Job Description'
        lines = [title, "", summary, "", "Responsibilities:", *items(w.duties(5)), ""]
        lines += ["Requirements:", *items(qualifications + skills)]
    elif style == 0:
        lines = [f"{title} Job Description Template", "", summary, ""]
        lines += [f"{title} Job Responsibilities", "", *items(w.duties(6)), "", ""]
        lines += items([f"To {lower_first(d)}." for d in w.duties(3)])
        lines += ["", f"{title} Job Skills & Qualifications Needed", ""]
        lines += items(skills + qualifications)
    elif style == 1:
        lines = [f"Job Title: {title}", f"Location: {w.pick(SETTINGS)[0].capitalize()}"]
        lines += ["Employment type: Full-time", "", summary, "", "Responsibilities:"]
        lines += [*items(w.duties(5)), "", "Requirements:", *items(qualifications + skills)]
        lines += ["", "Benefits:", *items(["Paid overtime", "Training budget"])]
    else:
        lines = [f"{title} Job Description", "", summary, "", "Duties and Responsibilities", ""]
        lines += [*items(w.duties(5)), "", "Objectives", ""]
        lines += items([f"Deliver {w.pick(OBJECTS)[0]} on time", "Reduce avoidable rework"])
        lines += ["", "Skills & Qualifications", "", *items(qualifications + skills)]
    return "\n".join([*lines, "", note]) + "\n"


# --- writing the corpus ---------------------------------------------------------

README = """# A synthetic corpus (not real documents)

Written by `{generator} --occupations {count} --seed {seed}`: {documents} documents about
{count} O*NET occupations, in `documents/`, one folder per occupation.

The occupations (codes, titles, descriptions), the content-model element names, the NOC
codes and titles and the NAICS sectors are real, from the project's `data/` folder (see its
README for sources and licences). Everything else (competency statements, duties, job
titles, career articles, job descriptions, salaries) is synthetic text made up from fixed
pools of phrases by a seeded random generator. Do not read it as facts about any job.

`index.tsv` lists each document's file, kind and O*NET code. Build the corpus (from this
folder) with

    occugraph build documents
"""


def write_corpus(count: int, seed: int, out: Path) -> list[tuple[str, str, str]]:
    """Write the corpus; returns (relative path, kind, O*NET code) for every document."""
    reference = load_reference()
    elements = sorted(
        e.name for e in reference.elements if e.domain in ("Skill", "Ability", "Knowledge")
    )
    everyone = occupations(len(reference.occupations), seed)
    chosen = occupations(count, seed)
    index: list[tuple[str, str, str]] = []
    for occupation in chosen:
        writer = Writer(occupation, seed, elements)
        others = [o for o in everyone if o.code[:2] != occupation.code[:2]]
        makers: list[tuple[str, Callable[[], str]]] = [
            ("onet-page", partial(onet_page, writer)),
            ("competency-framework", partial(framework, writer)),
            ("career-article", partial(career_article, writer, others)),
        ]
        if occupation.posting is not None:
            makers.append(("job-description", partial(job_description, writer)))
        if occupation.noc is not None:
            makers.append(("noc-profile", partial(noc_profile, writer)))
        writer.rng.shuffle(makers)
        folder = out / "documents" / occupation.code
        folder.mkdir(parents=True, exist_ok=True)
        for n, (kind, make) in enumerate(makers):
            data = make().encode()
            name = f"{n:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
            (folder / name).write_bytes(data)
            index.append((f"documents/{occupation.code}/{name}", kind, occupation.code))
    rows = ["file\tkind\tcode", *("\t".join(row) for row in index)]
    (out / "index.tsv").write_text("\n".join(rows) + "\n")
    (out / "README.md").write_text(
        README.format(generator=GENERATOR, count=count, seed=seed, documents=len(index))
    )
    return index


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--occupations", type=int, default=1016)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    total = len(load_reference().occupations)
    if not 1 <= args.occupations <= total:
        parser.error(f"--occupations: 1 to {total}")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"--out: {args.out} is not empty")
    index = write_corpus(args.occupations, args.seed, args.out)
    print(f"{len(index)} documents about {args.occupations} occupations in {args.out}")


if __name__ == "__main__":
    sys.exit(main())

"""Page layout: the cues that tell a job posting from a career article, and list lead-ins.

Postings and career articles use the same words ('duties', 'skills', 'salary'); what
differs is how the page is laid out and who it speaks to. A posting has a job-title
line, key-value lines ('Reports to:', 'Pay:'), headed lists of responsibilities and
requirements, and speaks to the applicant ('you will', 'we are looking for'). An
article asks and answers questions about the occupation ('What does a pharmacist
do?', 'How to become ...', 'Pay'), states statistics ('median annual wage'), and
speaks about its workers in the third person ('Plumbers typically do the following').
Each cue is a pattern in a lexicon below; a document's kind is the side with the
stronger evidence (:func:`evidence`), so no single wording decides it.

Lead-ins ('X perform some or all of the following duties:', 'Tasks X typically
perform include:', 'Primary skills include:') say what the list after them holds,
whatever heading, if any, sits above; :func:`lead_in_role` reads them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from occugraph.build.extract.text import bullet_item, heading_text, lines_of, markdown_heading

_APOSTROPHE = "['\u2019]"

# --- cues of a posting --------------------------------------------------------

_POSTING_TITLE = re.compile(
    r"^\W*(?:.{1,80}?\s)?job\s+(?:description|posting|advert|profile|specification)\b"
    r"|^\W*(?:job\s+title|position(?:\s+title)?|role)\s*:",
    re.I,
)
_POSTING_HEADING = re.compile(
    rf"\b(?:responsibilit\w*|requirements?|qualifications?|essential functions|job brief|"
    rf"about (?:the|this) (?:job|role|position)|what you{_APOSTROPHE}?ll (?:do|bring|need)|"
    rf"what you will (?:do|bring|need)|what we{_APOSTROPHE}?re looking for|what we need|"
    rf"who you are|benefits|how to apply|job (?:summary|details|profile)|full job description|"
    rf"competencies|physical demands|nice to have)\b",
    re.I,
)
_POSTING_KEY = re.compile(
    r"^\W*(?:reports?\s+to|location|department|flsa(?:\s+status)?|type|employment\s+type|"
    r"job\s+type|pay|salary|compensation|wage|schedule|shift|seniority\s+level|start\s+date)"
    r"\s*:\s*\S",
    re.I,
)
_POSTING_VOICE = re.compile(
    rf"\b(?:we{_APOSTROPHE}?re|we are|is) (?:looking for|hiring|seeking)\b|\bjoin (?:our|the)\b|"
    r"\bapply now\b|\bapplicants\b|\bcandidates?\b",
    re.I,
)

# --- cues of an article ---------------------------------------------------------

_ARTICLE_TITLE = re.compile(
    r"\bcareer\s+(?:guide|profile|overview|outlook)\b|^\W*careers?\s*:|\bhow to become\b|"
    r"^\W*(?:what\s+(?:does|do|is)\s+an?\s|becoming an?\s)",
    re.I,
)
_ARTICLE_HEADING = re.compile(
    r"^\W*what\s+(?:does|do)\b.*\bdo\b|^\W*what\s+[\w ]{1,40}\sdo\W*$|\bhow to become\b|"
    r"^\W*how much\b|\bright for you\b|\bwhat they (?:do|make|need)\b|\bwhere they work\b|"
    r"\bimportant qualities\b|\boutlook\b|\bjob growth\b|\bpay\b|\bsalar(?:y|ies)\b|\bwages?\b|"
    r"\bearn\w*\b|\beducation\b|\btraining\b|\bwork environment\b|\bworking hours\b",
    re.I,
)
_NAVIGATION = re.compile(r"\S\s+[|\u00b7>\u203a\u00bb]\s+\S.*\s[|\u00b7>\u203a\u00bb]\s+\S")
_ARTICLE_VOICE = re.compile(
    r"\b(?:typically|usually|generally) (?:do the following|perform)\b|"
    r"\bmedian (?:annual |hourly )?(?:wage|salary|pay|income)\b|"
    r"\bbureau of labor statistics\b|\bposted by\b|\bmin read\b|\b\d+ comments\b|"
    rf"\bas an? [\w ]{{1,40}}, you{_APOSTROPHE}ll\b",
    re.I,
)


class Evidence(NamedTuple):
    posting: int
    article: int


@lru_cache(maxsize=4)  # kind detection asks twice (posting, then article) of one text
def evidence(text: str) -> Evidence:
    """How strongly a document's layout reads as a job posting, and as a career article.

    >>> evidence("Welder Job Description\\n\\nResponsibilities:\\n- Weld frames\\nPay: $20/hour")
    Evidence(posting=5, article=0)
    >>> evidence("What Does a Welder Do?\\n\\nPay\\n\\nThe median annual wage was $47,540.")
    Evidence(posting=0, article=5)
    """
    posting = article = 0
    lines = [line for line in lines_of(text) if line.strip()]
    for index, line in enumerate(lines):
        if _NAVIGATION.search(line):
            continue  # a menu or breadcrumb names the site's pages, not this page's parts
        heading = heading_text(line) or (markdown_heading(line) or (0, ""))[1]
        if index < 5 and _POSTING_TITLE.search(line):
            posting += 3
        elif index < 5 and _ARTICLE_TITLE.search(line):
            article += 3
        elif heading and bullet_item(line) is None and not has_money(line):
            if _POSTING_HEADING.search(heading):
                posting += 1
            elif _ARTICLE_HEADING.search(heading):
                article += 1
        if _POSTING_KEY.match(line):
            posting += 1
        if _POSTING_VOICE.search(line):
            posting += 1
        if _ARTICLE_VOICE.search(line):
            article += 1
    return Evidence(posting, article)


# --- lead-ins ---------------------------------------------------------------------

Role = Literal["duties", "skills"]

_DUTY_LEAD = re.compile(
    r"\b(?:perform|performs) (?:some or all of )?the following\b|\bfollowing duties\b|"
    r"\b(?:typically|usually|generally|often) (?:do|perform|will)\b.*(?:following|include|:)\s*$|"
    r"\b(?:duties|responsibilities|tasks)\b[^.]{0,60}\binclude\w*\s*:?\s*$|"
    r"\bperform\w*\b[^.]{0,40}\binclude\w*\s*:?\s*$|"
    r"\b(?:on a (?:normal|typical) day|in a typical day)\b.*:\s*$|"
    rf"\byou{_APOSTROPHE}ll need to\s*:?\s*$|\byou will need to\s*:?\s*$|"
    r"^\W*\w+(?: \w+){0,4} typically\s*:?\s*$",
    re.I,
)
_SKILL_LEAD = re.compile(
    r"\b(?:skills|qualities|competencies|abilities)\b[^.]{0,40}\binclude\w*\s*:|"
    rf"^\W*you{_APOSTROPHE}ll need\s*:?\s*$",
    re.I,
)


def lead_in_role(line: str | None) -> Role | None:
    """What the list after a lead-in line holds: 'duties', 'skills', or None.

    >>> lead_in_role("Plumbers perform some or all of the following duties:")
    'duties'
    >>> lead_in_role("Tasks carpenters typically perform include:")
    'duties'
    >>> lead_in_role("Primary skills include: welding; cutting")
    'skills'
    >>> lead_in_role("Plumbers fix pipes.") is None
    True
    """
    if not line or len(line) > 200 or bullet_item(line) is not None:
        return None
    if _SKILL_LEAD.search(line):
        return "skills"
    if _DUTY_LEAD.search(line):
        return "duties"
    return None


def inline_list(line: str) -> list[str]:
    """The items of a 'Label include: a; b; c' line, split on semicolons (or commas).

    >>> inline_list("Primary skills include: HTML; CSS; problem solving")
    ['HTML', 'CSS', 'problem solving']
    """
    _, _, rest = line.partition(":")
    separator = ";" if ";" in rest else ","
    return [item.strip(" .") for item in rest.split(separator) if item.strip(" .")]


_FIGURE = re.compile(r"(?:US|C|CA|A|AU)?[$\u00a3\u20ac]\s?\d")
_FIGURE_ONLY = re.compile(
    r"^\W*(?:[A-Z]{1,3})?[$\u00a3\u20ac]\s?[\d,.]+\S*(?:\s*\([^)]{0,40}\))?\s*$"
)
_LABEL_WORDS = 8


def has_money(line: str) -> bool:
    """Whether a line states a money figure ('$84,960', 'C$ 20').

    >>> has_money("Median annual salary: $84,960"), has_money("Top 10%")
    (True, False)
    """
    return _FIGURE.search(line) is not None


def money_lines(lines: list[str]) -> list[str]:
    """Every line with a money figure, a bare figure joined to the label line above it.

    Fact boxes put a label and its value on lines of their own ('Median salary' then
    '$51,590'); read apart, the figure has no pay period and no statistic.

    >>> money_lines(["Median salary", "", "$51,590", "They fix pipes."])
    ['Median salary $51,590']
    """
    found: list[str] = []
    label: str | None = None
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if _FIGURE.search(text):
            bare = label is not None and _FIGURE_ONLY.match(text)
            found.append(f"{label} {text}" if bare else text)
            label = None
        else:
            words = bullet_item(text) is None and len(text.split()) <= _LABEL_WORDS
            label = text.rstrip(":") if words and not text.endswith((".", "!", "?")) else None
    return found


# --- the occupation an article's title names ----------------------------------------

_ARTICLE_OF = (
    re.compile(
        r"^\W*what\s+(?:does|do|is|are)\s+(?:an?\s+)?(?P<x>[^?:|]+?)\s+(?:do|make|earn)\b", re.I
    ),
    re.compile(r"^\W*what\s+(?:is|are)\s+(?:an?\s+)?(?P<x>[^?:|]+?)\s*(?:\?|$|[:|])", re.I),
    re.compile(r"^\W*what\s+(?P<x>[^?:|]+?)\s+do\W*$", re.I),
    re.compile(r"^\W*(?:how to become|becoming)\s+(?:an?\s+)?(?P<x>[^?:|\u2013\u2014]+)", re.I),
    re.compile(r"^\W*careers?\s*:\s*(?P<x>.+)$", re.I),
    re.compile(
        r"^\W*(?P<x>.+?)\s+(?:career\s+(?:guide|profile|overview|outlook)|careers?|job profile|"
        r"salary(?: guide)?)\b",
        re.I,
    ),
)


def occupation_in_title(title: str) -> str | None:
    """The occupation an article's title is about, when the title wraps it in words.

    >>> occupation_in_title("What Does a Pharmacist Do?")
    'Pharmacist'
    >>> occupation_in_title("How to Become a Truck Driver: Career Guide")
    'Truck Driver'
    >>> occupation_in_title("Plumber Career Guide"), occupation_in_title("Welders")
    ('Plumber', None)
    """
    for pattern in _ARTICLE_OF:
        match = pattern.match(title)
        if match:
            found = match.group("x").strip(" -.,")
            return found if 0 < len(found.split()) <= 6 else None
    return None

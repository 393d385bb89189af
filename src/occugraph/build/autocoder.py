"""An autocoder: which O*NET occupations a document is most likely about, by evidence.

Two TF-IDF models (scikit-learn) rank the 1,016 O*NET occupations for a document:

- its title against every title each occupation is known by: the O*NET title, the jobs
  a conjunct title names ("Accountants and Auditors" names accountants), and the titles
  of the NOC unit groups the crosswalks map to it;
- its description and duties against each occupation's description and O*NET task
  statements (``data/onet/tasks.tsv.gz``).

Descriptions, duties and tasks are compared stemmed (Snowball), so "prepares",
"preparing" and "prepare" are one word; titles by their singular words (a stemmer would
make "Accountants" "account"); job-board abbreviations and qualifiers ("RN", "Sr.",
"Remote") are expanded or dropped first (``data/titles/abbreviations.tsv``). The models
are fitted once per process, on first use, from the reference data: nothing about any
occupation is written here.

A small model per occupation, fitted on its own task statements when a document about
it states duties, links a duty that restates one of them to that task.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from anyascii import anyascii

from occugraph.build.reference import Reference, data_dir

if TYPE_CHECKING:  # scikit-learn loads only when a document needs the autocoder
    from numpy import float64, int64
    from numpy.typing import NDArray

    Vector: TypeAlias = NDArray[float64]
    Indexes: TypeAlias = NDArray[int64]
    from scipy.sparse import csc_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

TASKS_FILE = "onet/tasks.tsv.gz"
ABBREVIATIONS_FILE = "titles/abbreviations.tsv"
STOP_WORDS_FILE = "titles/stop_words.txt"

TITLE_WEIGHT = 0.6
"""Share of the title in the score of a document that has a title and text besides."""
SUPPORT_BONUS = 0.05
"""Added per further title of an occupation that also matches (two at most): the more
sources call an occupation by a name, the likelier the name means it."""
SUPPORT_SHARE = 0.9
"""How similar a further title must be to count as support, relative to the best one."""
CROSSWALK_WEIGHT = 0.9
"""What a NOC unit group's title counts for, against O*NET's own titles: the crosswalks
map one NOC group to several O*NET occupations."""
FULL_TITLE_WEIGHT = 0.1
"""Share of the similarity with the occupation's whole O*NET title, beside its best
matching name: of two occupations that 'Administrative Assistants' names, the one whose
title adds less the document does not say is likelier."""
RESIDUAL_PENALTY = 0.1
"""Taken off an O*NET residual category ("..., All Other"): a specific occupation that
fits as well is the better answer."""

_WORDS = re.compile(r"[a-z0-9]+").findall


class Task(NamedTuple):
    """An O*NET task statement."""

    code: str
    task_id: str
    text: str


class Candidate(NamedTuple):
    code: str
    score: float
    title: float = 1.0
    """How similar the document's title is to the best of the occupation's titles (1.0
    when the document has no title to compare)."""
    text: float = 0.0
    """Cosine similarity of the document's text with the occupation's description and
    tasks, not relative to other occupations."""


class TaskMatch(NamedTuple):
    """A duty that restates an O*NET task, and how similar the two are (cosine, 0-1)."""

    duty: str
    task: Task
    score: float


def load_tasks(root: Path | None = None) -> list[Task]:
    """The O*NET task statements derived from graph.org.ai's corpus."""
    with gzip.open((root or data_dir()) / TASKS_FILE, "rt", encoding="utf-8", newline="") as fh:
        return [
            Task(row["code"], row["task_id"], row["statement"])
            for row in csv.DictReader(fh, delimiter="\t")
        ]


def load_abbreviations(root: Path | None = None) -> dict[str, str]:
    """Job-title word -> what it stands for ("" for qualifiers that say nothing of the job)."""
    path = (root or data_dir()) / ABBREVIATIONS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["word"]: (row["expansion"] or "").strip()
            for row in csv.DictReader(handle, delimiter="\t")
        }


# --- words ----------------------------------------------------------------------


@cache
def _stemmer_and_stop_words() -> tuple[object, frozenset[str]]:
    import snowballstemmer

    words = (data_dir() / STOP_WORDS_FILE).read_text(encoding="utf-8").split()
    return snowballstemmer.stemmer("english"), frozenset(words)


_STEMS: dict[str, str] = {}


def stems(text: str) -> list[str]:
    """Lower-case ASCII word stems, stop words left out.

    >>> stems("Drivers driving the trucks")
    ['driver', 'drive', 'truck']
    """
    stemmer, stop = _stemmer_and_stop_words()
    out = []
    for word in _WORDS(anyascii(text).lower().replace("'", "")):
        if word in stop:
            continue
        stem = _STEMS.get(word)
        if stem is None:
            if len(_STEMS) > 200_000:
                _STEMS.clear()
            stem = _STEMS[word] = stemmer.stemWord(word)  # type: ignore[attr-defined]
        out.append(stem)
    return out


def grams(text: str) -> list[str]:
    """Stems and pairs of neighbouring stems: what the text and task models compare."""
    return _with_pairs(stems(text))


def singular(word: str) -> str:
    """A plural noun's singular, by rule: titles differ in number, rarely in anything else
    (a stemmer would make 'accountant' 'account').

    >>> singular("secretaries"), singular("nurses"), singular("waitresses"), singular("business")
    ('secretary', 'nurse', 'waitress', 'business')
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def title_grams(text: str) -> list[str]:
    """Singular words and pairs of them, stop words left out: what the title model compares."""
    _, stop = _stemmer_and_stop_words()
    words = _WORDS(anyascii(text).lower().replace("'", ""))
    return _with_pairs([singular(word) for word in words if word not in stop])


def _with_pairs(words: list[str]) -> list[str]:
    return words + [f"{a}_{b}" for a, b in pairwise(words)]


def clean_title(title: str, abbreviations: dict[str, str]) -> str:
    """A job-board title with abbreviations spelled out and qualifiers dropped.

    >>> clean_title("Sr. RN - ICU (Remote)", {"sr": "", "rn": "registered nurse", "remote": ""})
    'registered nurse icu'
    """
    words = _WORDS(anyascii(title).lower().replace("'", ""))
    spelled = (abbreviations.get(word, word) for word in words)
    return " ".join(word for word in spelled if word)


def _title_names(title: str) -> list[str]:
    """A title and the jobs it names: 'A and B' names A and B; 'nurse, registered' is
    'registered nurse'; 'A, Except B' names A only.

    >>> _title_names("Janitors and Cleaners, Except Maids and Housekeeping Cleaners")
    ['Janitors and Cleaners', 'Janitors', 'Cleaners']
    """
    title = re.split(r",?\s+Except\b", title)[0]  # what is excepted is not this job
    kind, dashes, jobs = title.partition("--")
    if dashes:  # "Helpers--Carpenters, Roofers": helpers of each
        return [title, *(f"{kind} {name}" for name in _title_names(jobs))]
    names = [title]
    for part in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*|\s+-\s+", title):
        # A job is named in the plural; "Restaurant" in "Hosts, Restaurant" only qualifies.
        if part.strip() != title and part.strip().endswith("s"):
            names.append(part.strip())
    head, comma, modifier = title.partition(",")
    if comma and modifier.strip() and " and " not in title:
        names.append(f"{modifier.strip()} {head.strip()}")
    return names


# --- the models -------------------------------------------------------------------


def _vectorizer(
    analyzer: Callable[[str], list[str]] = grams, norm: str | None = "l2"
) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm=norm, dtype=_float32())


def _float32() -> type:
    import numpy

    return numpy.float32


@dataclass(eq=False)
class Ranker:
    """The fitted ranking models; build one with :func:`ranker`."""

    codes: list[str]
    titles: TfidfVectorizer
    title_rows: csc_matrix
    """One row per title, grouped by occupation in the order of ``codes`` (by column,
    so that a query's few words pick their columns)."""
    title_starts: Indexes
    """Where each occupation's rows begin."""
    title_codes: Indexes
    title_weights: Vector
    full_titles: Indexes
    """The row of each occupation's own O*NET title, in the order of ``codes``."""
    texts: TfidfVectorizer
    text_rows: csc_matrix
    abbreviations: dict[str, str]
    residual: Vector

    def rank(self, title: str | None, text: str = "", top: int = 3) -> list[Candidate]:
        """The likeliest occupations for a document, best first, scores from 0 to 1."""
        import numpy

        cleaned = clean_title(title, self.abbreviations) if title else ""
        scores = numpy.zeros(len(self.codes))
        best = numpy.ones(len(self.codes))
        if cleaned:
            similar = self._title_similarity(cleaned)
            similar = similar * self.title_weights
            best = numpy.maximum.reduceat(similar, self.title_starts)
            supported = similar >= SUPPORT_SHARE * best[self.title_codes]
            counted = (supported & (similar > 0)).astype(numpy.int64)
            support = numpy.add.reduceat(counted, self.title_starts)
            whole = similar[self.full_titles]
            title_score = (
                (1 - FULL_TITLE_WEIGHT) * best
                + FULL_TITLE_WEIGHT * whole
                + SUPPORT_BONUS * numpy.clip(support - 1, 0, 2)
            ) / (1 + 2 * SUPPORT_BONUS)
            text_score = self._text_scores(f"{cleaned} {text}")
            weight = TITLE_WEIGHT if text.strip() else 0.8
            scores = weight * title_score + (1 - weight) * text_score
        elif text.strip():
            scores = self._text_scores(text)
        scores = scores - RESIDUAL_PENALTY * self.residual
        order = numpy.argsort(-scores, kind="stable")[:top]
        cosine = self._text_cosine(f"{cleaned} {text}")
        return [
            Candidate(
                self.codes[i],
                round(float(scores[i]), 4),
                round(float(best[i]), 4),
                round(float(cosine[i]), 4),
            )
            for i in order
            if scores[i] > 0
        ]

    def _title_similarity(self, title: str) -> Vector:
        """Cosine similarity of a title with every title row, where words no title has
        count as the rarest words, which no row has (else 'Underwater Basket Weaver'
        would simply be 'Weaver')."""
        return _cosine(self.title_rows, self.titles, title_grams(title), unknown_count=True)

    @lru_cache(maxsize=4)  # noqa: B019 - one autocoder per process, kept for its life
    def _text_cosine(self, text: str) -> Vector:
        result = _cosine(self.text_rows, self.texts, grams(text), unknown_count=False)
        return result * (1 - self.residual)  # no duties of their own to compare

    def _text_scores(self, text: str) -> Vector:
        """Cosine similarity with each occupation's text, relative to the best: only
        the order of occupations by their text counts, not how long the text is."""
        result = self._text_cosine(text)
        top = result.max()
        return result / top if top > 0 else result


class _TaskModel(NamedTuple):
    """TF-IDF of one occupation's tasks, weighed as scikit-learn's ``TfidfVectorizer``
    weighs (smooth idf, sublinear tf, rows of length 1), in plain numpy: twenty-odd
    statements need no sparse matrices, and a build that links a few duties should not
    import scikit-learn (seconds) for them."""

    vocabulary_: dict[str, int]
    idf_: Vector
    rows: Vector


def _task_model(tasks: Sequence[Task]) -> _TaskModel:
    import numpy

    features = [Counter(grams(task.text)) for task in tasks]
    vocabulary = {f: n for n, f in enumerate(sorted(set().union(*features)))}
    tf = numpy.zeros((len(tasks), len(vocabulary)))
    for row, counts in enumerate(features):
        for feature, count in counts.items():
            tf[row, vocabulary[feature]] = 1 + math.log(count)
    idf = numpy.log((1 + len(tasks)) / (1 + (tf > 0).sum(axis=0))) + 1
    rows = tf * idf
    rows /= numpy.maximum(numpy.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return _TaskModel(vocabulary, idf, rows)


class TaskMatcher:
    """Duties against the O*NET tasks of one occupation at a time: one small model per
    occupation, made from its own tasks when first asked (a millisecond or two)."""

    def __init__(self, tasks: Iterable[Task]) -> None:
        self.tasks: dict[str, list[Task]] = defaultdict(list)
        for task in tasks:
            self.tasks[task.code].append(task)
        self._models: dict[str, _TaskModel] = {}

    def match_duties(self, code: str, duties: Sequence[str]) -> list[TaskMatch]:
        """Each duty's most similar task of one occupation (none if it has no tasks).

        Words of a duty that none of the occupation's tasks uses count against it, as
        rare words: "Order lunch for the pharmacy team" is not a pharmacist's ordering task.
        """
        tasks = self.tasks.get(code)
        if not tasks or not duties:
            return []
        model = self._models.get(code)
        if model is None:
            model = self._models[code] = _task_model(tasks)
        found = []
        for duty in duties:
            similar = _cosine(model.rows, model, grams(duty), unknown_count=True)
            best = int(similar.argmax())
            found.append(TaskMatch(duty, tasks[best], round(float(similar[best]), 4)))
        return found


class TitleRow(NamedTuple):
    text: str
    code: str
    weight: float
    full: bool  # the occupation's own O*NET title, whole


def _cosine(
    columns: csc_matrix | Vector,
    model: TfidfVectorizer | _TaskModel,
    features: list[str],
    *,
    unknown_count: bool,
) -> Vector:
    """Every row's cosine similarity with a query, weighted as the model weighs (sublinear
    tf times idf), from the columns of the query's features only: the model's own
    ``transform`` validates and builds a sparse matrix, ten times the work for one query.
    Features the model does not know count in the query's length if ``unknown_count``,
    as rare as its rarest word."""
    import numpy

    vocabulary, idf = model.vocabulary_, model.idf_
    known: Counter[int] = Counter()
    unknown: Counter[str] = Counter()
    for feature in features:
        index = vocabulary.get(feature)
        if index is None:
            unknown[feature] += 1
        else:
            known[index] += 1
    if not known:
        return numpy.zeros(columns.shape[0])
    indices = numpy.fromiter(known, dtype=numpy.int64, count=len(known))
    counts = numpy.fromiter(known.values(), dtype=numpy.float64, count=len(known))
    weights = (1 + numpy.log(counts)) * idf[indices]
    length = float(weights @ weights)
    if unknown_count:
        rare = float(idf.max())
        length += sum(((1 + math.log(n)) * rare) ** 2 for n in unknown.values())
    found: Vector = (columns[:, indices] @ weights) / math.sqrt(length)
    return found


def _title_rows(reference: Reference) -> list[TitleRow]:
    rows: list[TitleRow] = []
    for code in sorted(reference.occupations):
        names = _title_names(reference.occupations[code].title)
        rows.append(TitleRow(reference.occupations[code].title, code, 1.0, True))
        rows += [TitleRow(name, code, 1.0, False) for name in names[1:]]
    for key, mapped in reference.noc_to_onet.items():
        group = reference.noc_groups.get(key)
        if group is not None:
            names = _title_names(group.title)
            rows += [TitleRow(n, code, CROSSWALK_WEIGHT, False) for code in mapped for n in names]
    return sorted(rows, key=lambda row: row.code)  # stable: each code's own title first


def fit(reference: Reference, tasks: list[Task], abbreviations: dict[str, str]) -> Ranker:
    """Fit the ranking models on the reference data (a few seconds for all of O*NET)."""
    import numpy
    from sklearn.preprocessing import normalize

    codes = sorted(reference.occupations)
    position = {code: n for n, code in enumerate(codes)}
    by_code: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        if task.code in position:
            by_code[task.code].append(task)

    rows = _title_rows(reference)
    titles = _vectorizer(title_grams, norm=None)
    title_rows = normalize(titles.fit_transform([row.text for row in rows])).tocsc()
    row_codes = numpy.array([position[row.code] for row in rows])

    documents = [
        " ".join(
            [
                reference.occupations[code].title,
                reference.occupations[code].description,
                *(task.text for task in by_code[code]),
            ]
        )
        for code in codes
    ]
    texts = _vectorizer()
    text_rows = texts.fit_transform(documents).tocsc()

    return Ranker(
        codes=codes,
        titles=titles,
        title_rows=title_rows,
        title_codes=row_codes,
        title_starts=numpy.searchsorted(row_codes, numpy.arange(len(codes))),
        title_weights=numpy.array([row.weight for row in rows]),
        full_titles=numpy.array([n for n, row in enumerate(rows) if row.full]),
        texts=texts,
        text_rows=text_rows,
        abbreviations=abbreviations,
        residual=numpy.array(
            [reference.occupations[c].title.endswith(", All Other") for c in codes], dtype=float
        ),
    )


_RANKERS: dict[str, Ranker] = {}


def ranker(reference: Reference) -> Ranker:
    """The ranking models for this reference data, fitted once per process."""
    fitted = _RANKERS.get(reference.fingerprint)
    if fitted is None:
        fitted = fit(reference, load_tasks(), load_abbreviations())
        _RANKERS[reference.fingerprint] = fitted
    return fitted


_MATCHERS: dict[str, TaskMatcher] = {}


def task_matcher(reference: Reference) -> TaskMatcher:
    """The duty matcher for this reference data's tasks, one per process."""
    matcher = _MATCHERS.get(reference.fingerprint)
    if matcher is None:
        matcher = _MATCHERS[reference.fingerprint] = TaskMatcher(load_tasks())
    return matcher

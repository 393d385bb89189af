"""Sentence-level helpers shared by the career-article and job-description extractors."""

from __future__ import annotations

import pytest

from occugraph.build.extract import duties, education, prose, salaries

# --- sentences ------------------------------------------------------------------


def test_sentences_keep_abbreviations_and_initials_inside_a_sentence() -> None:
    text = "Dr. Lee trains apprentices, e.g. in wiring. According to the U.S. Bureau, pay rose!"
    assert prose.sentences(text) == [
        "Dr. Lee trains apprentices, e.g. in wiring.",
        "According to the U.S. Bureau, pay rose!",
    ]


def test_sentences_end_at_line_ends_and_skip_blank_lines() -> None:
    assert prose.sentences("Skills matter\r\n\r\nSo does pay. It varies.") == [
        "Skills matter",
        "So does pay.",
        "It varies.",
    ]


def test_sentences_split_before_a_money_figure() -> None:
    assert prose.sentences("Pay is high. $40,000 is typical.") == [
        "Pay is high.",
        "$40,000 is typical.",
    ]


# --- verbs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("installing", "install"),
        ("referring", "refer"),
        ("taking", "take"),
        ("evaluating", "evaluate"),
        ("testifying", "testify"),
        ("wiring", "wire"),
        ("meeting", "meet"),
        ("ring", "ring"),
        ("Report", "Report"),
    ],
)
def test_base_verb(word: str, base: str) -> None:
    assert duties.base_verb(word) == base


def test_gerund() -> None:
    assert [duties.gerund(w) for w in ("stay", "build", "run", "tie", "listen")] == [
        "staying",
        "building",
        "running",
        "tying",
        "listening",
    ]


# --- skills -----------------------------------------------------------------------------


def test_skill_words_before_skills_are_split_and_stripped_of_praise() -> None:
    assert prose.skill_phrases("Nurses need strong communication and interpersonal skills.") == [
        "communication",
        "interpersonal",
    ]
    assert prose.skill_phrases("Excellent writing skills are very important.") == ["writing"]


def test_skill_spellings_are_folded() -> None:
    assert prose.skill_phrases("good problem solving and decision making skills") == [
        "problem-solving",
        "decision-making",
    ]
    assert prose.skill_phrases("Strong written/verbal communication skills") == [
        "written",
        "verbal communication",
    ]


def test_vague_skill_mentions_give_nothing() -> None:
    assert prose.skill_phrases("These skills are very important in the trade.") == []
    assert prose.skill_phrases("Let's look at the essential soft skills you need.") == []
    assert prose.skill_phrases("Being able to drive is a must-have skill.") == []


def test_ability_phrases_name_standard_skills() -> None:
    assert prose.skill_phrases("The ability to listen actively is also very important.") == [
        "active listening"
    ]
    assert prose.skill_phrases("The ability to make sound judgments is key.") == ["judgment"]
    assert prose.skill_phrases("The ability to work independently is important.") == [
        "working independently"
    ]
    assert prose.skill_phrases("You must be able to deal with conflict calmly.") == [
        "conflict resolution"
    ]
    assert prose.skill_phrases("The ability to manage your time matters.") == ["time management"]


def test_loose_ability_phrases_become_gerunds_only_when_asked() -> None:
    sentence = "You need to be able to build trust, show empathy, and establish rapport."
    assert prose.skill_phrases(sentence) == ["empathy"]
    assert prose.skill_phrases(sentence, loose=True) == [
        "building trust",
        "empathy",
        "establishing rapport",
    ]
    # Adverbs and prepositions are not verbs: nothing like 'bothing verbally'.
    assert prose.skill_phrases(
        "be able to communicate clearly, both verbally and in writing", loose=True
    ) == ["communication"]


def test_qualities_are_read_only_in_a_skills_context() -> None:
    sentence = "Show compassion, patience and attention to detail with every client."
    assert prose.skill_phrases(sentence) == []
    assert prose.skill_phrases(sentence, qualities=True) == [
        "compassion",
        "patience",
        "attention to detail",
    ]


def test_item_skills_reads_short_noun_items() -> None:
    assert prose.item_skills("Compassion and patience") == ["compassion", "patience"]
    assert prose.item_skills("Good color vision") == ["color vision"]
    assert prose.item_skills("Valid driver's license required for all field visits") == []


# --- degrees and fields -----------------------------------------------------------------


def test_degree_with_a_field_list_ending_in_related_field() -> None:
    [degree] = education.degrees(
        "Typically, you'll need at least a bachelor's degree in a field like geology, "
        "environmental science, chemistry, or a related area."
    )
    assert degree.level == "bachelor"
    assert degree.fields == ["geology", "environmental science", "chemistry"]
    assert degree.required is True


@pytest.mark.parametrize(
    ("sentence", "level"),
    [
        ("A high school diploma or GED is the minimum.", "high school diploma"),
        ("An associate degree in drafting helps.", "associate"),
        ("A Bachelor of Science in Nursing (BSN) is preferred.", "bachelor"),
        ("A master\u2019s degree in public health opens doors.", "master"),
        ("Researchers usually hold a Ph.D. in biology.", "doctorate"),
        ("A one-year certificate program in welding is enough.", "certificate"),
    ],
)
def test_degree_levels_are_normalised(sentence: str, level: str) -> None:
    assert [degree.level for degree in education.degrees(sentence)] == [level]


def test_preferred_degree_is_not_required() -> None:
    [degree] = education.degrees("A master's degree in accounting is preferred.")
    assert (degree.level, degree.fields, degree.required) == ("master", ["accounting"], False)


def test_master_electrician_is_not_a_degree() -> None:
    assert education.degrees("Journeymen can become master electricians.") == []


def test_fields_named_before_the_word_degree() -> None:
    assert education.fields_of_study("Social work degrees are highly valuable.") == ["social work"]
    assert education.fields_of_study("Psychology degrees are also great.") == ["psychology"]
    assert education.fields_of_study("The degree itself can vary.") == []
    assert education.fields_of_study("A college degree is rarely required.") == []


def test_field_list_stops_at_a_verb() -> None:
    assert education.fields_of_study(
        "A master's degree in nursing or health administration could open up roles."
    ) == ["nursing", "health administration"]


# --- requirements ------------------------------------------------------------------------


def test_requirement_kinds_in_one_sentence() -> None:
    found = education.requirements(
        "You'll need to pass a thorough background check, as well as drug screening."
    )
    assert [r.kind for r in found] == ["background-check", "drug-screening"]
    assert found[0].text.startswith("You'll need to pass")


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("It is necessary to pass a written examination.", "exam"),
        ("Graduates must pass the NCLEX-RN before they practise.", "exam"),
        ("Passing a physical fitness test might be required.", "fitness-test"),
        ("You might need to attend a training academy after being hired.", "training"),
        ("Most states require a four-year apprenticeship.", "training"),
        ("Some employers require a valid driver\u2019s license.", "licence"),
        ("You must hold a state licence.", "licence"),
        ("Employers require CPR certification.", "certification"),
        ("Applicants need two years of experience.", "experience"),
    ],
)
def test_requirement_kind(sentence: str, kind: str) -> None:
    assert [r.kind for r in education.requirements(sentence)] == [kind]


def test_a_drug_test_is_not_an_exam() -> None:
    assert [r.kind for r in education.requirements("You must pass a drug test.")] == [
        "drug-screening"
    ]


def test_quick_word_tests_do_not_hide_what_the_patterns_find() -> None:
    # Upper case is lowered before the words are looked for.
    found = education.degrees("Applicants need a BACHELOR'S DEGREE or an M.S.N.")
    assert [d.level for d in found] == ["bachelor", "master"]
    # re.I folds the long s onto 's': text outside ASCII is never ruled out by the words.
    found_kinds = [
        r.kind for r in education.requirements("Applicants must obtain \u017fecurity clearance.")
    ]
    assert found_kinds == ["background-check"]


def test_requirements_need_a_cue_unless_implied() -> None:
    assert education.requirements("Technicians test circuits and keep a licence log.") == []
    assert [r.kind for r in education.requirements("Current RN license", implied=True)] == [
        "licence"
    ]


# --- salaries -------------------------------------------------------------------------------


def test_bls_median_annual_salary() -> None:
    [figure] = salaries.salaries(
        "As of the U.S. Bureau of Labor Statistics, the median annual salary for inspectors "
        "was around $59,860."
    )
    assert figure.amount == 59860.0
    assert figure.currency == "USD"
    assert figure.period == "year"
    assert figure.statistic == "median"
    assert figure.approximate is True
    assert figure.source == "U.S. Bureau of Labor Statistics"


def test_hourly_and_yearly_figures_in_one_sentence() -> None:
    figures = salaries.salaries("Welders earn $24.75 per hour, or roughly $51,000 a year.")
    assert [(f.amount, f.period, f.approximate) for f in figures] == [
        (24.75, "hour", False),
        (51000.0, "year", True),
    ]


@pytest.mark.parametrize(
    ("sentence", "amount", "currency"),
    [
        ("Starting pay is \u00a328,000 per year.", 28000.0, "GBP"),
        ("Nurses earn \u20ac3,100 per month.", 3100.0, "EUR"),
        ("The wage is C$34 an hour.", 34.0, "CAD"),
        ("Salaries reach 90,000 CAD annually.", 90000.0, "CAD"),
        ("Entry-level analysts earn $55k a year.", 55000.0, "USD"),
    ],
)
def test_currencies_and_multipliers(sentence: str, amount: float, currency: str) -> None:
    [figure] = salaries.salaries(sentence)
    assert (figure.amount, figure.currency) == (amount, currency)


def test_statistics_and_ranges() -> None:
    [start] = salaries.salaries("Entry-level technicians earn $38,000.")
    assert start.statistic == "starting"
    [top] = salaries.salaries("Senior staff can make up to $120,000 annually.")
    assert (top.statistic, top.period) == ("maximum", "year")
    low, high = salaries.salaries("Hourly wages range from $22 to $31.")
    assert (low.statistic, high.statistic) == ("range-low", "range-high")
    assert (low.period, high.period) == ("hour", "hour")
    [mean] = salaries.salaries("The average salary is $61,000, according to the BLS.")
    assert (mean.statistic, mean.period, mean.source) == ("mean", "year", "BLS")


def test_years_and_counts_are_not_money() -> None:
    assert salaries.salaries("In 2023 about 5,000 people entered the field.") == []

"""Which O*NET content-model elements a phrase names, for the statements that link to them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from anyascii import anyascii

from occugraph.build.reference import Element

_DOMAIN_PREFERENCE = {"Skill": 0, "Knowledge": 1, "Ability": 2, "Generalized Work Activity": 3}
_CONJUNCTIONS = {"and", "or", "&"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", anyascii(text).lower().replace("'", ""))


class ElementMatcher:
    """Finds the O*NET elements a phrase names, including shared heads.

    "Inductive and deductive reasoning" names Inductive Reasoning and Deductive
    Reasoning: the head "reasoning" is written once for both.
    """

    def __init__(self, elements: Iterable[Element]) -> None:
        self.by_words: dict[tuple[str, ...], Element] = {}
        for element in sorted(elements, key=lambda e: _DOMAIN_PREFERENCE[e.domain]):
            self.by_words.setdefault(tuple(_words(element.name)), element)
        self.longest = max(len(words) for words in self.by_words)
        # For shared heads: each way to cut a name of 2+ words into modifier and head.
        self._cuts: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for name, element in self.by_words.items():
            for cut in range(1, len(name)):
                self._cuts[name[:cut]].append((name[cut:], element.element_id))
        self._longest_modifier = max(len(modifier) for modifier in self._cuts)
        self._seen: dict[str, list[Element]] = {}

    def named_in(self, phrase: str) -> list[Element]:
        cached = self._seen.get(phrase)
        if cached is None:
            cached = self._seen[phrase] = self._named_in(phrase)
        return list(cached)

    def _named_in(self, phrase: str) -> list[Element]:
        words = _words(phrase)
        found: dict[str, Element] = {}
        for start in range(len(words)):
            for size in range(min(self.longest, len(words) - start), 0, -1):
                element = self.by_words.get(tuple(words[start : start + size]))
                if element:
                    found.setdefault(element.element_id, element)
                    break
        shared = self._shared_heads(words)
        for element in self.by_words.values():
            if element.element_id in shared and element.element_id not in found:
                found[element.element_id] = element
        return sorted(found.values(), key=lambda e: _first_index(words, e))

    def _shared_heads(self, words: list[str]) -> set[str]:
        """'inductive and deductive reasoning': a modifier, a conjunction, 1-3 words, the head."""
        hits: set[str] = set()
        for at, word in enumerate(words):
            if word not in _CONJUNCTIONS:
                continue
            for size in range(1, min(self._longest_modifier, at) + 1):
                for head, element_id in self._cuts.get(tuple(words[at - size : at]), ()):
                    for gap in range(2, 5):
                        if tuple(words[at + gap : at + gap + len(head)]) == head:
                            hits.add(element_id)
                            break
        return hits

    def element_for_skill(self, phrase: str) -> Element | None:
        """The element a whole skill phrase is, if it is one ('active listening')."""
        return self.by_words.get(tuple(_words(phrase)))


def _first_index(words: list[str], element: Element) -> int:
    first = _words(element.name)[0]
    return words.index(first) if first in words else len(words)

"""A ``career-article``: duties, skills, education, requirements and salaries it states."""

from __future__ import annotations

from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.records.career_article import CareerArticle
from occugraph.vocabulary import dct, occ


def write(graph: DocumentGraph, article: CareerArticle) -> None:
    graph.out.add(graph.source.iri, dct("title"), article.title)
    graph.sections([(s.heading, None, []) for s in article.sections if s.heading])
    graph.tasks(article.duties)
    graph.skills(article.skills)
    graph.degrees(article.degrees)
    for field in article.fields_of_study:
        graph.out.add(graph.occupation, occ("fieldOfStudy"), field)
    graph.requirements(article.requirements)
    graph.salaries(article.salaries)
    for text in article.specialisations:
        graph.out.add(graph.occupation, occ("specialisation"), text)
    for text in article.career_paths:
        graph.out.add(graph.occupation, occ("careerPath"), text)


MAPPING = RecordMapping(CareerArticle, write)

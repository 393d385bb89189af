"""A ``job-description``: the job title, responsibilities, objectives, skills and qualifications."""

from __future__ import annotations

from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.records.job_description import JobDescription
from occugraph.vocabulary import dct, occ


def write(graph: DocumentGraph, posting: JobDescription) -> None:
    graph.stated_title(posting.title)
    graph.job_title(graph.occupation, posting.title)
    graph.out.add(graph.source.iri, dct("title"), posting.title)
    graph.out.add(graph.source.iri, dct("description"), posting.summary)
    graph.tasks(posting.responsibilities)
    for text in posting.objectives:
        graph.out.add(graph.occupation, occ("objective"), text)
    graph.skills(posting.skills)
    for text in posting.qualifications:
        graph.out.add(graph.occupation, occ("qualification"), text)
    graph.degrees(posting.degrees)
    graph.requirements(posting.requirements)
    graph.salaries(posting.salaries)


MAPPING = RecordMapping(JobDescription, write)

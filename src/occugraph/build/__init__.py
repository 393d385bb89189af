"""Building the graph: source files → records → links → RDF → a store.

The sub-modules follow the data: ``sources`` reads files, ``extract`` turns each into a
record (``records``), ``link`` ties records to O*NET occupations, ``rdf`` writes their
statements, ``manifest`` and ``targets`` keep and write a build, ``pipeline`` runs it.
"""

from occugraph.build.pipeline import BuildReport, build

__all__ = ["BuildReport", "build"]

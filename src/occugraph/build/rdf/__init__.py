"""RDF: the statements a build writes, graph by graph (documents, links, reference data)."""

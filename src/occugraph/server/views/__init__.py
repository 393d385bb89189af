"""One module per kind of page: the SPARQL endpoint, resources, saved queries, home."""

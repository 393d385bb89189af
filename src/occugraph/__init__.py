"""occugraph: a knowledge-graph builder and SPARQL endpoint for occupational data."""

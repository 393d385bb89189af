"""Where the graph lives: the embedded on-disk store, or a SPARQL 1.1 store at a URL."""

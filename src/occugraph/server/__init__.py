"""``occugraph serve``: the HTTP face of the graph (Starlette on uvicorn)."""

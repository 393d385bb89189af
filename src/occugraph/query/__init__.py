"""Asking the graph: saved queries, query workers, answers in the W3C formats, exports."""

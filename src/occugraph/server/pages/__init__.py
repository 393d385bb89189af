"""What HTML pages show, as data for templates: pure functions of query answers."""

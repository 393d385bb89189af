"""The full forms of the reliability tests: kill builds, faults, hostile input and requests, load.

Each module runs by hand from the project root (``python -m tests.reliability.NAME``, or the
``make`` target of the same name) and prints the figures ``docs/RELIABILITY.md`` reports. The
test files named there run the same code in a reduced form. They are not benchmarks: they
check that nothing breaks, not how fast it goes, so they live beside the tests they extend.
"""

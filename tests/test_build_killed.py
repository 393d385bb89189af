"""A build killed with SIGKILL at any moment leaves a store that opens, old or new, never half.

The reduced form of ``tests/reliability/kill_builds.py`` (same code, fewer pages and trials); the
full form and its figures are in docs/RELIABILITY.md.
"""

from __future__ import annotations

from pathlib import Path

from tests.reliability.kill_builds import Snapshot, process_group, run_trials

TRIALS = 4


def source_graphs(graphs: Snapshot) -> set[str]:
    return {name for name in graphs if name.startswith("<https://graph.org.ai/sources/")}


def test_killed_builds_leave_the_old_or_the_new_store(tmp_path: Path) -> None:
    result = run_trials(tmp_path, pages=100, changed=30, turnover=10, trials=TRIALS, seed=7)

    # The two editions differ as intended, so the killed builds had real work to do.
    old, new = source_graphs(result.old.snapshot), source_graphs(result.new.snapshot)
    assert len(old) == len(new) == 105
    assert len(old - new) == len(new - old) == 40
    assert len(result.trials) == TRIALS
    for trial in result.trials:
        assert trial.problems == [], trial.line()
        assert trial.outcome in ("old", "new")
        assert process_group(trial.killed.pid) == []  # no extraction worker outlives a trial

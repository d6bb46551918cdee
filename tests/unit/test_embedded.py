"""Child processes never outlive the process that started them."""

from __future__ import annotations

import subprocess
import sys


def test_a_child_whose_parent_died_before_it_asked_exits_at_once() -> None:
    code = "from agents.lifeline import die_with_parent; die_with_parent(parent=-1); print('alive')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "alive" not in proc.stdout


def test_a_child_whose_parent_lives_goes_on() -> None:
    code = (
        "import os; from agents.lifeline import die_with_parent; die_with_parent(parent=os.getppid()); print('alive')"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "alive"

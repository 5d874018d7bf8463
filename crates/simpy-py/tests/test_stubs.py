"""The type stubs match the module as built (mypy's stubtest, which type-checks them too)."""

import pathlib
import subprocess
import sys

ALLOWLIST = pathlib.Path(__file__).with_name("stubtest-allowlist.txt")


def test_the_stubs_match_the_built_module():
    run = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "simpy_grammar", "--allowlist", str(ALLOWLIST)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr

"""Every module of the application can be the first one imported (a CLI command, a bench script, a worker).

A circular import only fails when a particular module is imported first, which the test suite (importing the app
factory first) would never notice: bench/seed.py once did."""

from __future__ import annotations

import importlib
import os
import sys
import traceback

import pytest
from support import ROOT


def modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "lumos_learn").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a child per module")
def test_every_module_imports_first_in_a_fresh_interpreter_state(capfd):
    failed = []
    for name in modules():
        pid = os.fork()
        if pid == 0:  # the child forgets the application's modules (the libraries stay loaded) and imports one
            for loaded in [m for m in sys.modules if m == "lumos_learn" or m.startswith("lumos_learn.")]:
                del sys.modules[loaded]
            try:
                importlib.import_module(name)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        _pid, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(name)
    assert not failed, f"cannot be imported first: {failed}\n{capfd.readouterr().err[-3000:]}"

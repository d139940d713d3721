"""The core runs without Qt: every module outside hstc_desk.gui imports where Qt cannot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BLOCK_QT = r"""
import importlib, pkgutil, sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6"):
            raise ImportError(f"Qt is blocked in this test: {name}")
        return None
sys.meta_path.insert(0, BlockQt())
try:
    import PySide6  # noqa
    raise SystemExit("the Qt blocker does not work")
except ImportError:
    pass
import hstc_desk
names = []
for mod in pkgutil.walk_packages(hstc_desk.__path__, "hstc_desk."):
    if mod.name == "hstc_desk.gui" or mod.name.startswith("hstc_desk.gui.") \
            or mod.name.endswith(".__main__"):
        continue
    importlib.import_module(mod.name)
    names.append(mod.name)
leaked = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6")]
assert not leaked, leaked
print(len(names))
"""


def test_every_core_module_imports_without_qt() -> None:
    r = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip()) >= 20  # markings, store, domain, demo, cli, bench ...


def test_import_linter_contract_holds() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    r = subprocess.run([str(exe)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "KEPT" in r.stdout and "BROKEN" not in r.stdout

"""House style is checked, not hoped for: ruff lint and format over code and notebooks."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff():
    exe = shutil.which("ruff", path=str(ROOT / ".venv" / "bin")) or shutil.which("ruff")
    if exe is None:
        pytest.fail("ruff is not installed (it is in the dev extra)")
    return exe


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]])
def test_ruff(args):
    targets = ["src", "tests", "notebooks", "benchmarks", "scheduling", "tasks.py"]
    targets = [t for t in targets if (ROOT / t).exists()]
    result = subprocess.run([_ruff(), *args, *targets], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sys.version_info >= (3, 11)

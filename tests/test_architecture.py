"""The core and the audio know nothing of Qt (the design's first rule)."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import backbeat.audio
import backbeat.core


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [info.name for info in pkgutil.walk_packages(path, prefix)]


def test_core_and_audio_import_without_qt() -> None:
    modules = _modules(backbeat.core) + _modules(backbeat.audio)
    assert "backbeat.core.plan" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'backbeat.ui')))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"Qt pulled in by the core or audio: {result.stdout}"


def test_import_linter_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the test extra"
    repo_root = Path(__file__).resolve().parent.parent
    result = subprocess.run([lint_imports], capture_output=True, text=True, cwd=repo_root)
    assert result.returncode == 0, result.stdout + result.stderr

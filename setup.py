"""Build hook: put the top-level protocols/ and assets/ into the wheel as backbeat/data/.

Everything else about the package lives in pyproject.toml. The design keeps protocols/ and
assets/ at the repository root, where people edit them; an installed wheel has no repository
root, so the build copies them under the package, where ``backbeat.resources`` looks first.
An editable install copies nothing: ``backbeat.resources`` falls back to the root there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED_DIRS = ("protocols", "assets")
# Files that are never package data, wherever they turn up in assets/ or protocols/.
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "*~")


class BuildPyWithData(build_py):
    """``build_py`` that also copies protocols/ and assets/ to ``<build_lib>/backbeat/data``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        data_dir = Path(self.build_lib) / "backbeat" / "data"
        for name in BUNDLED_DIRS:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"backbeat build: {source} is missing; build from a full checkout")
            target = data_dir / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=IGNORED)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        data_dir = Path(self.build_lib) / "backbeat" / "data"
        for name in BUNDLED_DIRS:
            outputs += [str(p) for p in (data_dir / name).rglob("*") if p.is_file()]
        return outputs


setup(cmdclass={"build_py": BuildPyWithData})

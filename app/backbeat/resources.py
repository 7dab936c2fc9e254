"""Where Backbeat's bundled files live: in a source checkout, an installed wheel, or a
frozen (PyInstaller) bundle. No Qt here: the core and the CLI use it too."""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "backbeat"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    """``backbeat/data/<name>`` when installed or frozen, else ``<repo>/<name>``."""
    candidates = [_PACKAGE_DIR / "data" / name]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "backbeat" / "data" / name)
    candidates.append(_PACKAGE_DIR.parent.parent / name)  # app/backbeat -> repository root
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def bundled_protocols_dir() -> Path:
    return _data_dir("protocols")


def assets_dir() -> Path:
    return _data_dir("assets")


def platform_dirs() -> PlatformDirs:
    return PlatformDirs(APP_NAME, appauthor=False)


def user_protocols_dir() -> Path:
    """Where "Save as my protocol" writes, and where ``backbeat list`` finds user protocols."""
    return platform_dirs().user_data_path / "protocols"


def cache_dir() -> Path:
    return platform_dirs().user_cache_path


def log_dir() -> Path:
    """Where the debug log goes (underruns, native audio messages, reconnects)."""
    return platform_dirs().user_log_path

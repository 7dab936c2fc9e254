"""Work-arounds for known defects of particular Qt for Python releases."""

from __future__ import annotations

import ctypes
import sys

import PySide6

#: Extra references given to None, far more than a session's Qt calls can ever drop.
_NONE_GUARD = 1 << 40
_applied: list[bool] = []  # once per process


def guard_none_refcount() -> bool:
    """Keep PySide6 6.12 on Python 3.11 from freeing ``None``.

    PySide6 6.12.0 returns ``None`` from every void method without taking a reference;
    on Python < 3.12, where ``None`` is not yet immortal, each ``painter.setPen(...)``
    drops one reference, and after a minute of painting the interpreter aborts with
    "deallocating None". pyproject.toml keeps 6.12 off Python 3.11; this guard protects
    an install that has it anyway. Returns True when the guard was applied.
    """
    if sys.version_info >= (3, 12) or not PySide6.__version__.startswith("6.12."):
        return False
    if _applied:
        return True
    _applied.append(True)
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field
    refcount.value += _NONE_GUARD
    return True

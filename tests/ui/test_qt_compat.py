"""The guard against PySide6 6.12's lost references to None (fatal on Python 3.11)."""

from __future__ import annotations

import sys

import pytest

from backbeat.ui import qt_compat


def test_the_guard_applies_only_to_the_faulty_release_on_old_pythons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(qt_compat.PySide6, "__version__", "6.11.3")
    assert qt_compat.guard_none_refcount() is False
    monkeypatch.setattr(qt_compat.PySide6, "__version__", "6.12.0")
    monkeypatch.setattr(qt_compat, "_applied", [])
    before = sys.getrefcount(None)
    applied = qt_compat.guard_none_refcount()
    assert applied is (sys.version_info < (3, 12))
    if applied:
        assert sys.getrefcount(None) > before + qt_compat._NONE_GUARD - 1000
        assert qt_compat.guard_none_refcount() is True  # once per process
        assert sys.getrefcount(None) < before + 2 * qt_compat._NONE_GUARD


def test_painting_does_not_lose_references_to_none(qtbot: object) -> None:
    from PySide6.QtGui import QColor, QImage, QPainter

    if qt_compat.PySide6.__version__.startswith("6.12.") and sys.version_info < (3, 12):
        pytest.skip("this PySide6 release leaks None; the app runs behind the guard")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(2000):
        painter.setPen(QColor("red"))
    painter.end()
    assert sys.getrefcount(None) > before - 100

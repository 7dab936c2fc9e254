"""Ctrl+Q ends the program with exit status 0: the real entry point, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

# What `python -m backbeat` runs, with a Ctrl+Q pressed on the window once it is up.
SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from backbeat.cli import main
    from backbeat.ui.app import create_application

    app = create_application()

    def press_ctrl_q():
        windows = [w for w in QApplication.topLevelWidgets() if w.isActiveWindow()]
        if not windows:
            QTimer.singleShot(100, press_ctrl_q)
            return
        print("window:", windows[0].windowTitle(), flush=True)
        QTest.keyClick(windows[0], Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(300, press_ctrl_q)
    sys.exit(main([]))
    """
)


def test_ctrl_q_quits_with_status_zero(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {
        **os.environ,
        # A home of its own: the real user's protocols, settings and caches stay unread.
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "QT_QPA_PLATFORM": "offscreen",
        "BACKBEAT_SETTINGS_FILE": str(tmp_path / "settings.ini"),
        "BACKBEAT_AUDIO_OUTPUT": "null",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "window: Backbeat" in result.stdout
    assert "Traceback" not in result.stderr

"""Entry script of the frozen app: the same command line as the installed ``backbeat``.

On Windows and macOS the spec also builds it as a windowed program named ``backbeat-gui``
(what the Start menu and the .app run); that copy always opens the window, as the
``backbeat-gui`` script of a pip install does.
"""

import multiprocessing
import sys
from pathlib import Path

from backbeat.cli import gui_main, main

if __name__ == "__main__":
    # A no-op unless a worker process is being started from the frozen executable (Windows).
    multiprocessing.freeze_support()
    windowed = Path(sys.executable).stem.lower() == "backbeat-gui"
    sys.exit(gui_main() if windowed else main())

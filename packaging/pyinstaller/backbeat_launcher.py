"""Entry script of the frozen app: the same command line as the installed ``backbeat``.

On Windows and macOS the spec also builds it as a windowed program named ``backbeat-gui``
(what the Start menu and the .app run); that copy always opens the window, as the
``backbeat-gui`` script of a pip install does. It also runs the child module the app
starts as ``sys.executable -m MODULE`` (a frozen executable has no ``-m`` of its own).
"""

import multiprocessing
import sys
from pathlib import Path

#: The one module the app runs as a child (``sys.executable -m ...``, the frozen app here).
CHILD_MODULES = ("backbeat.audio.piper_split",)

if __name__ == "__main__":
    # A no-op unless a worker process is being started from the frozen executable (Windows).
    multiprocessing.freeze_support()
    if sys.argv[1:2] == ["-m"] and sys.argv[2:3] and sys.argv[2] in CHILD_MODULES:
        from backbeat.audio import piper_split

        sys.exit(piper_split.main(sys.argv[3:]))
    from backbeat.cli import gui_main, main

    windowed = Path(sys.executable).stem.lower() == "backbeat-gui"
    sys.exit(gui_main() if windowed else main())

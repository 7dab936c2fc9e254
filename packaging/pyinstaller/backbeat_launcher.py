"""Entry script of the frozen app: the same command line as the installed ``backbeat``."""

import multiprocessing
import sys

from backbeat.cli import main

if __name__ == "__main__":
    # A no-op unless a worker process is being started from the frozen executable (Windows).
    multiprocessing.freeze_support()
    sys.exit(main())

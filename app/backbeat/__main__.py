"""`python -m backbeat` runs the same command line as the `backbeat` script."""

import sys

from backbeat.cli import main

sys.exit(main())

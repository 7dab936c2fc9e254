"""The debug log: what the user need not see but a bug report wants (underruns, the audio
libraries' own messages, device losses and reconnects). A small rotating file in the
user's log folder; nothing of it reaches the terminal."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
from collections.abc import Iterator

from backbeat import resources

LOG_FILE = "backbeat.log"
MAX_BYTES = 512 * 1024


@contextlib.contextmanager
def debug_log() -> Iterator[None]:
    """Send ``backbeat.*`` records at DEBUG and above to the log file while open; the
    terminal keeps only Python's default (warnings and worse)."""
    logger = logging.getLogger("backbeat")
    try:
        folder = resources.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=1, encoding="utf-8"
        )
    except OSError:  # no writable log folder: the session matters more than its log
        yield
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    level, logger.level = logger.level, logging.DEBUG
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        handler.close()

"""Suite-wide isolation: tests never read or write the real user's data, cache or settings.

The XDG folders point into one temporary tree for the whole run (platformdirs reads them on
every call), so the voice cache is shared between tests but never with the user.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_ISOLATED_HOME = Path(tempfile.mkdtemp(prefix="backbeat-tests-"))
for _name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = str(_ISOLATED_HOME / _name.lower())

REPO_ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS_DIR = REPO_ROOT / "protocols"

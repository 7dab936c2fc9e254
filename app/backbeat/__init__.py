"""Backbeat: a hands-free coach for giving a back massage at home."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("backbeat")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

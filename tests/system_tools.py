"""System tools that pip cannot install (Chromium, pango, zbar, poppler): a test that needs one
skips with the reason where it is missing, except under CI=true, where `.ci/run` has installed
them and a missing tool is a failure."""

from __future__ import annotations

import ctypes.util
import os
import shutil

import pytest

# What provides each tool on Debian (what .ci/run installs).
DEBIAN_PACKAGES = {
    "chromium": "chromium",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "zbarimg": "zbar-tools",
    "wrk": "wrk",
    "pango-1.0": "libpango-1.0-0",
}


def _present(tool: str) -> bool:
    if tool.startswith("pango"):
        return ctypes.util.find_library(tool) is not None
    return shutil.which(tool) is not None


def require_tool(tool: str) -> None:
    """Skip the calling test when `tool` is missing; fail instead under CI=true."""
    if _present(tool):
        return
    package = DEBIAN_PACKAGES.get(tool, tool)
    reason = f"{tool} is not installed (Debian package {package}; .ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"under CI=true: {reason}")
    pytest.skip(reason)

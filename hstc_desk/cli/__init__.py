"""The ``hstc`` command: headless work, scripting, and the contract tests rely on."""

from hstc_desk.cli.main import main

__all__ = ["main"]

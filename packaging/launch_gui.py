"""Frozen entry point of the desktop app."""

import sys

from hstc_desk.gui.app import main

sys.exit(main())

"""Frozen entry point of the ``hstc`` command."""

import sys

from hstc_desk.cli import main

sys.exit(main())

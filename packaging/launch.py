"""Frozen entry point of both programs: one executable, two names.

The bundle holds one executable, ``hstc-desk`` (the window), and ``hstc`` beside it as a symbolic
link to it (the command): one copy of the Python archive instead of two. The name it was started
by chooses the program.
"""

import sys
from pathlib import Path

if Path(sys.argv[0]).name.startswith("hstc-desk"):
    from hstc_desk.gui.app import main
else:
    from hstc_desk.cli import main

sys.exit(main())

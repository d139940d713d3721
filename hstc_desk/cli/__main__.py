"""``python -m hstc_desk.cli``."""

import sys

from hstc_desk.cli.main import main

sys.exit(main())

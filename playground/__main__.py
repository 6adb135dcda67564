"""`python -m playground` runs the command line."""

import sys

from playground.cli import main

sys.exit(main())

"""``python -m egovkit`` runs the command line."""

import sys

from egovkit.cli import main

sys.exit(main())

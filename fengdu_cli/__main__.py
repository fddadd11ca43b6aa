"""``python -m fengdu_cli`` runs the command-line interface."""

import sys

from fengdu_cli.cli import main

sys.exit(main())

"""fengdu — 丰都县就业帮扶数据核对与补贴发放工具.

Reads the township rosters and the bureau's exports, validates them, cross-matches
people against employment and social insurance, and produces subsidy payment lists.
The modules are a library: they return DataFrames or frozen dataclasses and never
print, exit or configure logging; :mod:`fengdu_cli.cli` is the only place that talks to a terminal.
"""

import logging

__version__ = "0.1.0"

# a library logs, it does not configure logging: the command line (or the caller) does
logging.getLogger(__name__).addHandler(logging.NullHandler())

"""fengdu — 丰都县就业帮扶数据核对与补贴发放工具.

Reads the township rosters and the bureau's exports, validates them, cross-matches
people against employment and social insurance, and produces subsidy payment lists.
The modules are a library: they return DataFrames or frozen dataclasses and never
print, exit or configure logging; :mod:`fengdu_cli.cli` is the only place that talks to a terminal.
"""

import logging

import pandas as pd

__version__ = "0.1.0"

# pandas 3 keeps text in pyarrow when pyarrow is installed (it is: io/large_csv.py reads
# large CSVs with it), else in Python objects.  Every step here was built, checked and
# measured on the Python storage (on pyarrow's, a county's insurance check took 1.7 GiB
# against 1.0 and ran slower): keep it, whatever else is installed.
pd.set_option("mode.string_storage", "python")

# a library logs, it does not configure logging: the command line (or the caller) does
logging.getLogger(__name__).addHandler(logging.NullHandler())

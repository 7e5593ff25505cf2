"""Fail early, with one clear line, when the Python that builds the virtualenv is too old."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - runs under whatever python3 a newcomer has
    version = ".".join(map(str, sys.version_info[:3]))
    sys.exit(f"gutbot needs Python 3.11+; {sys.executable} is {version} (set PYTHON=...)")

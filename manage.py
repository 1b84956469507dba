#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drsui.settings")
    from django.core.management import execute_from_command_line

    from drsui.production import UnsafeProductionSettings

    try:
        execute_from_command_line(sys.argv)
    except UnsafeProductionSettings as exc:  # a list for a person, not a traceback
        sys.exit(str(exc))


if __name__ == "__main__":
    main()

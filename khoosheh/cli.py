"""The ``khoosheh`` command: Django's manage.py, installed as a console script."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khoosheh.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "khoosheh"
    # Our commands are spelled with dashes on the command line (import-units);
    # Django names them after their modules (import_units).
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

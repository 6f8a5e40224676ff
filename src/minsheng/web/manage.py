"""``python -m minsheng.web.manage`` — Django's manage.py, from inside the package (also `minsheng manage`)."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["minsheng manage", *(sys.argv[1:] if argv is None else argv)])
    return 0


if __name__ == "__main__":
    sys.exit(main())

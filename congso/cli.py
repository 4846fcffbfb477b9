"""The `congso` command: Django's management commands under the project's own name.

congso demo            set up the embedded demo and serve it at http://127.0.0.1:8000
congso serve           run the production server (Granian + whitenoise)
congso migrate         apply database migrations
congso audit verify    check the audit chain
congso storage sweep   remove stored files no row names (--grace 24h, --dry-run)
congso help            every other command
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "congso"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

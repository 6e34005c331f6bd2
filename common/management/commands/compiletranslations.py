"""Compile locale/*/LC_MESSAGES/*.po to .mo without GNU gettext (pure Python, polib).

``make run`` must work on a machine that has only Python and make; Django's own
``compilemessages`` needs the msgfmt binary.
"""

from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS into a .mo file."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_dir in self._locale_dirs():
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                count += 1
        self.stdout.write(f"Compiled {count} translation catalogue(s).")

    def _locale_dirs(self) -> list[Path]:
        """The project's locale/ and each of our apps' own locale/ folders."""
        dirs = [Path(p) for p in settings.LOCALE_PATHS]
        for config in apps.get_app_configs():
            candidate = Path(config.path) / "locale"
            if candidate.is_dir() and "site-packages" not in config.path:
                dirs.append(candidate)
        return dirs

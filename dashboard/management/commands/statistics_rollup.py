from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from dashboard import rollup
from incidents.models import FiguresZone


class Command(BaseCommand):
    help = (
        "Rebuild the statistics rollup from the live computation (every organisation, in its "
        "time zone), or with --check compare the two and name every month and measure that "
        "differs (exit 1)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="compare only, change nothing")
        parser.add_argument(
            "--missing", action="store_true", help="build only where no rollup is kept yet"
        )
        parser.add_argument("--organisation", type=int, help="one organisation (id)")

    def handle(
        self, *args: Any, check: bool, missing: bool, organisation: int | None, **options: Any
    ) -> None:
        if missing:
            built = rollup.build_missing()
            self.stdout.write(f"built: {len(built)} organisation(s)")
            return
        orgs = Organisation.objects.order_by("pk")
        if organisation is not None:
            orgs = orgs.filter(pk=organisation)
        wrong = 0
        for org, zone in orgs.values_list("pk", "time_zone"):
            if not check:
                cells = rollup.rebuild(org, zone)
                self.stdout.write(f"organisation {org} ({zone}): {cells} figures rebuilt")
                continue
            kept = FiguresZone.objects.filter(organisation_id=org).values_list("zone", flat=True)
            for kept_zone in kept:
                found = rollup.differences(org, kept_zone)
                wrong += len(found)
                self.stdout.write(
                    f"organisation {org} ({kept_zone}): "
                    + ("exact" if not found else f"{len(found)} figure(s) differ")
                )
                for line in found:
                    self.stdout.write(f"  {line}")
        if wrong:
            raise CommandError(f"{wrong} figure(s) differ from the live computation; rebuild")

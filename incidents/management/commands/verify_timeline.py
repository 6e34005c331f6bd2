from typing import Any

from django.core.management.base import BaseCommand, CommandError

from incidents.models import Incident
from incidents.services.timeline import timeline_verify


class Command(BaseCommand):
    help = "Verify the hash chain of incident timelines; report the first broken link."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("refs", nargs="*", help="incident references (default: all)")

    def handle(self, *args: Any, refs: list[str], **options: Any) -> None:
        incidents = Incident.objects.order_by("id")
        if refs:
            incidents = incidents.filter(ref__in=refs)
        broken = 0
        for incident in incidents.iterator():
            status = timeline_verify(incident=incident)
            if status.ok:
                self.stdout.write(f"{incident.ref}: ok ({status.entries} entries)")
            else:
                broken += 1
                self.stdout.write(
                    f"{incident.ref}: BROKEN at entry {status.first_broken_seq} ({status.reason})"
                )
        if broken:
            raise CommandError(f"{broken} timeline(s) broken")

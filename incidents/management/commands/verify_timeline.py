from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from common import observability
from incidents import anchors
from incidents.anchors import Checkpoint
from incidents.models import Incident
from incidents.services.timeline import ChainStatus, Check, timeline_verify


class Command(BaseCommand):
    help = (
        "Verify the keyed hash chain of incident timelines against the latest signed checkpoint "
        "(or a given one); name the check that failed and the entry."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("refs", nargs="*", help="incident references (default: all)")
        parser.add_argument(
            "--checkpoint",
            type=Path,
            help="a checkpoint file (e.g. the copy mailed to the ISMS office) to verify against, "
            "instead of the latest one under TIMELINE_ANCHOR_DIR",
        )

    def handle(self, *args: Any, refs: list[str], checkpoint: Path | None, **options: Any) -> None:
        given = self._read(checkpoint) if checkpoint else None
        incidents = Incident.objects.order_by("organisation_id", "id")
        if given:
            incidents = incidents.filter(organisation_id=given.organisation_id)
        if refs:
            incidents = incidents.filter(ref__in=refs)
        latest: dict[int, Checkpoint | None] = {}
        seen: set[int] = set()
        broken = 0
        for incident in incidents.iterator():
            org = incident.organisation_id
            if given is None and org not in latest:
                latest[org] = anchors.latest(org)
                self._say_checkpoint(org, latest[org])
            point = given or latest[org]
            seen.add(incident.pk)
            status = timeline_verify(
                incident=incident, anchor=point.anchored(incident.pk) if point else None
            )
            broken += not status.ok
            self.stdout.write(f"{incident.ref}: {self._describe(status)}")
        if given is None and not refs:
            for org in anchors.organisations_anchored() - set(latest):
                latest[org] = anchors.latest(org)
                self._say_checkpoint(org, latest[org])
        for point in [given] if given else latest.values():
            broken += self._missing(point, seen, refs)
        if not refs and given is None:  # a full run: what /metrics reports
            observability.record_timeline_verify(checked=len(seen), broken=broken)
        if broken:
            raise CommandError(f"{broken} timeline(s) broken")

    def _read(self, path: Path) -> Checkpoint:
        try:
            point = anchors.read(path)
        except anchors.CheckpointInvalid as exc:
            raise CommandError(str(exc)) from exc
        self._say_checkpoint(point.organisation_id, point)
        return point

    def _say_checkpoint(self, organisation_id: int, point: Checkpoint | None) -> None:
        if point is None:
            self.stdout.write(f"organisation {organisation_id}: no checkpoint yet")
        else:
            self.stdout.write(
                f"organisation {organisation_id}: checkpoint {point.name} "
                f"({point.created_at.isoformat()}, {len(point.heads)} heads)"
            )

    def _describe(self, status: ChainStatus) -> str:
        anchored = f", anchored up to {status.anchored_seq}" if status.anchored_seq else ""
        if status.ok:
            return f"ok ({status.entries} entries{anchored}, head {status.head_hash})"
        return (
            f"BROKEN at entry {status.first_broken_seq}: {status.check} ({status.reason}{anchored})"
        )

    def _missing(self, point: Checkpoint | None, seen: set[int], refs: list[str]) -> int:
        """Incidents the checkpoint anchored that are no longer in the database at all."""
        if point is None:
            return 0
        gone = [
            head
            for incident_id, head in point.heads.items()
            if incident_id not in seen
            and (not refs or head.ref in refs)
            and not Incident.objects.filter(pk=incident_id).exists()
        ]
        for head in gone:
            self.stdout.write(
                f"{head.ref}: BROKEN at entry 1: {Check.TAIL_MISSING} (the incident is gone; "
                f"the checkpoint anchored {head.seq} entries)"
            )
        return len(gone)

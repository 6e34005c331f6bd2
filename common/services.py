from common import clock
from common.models import WorkerHeartbeat


def heartbeat_record(*, name: str, hostname: str = "") -> WorkerHeartbeat:
    """Upsert the heartbeat row; idempotent, the last writer wins."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": clock.now(), "hostname": hostname[:255]}
    )
    return beat

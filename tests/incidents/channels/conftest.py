import json
import time
from pathlib import Path

import pytest
from django.urls import reverse

from incidents.channels.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from incidents.services import channels

SAMPLES = Path(__file__).resolve().parents[3] / "incidents" / "channels" / "samples"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text())


@pytest.fixture
def register(organisation, isms_office):
    def _register(fmt="DEFENDER", name="Defender", **kwargs):
        return channels.alert_source_register(
            organisation=organisation, actor=isms_office, name=name, fmt=fmt, **kwargs
        )

    return _register


def signed_post(client, registered, body, *, secret=None, timestamp=None, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    ts = str(int(time.time())) if timestamp is None else timestamp
    headers = {
        TIMESTAMP_HEADER: ts,
        SIGNATURE_HEADER: sign(secret or registered.secret, ts, raw)
        if signature is None
        else signature,
    }
    return client.post(
        reverse("incidents:alert_hook", args=[registered.source.token]),
        data=raw,
        content_type="application/json",
        headers=headers,
    )

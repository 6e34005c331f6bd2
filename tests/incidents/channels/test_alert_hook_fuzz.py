"""The webhook, fuzzed: whatever the body and headers, the answer is 2xx, 400, 401 or 404 with a
machine-readable code, never a 5xx (in the spirit of tests/test_api_fuzz.py)."""

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.channels.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from tests.incidents.channels.conftest import sample

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON,
        "title": JSON,
        "severity": st.sampled_from(["High", "low", "critical", "", "x"]) | JSON,
        "computerDnsName": JSON,
        "hostname": st.text(max_size=300),
        "evidence": st.lists(
            st.dictionaries(st.sampled_from(["ipAddress", "url", "sha256", "domainName"]), JSON),
            max_size=3,
        ),
        "indicators": st.dictionaries(st.sampled_from(["ips", "domains", "urls", "sha256"]), JSON),
        "rule": st.fixed_dictionaries(
            {}, optional={"level": JSON, "description": JSON, "groups": JSON}
        ),
        "agent": JSON,
        "data": JSON,
        "syscheck": JSON,
    },
)
BODIES = (
    FIELDS.map(lambda d: json.dumps(d).encode())
    | st.binary(max_size=200)
    | JSON.map(lambda v: json.dumps(v).encode())
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check(response):
    assert response.status_code in (200, 201, 400, 401, 404), response.content[:300]
    assert response.json()["code" if response.status_code >= 400 else "report"] is not None


def test_signed_random_alerts_of_every_format_never_get_a_5xx(client, register):
    sources = [register(fmt, name=fmt) for fmt in ("DEFENDER", "WAZUH", "GENERIC_JSON")]

    @FUZZ
    @given(body=BODIES, which=st.integers(0, 2))
    def post(body, which):
        registered = sources[which]
        ts = str(int(time.time()))
        response = client.post(
            f"/hooks/alerts/{registered.source.token}/",
            data=body,
            content_type="application/json",
            headers={TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(registered.secret, ts, body)},
        )
        _check(response)

    post()


def test_random_headers_never_get_a_5xx(client, register):
    registered = register("DEFENDER")
    body = json.dumps(sample("defender")).encode()

    @FUZZ
    @given(
        ts=st.text(max_size=30),
        sig=st.text(max_size=80),
        token=st.text("abcXYZ019-_", min_size=1, max_size=70),
    )
    def post(ts, sig, token):
        headers = {
            TIMESTAMP_HEADER: ts.encode("ascii", "ignore").decode() or "0",
            SIGNATURE_HEADER: sig.encode("ascii", "ignore").decode() or "x",
        }
        for address in (
            f"/hooks/alerts/{registered.source.token}/",
            f"/hooks/alerts/{token.replace('/', '')}/",
        ):
            response = client.post(
                address, data=body, content_type="application/json", headers=headers
            )
            if response.status_code != 404 or response.get("Content-Type") == "application/json":
                _check(response)

    post()

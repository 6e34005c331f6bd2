"""Every role × every endpoint of the roster, decision and BCP API, with the status each gets.

What you may not see is 404; what you may see but not do is 403 (a decision you are not in the
chain for answers 403 NOT_ELIGIBLE); anonymous is 401; a read-only API key writing is 403.
"""

import pytest

from bcp.services import decisions
from tests.bcp.api.conftest import API, ROLES, later
from tests.conftest import _holder
from tests.incidents.api.conftest import ERROR_CODES, wrong_answers

RA, AB, DL = "/role-assignments", "/absences", "/delegations"
DE, BA = "/decisions", "/incidents/{ref}/bcp-actions"

# reporter, handler, isms_office, csirt_lead, decision_maker, deputy, outsider, anonymous,
# key_read, key_write
MATRIX = [
    ("GET", RA + "/", None, (403, 200, 200, 200, 200, 200, 403, 401, 200, 200)),
    ("GET", RA + "/{assignment}/", None, (404, 200, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", RA + "/", "assign", (403, 403, 201, 403, 403, 403, 403, 401, 403, 403)),
    ("PATCH", RA + "/{assignment}/", "scope", (404, 403, 200, 403, 403, 403, 404, 401, 403, 403)),
    ("DELETE", RA + "/{assignment}/", None, (404, 403, 204, 403, 403, 403, 404, 401, 403, 403)),
    ("GET", AB + "/", None, (403, 200, 200, 200, 200, 200, 403, 401, 200, 200)),
    ("GET", AB + "/{absence}/", None, (404, 200, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", AB + "/", "absence", (403, 403, 201, 403, 403, 403, 403, 401, 403, 403)),
    ("PATCH", AB + "/{absence}/", "reason", (404, 403, 200, 403, 403, 403, 404, 401, 403, 403)),
    ("DELETE", AB + "/{absence}/", None, (404, 403, 204, 403, 403, 403, 404, 401, 403, 403)),
    ("GET", DL + "/", None, (403, 200, 200, 200, 200, 200, 403, 401, 200, 200)),
    ("GET", DL + "/{delegation}/", None, (404, 200, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", DL + "/", "delegate", (403, 403, 201, 403, 403, 403, 403, 401, 403, 403)),
    ("PATCH", DL + "/{delegation}/", "reason", (404, 403, 200, 403, 403, 403, 404, 401, 403, 403)),
    ("DELETE", DL + "/{delegation}/", None, (404, 403, 204, 403, 403, 403, 404, 401, 403, 403)),
    ("GET", DE + "/", None, (200, 200, 200, 200, 200, 200, 200, 401, 200, 200)),
    ("GET", DE + "/{open}/", None, (404, 200, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", DE + "/{open}/decide/", "approve", (404, 403, 403, 403, 200, 200, 404, 401, 403, 403)),
    ("POST", DE + "/{cut}/ratify/", {}, (404, 403, 403, 403, 200, 403, 404, 401, 403, 403)),
    ("POST", DE + "/", "open", (404, 403, 201, 201, 201, 201, 404, 401, 403, 403)),
    ("POST", DE + "/{open}/withdraw/", "wd", (404, 403, 200, 200, 200, 200, 404, 401, 403, 403)),
    ("GET", "/bcp-activations/", None, (200, 200, 200, 200, 200, 200, 200, 401, 200, 200)),
    ("GET", "/bcp-activations/{ref}/", None, (404, 200, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("GET", BA + "/", None, (404, 200, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("GET", BA + "/{todo}/", None, (404, 200, 200, 200, 200, 200, 404, 401, 200, 200)),
    ("POST", BA + "/{todo}/execute/", {}, (404, 200, 200, 200, 403, 403, 404, 401, 403, 200)),
    ("POST", BA + "/{done}/restore/", {}, (404, 200, 200, 200, 403, 403, 404, 401, 403, 200)),
]  # fmt: skip

ROWS = [
    pytest.param(method, path, body, statuses, id=f"{method}-{path}")
    for method, path, body, statuses in MATRIX
]
CODES = {
    **ERROR_CODES,
    403: ERROR_CODES[403] | {"NOT_ELIGIBLE", "NOT_ALLOWED_TO_OPEN"},
}


def _bodies(world):
    return {
        "assign": {"role": "PR", "user": world["reporter_id"], "priority": 1},
        "scope": {"authority_scope": ["ESTABLISH_IRT"]},
        "absence": {"user": world["deputy_id"], "starts_at": later(1), "ends_at": later(5)},
        "reason": {"reason": "出張"},
        "delegate": {
            "role": "DECISION_MAKER",
            "delegator": world["president_id"],
            "delegate": world["lead_id"],
            "starts_at": later(1),
            "ends_at": later(5),
        },
        "approve": {"outcome": "APPROVED", "scope": "FULL", "rationale": "二次感染を確認"},
        "open": {"incident": world["ref"], "type": "PUBLIC_ANNOUNCEMENT", "reason": "報道の問合せ"},
        "wd": {"reason": "状況が変わった"},
    }


@pytest.mark.parametrize(("method", "path", "body", "statuses"), ROWS)
def test_every_role_gets_the_status_of_the_matrix(client_for, world, method, path, body, statuses):
    url = API + path.format(**world)

    def send(client):
        payload = _bodies(world)[body] if isinstance(body, str) else body
        return getattr(client, method.lower())(url, payload, format="json")

    assert wrong_answers(client_for, zip(ROLES, statuses, strict=True), send, CODES) == []


@pytest.mark.parametrize("path", ["/decisions/", "/bcp-activations/"])
def test_people_who_see_no_incident_get_empty_lists(client_for, world, path):
    for role in ("reporter", "outsider"):
        response = client_for(role).get(API + path)
        assert response.status_code == 200
        assert response.json()["results"] == []


def test_legal_sees_the_decisions_of_the_incident_where_it_holds_one(
    client_for, world, incident, organisation
):
    """Issue 16 item 6: a role sees the incidents where it holds a task, a decision or an
    obligation — legal/privacy, holding the reportability decision (and its checklist task),
    reads that incident's decisions, and only that incident's."""
    from bcp.models import Decision

    legal = _holder(organisation, "LEGAL_PRIVACY", "legal")
    client = client_for("reporter")
    client.force_login(legal)
    appi = decisions.decision_open(incident=incident, decision_type="APPI_REPORTABILITY")
    listed = {d["id"] for d in client.get(f"{API}/decisions/").json()["results"]}
    assert appi.pk in listed
    assert listed == set(Decision.objects.filter(incident=incident).values_list("pk", flat=True))

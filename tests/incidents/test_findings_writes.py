"""How an infection is written (issue 20): its few statements, and the same rows as before."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import AffectedAsset, Asset, Fact
from incidents.services import findings


def _asset(incident, tag):
    return Asset.objects.create(organisation_id=incident.organisation_id, asset_tag=tag)


def test_a_new_infected_asset_is_one_insert_with_its_final_fields(incident, handler):
    asset = _asset(incident, "PC-NEW")
    with CaptureQueriesContext(connection) as queries:
        findings.asset_infection_set(
            incident=incident, actor=handler, asset=asset, state="SUSPECTED", via="LATERAL"
        )
    written = [
        q["sql"]
        for q in queries
        if q["sql"].startswith(
            ('INSERT INTO "incidents_affectedasset"', 'UPDATE "incidents_affectedasset"')
        )
    ]
    assert len(written) == 1
    assert written[0].startswith("INSERT") and "ON CONFLICT DO NOTHING" in written[0]
    row = AffectedAsset.objects.get(incident=incident, asset=asset)
    assert (row.infection_state, row.infection_via) == ("SUSPECTED", "LATERAL")
    assert row.first_infected_at is not None
    assert row.infection_observed_at is not None


def _locks_incident(sql):
    return 'FROM "incidents_incident"' in sql and " FOR UPDATE" in sql


def test_an_infection_locks_the_incident_once_for_its_entry_and_the_reinfection_check(
    incident, handler
):
    findings.asset_infection_set(
        incident=incident, actor=handler, asset=_asset(incident, "PC-FIRST"), state="SUSPECTED"
    )
    asset = _asset(incident, "PC-LOCK")
    with CaptureQueriesContext(connection) as queries:
        findings.asset_infection_set(
            incident=incident, actor=handler, asset=asset, state="SUSPECTED"
        )
    sqls = [q["sql"] for q in queries]
    entry = next(
        i for i, sql in enumerate(sqls) if sql.startswith('INSERT INTO "incidents_timelineentry"')
    )
    # One lock up to the change's timeline entry: the entry is appended under it (3 before:
    # the entry's, the reinfection check's and the re-evaluation's).
    assert len([sql for sql in sqls[:entry] if _locks_incident(sql)]) == 1
    # A containing incident is not read again for the reinfection check (§3.1).
    assert not [
        sql
        for sql in sqls
        if _locks_incident(sql)
        and sql.startswith('SELECT "incidents_incident"."id", ')
        and "accounts_organisation" not in sql
    ]


def test_an_asset_added_by_another_transaction_meanwhile_gets_the_infection(
    incident, handler, monkeypatch
):
    asset = _asset(incident, "PC-RACE")
    AffectedAsset.objects.create(incident=incident, asset=asset, note="added by someone else")
    looked = []
    real = findings._AFFECTED_LOCKED

    def not_yet_committed_at_the_first_look(*args):
        looked.append(args)
        return [] if len(looked) == 1 else real(*args)

    monkeypatch.setattr(findings, "_AFFECTED_LOCKED", not_yet_committed_at_the_first_look)
    findings.asset_infection_set(incident=incident, actor=handler, asset=asset, state="CONFIRMED")
    assert len(looked) == 2
    row = AffectedAsset.objects.get(incident=incident, asset=asset)
    assert (row.infection_state, row.note) == ("CONFIRMED", "added by someone else")
    fact = Fact.objects.filter(incident=incident, asset=asset).get()
    assert (fact.data["from"], fact.data["to"]) == ("NONE", "CONFIRMED")


def test_a_worse_state_of_an_infected_asset_updates_its_row_in_place(incident, handler):
    asset = _asset(incident, "PC-WORSE")
    findings.asset_infection_set(incident=incident, actor=handler, asset=asset, state="SUSPECTED")
    first = AffectedAsset.objects.get(incident=incident, asset=asset)
    findings.asset_infection_set(
        incident=incident, actor=handler, asset=asset, state="COMPROMISED", capability="RANSOMWARE"
    )
    row = AffectedAsset.objects.get(incident=incident, asset=asset)
    assert row.pk == first.pk
    assert (row.infection_state, row.malware_capability) == ("COMPROMISED", "RANSOMWARE")
    assert row.infection_observed_at == first.infection_observed_at
    assert row.first_infected_at == first.first_infected_at

"""Tamper evidence of the timeline: keyed entries, signed checkpoints, and the check that failed."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import importlib
import io
import json
import shutil
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.transaction import TransactionManagementError

from incidents import anchors, chain
from incidents.anchors import Head
from incidents.models import Incident, TimelineEntry
from incidents.services import tasks
from incidents.services.checkpoints import timeline_anchor_all, timeline_checkpoint
from incidents.services.timeline import timeline_append, timeline_verify
from incidents.tasks import anchor_timelines
from tests.factories import UserFactory
from tests.incidents import tamper

reanchor = importlib.import_module("incidents.migrations.0013_timeline_legacy_reanchor")
OTHER_KEY = base64.b64encode(b"k" * 32).decode()


@pytest.fixture
def grown(incident, handler):
    for title in ("x", "y", "z"):
        tasks.task_create(incident=incident, actor=handler, title=title)
    return incident


def _command(*args: str) -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("verify_timeline", *args, stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


def _last_seq(incident) -> int:
    return incident.timeline.order_by("-seq").values_list("seq", flat=True)[0]


# --- Keys --------------------------------------------------------------------------------------


def test_a_new_entry_carries_the_hmac_of_the_current_key(incident, settings):
    entry = incident.timeline.order_by("-seq").first()
    key = settings.TIMELINE_HMAC_KEYS[settings.TIMELINE_HMAC_KEY_ID]
    body = json.loads(chain.canonical(entry))
    assert entry.key_id == settings.TIMELINE_HMAC_KEY_ID
    assert body["key"] == entry.key_id
    message = (entry.prev_hash + chain.canonical(entry)).encode()
    assert entry.hash == hmac.new(key, message, hashlib.sha256).hexdigest()
    assert entry.hash != hashlib.sha256(message).hexdigest()


@pytest.mark.parametrize(
    ("keep_key_id", "check"), [(True, "hmac_mismatch"), (False, "unkeyed_entry")]
)
def test_an_entry_rewritten_with_the_chain_recomputed_without_the_key_is_reported(
    grown, keep_key_id, check
):
    tamper.rewrite_and_rechain(grown, 2, {"forged": True}, keep_key_id=keep_key_id)
    status = timeline_verify(incident=grown)
    assert (status.ok, status.check, status.first_broken_seq) == (False, check, 2)
    output, passed = _command()
    assert not passed
    assert f"{grown.ref}: BROKEN at entry 2: {check} ({status.reason}" in output


def test_a_chain_rewritten_from_its_first_entry_as_plain_sha256_is_reported(grown):
    # What plain SHA-256 verification accepted: every hash recomputed, no key anywhere.
    first = grown.timeline.get(seq=1)
    tamper.rewrite_and_rechain(grown, 1, first.payload, keep_key_id=False)
    status = timeline_verify(incident=grown)
    assert (status.ok, status.check, status.first_broken_seq) == (False, "unkeyed_entry", 1)


def test_entries_verify_with_the_key_id_they_recorded_after_a_rotation(grown, handler, settings):
    before = settings.TIMELINE_HMAC_KEY_ID
    settings.TIMELINE_HMAC_KEYS = {**settings.TIMELINE_HMAC_KEYS, "k2": base64.b64decode(OTHER_KEY)}
    settings.TIMELINE_HMAC_KEY_ID = "k2"
    tasks.task_create(incident=grown, actor=handler, title="after the rotation")
    key_ids = list(grown.timeline.order_by("seq").values_list("key_id", flat=True))
    assert key_ids == [before] * (len(key_ids) - 1) + ["k2"]
    assert timeline_verify(incident=grown).ok


def test_an_entry_whose_key_is_no_longer_configured_is_reported(grown, handler, settings):
    settings.TIMELINE_HMAC_KEYS = {"k2": base64.b64decode(OTHER_KEY)}
    settings.TIMELINE_HMAC_KEY_ID = "k2"
    status = timeline_verify(incident=grown)
    assert (status.ok, status.check, status.first_broken_seq) == (False, "unknown_key", 1)


def test_the_same_entry_under_another_key_does_not_verify(grown, settings):
    settings.TIMELINE_HMAC_KEYS = {settings.TIMELINE_HMAC_KEY_ID: base64.b64decode(OTHER_KEY)}
    status = timeline_verify(incident=grown)
    assert (status.check, status.first_broken_seq) == ("hmac_mismatch", 1)


# --- Legacy chains (written before keys existed) -----------------------------------------------


@pytest.fixture
def legacy(grown):
    """The incident as migration 0013 finds it: plain SHA-256 entries, no key id."""
    tamper.rewrite_and_rechain(grown, 1, grown.timeline.get(seq=1).payload, keep_key_id=False)
    return grown


def test_a_legacy_chain_is_closed_by_a_keyed_entry_and_verifies(legacy):
    count = _last_seq(legacy)
    head = legacy.timeline.get(seq=count).hash
    reanchor.reanchor(apps, None)
    closing = legacy.timeline.get(seq=count + 1)
    assert closing.kind == "timeline.keyed"
    assert closing.key_id == chain.current_key_id()
    assert closing.prev_hash == head
    assert closing.payload == {"legacy_entries": count, "legacy_head": head, "legacy_intact": True}
    status = timeline_verify(incident=legacy)
    assert (status.ok, status.entries) == (True, count + 1)
    reanchor.reanchor(apps, None)  # a second run adds nothing
    assert _last_seq(legacy) == count + 1


def test_a_legacy_chain_broken_before_the_migration_is_recorded_as_such(legacy):
    tamper.as_dba(
        "UPDATE incidents_timelineentry SET kind='forged' WHERE id=%s",
        [legacy.timeline.get(seq=2).pk],
    )
    closing = reanchor.reanchor_incident(TimelineEntry, legacy.pk)
    assert closing.payload["legacy_intact"] is False
    status = timeline_verify(incident=legacy)
    assert (status.check, status.first_broken_seq) == ("hash_mismatch", 2)


def test_a_legacy_entry_rewritten_after_the_migration_is_reported(legacy):
    count = _last_seq(legacy)
    reanchor.reanchor(apps, None)
    # Legacy entries recomputed with plain SHA-256 as before; the keyed entry cannot be.
    tamper.rewrite_and_rechain(legacy, 2, {"forged": True}, keep_key_id=True)
    status = timeline_verify(incident=legacy)
    assert (status.check, status.first_broken_seq) == ("hmac_mismatch", count + 1)


# --- Checkpoints (anchors outside the database) ------------------------------------------------


def test_deleting_the_last_entry_is_reported_against_the_last_checkpoint(grown):
    checkpoint = timeline_checkpoint(organisation=grown.organisation)
    last = tamper.delete_last(grown)
    status = timeline_verify(incident=grown)
    assert (status.ok, status.check, status.first_broken_seq) == (False, "tail_missing", last)
    assert (status.anchored_seq, status.anchored_at) == (last, checkpoint.created_at)
    output, passed = _command()
    assert not passed
    assert f"{grown.ref}: BROKEN at entry {last}: tail_missing" in output
    assert f"anchored up to {last}" in output


def test_a_later_checkpoint_keeps_the_anchored_head_of_a_cut_chain(grown):
    timeline_checkpoint(organisation=grown.organisation)
    last = tamper.delete_last(grown)
    later = timeline_checkpoint(organisation=grown.organisation)
    assert later.heads[grown.pk].seq == last
    assert later.broken == [
        {"incident": grown.pk, "ref": grown.ref, "check": "tail_missing", "seq": last}
    ]
    assert timeline_verify(incident=grown).check == "tail_missing"
    assert timeline_checkpoint(organisation=grown.organisation) is None  # nothing new


def test_a_replaced_last_entry_differs_from_its_anchor(grown, handler):
    timeline_checkpoint(organisation=grown.organisation)
    last = tamper.delete_last(grown)
    timeline_append(incident=grown, kind="task.created", actor=handler, payload={"x": 1})
    status = timeline_verify(incident=grown)
    assert (status.check, status.first_broken_seq) == ("anchor_mismatch", last)


def test_checkpoints_are_written_when_a_head_moved_and_chain_to_the_one_before(grown, handler):
    first = timeline_checkpoint(organisation=grown.organisation)
    assert first.heads[grown.pk].seq == _last_seq(grown)
    assert timeline_checkpoint(organisation=grown.organisation) is None
    tasks.task_create(incident=grown, actor=handler, title="more")
    second = timeline_checkpoint(organisation=grown.organisation)
    document = json.loads(second.path.read_text())
    assert document["previous"] == {"file": first.name, "signature": first.signature}
    assert document["heads"][0]["seq"] == _last_seq(grown)
    assert document["key_id"] == chain.current_key_id()
    assert anchors.latest(grown.organisation_id).name == second.name


def test_a_checkpoint_with_a_forged_signature_is_not_trusted(grown, tmp_path):
    checkpoint = timeline_checkpoint(organisation=grown.organisation)
    document = json.loads(checkpoint.path.read_text())
    document["heads"][0]["seq"] = 1  # as if only the first entry had been anchored
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document))
    shutil.copy(forged, checkpoint.path)
    assert anchors.latest(grown.organisation_id) is None
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("verify_timeline", "--checkpoint", str(forged), stdout=io.StringIO())


def test_a_mailed_checkpoint_still_proves_a_deletion_after_the_local_files_are_gone(
    grown, tmp_path, settings
):
    checkpoint = timeline_checkpoint(organisation=grown.organisation)
    kept = tmp_path / "from-the-mail.json"
    shutil.copy(checkpoint.path, kept)
    shutil.rmtree(settings.TIMELINE_ANCHOR_DIR)
    last = tamper.delete_last(grown)
    assert timeline_verify(incident=grown).ok  # nothing left on this host to compare with
    output, passed = _command("--checkpoint", str(kept))
    assert not passed
    assert f"{grown.ref}: BROKEN at entry {last}: tail_missing" in output


def test_an_incident_that_vanished_is_reported_against_its_checkpoint(grown):
    previous = timeline_checkpoint(organisation=grown.organisation)
    gone = Head(grown.pk + 1000, "INC-GONE", 7, "f" * 64, previous.created_at.isoformat())
    anchors.write(
        organisation_id=grown.organisation_id,
        organisation_name="x",
        created_at=previous.created_at.replace(year=previous.created_at.year + 1),
        heads=[*previous.heads.values(), gone],
        broken=[],
        previous=previous,
    )
    output, passed = _command()
    assert not passed
    assert "INC-GONE: BROKEN at entry 1: tail_missing (the incident is gone" in output


def test_the_anchor_task_checkpoints_each_organisation_once_per_change(grown, handler):
    assert anchor_timelines() == 1
    assert anchor_timelines() == 0
    tasks.task_create(incident=grown, actor=handler, title="more")
    assert anchor_timelines() == 1


def test_the_isms_office_gets_each_checkpoint_by_mail_once(grown, isms_office, settings):
    settings.TIMELINE_ANCHOR_EMAIL = True
    timeline_anchor_all()
    timeline_anchor_all()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [isms_office.email]
    assert message.subject.startswith("タイムラインのチェックポイント ")  # the office's language
    name, content, mimetype = message.attachments[0]
    checkpoint = anchors.latest(grown.organisation_id)
    assert (name, mimetype) == (checkpoint.name, "application/json")
    assert json.loads(content)["signature"] == checkpoint.signature
    assert checkpoint.signature in message.body


def test_a_checkpoint_mail_that_failed_is_sent_on_the_next_run(grown, isms_office, settings):
    settings.TIMELINE_ANCHOR_EMAIL = True
    backend = "django.core.mail.backends.locmem.EmailBackend.send_messages"
    with mock.patch(backend, autospec=True, side_effect=OSError("smtp down")):
        assert timeline_anchor_all() == 1
    assert mail.outbox == []
    assert timeline_anchor_all() == 0
    assert len(mail.outbox) == 1


def test_checkpoints_are_not_mailed_unless_configured(grown, isms_office):
    timeline_anchor_all()
    assert mail.outbox == []


def test_signing_adds_no_query_to_an_append(incident, handler, django_assert_num_queries):
    # The row lock, the previous head, the insert; no savepoint: it joins the caller's
    # transaction (issue 20).
    with django_assert_num_queries(3):
        timeline_append(incident=incident, kind="note", actor=handler)


def test_a_failure_after_an_append_leaves_no_entry_and_the_chain_valid(incident, handler):
    before = incident.timeline.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        timeline_append(incident=incident, kind="note", actor=handler)
        Incident.objects.filter(pk=incident.pk).update(title="changed with the entry")
        raise RuntimeError("the caller fails after the append")
    incident.refresh_from_db()
    assert incident.timeline.count() == before
    assert incident.title != "changed with the entry"
    timeline_append(incident=incident, kind="note", actor=handler)
    status = timeline_verify(incident=incident)
    assert status.ok and status.entries == before + 1, status


def test_a_caller_that_swallows_a_failed_append_cannot_commit_without_its_entry(incident, handler):
    # The append takes no savepoint of its own: its failure aborts the caller's whole block,
    # so the change it should have recorded cannot be committed without its entry.
    failing_seal = mock.patch.object(chain, "seal", side_effect=RuntimeError("no key"))
    with failing_seal, pytest.raises(TransactionManagementError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(title="changed without an entry")
        with contextlib.suppress(RuntimeError):
            timeline_append(incident=incident, kind="note", actor=handler)
        Incident.objects.filter(pk=incident.pk).update(title="and then some more")
    incident.refresh_from_db()
    assert "changed" not in incident.title and "more" not in incident.title
    assert timeline_verify(incident=incident).ok


def test_the_admin_site_cannot_add_change_or_delete_timeline_entries(client, incident):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    entry = incident.timeline.first()
    base = "/admin/incidents/timelineentry"
    assert client.get(f"{base}/").status_code == 200
    assert client.get(f"{base}/add/").status_code == 403
    assert client.post(f"{base}/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{base}/{entry.pk}/change/", {"kind": "x"}).status_code == 403

from io import StringIO

from django.core.management import call_command

from bcp.models import Decision
from incidents.models import Incident


def test_seed_demo_creates_one_user_per_role_and_a_wave_to_look_at_once(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    printed, again = StringIO(), StringIO()  # read back without depending on a file's flush
    call_command("seed_demo", stdout=printed)
    call_command("seed_demo", stdout=again)
    incident = Incident.objects.filter(is_exercise=False).earliest("id")
    assert (incident.level, incident.recommended_level) == (1, 2)
    assert incident.reports.count() == 3
    assert Decision.objects.filter(incident=incident, type="ESCALATE_LEVEL").count() == 1
    assert "president" in printed.getvalue() and incident.ref in printed.getvalue()
    assert incident.ref not in again.getvalue()


def _counts():
    from accounts.models import OrganisationUnit
    from training.models import (
        Assignment,
        Completion,
        Course,
        DrillRecipient,
        Exercise,
        Person,
        PhishingDrill,
    )

    return {
        model.__name__: model.objects.count()
        for model in (
            OrganisationUnit,
            Person,
            Course,
            Completion,
            Assignment,
            PhishingDrill,
            DrillRecipient,
            Exercise,
            Incident,
            Decision,
        )
    }


def test_seed_demo_gives_every_training_page_something_to_show_and_twice_changes_nothing(
    db, settings, tmp_path
):
    from accounts.models import OrganisationUnit, User
    from training.models import Exercise, Person, PhishingDrill

    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first

    units = OrganisationUnit.objects.all()
    assert units.count() >= 6 and units.filter(parent__isnull=False).exists()
    people = Person.objects.all()
    assert 28 <= people.count() <= 40
    assert people.values("unit").distinct().count() >= 6
    assert User.objects.get(username="employee").training_person.unit.name == "第一営業課"
    assert first["Course"] == 3 and first["Completion"] > 20
    from django.utils import timezone

    from training.models import Completion

    basics = Completion.objects.filter(course__code="SEC-101")
    assert basics.filter(valid_until__lt=timezone.localdate()).exists()  # expired: overdue
    assert people.exclude(pk__in=basics.values("person")).count() >= 3  # never did: overdue
    assert basics.filter(status="ATTENDED").exists()  # failed the quiz

    drill = PhishingDrill.objects.get()
    assert drill.results_imported_at is not None
    assert drill.recipients.filter(clicked=True).exists()
    assert drill.recipients.filter(reported=True).exists()
    assert first["Assignment"] >= 1  # the clickers' follow-up

    exercise = Exercise.objects.get()
    assert exercise.status == "FINISHED" and exercise.findings
    assert exercise.links.get().incident.is_exercise
    assert (
        Decision.objects.filter(incident__exercise_link__exercise=exercise)
        .exclude(status="OPEN")
        .exists()
    )


def test_the_seeded_training_pages_show_overdue_people_a_drill_and_an_exercise_report(
    db, settings, tmp_path, client
):
    from accounts.models import User
    from training.models import Exercise, PhishingDrill

    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    client.force_login(User.objects.get(username="isms"))
    coverage = client.get("/training/coverage/")
    assert coverage.status_code == 200
    drill = PhishingDrill.objects.get()
    exercise = Exercise.objects.get()
    for path in (
        "/training/",
        "/training/people/",
        f"/training/drills/{drill.pk}/",
        f"/training/exercises/{exercise.pk}/report/",
    ):
        assert client.get(path).status_code == 200, path


def test_seed_demo_invites_an_outside_responder_to_the_demo_incident_and_prints_its_link(
    db, settings, tmp_path, client
):
    import re
    from datetime import timedelta

    from common import clock
    from comms.models import GuestInvitation

    settings.VAR_DIR = tmp_path
    printed, again = StringIO(), StringIO()
    call_command("seed_demo", stdout=printed)
    call_command("seed_demo", stdout=again)
    invitation = GuestInvitation.objects.get()
    incident = Incident.objects.filter(is_exercise=False).earliest("id")
    assert (invitation.incident, invitation.role, invitation.email) == (
        incident,
        "CONTRIBUTE",
        "forensics@example.com",
    )
    assert abs(invitation.expires_at - (clock.now() + timedelta(days=7))) < timedelta(minutes=5)
    link = re.search(r"http://\S+/guest/accept/\S+/", printed.getvalue()).group(0)
    assert link in again.getvalue()  # the same one-time link until it is used
    path = link.split("://", 1)[1].split("/", 1)[1]
    password = "demo-guest-pass-42!"
    opened = client.post(f"/{path}", {"password": password, "password_again": password})
    assert opened.status_code == 302
    settings.TWO_FACTOR_REQUIRED_FOR_GUESTS = False
    assert incident.title in client.get("/guest/").text
    third = StringIO()
    call_command("seed_demo", stdout=third)
    assert "/guest/accept/" not in third.getvalue() and "forensics@example.com" in third.getvalue()
    assert GuestInvitation.objects.count() == 1


def test_the_demo_second_incident_shows_its_sender_was_seen_in_the_first(
    db, settings, tmp_path, client
):
    from accounts.models import User

    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    first, second = Incident.objects.filter(is_exercise=False).order_by("id")
    client.force_login(User.objects.get(username="isms"))
    page = client.get(f"/incidents/{second.ref}/").content.decode()
    assert 'class="seen-in"' in page and f'href="/incidents/{first.ref}/"' in page


def test_the_demo_first_incident_exported_for_an_isac_carries_only_clear_or_green(
    db, settings, tmp_path
):
    import json

    from stix2validator import ValidationOptions, validate_string

    from accounts.models import User
    from sharing import services
    from sharing.tlp import MARKING_IDS

    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    first = Incident.objects.filter(is_exercise=False).earliest("id")
    done = services.stix_export(
        incident=first, actor=User.objects.get(username="isms"), recipient="ISAC"
    )
    bundle = json.loads(done.export.bundle)
    allowed = {MARKING_IDS["CLEAR"], MARKING_IDS["GREEN"]}
    marked = [o for o in bundle["objects"] if o["type"] != "marking-definition"]
    assert marked and all(set(o["object_marking_refs"]) <= allowed for o in marked)
    assert validate_string(done.export.bundle, ValidationOptions(version="2.1")).is_valid
    assert done.export.withheld > 0

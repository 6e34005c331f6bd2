"""The admin lists readiness records and changes none of the recorded history."""

from django.urls import reverse

from tests.factories import UserFactory


def test_admin_lists_open_for_a_superuser(client, organisation, make_person):
    make_person()
    admin = UserFactory(organisation=organisation, is_staff=True, is_superuser=True)
    client.force_login(admin)
    for model in (
        "person",
        "course",
        "completion",
        "phishingdrill",
        "exercise",
        "csvimport",
        "csirtfunction",
        "csirtmapchange",
    ):
        assert client.get(reverse(f"admin:training_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:training_exercise_add")).status_code == 403

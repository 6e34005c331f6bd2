"""The ISMS office's intake settings page: wording, triage matrix, reporting link rotation."""

from incidents.models import IntakeSettings, ReportingLink

EMPTY_MATRIX: dict = {}


def test_only_the_isms_office_may_open_the_settings(as_user, handler, isms_office):
    assert as_user(handler).get("/intake/settings/").status_code == 403
    assert as_user(handler).post("/intake/settings/link/rotate/").status_code == 403
    assert ReportingLink.objects.count() == 0
    assert as_user(isms_office).get("/intake/settings/").status_code == 200


def test_saving_the_wording_and_a_matrix_cell(as_user, isms_office, organisation):
    response = as_user(isms_office).post(
        "/intake/settings/",
        {
            "first_aid_ja": "LANケーブルを抜く",
            "first_aid_en": "",
            "m__TARGETED_EMAIL__LOW": "P1",
            "m__SCAN_PROBE__HIGH": "",
        },
    )
    assert response.status_code == 302
    saved = IntakeSettings.objects.get(organisation=organisation)
    assert saved.first_aid_ja == "LANケーブルを抜く"
    assert saved.triage_matrix == {"TARGETED_EMAIL": {"LOW": "P1"}}


def test_the_matrix_decides_the_priority_of_new_items(as_user, isms_office, reporter):
    as_user(isms_office).post("/intake/settings/", {"m__TARGETED_EMAIL__LOW": "P1"})
    client = as_user(reporter)
    client.post("/report/form/", {"what_happened": "RECEIVED_ONLY", "subject": "件名"})
    from incidents.models import Event

    event = Event.objects.get()
    assert event.priority == "P1"


def test_an_unknown_priority_is_refused(as_user, isms_office, organisation):
    response = as_user(isms_office).post("/intake/settings/", {"m__TARGETED_EMAIL__LOW": "P9"})
    assert response.status_code == 400
    assert not IntakeSettings.objects.filter(organisation=organisation).exists()


def test_rotating_the_link_revokes_the_old_one_and_shows_the_new_url(as_user, isms_office, link):
    client = as_user(isms_office)
    response = client.post("/intake/settings/link/rotate/")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    new = ReportingLink.objects.get(revoked_at__isnull=True)
    assert new.token != link.token
    page = client.get("/intake/settings/")
    assert f"/r/{new.token}/" in page.text
    assert link.token not in page.text


def test_rotating_needs_a_post(as_user, isms_office):
    assert as_user(isms_office).get("/intake/settings/link/rotate/").status_code == 405


def test_the_settings_page_shows_the_link_as_a_qr_code_with_downloads(as_user, isms_office, link):
    page = as_user(isms_office).get("/intake/settings/")
    assert "<svg" in page.text and "<path" in page.text
    assert "/intake/settings/link/qr.png" in page.text
    assert "/intake/settings/link/qr.svg" in page.text


def test_the_qr_code_downloads_encode_the_current_link(as_user, isms_office, link):
    client = as_user(isms_office)
    png = client.get("/intake/settings/link/qr.png")
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = client.get("/intake/settings/link/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    # A rotated link gives another code: the file follows the link, not a cached picture.
    client.post("/intake/settings/link/rotate/")
    assert client.get("/intake/settings/link/qr.svg").content != svg.content


def test_the_qr_code_is_for_the_isms_office_only_and_needs_a_link(
    as_user, handler, isms_office, organisation
):
    assert as_user(handler).get("/intake/settings/link/qr.png").status_code == 403
    # No link issued yet, or a format we do not draw: nothing to download.
    assert as_user(isms_office).get("/intake/settings/link/qr.png").status_code == 404
    intake_link = ReportingLink.objects.create(organisation=organisation, token="t" * 40)
    assert intake_link.revoked_at is None
    assert as_user(isms_office).get("/intake/settings/link/qr.gif").status_code == 404

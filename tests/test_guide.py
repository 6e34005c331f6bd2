"""The help panel on each page and the user guide per role (issue 15)."""

import re

import pytest

from guide.pages import GUIDES, PAGES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", [g.slug for g in GUIDES])
def test_every_role_has_a_japanese_guide_in_the_app(client, slug):
    page = client.get(f"/help/{slug}/")
    assert page.status_code == 200
    assert "<h1>" in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # no inline script


def test_the_guide_renders_markdown_without_passing_html_through(client, tmp_path, monkeypatch):
    from guide import views

    (tmp_path / "worker.md").write_text("# 見出し\n\n<script>alert(1)</script>\n\n- 項目\n")
    monkeypatch.setattr(views, "GUIDE_DIR", tmp_path)
    page = client.get("/help/worker/")
    assert "<h1>見出し</h1>" in page.text
    assert "<li>項目</li>" in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_an_unknown_guide_is_a_404(client):
    assert client.get("/help/nobody/").status_code == 404


def test_the_index_marks_the_guides_of_the_users_roles(client, isms_office):
    client.force_login(isms_office)
    page = client.get("/help/", HTTP_ACCEPT_LANGUAGE="en")
    mine = [row["guide"].slug for row in page.context["guides"] if row["mine"]]
    assert mine == ["worker", "isms-office"]


def test_a_page_shows_its_help_panel_collapsed(client, isms_office):
    client.force_login(isms_office)
    page = client.get("/triage/", HTTP_ACCEPT_LANGUAGE="ja")
    assert '<details class="help-panel">' in page.text
    assert "このページについて" in page.text
    assert 'href="/help/isms-office/"' in page.text


def test_a_worker_on_the_reporting_link_gets_help_too(client, organisation, isms_office):
    from incidents.services import intake_admin

    link = intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)
    page = client.get(f"/r/{link.token}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert 'href="/help/worker/"' in page.text


def test_every_help_panel_names_an_existing_guide():
    slugs = {g.slug for g in GUIDES}
    assert {help.guide for help in PAGES.values()} <= slugs


def test_the_isms_office_guide_sends_people_and_departments_to_the_app_not_the_admin():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs/guide/ja/isms-office.md").read_text()
    assert "/accounts/users/" in text and "/accounts/departments/" in text
    assert "/admin/）で登録" not in text

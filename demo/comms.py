"""The demo's communications: the organisation's templates and external contacts (with the
insurer's policy number filled in), and PR's first draft on the demo incident, so the incident's
"連絡・公表" page has something to show. The staff warning is left for the visitor to send
(it completes the checklist's N-1 task from the record)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.roles import Role
from common import clock
from comms.enums import ContactKind, GuestRole, TemplateKind
from comms.models import Communication, ExternalContact, GuestInvitation, StaffMailList
from comms.services import contacts, guests, templates
from demo.services import _load_passwords, _save_passwords
from incidents.models import Incident
from incidents.models.enums import Tlp
from incidents.services import tasks

# Where the demo guest's one-time token is kept between runs (beside the demo passwords).
GUEST_LINK_KEY = "_guest_link"


def demo_comms(organisation: Organisation) -> None:
    templates.templates_ensure(organisation=organisation)
    if contacts.contacts_ensure_defaults(organisation=organisation):
        ExternalContact.objects.filter(organisation=organisation, kind=ContactKind.INSURER).update(
            name="デモ損害保険株式会社", reference_no="CY-2026-000123", phone="0120-000-000"
        )
        ExternalContact.objects.filter(
            organisation=organisation, kind=ContactKind.IT_VENDOR
        ).update(name="株式会社デモシステムズ", phone="03-0000-1111", hours="24時間（保守契約）")
    StaffMailList.objects.get_or_create(
        organisation=organisation, defaults={"addresses": "all-staff@example.com"}
    )
    incident = (
        Incident.objects.filter(organisation=organisation, is_exercise=False).order_by("id").first()
    )
    if incident is None or Communication.objects.filter(incident=incident).exists():
        return
    # PR sees the incidents where PR holds a task (issue 16): the customer notice is PR's.
    tasks.task_create(
        incident=incident,
        actor=None,
        title="顧客へのお知らせ文案の作成",
        title_en="Draft the notice to customers",
        code="DEMO-PR",
        owner_role=Role.PR,
    )
    templates.communication_from_template(
        incident=incident,
        actor=User.objects.get(organisation=organisation, username="pr"),
        kind=TemplateKind.CUSTOMER_NOTICE,
    )


GUEST_EMAIL = "forensics@example.com"
GUEST_DAYS = 7


def demo_guest(organisation: Organisation) -> str:
    """An outside responder (a forensics company) invited by the CSIRT lead to the demo incident:
    read and add, 7 days, up to TLP:AMBER+STRICT. The one-time link's token is kept beside the
    demo passwords (var/demo-credentials.json) so each ``make run`` prints it until it is used;
    an expired or revoked demo invitation is issued again. Returns the line to print."""
    incident = (
        Incident.objects.filter(organisation=organisation, is_exercise=False).order_by("id").first()
    )
    if incident is None:
        return ""
    saved = _load_passwords()
    found = (
        GuestInvitation.objects.filter(incident=incident, email=GUEST_EMAIL)
        .order_by("-created_at")
        .first()
    )
    state = guests.state_of(found) if found is not None else ""
    if state == "active":
        return (
            f"外部対応者 {GUEST_EMAIL}: 設定済みのパスワードでログイン / outside responder: "
            "sign in with the address and the password set on the link"
        )
    token = saved.get(GUEST_LINK_KEY, "")
    if state != "pending" or guests.hash_token(token) != found.token_hash:
        _invitation, token = guests.guest_invite(
            incident=incident,
            actor=User.objects.get(organisation=organisation, username="csirt"),
            email=GUEST_EMAIL,
            name="佐藤（デモフォレンジック株式会社）",
            role=GuestRole.CONTRIBUTE,
            expires_at=clock.now().replace(microsecond=0) + timedelta(days=GUEST_DAYS),
            tlp_ceiling=Tlp.AMBER_STRICT,
            base_url=settings.ALERT_LINK_BASE_URL,
            language="ja",
        )
        _save_passwords({**saved, GUEST_LINK_KEY: token})
    link = settings.ALERT_LINK_BASE_URL.rstrip("/") + reverse("comms:guest_accept", args=[token])
    return (
        f"外部対応者（デモのインシデントのみ・7日間・閲覧と追加）の招待リンク / outside "
        f"responder's one-time link: {link}"
    )

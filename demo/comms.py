"""The demo's communications: the organisation's templates and external contacts (with the
insurer's policy number filled in), and PR's first draft on the demo incident, so the incident's
"連絡・公表" page has something to show. The staff warning is left for the visitor to send
(it completes the checklist's N-1 task from the record)."""

from __future__ import annotations

from accounts.models import Organisation, User
from accounts.roles import Role
from comms.enums import ContactKind, TemplateKind
from comms.models import Communication, ExternalContact, StaffMailList
from comms.services import contacts, templates
from incidents.models import Incident
from incidents.services import tasks


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

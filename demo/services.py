"""The demo organisation of the quick start: one user per role, idempotent."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts import services as account_services
from accounts.models import Organisation, RoleAssignment, User
from accounts.roles import Role

DEMO_ORGANISATION = "デモ株式会社"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str | None
    priority: int = 1
    is_superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", "管理者 (admin)", None, is_superuser=True),
    DemoUser("president", "山田 社長", Role.DECISION_MAKER),
    DemoUser("deputy", "佐藤 管理本部長", Role.DECISION_MAKER, priority=2),
    DemoUser("csirt", "鈴木 CSIRT責任者", Role.CSIRT_LEAD),
    DemoUser("isms", "高橋 ISMS事務局", Role.ISMS_OFFICE),
    DemoUser("handler", "田中 ハンドラー", Role.INCIDENT_HANDLER),
    DemoUser("itadmin", "伊藤 情報システム", Role.IT_ADMIN),
    DemoUser("poc", "渡辺 窓口", Role.POC),
    DemoUser("pr", "中村 広報", Role.PR),
    DemoUser("legal", "小林 法務", Role.LEGAL_PRIVACY),
    DemoUser("manager", "加藤 営業部長", Role.DEPT_MANAGER),
    DemoUser("vendor", "吉田 外部支援", Role.EXTERNAL_RESPONDER),
    DemoUser("employee", "山本 社員", None),
]


def credentials_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.json"


def _load_passwords() -> dict[str, str]:
    path = credentials_file()
    return json.loads(path.read_text()) if path.exists() else {}


def _save_passwords(passwords: dict[str, str]) -> None:
    path = credentials_file()
    path.write_text(json.dumps(passwords, ensure_ascii=False, indent=2))
    path.chmod(0o600)


@transaction.atomic
def demo_seed() -> dict[str, str]:
    """Create what is missing and return {username: password}; existing data is kept."""
    org = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
    if org is None:
        org = account_services.organisation_create(
            name=DEMO_ORGANISATION, desk_phone="03-0000-0000", desk_email="isms@example.com"
        )
    passwords = _load_passwords()
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            password = passwords.get(spec.username) or secrets.token_urlsafe(9)
            user = account_services.user_create(
                organisation=org,
                username=spec.username,
                password=password,
                email=f"{spec.username}@example.com",
                display_name=spec.display_name,
                is_staff=spec.is_superuser,
                is_superuser=spec.is_superuser,
            )
            passwords[spec.username] = password
        _ensure_role(org, user, spec)
    _save_passwords(passwords)
    return {spec.username: passwords.get(spec.username, "?") for spec in DEMO_USERS}


def _ensure_role(org: Organisation, user: User, spec: DemoUser) -> None:
    if spec.role is None:
        return
    if RoleAssignment.objects.filter(organisation=org, role=spec.role, user=user).exists():
        return
    account_services.role_assign(
        organisation=org, role=spec.role, user=user, priority=spec.priority
    )


def demo_incident() -> str | None:
    """A targeted-email wave to look at: three reports, one incident, a second infected PC,
    so the level-2 recommendation and its decisions wait in the inboxes. Only once."""
    from incidents.models import Incident
    from incidents.services import findings, intake, triage
    from incidents.services.assets import asset_upsert

    org = Organisation.objects.get(name=DEMO_ORGANISATION)
    if Incident.objects.filter(organisation=org, is_exercise=False).exists():
        return None
    office = User.objects.get(username="isms")
    handler = User.objects.get(username="handler")
    mail = {
        "sender": '"経理部" <keiri@invoice-jp.example>',
        "subject": "【至急】請求書の送付",
        "url": "https://invoice-jp.example/download",
        "what_happened": "OPENED_ATTACHMENT",
    }
    first = intake.report_submit(
        organisation=org,
        actor=User.objects.get(username="employee"),
        data=intake.ReportInput(**mail, asset_label="PC-12", cable_pulled=True),
    )
    for name in ("manager", "pr"):
        intake.report_submit(
            organisation=org,
            actor=User.objects.get(username=name),
            data=intake.ReportInput(**{**mail, "what_happened": "RECEIVED_ONLY"}),
        )
    incident = triage.event_promote(event=first.event, actor=office)
    findings.asset_infection_set(
        incident=incident,
        actor=handler,
        state="SUSPECTED",
        via="MAIL",
        asset=asset_upsert(organisation_id=org.pk, asset_tag="PC-27", hostname="PC-27"),
    )
    return incident.ref


SECOND_SUBJECT = "【再送】お支払い口座変更のお願い"


def demo_second_incident() -> str | None:
    """A later email from the first incident's sender (issue 22): its own incident, whose
    sender the room shows as seen in the first. Only once."""
    from incidents.models import Incident, Report
    from incidents.services import intake, triage

    org = Organisation.objects.get(name=DEMO_ORGANISATION)
    first = Incident.objects.filter(organisation=org, is_exercise=False).order_by("id").first()
    if first is None or Report.objects.filter(organisation=org, subject=SECOND_SUBJECT).exists():
        return None
    report = intake.report_submit(
        organisation=org,
        actor=User.objects.get(username="manager"),
        data=intake.ReportInput(
            sender="Keiri@Invoice-JP.example",
            subject=SECOND_SUBJECT,
            url="hxxps://invoice-jp[.]example/bank-change?utm_source=mail",
            what_happened="RECEIVED_ONLY",
        ),
    )
    if report.event is None:  # grouped into an open incident: nothing more to declare
        return None
    return triage.event_promote(event=report.event, actor=User.objects.get(username="isms")).ref


def demo_shared_indicator() -> None:
    """The first incident's phishing domain, labelled TLP:GREEN so the STIX export for an ISAC
    has something to carry (issue 22). Only once."""
    from incidents.models import Incident, Indicator
    from incidents.services import indicators

    org = Organisation.objects.get(name=DEMO_ORGANISATION)
    first = Incident.objects.filter(organisation=org, is_exercise=False).order_by("id").first()
    if first is None or Indicator.objects.filter(incident=first, kind="DOMAIN").exists():
        return
    indicators.indicator_add(
        incident=first,
        actor=User.objects.get(username="handler"),
        kind="DOMAIN",
        value="invoice-jp.example",
        tlp="GREEN",
    )

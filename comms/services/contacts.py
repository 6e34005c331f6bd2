"""The organisation's directory of outside parties (A.5.5 contact with authorities, A.5.6 with
special interest groups). A new organisation starts with the entries a Japanese organisation
needs, to be completed and changed by the ISMS office, the CSIRT lead or PR."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import events
from common.errors import InvalidInput
from comms import access
from comms.enums import ContactKind
from comms.models import ExternalContact
from incidents import access as incident_access

# kind, name, desk, url, hours, notes (public desks; the organisation fills phone numbers and
# its own contract details).
DEFAULTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        ContactKind.PPC,
        "個人情報保護委員会",
        "漏えい等報告",
        "https://www.ppc.go.jp/personalinfo/legal/leakAction/",
        "",
        "個人データの漏えい等（おそれを含む）：速報は概ね3～5日以内、確報は30日（不正目的は60日）以内。",
    ),
    (
        ContactKind.IPA,
        "独立行政法人情報処理推進機構（IPA）",
        "標的型サイバー攻撃特別相談窓口／届出",
        "https://www.ipa.go.jp/security/todokede/tokubetsu.html",
        "",
        "マルウェア感染・不正アクセスの届出と相談。",
    ),
    (
        ContactKind.JPCERT_CC,
        "一般社団法人JPCERTコーディネーションセンター（JPCERT/CC）",
        "インシデント対応依頼",
        "https://www.jpcert.or.jp/form/",
        "",
        "調整依頼には日時（タイムゾーン付き）のログが必要。",
    ),
    (
        ContactKind.POLICE,
        "都道府県警察 サイバー犯罪相談窓口",
        "【要設定：所在地の都道府県警察】",
        "https://www.npa.go.jp/bureau/cyber/soudan.html",
        "",
        "被害の相談・被害届。証拠（メール原本、ログ）を持参。",
    ),
    (ContactKind.SECTOR_REGULATOR, "所管省庁", "【要設定：業界の所管省庁】", "", "", ""),
    (ContactKind.INSURER, "サイバー保険の保険会社", "【要設定：事故受付窓口】", "", "", ""),
    (ContactKind.IT_VENDOR, "ITベンダー（保守契約先）", "【要設定：担当者】", "", "", ""),
)
EDITABLE = ("kind", "name", "desk", "phone", "email", "url", "reference_no", "hours", "notes")


@transaction.atomic
def contacts_ensure_defaults(*, organisation: Organisation) -> int:
    """Seed the default entries once (an organisation with any contact keeps what it has)."""
    if ExternalContact.objects.filter(organisation=organisation).exists():
        return 0
    for position, (kind, name, desk, url, hours, notes) in enumerate(DEFAULTS, start=1):
        ExternalContact.objects.create(
            organisation=organisation,
            kind=kind,
            name=name,
            desk=desk,
            url=url,
            hours=hours,
            notes=notes,
            position=position * 10,
        )
    return len(DEFAULTS)


def _check(values: dict[str, Any]) -> None:
    if "kind" in values and values["kind"] not in ContactKind.values:
        raise InvalidInput("UNKNOWN_KIND", _("Choose a kind of contact."), field="kind")
    if "name" in values and not str(values["name"] or "").strip():
        raise InvalidInput("NAME_REQUIRED", _("Give the contact a name."), field="name")


@transaction.atomic
def contact_create(*, organisation: Organisation, actor: User, **values: Any) -> ExternalContact:
    incident_access.require(access.can_keep(actor), "edit external contacts")
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput("field_not_editable", _("Unknown fields."), fields=sorted(unknown))
    _check({"name": "", **values})
    contact = ExternalContact.objects.create(
        organisation=organisation,
        updated_by=actor,
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()},
    )
    _contacts_changed(organisation.pk)
    return contact


@transaction.atomic
def contact_update(
    *, contact: ExternalContact, actor: User, changes: dict[str, Any]
) -> ExternalContact:
    incident_access.require(access.can_keep(actor), "edit external contacts")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(
            "field_not_editable", _("These fields cannot be changed here."), fields=sorted(unknown)
        )
    _check(changes)
    for name, value in changes.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.updated_by = actor
    contact.save()
    _contacts_changed(contact.organisation_id)
    return contact


def _contacts_changed(organisation_id: int) -> None:
    """The emergency kit prints the external contacts (records regenerates it after commit)."""
    events.publish("plan.changed", organisation_id=organisation_id, what="contacts")

"""Outside responders let into one incident only (issue 17 item 4; DOMAIN-MODEL §5).

The CSIRT lead or the ISMS office invites a person by email to one incident with a role (READ,
or CONTRIBUTE: read and add evidence), an expiry and a TLP ceiling. The mail carries a one-time
link (only the token's SHA-256 is stored); opening it sets the guest's password and the link is
dead. From then until expiry or revocation the guest sees that incident and nothing else: the
invitation is read again at every request (``active_invitation``, on ``common.clock`` at the
second). An incident whose TLP is above the ceiling shows only its reference (evidence carries
no TLP of its own, so the incident's TLP is what the ceiling is checked against). Every state
change, and every view and download by the guest, is on the incident's timeline.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import services as account_services
from accounts.models import User
from common import clock
from common.errors import Conflict, Forbidden, InvalidInput
from comms import access
from comms.enums import GuestRole
from comms.models import GuestInvitation
from incidents import access as incident_access
from incidents import selectors as incident_selectors
from incidents import tlp as tlp_rules
from incidents.models import EvidenceItem, Incident, Indicator
from incidents.models.enums import Tlp
from incidents.services.timeline import timeline_append
from risklevels.services import facts as fact_services

TLP_ORDER = list(tlp_rules.ORDER)
MAX_DAYS = 90


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# True when content marked ``tlp`` may be shown under ``ceiling``: the one TLP decision.
within_ceiling = tlp_rules.within


# --- Who is a guest, and what they may see now --------------------------------------------------


def is_guest(user: User) -> bool:
    """A person who ever accepted an invitation: limited to its incident for good (an account
    with no active invitation sees nothing). Read once per user object."""
    if not getattr(user, "is_authenticated", False) or integration(user):
        return False
    cached = getattr(user, "_is_guest", None)
    if cached is None:
        cached = GuestInvitation.objects.filter(guest_id=user.pk).exists()
        user._is_guest = cached  # type: ignore[union-attr]
    return cached


GUEST = "_is_guest"


def guest_subquery() -> Exists:
    """``is_guest`` of the outer query's user, read with the signed-in user (issue 20)."""
    return Exists(GuestInvitation.objects.filter(guest_id=OuterRef("pk")))


# Whether the session's user is a guest, read once per session (at sign-in, or at the first
# request of a session made otherwise): a guest never stops being one, so the flag stays true.
SESSION_KEY = "_comms_guest"


def session_is_guest(request: object, user: User) -> bool:
    session = getattr(request, "session", None)
    flag = session.get(SESSION_KEY) if session is not None else None
    if flag is None:
        user.__dict__.pop("_is_guest", None)
        flag = is_guest(user)
        if session is not None:
            session[SESSION_KEY] = flag
    user._is_guest = bool(flag)  # type: ignore[union-attr]
    return bool(flag)


def remember_at_sign_in(sender: object, request: object, user: User, **kwargs: object) -> None:
    """user_logged_in receiver: mark the new session as a guest's or not."""
    session = getattr(request, "session", None)
    if session is not None and user is not None:
        user.__dict__.pop("_is_guest", None)
        session[SESSION_KEY] = is_guest(user)


def needs_second_factor(user: User) -> bool:
    """accounts.two_factor hook: with TWO_FACTOR_REQUIRED_FOR_GUESTS, a guest enrols a second
    factor before seeing the incident."""
    return bool(settings.TWO_FACTOR_REQUIRED_FOR_GUESTS) and is_guest(user)


def integration(user: User) -> bool:
    return incident_access.integration_scope(user) is not None


def active_invitation(user: User, at: datetime | None = None) -> GuestInvitation | None:
    """The guest's invitation that is accepted, not revoked and not expired at ``at`` (now):
    valid up to the second before ``expires_at``."""
    now = at or clock.now()
    return (
        GuestInvitation.objects.filter(
            guest_id=user.pk,
            accepted_at__isnull=False,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("incident", "incident__organisation")
        .order_by("-accepted_at")
        .first()
    )


def visibility_limit(user: User) -> Q | None:
    """incidents.extensions hook: a guest sees the incident of the active invitation only."""
    if not is_guest(user):
        return None
    found = active_invitation(user)
    return Q(pk=found.incident_id) if found is not None else Q(pk__in=[])


def contributes_to(user: User, incident: Incident) -> bool:
    """incidents.extensions hook: a CONTRIBUTE guest adds evidence to their incident, within
    the ceiling."""
    if not is_guest(user):
        return False
    found = active_invitation(user)
    return (
        found is not None
        and found.role == GuestRole.CONTRIBUTE
        and found.incident_id == getattr(incident, "pk", None)
        and within_ceiling(found.incident.tlp, found.tlp_ceiling)
    )


def sees_content(invitation: GuestInvitation) -> bool:
    return within_ceiling(invitation.incident.tlp, invitation.tlp_ceiling)


def indicators_for(invitation: GuestInvitation) -> tuple[list[Indicator], int]:
    """The incident's indicators the guest may see (within the invitation's TLP ceiling, the
    one decision of ``incidents.tlp``) and how many were withheld; none above the incident's."""
    rows = list(incident_selectors.indicators_of(invitation.incident))
    if not sees_content(invitation):
        return [], len(rows)
    return tlp_rules.split(rows, invitation.tlp_ceiling, lambda row: row.tlp)


def invitations_of(incident: Incident) -> list[GuestInvitation]:
    return list(
        GuestInvitation.objects.filter(incident=incident)
        .select_related("invited_by", "guest", "revoked_by")
        .order_by("-created_at", "-id")
    )


def state_of(invitation: GuestInvitation, at: datetime | None = None) -> str:
    now = at or clock.now()
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "active" if invitation.accepted_at is not None else "pending"


# --- Invite, accept, revoke ---------------------------------------------------------------------


def _payload(invitation: GuestInvitation, **extra: object) -> dict[str, object]:
    return {
        "invitation": invitation.pk,
        "email": invitation.email,
        "role": invitation.role,
        "tlp_ceiling": invitation.tlp_ceiling,
        "expires_at": invitation.expires_at.isoformat(),
        **extra,
    }


def _send(invitation: GuestInvitation, token: str, base_url: str, language: str) -> None:
    path = reverse("comms:guest_accept", args=[token])
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "link": f"{base_url.rstrip('/')}{path}",
        }
        subject = render_to_string("comms/guest_invitation_subject.txt", context).strip()
        body = render_to_string("comms/guest_invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def guest_invite(
    *,
    incident: Incident,
    actor: User,
    email: str,
    role: str,
    expires_at: datetime,
    tlp_ceiling: str,
    base_url: str,
    name: str = "",
    language: str = "",
) -> tuple[GuestInvitation, str]:
    """Invite an outside responder to this incident; mail the one-time link. Returns the
    invitation and the link's token (shown nowhere else; only its hash is kept)."""
    incident_access.require(access.can_invite_guests(actor), "invite outside responders")
    if actor.organisation_id != incident.organisation_id:
        incident_access.require(False, "invite outside responders")
    email = BaseUserManager.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            "INVALID_ADDRESS", _("Enter a valid email address."), field="email"
        ) from None
    if role not in GuestRole.values:
        raise InvalidInput("invalid_choice", _("Choose what the guest may do."), field="role")
    if tlp_ceiling not in Tlp.values:
        raise InvalidInput("invalid_choice", _("Choose a TLP ceiling."), field="tlp_ceiling")
    now = clock.now()
    if expires_at <= now:
        raise InvalidInput(
            "EXPIRY_IN_PAST", _("The expiry must be in the future."), field="expires_at"
        )
    if expires_at > now + timedelta(days=MAX_DAYS):
        raise InvalidInput(
            "EXPIRY_TOO_FAR",
            _("An invitation lasts at most %(days)s days.") % {"days": MAX_DAYS},
            field="expires_at",
        )
    holder = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if holder is not None and not (
        holder.organisation_id == incident.organisation_id
        and GuestInvitation.objects.filter(guest=holder).exists()
    ):
        raise Conflict(
            "EMAIL_TAKEN",
            _("This address belongs to an account of the organisation: it cannot be a guest."),
            field="email",
        )
    token = secrets.token_urlsafe(32)
    invitation = GuestInvitation.objects.create(
        organisation_id=incident.organisation_id,
        incident=incident,
        email=email,
        name=(name or "").strip()[:200],
        role=role,
        expires_at=expires_at,
        tlp_ceiling=tlp_ceiling,
        token_hash=hash_token(token),
        invited_by=actor,
    )
    timeline_append(
        incident=incident, kind="guest.invited", actor=actor, payload=_payload(invitation)
    )
    transaction.on_commit(lambda: _send(invitation, token, base_url, language))
    return invitation, token


def _dead() -> Conflict:
    return Conflict("LINK_DEAD", _("This link has been used, has expired or was revoked."))


def invitation_for_token(token: str, *, lock: bool = False) -> GuestInvitation:
    """The pending invitation a link opens; the same refusal for a used, revoked, expired or
    unknown link (a link is pending until it is used: it works once)."""
    found = GuestInvitation.objects.filter(token_hash=hash_token(token or ""))
    if lock:
        found = found.select_for_update(of=("self",))
    invitation = found.select_related("incident", "organisation").first()
    if invitation is None or state_of(invitation) != "pending":
        raise _dead()
    return invitation


@transaction.atomic
def guest_accept(*, token: str, password: str) -> User:
    """Open the one-time link: set the guest's password (their account is made on first use)
    and kill the link."""
    invitation = invitation_for_token(token, lock=True)
    user = User.objects.filter(
        Q(email__iexact=invitation.email) | Q(username__iexact=invitation.email)
    ).first()
    if user is not None and not (
        user.organisation_id == invitation.organisation_id
        and GuestInvitation.objects.filter(guest=user).exists()
    ):
        # An account of the organisation (or another's) is never turned into a guest.
        raise _dead()
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput("WEAK_PASSWORD", " ".join(error.messages), field="password") from None
    if user is None:
        user = account_services.user_create(
            organisation=invitation.organisation,
            username=invitation.email.lower(),
            password=password,
            email=invitation.email,
            display_name=invitation.name,
        )
    else:
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    invitation.accepted_at = clock.now()
    invitation.guest = user
    invitation.save(update_fields=["accepted_at", "guest", "updated_at"])
    user._is_guest = True  # type: ignore[attr-defined]
    timeline_append(
        incident=invitation.incident,
        kind="guest.accepted",
        actor=user,
        payload=_payload(invitation),
    )
    return user


@transaction.atomic
def guest_revoke(*, invitation: GuestInvitation, actor: User) -> GuestInvitation:
    """End the guest's access now (their next request is refused)."""
    incident_access.require(access.can_invite_guests(actor), "revoke outside responders")
    invitation = GuestInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.organisation_id != actor.organisation_id:
        incident_access.require(False, "revoke outside responders")
    if invitation.revoked_at is not None:
        raise Conflict("ALREADY_REVOKED", _("This invitation is already revoked."))
    invitation.revoked_at = clock.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    timeline_append(
        incident=invitation.incident,
        kind="guest.revoked",
        actor=actor,
        payload=_payload(invitation),
    )
    return invitation


@transaction.atomic
def guest_access_record(
    *, invitation: GuestInvitation, user: User, what: str, evidence: EvidenceItem | None = None
) -> None:
    """Put a guest's view of the incident or download of an evidence item on its timeline."""
    kind = "guest.downloaded" if evidence is not None else "guest.viewed"
    extra: dict[str, object] = {"what": what[:100]}
    if evidence is not None:
        extra.update(evidence=evidence.pk, sha256=evidence.sha256)
    timeline_append(
        incident=invitation.incident, kind=kind, actor=user, payload=_payload(invitation, **extra)
    )


def require_contributor(user: User, incident: Incident) -> GuestInvitation:
    """The guest's active CONTRIBUTE invitation to this incident within the ceiling, or 403
    ``GUEST_READ_ONLY`` (a READ guest, or the incident above the ceiling)."""
    found = active_invitation(user)
    if found is None or not contributes_to(user, incident):
        raise Forbidden(
            "GUEST_READ_ONLY",
            _("Your access to this incident is read only: ask the CSIRT lead."),
        )
    return found


@transaction.atomic
def guest_fact_record(*, user: User, incident: Incident, **finding: Any) -> Incident:
    """A CONTRIBUTE guest's finding (an infection, external communication, a leak): through
    the responders' own service, so the facts, the timeline entries (attributed to the guest)
    and the level re-evaluation are theirs; the guest's addition is also on the audit trail."""
    found = require_contributor(user, incident)
    incident = fact_services.fact_record(incident=incident, actor=user, **finding)
    timeline_append(
        incident=incident,
        kind="guest.fact_added",
        actor=user,
        payload=_payload(found, fact=str(finding.get("kind", ""))[:20]),
    )
    return incident


COMMENT_MAX = 2000


@transaction.atomic
def guest_comment(*, user: User, incident: Incident, text: str) -> None:
    """A CONTRIBUTE guest's comment on their incident: an entry on its timeline, read by the
    CSIRT with the rest of the record."""
    found = require_contributor(user, incident)
    text = (text or "").strip()
    if not text:
        raise InvalidInput("COMMENT_REQUIRED", _("Write the comment."), field="text")
    if len(text) > COMMENT_MAX:
        raise InvalidInput(
            "COMMENT_TOO_LONG",
            _("At most %(n)s characters.") % {"n": COMMENT_MAX},
            field="text",
        )
    timeline_append(
        incident=incident, kind="guest.commented", actor=user, payload=_payload(found, text=text)
    )

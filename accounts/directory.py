"""The ISMS office keeps the directory in the app: people (invite, deactivate, reactivate) and
departments (add, rename, move, deactivate), issue 15 item 7.

Each use case checks the actor (the ISMS office of the same organisation), runs in one
transaction and writes an audit line naming the actor, like the roster's changes
(``bcp.services.roster_admin``). Nothing is deleted: a person or a department that leaves is
deactivated, so incidents, reports and training records keep pointing at them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts import services as account_services
from accounts.models import Organisation, OrganisationUnit, RoleAssignment, User
from accounts.roles import Role
from common import clock, events
from common.errors import Conflict, Forbidden, InvalidInput

logger = logging.getLogger(__name__)

# Roles the organisation cannot be without: nobody could keep the roster, or decide.
NEVER_EMPTY_ROLES = (Role.ISMS_OFFICE, Role.DECISION_MAKER)


def _require_keeper(actor: User, organisation_id: int | None) -> None:
    if not access.can_manage_people(actor) or actor.organisation_id != organisation_id:
        raise Forbidden(
            "permission_denied", _("Only the ISMS office manages people and departments.")
        )


def _audit(event: str, actor: User, **fields: Any) -> None:
    logger.info("%s by %s: %s", event, actor.pk, fields, extra={"audit": event, **fields})


def _full_clean(instance: Any, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        if field == "__all__":
            field = "name"
        raise InvalidInput("invalid", messages[0], field=field) from exc


# --- The last holder of a role that must never be empty ----------------------------------------


def ensure_not_last_holder(*, organisation_id: int, user_id: int, roles: list[str]) -> None:
    """Refuse when ``user`` is the last active holder of ISMS office or decision maker among
    ``roles``: without them nobody keeps the roster or decides (409 ``LAST_HOLDER``).

    The role's assignments are locked first, so two removals at once cannot both pass."""
    for role in [r for r in NEVER_EMPTY_ROLES if r in roles]:
        chain = list(
            RoleAssignment.objects.select_for_update()
            .filter(organisation_id=organisation_id, role=role)
            .select_related("user")
        )
        others = [a for a in chain if a.user_id != user_id and a.user.is_active]
        if any(a.user_id == user_id for a in chain) and not others:
            raise Conflict(
                "LAST_HOLDER",
                _("%(role)s needs at least one holder: give the role to someone else first.")
                % {"role": Role(role).label},
                role=role,
            )


# --- People -------------------------------------------------------------------------------------


def _invitation_send(user: User, base_url: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "organisation": user.organisation,
            "link": f"{base_url.rstrip('/')}{path}",
            "days": days,
        }
        subject = render_to_string("accounts/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def user_invite(
    *,
    organisation: Organisation,
    actor: User,
    email: str,
    display_name: str = "",
    unit: OrganisationUnit | None = None,
    preferred_language: str = "",
    base_url: str,
) -> User:
    """Create the person's account without a password and mail them a link to set one.

    The link is Django's password-reset token: it works once and expires after
    ``PASSWORD_RESET_TIMEOUT``; the address is the user name."""
    _require_keeper(actor, organisation.pk)
    email = BaseUserManager.normalize_email(email.strip())
    if not email:
        raise InvalidInput("required", _("Enter the email address."), field="email")
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise Conflict(
            "EMAIL_TAKEN", _("Someone already has an account with this address."), field="email"
        )
    if unit is not None and (unit.organisation_id != organisation.pk or not unit.is_active):
        raise InvalidInput("invalid_unit", _("Choose an active department."), field="unit")
    if preferred_language and preferred_language not in dict(settings.LANGUAGES):
        raise InvalidInput("invalid_choice", _("Unknown language."), field="preferred_language")
    user = account_services.user_create(
        organisation=organisation,
        username=email.lower(),
        password=None,
        email=email,
        display_name=display_name.strip(),
        preferred_language=preferred_language,
    )
    if unit is not None:
        user.unit = unit
        user.save(update_fields=["unit"])
    _audit("people.user_invited", actor, user=user.pk)
    transaction.on_commit(lambda: _invitation_send(user, base_url))
    return user


@transaction.atomic
def user_invite_resend(*, user: User, actor: User, base_url: str) -> User:
    """Mail a fresh set-password link to someone who has not set a password yet."""
    _require_keeper(actor, user.organisation_id)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise Conflict("PASSWORD_ALREADY_SET", _("This person has already set a password."))
    if not user.is_active:
        raise Conflict("USER_INACTIVE", _("Reactivate the account first."))
    if not user.email:
        raise Conflict("NO_EMAIL", _("This account has no email address."))
    _audit("people.invitation_resent", actor, user=user.pk)
    transaction.on_commit(lambda: _invitation_send(user, base_url))
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User) -> User:
    """Close the account (it can no longer log in, its sessions end); nothing is deleted.

    Refused for oneself and for the last holder of ISMS office or decision maker."""
    _require_keeper(actor, user.organisation_id)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise Conflict("CANNOT_DEACTIVATE_SELF", _("You cannot deactivate your own account."))
    if not user.is_active:
        return user
    roles = list(
        RoleAssignment.objects.filter(organisation_id=user.organisation_id, user=user).values_list(
            "role", flat=True
        )
    )
    ensure_not_last_holder(organisation_id=user.organisation_id, user_id=user.pk, roles=roles)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _audit("people.user_deactivated", actor, user=user.pk)
    contact_changed(user)
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: User) -> User:
    _require_keeper(actor, user.organisation_id)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        _audit("people.user_reactivated", actor, user=user.pk)
        contact_changed(user)
    return user


# What the printed emergency kit shows of a person: their name, phone, email, and being active.
CONTACT_FIELDS = frozenset(
    {"display_name", "first_name", "last_name", "phone", "email", "is_active", "organisation"}
)


def contact_changed(user: User) -> None:
    """A person's contact details changed: the emergency kit is made again once this commits
    (a new version only when what it prints changed; ``records.kit_events``)."""
    if user.organisation_id:
        events.publish("plan.changed", organisation_id=user.organisation_id, what="roster")


# --- Departments --------------------------------------------------------------------------------


def _check_parent(
    organisation_id: int, parent: OrganisationUnit | None, unit_id: int | None = None
) -> None:
    if parent is None:
        return
    if parent.organisation_id != organisation_id or not parent.is_active:
        raise InvalidInput("invalid_parent", _("Choose an active department."), field="parent")
    node: OrganisationUnit | None = parent
    while node is not None:
        if unit_id is not None and node.pk == unit_id:
            raise InvalidInput(
                "UNIT_CYCLE",
                _("A department cannot sit under itself or one of its own sections."),
                field="parent",
            )
        node = node.parent


def _check_name_free(
    organisation_id: int, parent: OrganisationUnit | None, name: str, unit_id: int | None = None
) -> None:
    # Checked here as well as by the constraint: NULL parents never collide in PostgreSQL.
    siblings = OrganisationUnit.objects.filter(
        organisation_id=organisation_id, parent=parent, name__iexact=name
    )
    if siblings.exclude(pk=unit_id).exists():
        raise Conflict(
            "UNIT_NAME_TAKEN", _("A department of this name is already there."), field="name"
        )


@transaction.atomic
def unit_create(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    parent: OrganisationUnit | None = None,
) -> OrganisationUnit:
    _require_keeper(actor, organisation.pk)
    _check_parent(organisation.pk, parent)
    _check_name_free(organisation.pk, parent, name.strip())
    unit = OrganisationUnit(organisation=organisation, name=name.strip(), parent=parent)
    _full_clean(unit)
    unit.save()
    _audit("people.unit_added", actor, unit=unit.pk)
    return unit


@transaction.atomic
def unit_update(
    *, unit: OrganisationUnit, actor: User, name: str, parent: OrganisationUnit | None
) -> OrganisationUnit:
    """Rename the department or move it under another one."""
    _require_keeper(actor, unit.organisation_id)
    unit = OrganisationUnit.objects.select_for_update().get(pk=unit.pk)
    _check_parent(unit.organisation_id, parent, unit.pk)
    _check_name_free(unit.organisation_id, parent, name.strip(), unit.pk)
    unit.name, unit.parent = name.strip(), parent
    _full_clean(unit)
    unit.save()
    _audit("people.unit_changed", actor, unit=unit.pk)
    return unit


def unit_occupants(unit: OrganisationUnit) -> dict[str, int]:
    """Who is still in the department: active accounts, people still to be trained (who have
    not left), and active sections under it."""
    today = clock.now().date()
    return {
        "users": unit.members.filter(is_active=True).count(),
        # training.Person (reverse relation "people"): accounts does not import training.
        "people": unit.people.filter(Q(left_on__isnull=True) | Q(left_on__gt=today)).count(),
        "sections": unit.children.filter(is_active=True).count(),
    }


@transaction.atomic
def unit_deactivate(*, unit: OrganisationUnit, actor: User) -> OrganisationUnit:
    """Retire a department; refused while anyone or any active section is still in it."""
    _require_keeper(actor, unit.organisation_id)
    unit = OrganisationUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        return unit
    occupants = unit_occupants(unit)
    if occupants["users"] or occupants["people"]:
        raise Conflict(
            "UNIT_NOT_EMPTY",
            _(
                "%(unit)s still has people in it (%(users)d accounts, %(people)d people to "
                "train): move them to another department first."
            )
            % {"unit": unit.name, "users": occupants["users"], "people": occupants["people"]},
        )
    if occupants["sections"]:
        raise Conflict(
            "UNIT_HAS_SECTIONS",
            _("%(unit)s still has active sections: deactivate or move them first.")
            % {"unit": unit.name},
        )
    unit.is_active = False
    unit.save(update_fields=["is_active", "updated_at"])
    _audit("people.unit_deactivated", actor, unit=unit.pk)
    return unit


@transaction.atomic
def unit_reactivate(*, unit: OrganisationUnit, actor: User) -> OrganisationUnit:
    _require_keeper(actor, unit.organisation_id)
    unit = OrganisationUnit.objects.select_for_update().select_related("parent").get(pk=unit.pk)
    if unit.parent is not None and not unit.parent.is_active:
        raise Conflict(
            "PARENT_INACTIVE",
            _("Reactivate %(parent)s first.") % {"parent": unit.parent.name},
        )
    if not unit.is_active:
        unit.is_active = True
        unit.save(update_fields=["is_active", "updated_at"])
        _audit("people.unit_reactivated", actor, unit=unit.pk)
    return unit

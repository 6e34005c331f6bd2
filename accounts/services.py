from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import ApiKey, ApiKeyScope, Organisation, RoleAssignment, User
from common import clock
from common.errors import Forbidden, InvalidInput


def user_set_language(*, user: User, language: str) -> None:
    """Remember the user's language; a no-op when it is already set."""
    if language not in {code for code, _ in settings.LANGUAGES}:
        raise InvalidInput("unknown_language", "Unknown language.")
    if user.preferred_language != language:
        User.objects.filter(pk=user.pk).update(preferred_language=language)
        user.preferred_language = language


def user_start_two_factor_grace(*, user: User) -> datetime:
    """Start the person's two-factor grace period now, once; return when it started.

    A conditional update, so two requests at once start it once and agree on the moment.
    """
    User.objects.filter(pk=user.pk, two_factor_required_since__isnull=True).update(
        two_factor_required_since=clock.wall_now()
    )
    since = User.objects.values_list("two_factor_required_since", flat=True).get(pk=user.pk)
    user.two_factor_required_since = since
    return since


@transaction.atomic
def organisation_create(
    *, name: str, time_zone: str = "Asia/Tokyo", desk_phone: str = "", desk_email: str = ""
) -> Organisation:
    org = Organisation(name=name, time_zone=time_zone, desk_phone=desk_phone, desk_email=desk_email)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def user_create(
    *,
    organisation: Organisation | None,
    username: str,
    password: str | None,
    email: str = "",
    display_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    preferred_language: str = "",
) -> User:
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        organisation=organisation,
        is_staff=is_staff,
        is_superuser=is_superuser,
        preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def role_assign(
    *,
    organisation: Organisation,
    role: str,
    user: User,
    priority: int = 1,
    authority_scope: list[str] | None = None,
) -> RoleAssignment:
    assignment = RoleAssignment(
        organisation=organisation,
        role=role,
        user=user,
        priority=priority,
        authority_scope=authority_scope or [],
    )
    assignment.full_clean()
    assignment.save()
    return assignment


# --- API keys -----------------------------------------------------------------------------------

API_KEY_PREFIX = "ic"
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_key_hash(secret: str) -> str:
    """The secret has 256 bits of entropy, so a plain SHA-256 is enough (no slow KDF needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_parse(raw: str) -> tuple[str, str] | None:
    """``ic_<prefix>_<secret>`` → (prefix, secret); None when the shape is wrong."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


@transaction.atomic
def api_key_create(
    *, organisation: Organisation, actor: User, name: str, scope: str
) -> tuple[ApiKey, str]:
    """Mint a key and its service user; the plain key is returned here and never again."""
    if not access.can_manage_api_keys(actor) or actor.organisation_id != organisation.pk:
        raise Forbidden("permission_denied", _("Only the ISMS office manages API keys."))
    if scope not in ApiKeyScope.values:
        raise InvalidInput("invalid_choice", _("Unknown scope."), field="scope")
    name = name.strip()
    if not name:
        raise InvalidInput("required", _("Give the key a name."), field="name")
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    service_user = user_create(
        organisation=organisation,
        username=f"api-key-{prefix}",
        password=None,
        display_name=f"API: {name}"[:150],
    )
    key = ApiKey.objects.create(
        organisation=organisation,
        name=name[:100],
        prefix=prefix,
        secret_hash=api_key_hash(secret),
        scope=scope,
        service_user=service_user,
        created_by=actor,
    )
    return key, f"{API_KEY_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User) -> ApiKey:
    """Revoke for good (idempotent); the service user is deactivated with it."""
    if not access.can_manage_api_keys(actor) or actor.organisation_id != api_key.organisation_id:
        raise Forbidden("permission_denied", _("Only the ISMS office manages API keys."))
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is None:
        api_key.revoked_at = clock.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])
        User.objects.filter(pk=api_key.service_user_id).update(is_active=False)
    return api_key


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record use at most once a minute; the conditional update keeps concurrent calls cheap."""
    now = clock.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    api_key.last_used_at = now

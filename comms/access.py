"""Who may read, write, approve and send communications; who keeps the templates and contacts.
Checked by selectors and services.

PR and the legal / privacy officer are not incident viewers: they see (and write) the
communications of the incidents where they hold a task, a decision or an obligation, as
incidents.selectors decides (issue 16), and of no other. API keys write no communications
(people decide what is said).
"""

from __future__ import annotations

from accounts.models import User
from accounts.roles import Role
from comms.enums import PUBLIC, Audience
from incidents import access as incident_access

WRITERS = frozenset(
    {
        Role.ISMS_OFFICE,
        Role.CSIRT_LEAD,
        Role.INCIDENT_HANDLER,
        Role.POC,
        Role.PR,
        Role.LEGAL_PRIVACY,
    }
)
# Who approves what is said (a public message also needs the PUBLIC_ANNOUNCEMENT decision).
APPROVERS = frozenset({Role.CSIRT_LEAD, Role.DECISION_MAKER, Role.ISMS_OFFICE})
# Who marks a message sent (or cancels it): sending speaks for the organisation, so the ISMS
# office and the CSIRT lead for every audience, PR for the public audiences (the media, the
# public, customers at large), legal and privacy for the PPC and the people whose data leaked.
# Decision makers approve the text and the announcement; they do not send.
SENDERS = frozenset({Role.ISMS_OFFICE, Role.CSIRT_LEAD})
AUDIENCE_SENDERS: dict[str, frozenset[str]] = {
    Role.PR: PUBLIC,
    Role.LEGAL_PRIVACY: frozenset({Audience.PPC, Audience.INDIVIDUALS}),
}
# Who keeps the organisation's templates and external contacts.
KEEPERS = frozenset({Role.ISMS_OFFICE, Role.CSIRT_LEAD, Role.PR})


def _person(user: User) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.organisation_id is not None
        and incident_access.integration_scope(user) is None
    )


def _has(user: User, roles: frozenset[str]) -> bool:
    return _person(user) and (user.is_superuser or bool(incident_access.roles_of(user) & roles))


def can_write(user: User) -> bool:
    return _has(user, WRITERS)


def can_approve(user: User) -> bool:
    return _has(user, APPROVERS)


def can_send(user: User, audience: str) -> bool:
    """Whether the user may mark a message to ``audience`` sent, or cancel it."""
    if _has(user, SENDERS):
        return True
    roles = incident_access.roles_of(user) if _person(user) else set()
    return any(audience in AUDIENCE_SENDERS.get(role, ()) for role in roles)


def can_keep(user: User) -> bool:
    return _has(user, KEEPERS)


def can_read_directory(user: User) -> bool:
    return _person(user) or incident_access.integration_scope(user) is not None


# Who lets an outside responder into one incident (issue 17 item 4).
INVITERS = frozenset({Role.CSIRT_LEAD, Role.ISMS_OFFICE})


def can_invite_guests(user: User) -> bool:
    return _has(user, INVITERS)

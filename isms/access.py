"""Who may read and write reviews and corrective actions. Checked by selectors and services.

People who see an incident read its review and actions; those who edit incidents write them
(the ISMS office, the CSIRT lead, handlers). The owner of an action may mark it done.
"""

from __future__ import annotations

from accounts.models import User
from incidents import access as incident_access


def can_write(user: User) -> bool:
    return incident_access.integration_scope(user) is None and incident_access.can_edit_incidents(
        user
    )


def can_read_all(user: User) -> bool:
    return incident_access.sees_all_incidents(user)

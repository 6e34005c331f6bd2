"""The shared vocabulary of roles and decision types (DOMAIN-MODEL §2.3).

Every app speaks it: incidents checks roles for permissions, risklevels and bcp open decisions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DECISION_MAKER = "DECISION_MAKER", _("Decision maker")
    CSIRT_LEAD = "CSIRT_LEAD", _("CSIRT lead")
    ISMS_OFFICE = "ISMS_OFFICE", _("ISMS office")
    INCIDENT_HANDLER = "INCIDENT_HANDLER", _("Incident handler")
    IT_ADMIN = "IT_ADMIN", _("IT administrator")
    POC = "POC", _("Point of contact")
    PR = "PR", _("Public relations")
    LEGAL_PRIVACY = "LEGAL_PRIVACY", _("Legal and privacy")
    DEPT_MANAGER = "DEPT_MANAGER", _("Department manager")
    EXTERNAL_RESPONDER = "EXTERNAL_RESPONDER", _("External responder")


class DecisionType(models.TextChoices):
    ESCALATE_LEVEL = "ESCALATE_LEVEL", _("Raise the level")
    DEESCALATE_LEVEL = "DEESCALATE_LEVEL", _("Lower the level")
    ESTABLISH_IRT = "ESTABLISH_IRT", _("Set up the incident response team")
    ACTIVATE_CYBER_BCP = "ACTIVATE_CYBER_BCP", _("Activate the cyber BCP")
    CUT_ALL_EXTERNAL_NETWORK = "CUT_ALL_EXTERNAL_NETWORK", _("Cut all external communication")
    PUBLIC_ANNOUNCEMENT = "PUBLIC_ANNOUNCEMENT", _("Public announcement")
    APPI_REPORTABILITY = "APPI_REPORTABILITY", _("APPI reportability")
    BCP_STAND_DOWN = "BCP_STAND_DOWN", _("Stand down the cyber BCP")
    CLOSE_INCIDENT = "CLOSE_INCIDENT", _("Close the incident")
    # A vulnerability finding's risk is accepted (vulns, issue 23): the finding changes only
    # when the decision maker (or a deputy) approves.
    RISK_ACCEPTANCE = "RISK_ACCEPTANCE", _("Accept a vulnerability's risk")

"""Every state change of the alerts, one function each (see docs/architecture.md, "Alerts")."""

"""Intake channels other than a person's report: security-tool alerts (signed webhooks)."""

"""Escalation use cases: parameters, seeding, checklists, re-evaluation, level changes."""

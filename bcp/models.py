"""Cyber-BCP activations, plans and their actions (issue: Decisions)."""

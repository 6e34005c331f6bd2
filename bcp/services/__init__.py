"""Decisions with deadlines and deputies, and the cyber BCP, one use case per function."""

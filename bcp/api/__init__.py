"""The REST API of decisions, the roster and the cyber BCP (/api/v1/)."""

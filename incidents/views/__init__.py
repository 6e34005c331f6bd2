"""Browser views of the incident record: thin, every change goes through a service."""

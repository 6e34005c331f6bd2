"""Browser views of readiness: thin, every change goes through a service."""

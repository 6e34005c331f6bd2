"""An email backend whose server is down: every send fails as an unreachable SMTP server."""

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("connection refused")

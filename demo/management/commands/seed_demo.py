from django.core.management.base import BaseCommand

from demo.services import DEMO_USERS, demo_seed


class Command(BaseCommand):
    help = "Create the demo organisation with one user per role and print the credentials."

    def handle(self, *args: object, **options: object) -> None:
        passwords = demo_seed()
        roles = {
            spec.username: spec.role or ("superuser" if spec.is_superuser else "reporter")
            for spec in DEMO_USERS
        }
        self.stdout.write("Demo users (username / password / role):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<10} {password:<14} {roles[username]}")

from django.core.management.base import BaseCommand

from demo.services import DEMO_USERS, demo_incident, demo_seed


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
        ref = demo_incident()
        if ref:
            self.stdout.write(
                f"Demo incident {ref}: a targeted-email wave at level 1, level 2 "
                "recommended; its decisions wait in the decision inbox."
            )

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from accounts.models import Organisation
from accounts.roles import Role
from demo.comms import demo_comms, demo_guest
from demo.privacy import demo_data_sets
from demo.services import (
    DEMO_ORGANISATION,
    DEMO_USERS,
    demo_incident,
    demo_second_incident,
    demo_seed,
    demo_shared_indicator,
)
from demo.training import demo_training
from demo.vulns import demo_vulns


def welcome_file() -> Path:
    """What ``make run`` prints in its box once the app is ready (runstack --welcome)."""
    return Path(settings.VAR_DIR) / "demo-welcome.txt"


class Command(BaseCommand):
    help = (
        "Create the demo organisation with one user per role, its departments, people to train,"
        " courses, a finished drill and exercise, and print the credentials."
    )

    def handle(self, *args: object, **options: object) -> None:
        passwords = demo_seed()
        with translation.override("ja"):
            roles = {
                spec.username: str(Role(spec.role).label)
                if spec.role
                else ("管理者（Django admin）" if spec.is_superuser else "社員（報告する人）")
                for spec in DEMO_USERS
            }
        lines = ["デモのユーザー / demo users (username  password  role):"]
        lines += [f"  {u:<10} {p:<14} {roles[u]}" for u, p in passwords.items()]
        ref = demo_incident()
        demo_second_incident()
        demo_shared_indicator()
        demo_training(Organisation.objects.get(name=DEMO_ORGANISATION))
        demo_comms(Organisation.objects.get(name=DEMO_ORGANISATION))
        demo_data_sets(Organisation.objects.get(name=DEMO_ORGANISATION))
        demo_vulns(Organisation.objects.get(name=DEMO_ORGANISATION))
        guest_line = demo_guest(Organisation.objects.get(name=DEMO_ORGANISATION))
        if ref:
            lines.append(
                f"デモのインシデント {ref}: 標的型攻撃メール、レベル2の判断待ち / demo incident"
            )
        lines += [
            "判断の記録には二要素認証が必要です。責任者（president・deputy）は、判断の画面から"
            "案内される「二要素認証」で認証アプリを設定してください。",
            "Deciding needs a second factor: the decision makers (president, deputy) set up an"
            " authenticator app on the page the decision form leads to.",
        ]
        if guest_line:
            lines += [
                guest_line,
                "外部対応者はリンクでパスワードを設定し、続けて認証アプリを設定します"
                "（TWO_FACTOR_REQUIRED_FOR_GUESTS）。",
            ]
        self.stdout.write("\n".join(lines))
        path = welcome_file()
        path.write_text("\n".join(lines) + "\n")
        path.chmod(0o600)

"""Start the test OpenID Connect provider: ``python -m tests.oidc_provider.serve CONFIG.json``.

The JSON names the port, the directory for SQLite, the client (id, secret, redirect URIs) and the
people (username, password, email). An RSA key is made here, at every start; none is committed.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        OIDC_PROVIDER_SECRET_KEY=secrets.token_urlsafe(32),
        OIDC_PROVIDER_DB=str(Path(config["dir"]) / "provider.sqlite3"),
        OIDC_PROVIDER_RSA_KEY=_rsa_key_pem(),
    )
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in config["users"]:
        User.objects.create_user(person["username"], person["email"], person["password"])
    Application.objects.create(
        name="isms-csirt",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(config["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    print(f"oidc provider ready on {config['port']}", flush=True)
    run("127.0.0.1", config["port"], get_wsgi_application(), threading=True, server_cls=WSGIServer)


if __name__ == "__main__":
    main(sys.argv[1])

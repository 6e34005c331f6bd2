"""A real IMAP server for the reporting-mailbox tests: Debian's Dovecot, started by the test as
an unprivileged process on a free port, with a temporary configuration (one passwd-file user,
maildir under a temporary directory). No system service is used or needed.

Run as root (CI containers), the server runs as ``nobody``; otherwise as the current user.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.common.stack import free_port, wait_until

USER = "phishing@example.jp"
PASSWORD = "imap-test-only"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    port: int
    root: Path

    def connect(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(USER, PASSWORD)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Put a message into the box with IMAP APPEND, as a mail server's delivery would."""
        client = self.connect()
        try:
            status, _ = client.append(folder, None, None, raw)
            assert status == "OK", status
        finally:
            client.logout()

    def count(self, folder: str = "INBOX") -> int:
        client = self.connect()
        try:
            status, data = client.select(f'"{folder}"', readonly=True)
            return int(data[0]) if status == "OK" else 0
        finally:
            client.logout()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _answers(port: int) -> bool:
    try:
        imaplib.IMAP4("127.0.0.1", port).logout()
    except OSError:
        return False
    return True


@contextmanager
def running() -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    as_root = os.getuid() == 0
    account = pwd.getpwnam("nobody") if as_root else pwd.getpwuid(os.getuid())
    root = Path(tempfile.mkdtemp(prefix="imap-test-"))
    port = free_port()
    (root / "dovecot.conf").write_text(
        CONFIG.format(
            root=root,
            user=account.pw_name,
            group=grp.getgrgid(account.pw_gid).gr_name,
            uid=account.pw_uid,
            gid=account.pw_gid,
            port=port,
        )
    )
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    if as_root:
        os.chown(root, account.pw_uid, account.pw_gid)
        for name in ("dovecot.conf", "passwd"):
            os.chown(root / name, account.pw_uid, account.pw_gid)
    drop = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []} if as_root else {}
    process = subprocess.Popen(
        [binary, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **drop,
    )
    server = Dovecot(port, root)
    try:
        wait_until(
            lambda: process.poll() is not None or _answers(port),
            what=lambda: server.log(),
        )
        assert process.poll() is None, server.log()
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)

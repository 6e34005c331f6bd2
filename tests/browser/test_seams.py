"""Japanese without seams (issue 15, item 6; docs/glossary.md): each role signs in, in Japanese,
on a 390×844 phone and a 1366×768 desktop, and follows every same-origin link it can reach from
its home page and the navigation. Every page must show no `None`, no enum code, no half-width
`?` `(` `)` `:` touching Japanese, no ISO or UTC timestamp, no horizontal scroll on the phone,
no console error and no error status. A failure names the page and the offending text.

The crawl is bounded: one page per URL pattern (numbers and tokens in the path stand for one
another) for each screen size, across the roles, so that each role adds only the pages the others
did not reach; sign-out, downloads, exports, the admin, static files, the API and language
switches are never followed.
"""

import os
import re
from io import StringIO
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tests.browser.conftest import _page, log_in, shoot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
# One account of the demo per role of issue 15 (demo/services.py DEMO_USERS).
ROLES = ["employee", "isms", "csirt", "president", "legal", "pr"]
MAX_PAGES_PER_ROLE = 60  # a guard against a crawl that runs away; far above what is reachable

SKIP_PATH = re.compile(
    r"^/(admin|static|media|api|__debug__)/|/(logout|export|download|raw|attachment)"
    r"|\.(csv|eml|pdf|zip|json|txt|png|svg|ico)$|^/notifications/open/|^/accounts/(logout|login)"
)
SKIP_QUERY = {"lang", "next", "format"}  # a language switch, a sign-in hop, a download
NUMBER_OR_TOKEN = re.compile(r"/(\d+|[0-9a-f-]{32,36}|[A-Za-z0-9_-]{20,}|[A-Z]+-\d{4}-\d+)(?=/)")

JAPANESE = "[\u3040-\u30ff\u3400-\u9fff\u3000-\u303f\uff01-\uff60]"
HALF_WIDTH = re.compile(rf".{{0,12}}(?:{JAPANESE}[?():]|[?():]{JAPANESE}).{{0,12}}")
NONE = re.compile(r".{0,20}\bNone\b.{0,20}")
CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
# A payload key or a code in lower case leaking through (condition：infected_isolated).
KEY = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b[a-z][a-z_]+：")
TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2})?|\bUTC\b|[+-]00:00\b|\d{2}:\d{2}Z\b"
)
# True exceptions (docs/glossary.md): TLP labels as FIRST spells them, and upper-case words that
# are names rather than codes (the acronyms the glossary uses).
TLP = re.compile(r"TLP:(?:CLEAR|GREEN|AMBER\+STRICT|AMBER|RED)")
NOT_CODES = {
    "PC", "ISMS", "CSIRT", "BCP", "IRT", "TLP", "IT", "API", "URL", "EDR", "RAT", "BEC", "APPI",
    "IPA", "JPCERT", "PPC", "NISC", "DNS", "LAN", "FW", "OK", "ID", "CSV", "PDF", "SHA", "PR",
    "IoC", "NW", "VPN", "USB", "SNS", "PoC", "IOC", "ISO", "IEC", "JIS", "JNSA", "NTP", "SSO",
    "OIDC", "TOTP", "QR", "HTML", "HTTP", "HTTPS", "REST", "SOC", "MFA", "OS", "CEO", "C2",
    "ISAC", "IP", "P1", "P2", "P3", "P4", "STEP", "SHA-256", "SaaS", "DoS", "DDoS", "STIX", "MISP",
}  # fmt: skip
# The priorities are named P1 to P4 (with their meaning beside: P1（緊急）); STEP is the JNSA
# CSIRT maturity step.

SHOTS = bool(os.environ.get("SEAMS_SCREENSHOTS"))  # every page to var/screenshots, to look at

# Console messages that are not errors of the page: none so far.
CONSOLE_ALLOWED: tuple[str, ...] = ()

VISIBLE_TEXT = """() => {
  const body = document.body.innerText;
  // Where the page quotes what it did not write: an email's headers and body, code samples.
  const quoted = [...document.querySelectorAll('pre, code, kbd, samp, [translate="no"]')]
    .map(el => el.innerText).filter(Boolean);
  let text = body;
  for (const q of quoted) text = text.replace(q, ' ');
  return text;
}"""


WIDEST = """() => {
  // The outermost elements that reach past the right edge: what makes the page scroll.
  const edge = document.scrollingElement.clientWidth + 1;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('');
  return [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > edge &&
      !(el.parentElement && el.parentElement.getBoundingClientRect().right > edge))
    .slice(0, 3).map(el => name(el.parentElement) + ' > ' + name(el) + ' ' +
      Math.round(el.getBoundingClientRect().right) + 'px');
}"""


def _single_word_codes() -> set[str]:
    """Every single-word upper-case value of a choice field (OPEN, DRAFT, EXERCISE, …)."""
    codes = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[A-Z][A-Z0-9]+", value):
                    codes.add(value)
    return codes - NOT_CODES


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    path = NUMBER_OR_TOKEN.sub("/<id>", parts.path)
    return path + ("?" + "&".join(keys) if keys else "")


def _followable(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin or SKIP_PATH.search(parts.path):
        return False
    return not {k for k, _v in parse_qsl(parts.query)} & SKIP_QUERY


def _seams(page: Page, url: str, size: str, single_codes: set[str]) -> list[str]:
    text = TLP.sub(" ", page.evaluate(VISIBLE_TEXT))
    found = [f"None: {m.group(0)!r}" for m in NONE.finditer(text)]
    codes = set(CODE.findall(text)) | (set(re.findall(r"\b[A-Z][A-Z0-9]+\b", text)) & single_codes)
    found += [f"code: {c}" for c in sorted(codes)]
    found += [f"key: {k}" for k in sorted(set(KEY.findall(text)))]
    found += [f"half-width: {m.group(0)!r}" for m in HALF_WIDTH.finditer(text)]
    found += [f"timestamp: {m.group(0)!r}" for m in TIMESTAMP.finditer(text)]
    if size == "phone":
        scroll = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if scroll[0] > scroll[1]:
            widest = ", ".join(page.evaluate(WIDEST))
            found.append(f"horizontal scroll: {scroll[0]} > {scroll[1]} px ({widest})")
    return [f"{size} {url}: {seam}" for seam in found]


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo organisation (people, an incident with decisions waiting, training, a finished
    drill and exercise); every account signs in with the tests' password."""
    call_command("seed_demo", stdout=StringIO())
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _watch(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of the page (a CSP violation is a console error)."""
    console: list[str] = []
    page.on(
        "console",
        lambda m: (
            console.append(m.text)
            if m.type == "error" and not m.text.startswith(CONSOLE_ALLOWED)
            else None
        ),
    )
    page.on("pageerror", lambda e: console.append(str(e)))
    return console


def _crawl(page: Page, role: str, size: str, origin: str, seen: set[str]) -> list[str]:
    """Every page the role reaches from its home, one per URL pattern not seen before."""
    single_codes = _single_word_codes()
    console = _watch(page)
    log_in(page, role)
    problems: list[str] = []
    queue, done = [origin + "/"], 0
    while queue and done < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        key = _pattern(url)
        if key in seen and url != origin + "/":
            continue
        seen.add(key)
        done += 1
        response = page.goto(url)
        page.wait_for_load_state("load")
        parts = urlsplit(url)
        where = f"{role} {parts.path}{'?' + parts.query if parts.query else ''}"
        if response is None or response.status >= 400:
            problems.append(f"{size} {where}: status {response and response.status}")
            continue
        if "/accounts/login/" in page.url:
            problems.append(f"{size} {where}: sent to the sign-in page")
            continue
        problems += _seams(page, where, size, single_codes)
        problems += [f"{size} {where}: console: {c}" for c in console]
        console.clear()
        if SHOTS:
            shoot(page, f"seams-{size}-{role}-{len(seen):03d}")
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(a => a.href.split('#')[0])"
        ):
            if _followable(href, origin) and _pattern(href) not in seen:
                queue.append(href)
    return problems


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_every_page_each_role_reaches_reads_as_japanese_without_seams(
    size, demo, browser: Browser, live_server: LiveServer
):
    seen: set[str] = set()
    problems: list[str] = []
    for role in ROLES:
        for page in _page(browser, live_server, VIEWPORTS[size]):
            problems += _crawl(page, role, size, live_server.url, seen)
    assert len(seen) > 40, sorted(seen)  # the crawl reached the app, not just the home pages
    assert problems == [], "\n".join(problems)

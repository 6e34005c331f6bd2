"""The demo's departments, people to train, courses, one finished phishing drill and one finished
tabletop exercise, so that every training page has something to show (issue 15 item 7).

Everything goes through the apps' services as the demo's ISMS office, dated relative to today.
Idempotent: each piece is looked up by its natural key (department name, staff number, course
code, drill and exercise title) and only what is missing is made; running it again changes
nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts import directory
from accounts.models import Organisation, OrganisationUnit, User
from bcp.models import Decision
from common import clock, csvexport
from common.errors import DomainError
from notifications.enums import DeliveryState
from notifications.models import Notification
from training import scenario
from training.enums import ClockMode, CompletionStatus, Population, Topic
from training.models import Course, Exercise, Person, PhishingDrill
from training.services import courses, drills, exercises, people

# Departments: (name, parent name or None).
UNITS = [
    ("経営企画部", None),
    ("総務部", None),
    ("情報システム部", None),
    ("営業部", None),
    ("第一営業課", "営業部"),
    ("第二営業課", "営業部"),
    ("経理部", None),
    ("製造部", None),
]

# Where the demo's users work.
USER_UNITS = {
    "president": "経営企画部",
    "deputy": "総務部",
    "csirt": "情報システム部",
    "isms": "総務部",
    "handler": "情報システム部",
    "itadmin": "情報システム部",
    "poc": "総務部",
    "pr": "経営企画部",
    "legal": "総務部",
    "manager": "営業部",
    "employee": "第一営業課",
}

# People to train without an account: (staff number, name, population, department).
PEOPLE = [
    ("D1001", "青木 健一", Population.EMPLOYEE, "第一営業課"),
    ("D1002", "石井 美咲", Population.EMPLOYEE, "第一営業課"),
    ("D1003", "上田 翔", Population.EMPLOYEE, "第一営業課"),
    ("D1004", "遠藤 由美", Population.EMPLOYEE, "第二営業課"),
    ("D1005", "岡田 拓也", Population.EMPLOYEE, "第二営業課"),
    ("D1006", "金子 彩", Population.DISPATCHED, "第二営業課"),
    ("D1007", "木村 大輔", Population.EMPLOYEE, "経理部"),
    ("D1008", "工藤 真理", Population.EMPLOYEE, "経理部"),
    ("D1009", "小松 花子", Population.DISPATCHED, "経理部"),
    ("D1010", "斉藤 剛", Population.EMPLOYEE, "製造部"),
    ("D1011", "坂本 陽子", Population.EMPLOYEE, "製造部"),
    ("D1012", "清水 誠", Population.CONTRACTOR, "製造部"),
    ("D1013", "杉山 恵", Population.CONTRACTOR, "製造部"),
    ("D1014", "高田 修", Population.EMPLOYEE, "製造部"),
    ("D1015", "千葉 明美", Population.EMPLOYEE, "総務部"),
    ("D1016", "土屋 亮", Population.DISPATCHED, "総務部"),
    ("D1017", "中島 直子", Population.EMPLOYEE, "情報システム部"),
    ("D1018", "西村 浩", Population.EXECUTIVE, "経営企画部"),
    ("D1019", "野口 里美", Population.EMPLOYEE, "経営企画部"),
]
# The demo's users are people to train too (staff number D0xxx): the worker's home shows what
# is due.
ACCOUNT_PEOPLE = [
    "president",
    "deputy",
    "csirt",
    "isms",
    "handler",
    "itadmin",
    "poc",
    "pr",
    "legal",
    "manager",
    "employee",
]

ALL_POPULATIONS = [p.value for p in Population]
COURSES = [
    {
        "code": "SEC-101",
        "title": "標的型攻撃メールの基本：開かない・報告する・抜く",
        "topics": [Topic.TARGETED_EMAIL_BASICS, Topic.PHISHING, Topic.INCIDENT_REPORTING],
        "validity_months": 12,
        "required_for": ALL_POPULATIONS,
        "due_within_days": 30,
        "pass_score": 80,
    },
    {
        "code": "SEC-201",
        "title": "個人情報の取り扱いと漏えい時の報告",
        "topics": [Topic.PERSONAL_DATA, Topic.INFORMATION_HANDLING],
        "validity_months": 24,
        "required_for": [Population.EMPLOYEE, Population.EXECUTIVE],
        "due_within_days": 60,
        "pass_score": None,
    },
    {
        "code": "BCP-301",
        "title": "サイバー攻撃対応BCPとインシデント時の判断",
        "topics": [Topic.CYBER_BCP],
        "validity_months": 12,
        "required_for": [Population.EXECUTIVE],
        "due_within_days": 30,
        "pass_score": None,
    },
]

DRILL_TITLE = "標的型攻撃メール訓練（請求書を装ったメール）"
EXERCISE_TITLE = "机上訓練：PC隔離からレベル2への拡大"
EXERCISE_FINDINGS = (
    "良かった点：最初の報告から10分で受付、PC-12の隔離まで30分以内。\n"
    "課題：CSIRT責任者に代理者がおらず、レベル引き上げの判断が期限を過ぎた。"
    "代理者を体制表に登録する。\n"
    "課題：取引先への連絡文の承認者が決まっていなかった。広報と法務で雛形を用意する。"
)


def _units(org: Organisation, office: User) -> dict[str, OrganisationUnit]:
    found = {u.name: u for u in OrganisationUnit.objects.filter(organisation=org)}
    for name, parent in UNITS:
        if name not in found:
            found[name] = directory.unit_create(
                organisation=org, actor=office, name=name, parent=found[parent] if parent else None
            )
    for username, unit in USER_UNITS.items():
        User.objects.filter(organisation=org, username=username, unit__isnull=True).update(
            unit=found[unit]
        )
    return found


def _people(org: Organisation, office: User, units: dict[str, OrganisationUnit]) -> None:
    existing = set(Person.objects.filter(organisation=org).values_list("employee_no", flat=True))
    started = clock.now().date() - timedelta(days=3 * 365)
    for n, username in enumerate(ACCOUNT_PEOPLE, 1):
        number = f"D{n:04d}"
        user = User.objects.filter(organisation=org, username=username).first()
        if number in existing or user is None:
            continue
        population = Population.EXECUTIVE if username in ("president", "deputy") else None
        people.person_create(
            organisation=org,
            actor=office,
            employee_no=number,
            name=str(user),
            email=user.email,
            population=population or Population.EMPLOYEE,
            unit=units[USER_UNITS[username]],
            start_date=started,
            user=user,
        )
    for number, name, population, unit in PEOPLE:
        if number not in existing:
            people.person_create(
                organisation=org,
                actor=office,
                employee_no=number,
                name=name,
                email=f"{number.lower()}@example.com",
                population=population,
                unit=units[unit],
                start_date=started,
            )


def _courses(org: Organisation, office: User) -> dict[str, Course]:
    since = clock.now().date() - timedelta(days=2 * 365)
    found = {c.code: c for c in Course.objects.filter(organisation=org)}
    for spec in COURSES:
        if spec["code"] not in found:
            found[spec["code"]] = courses.course_create(
                organisation=org,
                actor=office,
                required_since=since,
                description="",
                **spec,
            )
    return found


def _completions(org: Organisation, office: User, by_code: dict[str, Course]) -> None:
    """Most people are current; every fifth completed more than a year ago (expired, overdue),
    every seventh never did (overdue), and one failed the quiz."""
    if by_code["SEC-101"].completions.exists():
        return
    today = clock.now().date()
    everyone = list(Person.objects.filter(organisation=org).order_by("employee_no"))
    basics, privacy, bcp = by_code["SEC-101"], by_code["SEC-201"], by_code["BCP-301"]
    for n, person in enumerate(everyone):
        if person.user is not None and person.user.username == "employee":
            continue  # the demo's worker still has the basics to do: their home shows it
        if n % 7 == 6:
            continue
        expired = n % 5 == 4
        done_on = today - timedelta(days=400 + n if expired else 20 + 9 * n)
        score = 65 if n == 3 else 80 + (n * 7) % 21
        courses.completion_record(
            person=person, course=basics, actor=office, completed_on=done_on, score=score
        )
        if person.population in (Population.EMPLOYEE, Population.EXECUTIVE) and n % 3 != 2:
            courses.completion_record(
                person=person,
                course=privacy,
                actor=office,
                completed_on=today - timedelta(days=90 + n),
                status=CompletionStatus.COMPLETED,
            )
        if person.population == Population.EXECUTIVE and n % 2 == 0:
            courses.completion_record(
                person=person, course=bcp, actor=office, completed_on=today - timedelta(days=45)
            )


def _local(org: Organisation, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(org.time_zone))


def _drill(org: Organisation, office: User, by_code: dict[str, Course]) -> None:
    """Sent six weeks ago; about a third opened, some clicked, one entered data, half of the
    others reported it; the clickers get the basics again."""
    if PhishingDrill.objects.filter(organisation=org, title=DRILL_TITLE).exists():
        return
    sent_at = _local(org, clock.now().date() - timedelta(days=42), 9)
    drill = drills.drill_create(
        organisation=org,
        actor=office,
        title=DRILL_TITLE,
        sent_at=sent_at,
        scenario="請求書の送付を装い、添付ファイルのリンクを開かせる",
        follow_up_course=by_code["SEC-101"],
        follow_up_days=30,
    )
    rows: list[list[object]] = [["社員番号", "開封", "クリック", "情報入力", "報告"]]
    recipients = drill.recipients.select_related("person").order_by("person__employee_no")
    for n, recipient in enumerate(recipients):
        opened, clicked, entered = n % 3 == 0, n % 6 == 0, n == 6
        reported = not clicked and n % 2 == 1
        flags = [opened, clicked, entered, reported]
        rows.append([recipient.person.employee_no, *("1" if flag else "0" for flag in flags)])
    preview = drills.drill_results_preview(
        drill=drill, actor=office, data=csvexport.csv_bytes(rows), filename="results.csv"
    )
    drills.drill_results_apply(csv_import=preview, actor=office)


def _decide_open(exercise: Exercise) -> None:
    """Each open decision taken by its current assignee, as the exercise's players would."""
    for decision in Decision.objects.filter(
        incident__exercise_link__exercise=exercise, status="OPEN"
    ).select_related("assignee"):
        if decision.assignee is None:
            continue
        try:
            exercises.exercise_decide(
                exercise=exercise,
                decision=decision,
                actor=decision.assignee,
                outcome="APPROVED",
                rationale="訓練シナリオに沿って承認",
                scope="PARTIAL" if decision.type == "ACTIVATE_CYBER_BCP" else None,
            )
        except DomainError:
            continue  # a decision the rules do not let this holder take stays open in the report


def _exercise(org: Organisation, office: User) -> None:
    """The level-1-to-level-2 tabletop, played step by step three weeks ago and finished with
    its findings, so the after-action report has a timeline, decisions and lessons."""
    if Exercise.objects.filter(organisation=org, title=EXERCISE_TITLE).exists():
        return
    start = _local(org, clock.now().date() - timedelta(days=21), 10)
    exercise = exercises.exercise_start(
        organisation=org,
        actor=office,
        document=scenario.samples()["level1-isolate-to-level2-spread"],
        mode=ClockMode.STEPPED,
        starts_at=start,
        title=EXERCISE_TITLE,
    )
    # Played in steps: at +1:30 the level-2 decisions are open and taken (the CSIRT lead's
    # after its deadline, as the findings say), then to the end.
    for minutes in (90, 120):
        exercises.exercise_advance(
            exercise=exercise, actor=office, to=start + timedelta(minutes=minutes)
        )
        _decide_open(exercise)
    exercises.exercise_advance(exercise=exercise, actor=office, to=start + timedelta(minutes=150))
    exercises.exercise_finish(exercise=exercise, actor=office, findings=EXERCISE_FINDINGS)
    # The exercise took place three weeks ago: its alerts stay on record, but its players are
    # not mailed now (dozens of mails would hold up `make run`'s first worker heartbeat).
    Notification.objects.filter(
        alert__incident__exercise_link__exercise=exercise, state=DeliveryState.PENDING
    ).delete()


@transaction.atomic
def demo_training(organisation: Organisation) -> None:
    office = User.objects.get(organisation=organisation, username="isms")
    units = _units(organisation, office)
    _people(organisation, office, units)
    by_code = _courses(organisation, office)
    _completions(organisation, office, by_code)
    _drill(organisation, office, by_code)
    _exercise(organisation, office)

"""bench/import: importing the HR list — 5 000 people from a Shift_JIS CSV — in under 10 s.

    .venv/bin/python bench/import.py [--people 5000] [--units 40]

Times the whole import as the ISMS office does it: the preview (decode, check every row against
the organisation, keep the file) and the import (check again, then write all rows in one
transaction), first into an empty organisation, then again with every row changed (updates).
Dates are mixed: 2025/11/25, 2025-11-25 and 令和7年11月25日.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

import _lib

SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "山田"]
GIVEN = ["太郎", "花子", "一郎", "次郎", "美咲", "陽菜", "蓮", "大翔", "結衣", "悠真", "健太"]
POPULATIONS = ["社員"] * 7 + ["派遣", "派遣", "請負", "役員"]


def make_csv(people: int, units: list[str], seed: int, suffix: str = "") -> bytes:
    rng = random.Random(seed)
    lines = ["社員番号,氏名,区分,部署,開始日,メールアドレス"]
    for n in range(people):
        year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        style = n % 3
        if style == 0:
            start = f"{year}/{month}/{day}"
        elif style == 1:
            start = f"{year}-{month:02d}-{day:02d}"
        else:
            reiwa = (year, month) >= (2019, 5)
            start = f"令和{year - 2018}年{month}月{day}日" if reiwa else f"{year}/{month}/{day}"
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}{suffix}"
        email = f"p{n:05d}@example.com" if n % 4 else ""
        lines.append(
            f"P{n:05d},{name},{rng.choice(POPULATIONS)},{rng.choice(units)},{start},{email}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def setup(env: dict[str, str], unit_count: int):  # type: ignore[no-untyped-def]
    _lib.recreate_database("import")
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.django_setup(env)
    from accounts import services as accounts
    from accounts.models import OrganisationUnit
    from accounts.roles import Role

    org = accounts.organisation_create(name="ベンチ株式会社")
    office = accounts.user_create(organisation=org, username="isms", password=None)
    accounts.role_assign(organisation=org, role=Role.ISMS_OFFICE, user=office)
    paths = []
    for d in range(unit_count // 4):
        parent = OrganisationUnit.objects.create(organisation=org, name=f"第{d + 1}事業部")
        for s in range(4):
            OrganisationUnit.objects.create(organisation=org, parent=parent, name=f"{s + 1}課")
            paths.append(f"第{d + 1}事業部/{s + 1}課")
    return org, office, paths


def timed_import(org, office, data: bytes) -> dict:  # type: ignore[no-untyped-def]
    from training.services import people

    t0 = time.perf_counter()
    preview = people.people_import_preview(
        organisation=org, actor=office, data=data, filename="hr.csv"
    )
    t1 = time.perf_counter()
    assert not preview.errors, preview.errors[:3]
    people.people_import_apply(csv_import=preview, actor=office)
    t2 = time.perf_counter()
    return {
        "encoding": preview.encoding,
        "rows": preview.row_count,
        "created": preview.summary["create"],
        "updated": preview.summary["update"],
        "preview_s": round(t1 - t0, 2),
        "import_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--units", type=int, default=40)
    args = parser.parse_args()
    env = _lib.bench_env("import")
    org, office, paths = setup(env, args.units)
    first = make_csv(args.people, paths, seed=7)
    changed = make_csv(args.people, paths, seed=7, suffix="（改）")
    from training.models import Person

    payload = {
        "bench": "import",
        "args": vars(args),
        "file_bytes": len(first),
        "first_import": timed_import(org, office, first),
        "reimport_every_row_changed": timed_import(org, office, changed),
        "people_in_database": Person.objects.filter(organisation=org).count(),
    }
    payload["under_10_s"] = all(
        payload[k]["total_s"] < 10 for k in ("first_import", "reimport_every_row_changed")
    )
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    print("raw:", _lib.write_result("import", payload))
    return 0 if payload["under_10_s"] else 1


if __name__ == "__main__":
    sys.exit(main())

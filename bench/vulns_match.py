"""bench/vulns_match: matching 50 000 advisories against 2 000 assets × 20 products (issue 23).

    .venv/bin/python bench/vulns_match.py [--advisories 50000] [--assets 2000] [--products 20]

Seeds a throw-away database (``isms_bench_vulns``): a universe of 2 000 products
(``vendorN:productM``), each asset running ``--products`` of them at one of forty versions, and
``--advisories`` advisories with one or two VERS ranges on random products (a window of one to
three of the product's forty versions, so about one pair in twenty matches). Then measures,
with ``vulns.services.matching``:

- full: ``match()`` over everything, from no findings (it writes them);
- full again: the same with every finding already there (nothing to write);
- incremental, inventory: one asset's software changes (``match(asset_ids=[…])``), p50/max of 20;
- incremental, import: one advisory changes (``match(advisory_ids=[…])``), p50/max of 20.

Targets (the issue): full under 60 s, incremental under 1 s.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time

import _lib

UNIVERSE = 2000
# Forty versions per product (1.0.0 … 4.9.0); a range spans one to three of them, so a piece of
# software falls in about one range of its product in twenty.
VERSIONS = [f"{major}.{minor}.0" for major in range(1, 5) for minor in range(10)]


def _window(rng: random.Random) -> str:
    start = rng.randrange(len(VERSIONS) - 3)
    end = start + rng.randint(1, 3)
    return f"vers:generic/>={VERSIONS[start]}|<{VERSIONS[end]}"


def seed(args: argparse.Namespace) -> tuple[int, list[int], list[int]]:
    from django.db import connection, transaction

    from accounts import services as accounts
    from incidents.models import Asset
    from vulns import keys
    from vulns.models import Advisory, AffectedRange, Software

    rng = random.Random(23)
    org = accounts.organisation_create(name="ベンチ株式会社")
    with transaction.atomic():
        Asset.objects.bulk_create(
            Asset(organisation=org, asset_tag=f"PC-{i:05d}", hostname=f"pc{i}")
            for i in range(args.assets)
        )
        assets = list(Asset.objects.filter(organisation=org).values_list("pk", flat=True))
        rows = []
        for asset_id in assets:
            for product in rng.sample(range(UNIVERSE), args.products):
                vendor, name = f"vendor{product % 400}", f"product{product}"
                rows.append(
                    Software(
                        organisation=org,
                        asset_id=asset_id,
                        vendor=vendor,
                        product=name,
                        version=rng.choice(VERSIONS),
                        cpe_key=keys.cpe_key(vendor, name),
                    )
                )
        Software.objects.bulk_create(rows, batch_size=5000)
        advisories = Advisory.objects.bulk_create(
            (
                Advisory(vuln_id=f"CVE-2099-{i:06d}", severity=rng.choice(["HIGH", "MEDIUM"]))
                for i in range(args.advisories)
            ),
            batch_size=5000,
        )
        ranges = []
        for advisory in advisories:
            for _n in range(rng.choice((1, 1, 2))):
                product = rng.randrange(UNIVERSE)
                ranges.append(
                    AffectedRange(
                        advisory=advisory,
                        source="nvd",
                        key=keys.cpe_key(f"vendor{product % 400}", f"product{product}"),
                        vers=_window(rng),
                    )
                )
        AffectedRange.objects.bulk_create(ranges, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return org.pk, assets, [a.pk for a in advisories]


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--advisories", type=int, default=50_000)
    parser.add_argument("--assets", type=int, default=2_000)
    parser.add_argument("--products", type=int, default=20)
    args = parser.parse_args()
    env = _lib.bench_env("vulns")
    _lib.recreate_database("vulns")
    _lib.manage(env, "migrate", "--noinput", "-v0")
    _lib.django_setup(env)
    from vulns import versions
    from vulns.models import Finding, Software
    from vulns.services import matching

    started = time.perf_counter()
    _org, assets, advisories = seed(args)
    seeded = time.perf_counter() - started
    full = timed(matching.match)
    findings = Finding.objects.count()
    full_again = timed(matching.match)
    versions.contains.cache_clear()
    full_cold_cache = timed(matching.match)
    rng = random.Random(7)
    inventory = []
    for asset_id in rng.sample(assets, 20):
        software = Software.objects.filter(asset_id=asset_id).first()
        software.version = rng.choice(VERSIONS)
        software.save(update_fields=["version"])
        inventory.append(timed(lambda a=asset_id: matching.match(asset_ids=[a])))
    imports = [
        timed(lambda a=advisory: matching.match(advisory_ids=[a]))
        for advisory in rng.sample(advisories, 20)
    ]
    result = {
        "advisories": args.advisories,
        "assets": args.assets,
        "software": Software.objects.count(),
        "findings": findings,
        "seed_s": round(seeded, 1),
        "full_s": round(full, 2),
        "full_again_s": round(full_again, 2),
        "full_cold_cache_s": round(full_cold_cache, 2),
        "incremental_asset_p50_ms": round(statistics.median(inventory) * 1000, 1),
        "incremental_asset_max_ms": round(max(inventory) * 1000, 1),
        "incremental_advisory_p50_ms": round(statistics.median(imports) * 1000, 1),
        "incremental_advisory_max_ms": round(max(imports) * 1000, 1),
    }
    print(json.dumps(result, indent=2))
    out = _lib.ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "vulns_match.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

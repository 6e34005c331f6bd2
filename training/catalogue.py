# ruff: noqa: E501 (reference texts, kept one per line so they diff cleanly)
"""The 17 CSIRT functions of the source document, mapped to the FIRST CSIRT Services Framework
v2.1 and ISO/IEC 27001:2022 (Annex A controls, clauses as "cl."), with the small-start STEP.

Copied from the domain model (§5) so the product never reads ../shared at run time. "ISMS / +α"
is the domain model's reading of what a certified SME already does versus what is
cyber-specific. A data migration seeds these rows; each organisation then records how it
delivers each function (training.models.CsirtFunctionDelivery).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

# The texts shown on the map are marked for translation: the pages read them in the reader's
# language ({% translate %}); the rows keep the English the seed wrote.

REACTIVE, PROACTIVE, QUALITY = "REACTIVE", "PROACTIVE", "QUALITY"
ISMS_NATIVE, NOT_PROVIDED = "ISMS_NATIVE", "NOT_PROVIDED"

FUNCTIONS: list[dict[str, Any]] = [
    {
        "number": 1,
        "group": REACTIVE,
        "name_ja": "インシデントハンドリング",
        "name_en": "Incident handling",
        "first_service": "ISIM → Information security incident report acceptance (report receipt; triage and processing); Information security incident analysis (triage = prioritisation and categorisation; information collection; root cause analysis)",
        "iso_controls": "5.24, 5.25, 5.26, 6.8",
        "isms_alpha": N_("process frame = ISMS; cyber triage and the level model = +α"),
        "sme_delivery": N_("in-house (CSIRT lead + IT)"),
        "default_step": 1,
        "step_note": N_("1 (intake) → 2"),
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 2,
        "group": REACTIVE,
        "name_ja": "インシデント対応の調整",
        "name_en": "Coordination",
        "first_service": "ISIM → Information security incident coordination (communication; notification distribution; relevant information distribution; activities coordination; reporting; media communication)",
        "iso_controls": "5.5, 5.6, 5.24, 5.26",
        "isms_alpha": N_(
            "internal coordination = ISMS; external CSIRT community (JPCERT/CC, NCA, ISAC) = +α"
        ),
        "sme_delivery": N_("in-house PoC"),
        "default_step": 2,
        "step_note": "2",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 3,
        "group": REACTIVE,
        "name_ja": "フォレンジック",
        "name_en": "Forensics",
        "first_service": "ISIM → Artifact and forensic evidence analysis (media or surface analysis; reverse engineering; runtime/dynamic analysis; comparative analysis)",
        "iso_controls": "5.28",
        "isms_alpha": N_("+α"),
        "sme_delivery": N_("outsourced (forensic vendor)"),
        "default_step": 3,
        "step_note": "3",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 4,
        "group": REACTIVE,
        "name_ja": "オンサイト対応",
        "name_en": "On-site response",
        "first_service": "ISIM → Mitigation and recovery (response plan establishment; ad hoc measures and containment; system restoration)",
        "iso_controls": "5.26, 5.30",
        "isms_alpha": N_("+α (containment skills)"),
        "sme_delivery": N_("IT staff / MSP under contract"),
        "default_step": 2,
        "step_note": "2",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 5,
        "group": REACTIVE,
        "name_ja": "対応支援",
        "name_en": "Response support",
        "first_service": "ISIM → Mitigation and recovery (other information security entities support); Crisis management support",
        "iso_controls": "5.26, 5.29",
        "isms_alpha": N_("+α"),
        "sme_delivery": N_("vendor / IPA J-CRAT / JPCERT/CC"),
        "default_step": 3,
        "step_note": "3",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 6,
        "group": REACTIVE,
        "name_ja": "アーティファクトハンドリング",
        "name_en": "Artifact handling",
        "first_service": "ISIM → Artifact and forensic evidence analysis",
        "iso_controls": "5.28, 8.7",
        "isms_alpha": N_("+α"),
        "sme_delivery": N_("outsourced; sandbox service"),
        "default_step": 3,
        "step_note": "3",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 7,
        "group": PROACTIVE,
        "name_ja": "セキュリティ情報の提供・注意喚起",
        "name_en": "Security information provision",
        "first_service": "SA → Communication; KT → Awareness building (information dissemination)",
        "iso_controls": "5.7, 6.3",
        "isms_alpha": N_("ISMS (awareness) + α (threat-driven alerts)"),
        "sme_delivery": N_("in-house, using JPCERT/IPA/NISC alerts"),
        "default_step": 1,
        "step_note": "1–2",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 8,
        "group": PROACTIVE,
        "name_ja": "脆弱性情報ハンドリング",
        "name_en": "Vulnerability information handling",
        "first_service": "VM → Vulnerability response (vulnerability detection/scanning; vulnerability remediation); Vulnerability disclosure (internal dissemination)",
        "iso_controls": "8.8",
        "isms_alpha": N_("ISMS (patch management)"),
        "sme_delivery": N_("in-house / MSP"),
        "default_step": 2,
        "step_note": "2",
        "default_mode": ISMS_NATIVE,
    },
    {
        "number": 9,
        "group": PROACTIVE,
        "name_ja": "インシデント・イベント検知",
        "name_en": "Incident / event detection",
        "first_service": "ISEM → Monitoring and detection (log and sensor management; detection use-case management; contextual data management); Event analysis (correlation; qualification)",
        "iso_controls": "8.15, 8.16, 6.8",
        "isms_alpha": N_("+α"),
        "sme_delivery": N_("outsourced SOC/MDR, EDR"),
        "default_step": 2,
        "step_note": "2–3",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 10,
        "group": PROACTIVE,
        "name_ja": "技術動向調査",
        "name_en": "Technology watch",
        "first_service": "SA → Data acquisition; Analysis and synthesis",
        "iso_controls": "5.7, 5.6",
        "isms_alpha": N_("light +α"),
        "sme_delivery": N_("subscribe to JPCERT/CC, IPA, NISC, ISAC feeds"),
        "default_step": 2,
        "step_note": "2",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 11,
        "group": PROACTIVE,
        "name_ja": "セキュリティ監査・評価",
        "name_en": "Audits / assessments",
        "first_service": "VM → Vulnerability response (detection/scanning); KT → Technical and policy advisory",
        "iso_controls": "cl. 9.2; 5.35, 5.36, 8.8",
        "isms_alpha": N_("audits = ISMS; technical assessment / pen-test = +α"),
        "sme_delivery": N_("internal audit + vendor"),
        "default_step": 2,
        "step_note": "2–3",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 12,
        "group": PROACTIVE,
        "name_ja": "セキュリティツール開発",
        "name_en": "Tool development",
        "first_service": 'no FIRST v2.1 service (closest: ISEM function "Detection use case management")',
        "iso_controls": "8.16",
        "isms_alpha": N_("+α"),
        "sme_delivery": N_("usually not provided by SMEs"),
        "default_step": None,
        "step_note": "–",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 13,
        "group": QUALITY,
        "name_ja": "リスク分析",
        "name_en": "Risk assessment",
        "first_service": "KT → Technical and policy advisory (function: Risk management support)",
        "iso_controls": "cl. 6.1.2, 8.2; 5.7",
        "isms_alpha": N_("ISMS"),
        "sme_delivery": N_("in-house"),
        "default_step": 1,
        "step_note": "1",
        "default_mode": ISMS_NATIVE,
    },
    {
        "number": 14,
        "group": QUALITY,
        "name_ja": "事業継続・災害復旧計画",
        "name_en": "Business continuity / disaster recovery planning",
        "first_service": "KT → Technical and policy advisory (function: Business continuity and disaster recovery planning support)",
        "iso_controls": "5.29, 5.30, 8.13, 8.14",
        "isms_alpha": N_(
            "generic BCP = ISMS; cyber BCP (deciding to stop own services, cut the network) = +α"
        ),
        "sme_delivery": N_("in-house; TTX"),
        "default_step": 2,
        "step_note": "2",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 15,
        "group": QUALITY,
        "name_ja": "セキュリティコンサルティング",
        "name_en": "Security consulting",
        "first_service": "KT → Technical and policy advisory (policy support; technical advice)",
        "iso_controls": "5.1, 5.2",
        "isms_alpha": N_("ISMS"),
        "sme_delivery": N_("in-house / consultant"),
        "default_step": 2,
        "step_note": "2",
        "default_mode": ISMS_NATIVE,
    },
    {
        "number": 16,
        "group": QUALITY,
        "name_ja": "教育・トレーニング・啓発",
        "name_en": "Education / training / awareness",
        "first_service": "KT → Awareness building; Training and education; Exercises (scenario development; exercise execution; exercise outcome review)",
        "iso_controls": "6.3; cl. 7.2, 7.3",
        "isms_alpha": N_("awareness = ISMS; cyber exercises (TTX, phishing drills) = +α"),
        "sme_delivery": N_("in-house with the IPA TTX kit"),
        "default_step": 1,
        "step_note": "1–2",
        "default_mode": NOT_PROVIDED,
    },
    {
        "number": 17,
        "group": QUALITY,
        "name_ja": "製品評価・認定",
        "name_en": "Product evaluation / certification",
        "first_service": "no FIRST v2.1 service (closest: VM → Vulnerability analysis; KT → technical advice)",
        "iso_controls": "5.19–5.21, 5.23",
        "isms_alpha": N_("ISMS (supplier control)"),
        "sme_delivery": N_("outsourced / vendor attestations"),
        "default_step": 3,
        "step_note": "3",
        "default_mode": ISMS_NATIVE,
    },
]

STEP_ADDS = {
    1: "受付機能（窓口）から始める / Start with the intake desk",
    2: "基本機能（トリアージ、インシデントハンドリング等）を実装する / The basic functions: triage, incident handling, …",
    3: "サイバー特有のスキルを伸ばし、必要な範囲を広げる / Grow the cyber skills and widen the scope",
}


def seed(model: Any) -> None:
    """Create or refresh the 17 rows (idempotent); ``model`` may be a migration's model."""
    for row in FUNCTIONS:
        values = {k: v for k, v in row.items() if k != "number"}
        model.objects.update_or_create(number=row["number"], defaults=values)

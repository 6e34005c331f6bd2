"""The default wording of each message template, in Japanese and English, and the audience and
channel a draft from it starts with. Organisations edit their copy (MessageTemplate); these are
what a new organisation starts from.

``{name}`` is filled from the record (see ``comms.services.templates.FACTS``); 【要記入：…】 /
[TO FILL: …] marks what a person must still write.
"""

from __future__ import annotations

from comms.enums import Audience, Channel, TemplateKind

STARTS: dict[str, tuple[str, str, str]] = {
    # kind → (audience, channel, audience detail)
    TemplateKind.STAFF_WARNING: (Audience.ALL_STAFF, Channel.EMAIL, ""),
    TemplateKind.CUSTOMER_NOTICE: (Audience.PARTNERS, Channel.EMAIL, ""),
    TemplateKind.PRESS_RELEASE: (Audience.PUBLIC, Channel.WEB, ""),
    TemplateKind.QA: (Audience.DEPARTMENT, Channel.OTHER, "問い合わせ窓口"),
    TemplateKind.JPCERT_REPORT: (Audience.JPCERT_CC, Channel.FORM, ""),
    TemplateKind.IPA_REPORT: (Audience.IPA, Channel.FORM, ""),
    TemplateKind.POLICE_REPORT: (Audience.POLICE, Channel.MEETING, ""),
    TemplateKind.INSURER_NOTICE: (Audience.INSURER, Channel.PHONE, ""),
}

JA: dict[str, tuple[str, str]] = {
    TemplateKind.STAFF_WARNING: (
        "【注意喚起】不審なメールを開かないでください（{incident_ref}）",
        """全従業員の皆さま

{organisation} ISMS事務局です。
{declared_at}、当社宛てに次の不審なメール（標的型攻撃メールの疑い）が届いていることを確認しました。

■ メールの特徴
・差出人：{mail_sender}
・件名：{mail_subject}
・添付ファイル：{attachment}
・本文中のURL：{mail_url}

■ お願い
1. このメールを開かない、添付ファイルを開かない、URLをクリックしない。
2. 転送しない（社内の同僚への転送もしないでください）。
3. 受信した場合、または開いてしまった場合は、すぐにLANケーブルを抜き（Wi-Fiを切り）、電源は切らずに下記へ連絡してください。

■ 連絡先
ISMS事務局　電話：{desk_phone}　メール：{desk_email}

■ 確認されたIoC（侵害の痕跡、社外秘）
{indicators}

本件の対応状況は追ってお知らせします。
""",
    ),
    TemplateKind.CUSTOMER_NOTICE: (
        "当社を装った不審なメールに関するお知らせとお詫び",
        """取引先・お客さま各位

平素より格別のご高配を賜り、厚く御礼申し上げます。
{declared_at}、当社においてコンピュータウイルスの感染（{incident_title}）を確認いたしました。
これにより、当社の名前を装った不審なメールが皆さまに届いている可能性がございます。
関係の皆さまには多大なるご迷惑とご心配をおかけしておりますことを、深くお詫び申し上げます。

■ 不審なメールの特徴
・差出人：{mail_sender}
・件名：{mail_subject}
・添付ファイル：{attachment}

■ お願い
上記のようなメールを受信された場合は、添付ファイルを開かず、URLをクリックせず、メールごと削除してください。

■ 当社の対応
{measures}

■ 本件に関するお問い合わせ
{organisation}　【要記入：担当部署】　電話：{desk_phone}　メール：{desk_email}
""",
    ),
    TemplateKind.PRESS_RELEASE: (
        "不正アクセスによる情報漏えいの可能性に関するお知らせ",
        """{today}
{organisation}

不正アクセスによる情報漏えいの可能性に関するお知らせ

このたび、当社のサーバーが第三者による不正アクセスを受け、お客さま等の情報が漏えいした可能性があることが判明いたしました。
お客さまをはじめ関係者の皆さまに多大なるご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。

1. 経緯
{declared_at}、【要記入：発覚の経緯】

2. 漏えいした可能性のある情報
【要記入：情報の項目と件数】

3. 現在までの対応
{measures}
個人情報保護委員会への報告を【要記入：報告日または予定】に行っております。

4. お客さまへのお願い
当社を装った不審なメールや電話にご注意ください。

5. 再発防止策
【要記入：再発防止策】

6. お問い合わせ窓口
【要記入：窓口名】　電話：{desk_phone}（受付時間：【要記入：受付時間】）
""",
    ),
    TemplateKind.QA: (
        "想定問答（問い合わせ窓口用）{incident_ref}",
        """問い合わせ窓口用 想定問答（{today} 時点）

Q1. 何が起きたのですか。
A1. {declared_at}、当社においてコンピュータウイルスの感染を確認しました。現在、外部の専門家とともに調査しています。

Q2. 私の情報は漏えいしましたか。
A2. 【要記入：現時点で言えること】

Q3. どのような対応をしていますか。
A3. {measures}

Q4. 不審なメールが届いた場合はどうすればよいですか。
A4. 添付ファイルを開かず、URLをクリックせず、削除してください。

Q5. 補償はありますか。
A5. 【要記入：方針（経営判断のうえ記入）】

※ 回答できない質問は「確認のうえ折り返します」とし、記録してください。
""",
    ),
    TemplateKind.JPCERT_REPORT: (
        "インシデント報告（{incident_ref}）",
        """JPCERT/CC インシデント報告

■ 報告者：{organisation}　連絡先：{desk_phone} / {desk_email}
■ 発生・発見日時：{declared_at}
■ 事象の概要：{incident_title}
■ 影響範囲：感染（疑い）端末 {infected_count} 台、不審メールの受信 {recipients_count} 件
■ 不審メール：差出人 {mail_sender}　件名 {mail_subject}　添付 {attachment}
■ 確認されたIoC（侵害の痕跡）
{indicators}
■ 実施した対応
{measures}
■ 依頼したい事項：【要記入：調整依頼・技術的な相談の内容】
■ ログの提供可否：【要記入：提供できるログとタイムゾーン】
""",
    ),
    TemplateKind.IPA_REPORT: (
        "コンピュータウイルス・不正アクセスの届出（{incident_ref}）",
        """IPA 届出

■ 届出者：{organisation}　連絡先：{desk_phone} / {desk_email}
■ 発見日時：{declared_at}
■ 被害の概要：{incident_title}
■ 感染（疑い）端末数：{infected_count} 台
■ 侵入経路：不審メール（差出人 {mail_sender}、件名 {mail_subject}、添付 {attachment}）
■ 確認されたIoC（侵害の痕跡）
{indicators}
■ 実施した対策
{measures}
■ 被害の有無（情報漏えい・業務停止）：【要記入】
""",
    ),
    TemplateKind.POLICE_REPORT: (
        "サイバー犯罪の相談（{incident_ref}）",
        """都道府県警察 サイバー犯罪相談窓口 相談メモ

■ 相談者：{organisation}　連絡先：{desk_phone}
■ 発生日時：{declared_at}
■ 被害の内容：{incident_title}
■ 被害の範囲：感染（疑い）端末 {infected_count} 台
■ 攻撃に使われたメール・通信先
{indicators}
■ 保全している証拠：【要記入：メール原本、ログ、端末イメージ等】
■ 被害届の意向：【要記入】
""",
    ),
    TemplateKind.INSURER_NOTICE: (
        "サイバー保険 事故の第一報（{incident_ref}）",
        """保険会社 事故受付 第一報

■ 契約者：{organisation}　証券番号：{insurer_policy}
■ 事故の発見日時：{declared_at}
■ 事故の概要：{incident_title}（現在 {level}）
■ 影響：感染（疑い）端末 {infected_count} 台
■ 実施した対応
{measures}
■ 利用を希望するサービス：【要記入：フォレンジック調査・コールセンター・弁護士相談等】
■ 連絡担当者：【要記入：氏名】　電話：{desk_phone}
""",
    ),
}

EN: dict[str, tuple[str, str]] = {
    TemplateKind.STAFF_WARNING: (
        "[Warning] Do not open a suspicious email ({incident_ref})",
        """To all staff,

This is the information security office of {organisation}.
On {declared_at} we found the following suspicious email (a suspected targeted attack) sent to us.

- Sender: {mail_sender}
- Subject: {mail_subject}
- Attachment: {attachment}
- Link in the text: {mail_url}

Please:
1. Do not open the email or its attachment, and do not click the link.
2. Do not forward it, not even to colleagues.
3. If you received it or opened it, unplug the LAN cable (turn off Wi-Fi) at once, keep the PC switched on, and call us.

Contact: phone {desk_phone}, email {desk_email}

Indicators found (internal only):
{indicators}
""",
    ),
    TemplateKind.CUSTOMER_NOTICE: (
        "Notice and apology about suspicious emails in our name",
        """Dear customers and partners,

On {declared_at} we found a computer virus infection at our company ({incident_title}).
Suspicious emails pretending to come from us may have reached you. We sincerely apologise for
the trouble and concern this causes.

Suspicious email: sender {mail_sender}, subject {mail_subject}, attachment {attachment}.
If you receive such an email, do not open the attachment or click any link; delete it.

What we have done:
{measures}

Enquiries: {organisation}, [TO FILL: department], phone {desk_phone}, email {desk_email}
""",
    ),
    TemplateKind.PRESS_RELEASE: (
        "Notice of possible information leak through unauthorised access",
        """{today}
{organisation}

Our server was accessed without authorisation and customer information may have leaked. We
sincerely apologise to our customers and everyone concerned.

1. What happened: on {declared_at}, [TO FILL: how it was found]
2. Information that may have leaked: [TO FILL: items and counts]
3. What we have done:
{measures}
4. Please beware of suspicious emails or calls pretending to be from us.
5. Preventing recurrence: [TO FILL]
6. Enquiries: [TO FILL: desk], phone {desk_phone}
""",
    ),
    TemplateKind.QA: (
        "Prepared Q&A for the enquiry desk {incident_ref}",
        """Q&A as of {today}

Q1. What happened?
A1. On {declared_at} we found a computer virus infection. We are investigating with outside experts.
Q2. Has my information leaked?
A2. [TO FILL: what can be said now]
Q3. What are you doing about it?
A3. {measures}
Q4. What should I do with a suspicious email?
A4. Do not open the attachment or click the link; delete it.
""",
    ),
    TemplateKind.JPCERT_REPORT: (
        "Incident report ({incident_ref})",
        """Reporter: {organisation}, {desk_phone} / {desk_email}
Found: {declared_at}
Summary: {incident_title}
Scope: {infected_count} infected (suspected) hosts; {recipients_count} deliveries of the email
Email: sender {mail_sender}, subject {mail_subject}, attachment {attachment}
Indicators:
{indicators}
Actions taken:
{measures}
Request: [TO FILL: coordination or technical advice wanted]
""",
    ),
    TemplateKind.IPA_REPORT: (
        "Report of a computer virus / unauthorised access ({incident_ref})",
        """Reporter: {organisation}, {desk_phone} / {desk_email}
Found: {declared_at}
Summary: {incident_title}
Infected (suspected) hosts: {infected_count}
Indicators:
{indicators}
Actions taken:
{measures}
Damage (leak, outage): [TO FILL]
""",
    ),
    TemplateKind.POLICE_REPORT: (
        "Cybercrime consultation ({incident_ref})",
        """Organisation: {organisation}, {desk_phone}
When: {declared_at}
What happened: {incident_title}
Infected (suspected) hosts: {infected_count}
Emails and destinations used:
{indicators}
Evidence kept: [TO FILL: original emails, logs, disk images]
""",
    ),
    TemplateKind.INSURER_NOTICE: (
        "Cyber insurance first notice of loss ({incident_ref})",
        """Policyholder: {organisation}, policy number {insurer_policy}
Found: {declared_at}
Summary: {incident_title} (now {level})
Infected (suspected) hosts: {infected_count}
Actions taken:
{measures}
Services wanted: [TO FILL: forensics, call centre, legal advice]
Contact person: [TO FILL: name], phone {desk_phone}
""",
    ),
}

TEXTS = {"ja": JA, "en": EN}

"""accounts: versioned consent texts (개인정보 수집·이용 동의) and each person's answers

Revision ID: 0019_consent
Revises: 0018_invitations
Create Date: 2026-12-07 10:00:00.000000

The first version of each text is seeded here: this file is where they come from.
"""

from datetime import datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019_consent"
down_revision = "0018_invitations"
branch_labels = None
depends_on = None

EFFECTIVE = datetime(2025, 1, 1)

PRIVACY_KO = """\
1. 수집 항목: 이메일 주소, 이름, 소속(입력한 경우), 비밀번호(복원할 수 없는 형태로 저장), 접속 기록
2. 수집·이용 목적: 회원 확인과 로그인, 대회 참가·제출·순위 관리, 수상자 확인과 연락, 공지 전달
3. 보유·이용 기간: 회원 탈퇴 시까지. 다만 대회 결과와 감사 기록은 대회가 끝난 뒤 5년간 보관합니다.
4. 동의를 거부할 권리: 동의하지 않을 수 있으며, 이 경우 회원 가입을 할 수 없습니다. 동의는 언제든지 철회할 수 있습니다(사이트 관리자에게 계정 해지 요청)."""

PRIVACY_EN = """\
1. What we collect: your email address, name, affiliation (if given), password (stored so that it cannot be recovered) and access records.
2. Why: to identify you and let you log in, to run your participation, submissions and rankings, to confirm and contact award winners, and to send notices.
3. How long: until you close your account; competition results and audit records are kept for five years after the competition ends.
4. Your right to refuse: you may refuse, but then you cannot create an account. You may withdraw your consent at any time by asking the site administrators to close your account."""

MARKETING_KO = """\
대회 소식과 행사 안내를 이메일로 받고, 이름·이메일 주소·소속을 대회 후원기업에 채용 및 행사 안내 목적으로 제공하는 데 동의합니다(보유 기간: 동의 철회 시까지). 동의하지 않아도 모든 기능을 이용할 수 있으며, 계정 페이지에서 언제든지 철회할 수 있습니다."""

MARKETING_EN = """\
I agree to receive news about competitions and events by email, and to have my name, email address and affiliation shared with the competitions' sponsors for recruiting and event invitations (kept until I withdraw). Everything works without this consent, and I can withdraw it at any time on my account page."""


def upgrade():
    documents = op.create_table(
        "consent_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "privacy",
                "marketing",
                name="consent_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text_ko", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("effective_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_documents")),
        sa.UniqueConstraint("kind", "version", name=op.f("uq_consent_documents_kind_version")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "consent_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["consent_documents.id"],
            name=op.f("fk_consent_decisions_document_id_consent_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_consent_decisions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_decisions")),
        sa.UniqueConstraint(
            "user_id", "document_id", name=op.f("uq_consent_decisions_user_id_document_id")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table(
        "consent_decisions", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_decisions_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_consent_decisions_user_id"), ["user_id"], unique=False)
    op.bulk_insert(
        documents,
        [
            {
                "kind": "privacy",
                "version": 1,
                "text_ko": PRIVACY_KO,
                "text_en": PRIVACY_EN,
                "effective_at": EFFECTIVE,
            },
            {
                "kind": "marketing",
                "version": 1,
                "text_ko": MARKETING_KO,
                "text_en": MARKETING_EN,
                "effective_at": EFFECTIVE,
            },
        ],
    )


def downgrade():
    with op.batch_alter_table(
        "consent_decisions", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_decisions_user_id"))
        batch_op.drop_index(batch_op.f("ix_consent_decisions_document_id"))
    op.drop_table("consent_decisions")
    op.drop_table("consent_documents")

"""Rows of the server mode: accounts, logins, failed logins (migration 0011), and what
runners share: grants, the audit log and professionals' notes (migration 0012)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import AthleteId, Base, CreatedAt, RowId, UTCDateTime


class UserRow(Base):
    """One account. A runner's account owns one athlete; a professional's owns none."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("email", name="uq_users_email"),
        UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_users_oidc"),
    )

    id: Mapped[RowId]
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    athlete_id: Mapped[int | None] = mapped_column(
        ForeignKey("athletes.id", ondelete="SET NULL"), nullable=True
    )
    password_hash: Mapped[str | None] = mapped_column(String(400), nullable=True)
    oidc_issuer: Mapped[str | None] = mapped_column(String(400), nullable=True)
    oidc_subject: Mapped[str | None] = mapped_column(String(255), nullable=True)
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[CreatedAt]


class LoginSessionRow(Base):
    """One login: the SHA-256 of the cookie's random token (the token itself is never
    stored), whose account, until when, and which runner a professional is looking at."""

    __tablename__ = "login_sessions"
    __table_args__ = (Index("ix_login_sessions_user", "user_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[CreatedAt]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    viewing_athlete_id: Mapped[int | None] = mapped_column(
        ForeignKey("athletes.id", ondelete="SET NULL"), nullable=True
    )


class LoginFailureRow(Base):
    """One failed login, for the rate limit (kept for the limit's window only)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email", "email", "at"),
        Index("ix_login_failures_address", "address", "at"),
    )

    id: Mapped[RowId]
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class GrantRow(Base):
    """A runner's permission for a professional: scopes (comma-separated names), from
    when, until when (None: until revoked), and when it was revoked."""

    __tablename__ = "grants"
    __table_args__ = (
        Index("ix_grants_athlete", "athlete_id"),
        Index("ix_grants_professional", "professional_id"),
    )

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    professional_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scopes: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[CreatedAt]
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AuditEventRow(Base):
    """One read or change of a runner's data by someone else, or a change to her sharing."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_athlete_at", "athlete_id", "at"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    actor_name: Mapped[str] = mapped_column(String(460))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(16))
    what: Mapped[str] = mapped_column(String(400))


class CareNoteRow(Base):
    """A professional's note to a runner she has access to."""

    __tablename__ = "care_notes"
    __table_args__ = (Index("ix_care_notes_athlete", "athlete_id", "created_at"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[CreatedAt]
    text: Mapped[str] = mapped_column(Text)

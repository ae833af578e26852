"""Agencies (cơ quan, đơn vị), users, roles, API tokens and the audit trail."""
import hashlib
import re
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from . import passwords

# Electronic identifier code (mã định danh), e.g. 000.00.01.H38 or G22.35: at most 13 characters.
AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){1,3}$")
# Since 1 July 2025 local government has two levels, province and commune (xã, phường, đặc khu); "district"
# stays readable in records made before.
LEVELS = ("province", "district", "commune")
CURRENT_LEVELS = ("province", "commune")
# appraiser: the Department of Home Affairs (Sở Nội vụ) appraising the units' PAR INDEX sheets (onestop.par_index)
ROLES = ("admin", "supervisor", "clerk", "officer", "appraiser")


class Agency(db.Model):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(13), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    level: Mapped[str] = mapped_column(sa.String(16))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(255))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Agency | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Agency"]] = relationship(back_populates="parent", order_by="Agency.code")

    def descendant_ids(self) -> set[int]:
        """This agency and every agency below it, in one recursive query."""
        tree = sa.select(Agency.id).where(Agency.id == self.id).cte("tree", recursive=True)
        tree = tree.union(sa.select(Agency.id).join(tree, Agency.parent_id == tree.c.id))  # UNION: a cycle ends
        return set(db.session.scalars(sa.select(tree.c.id)))

    def __repr__(self):
        return f"<Agency {self.code}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(16), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(255))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(255))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every session's id: raising it (sign-out, a new password) ends the sessions made before.
    session_version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))

    agency: Mapped[Agency] = relationship(lazy="joined")  # read with the user: every check needs it
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    @roles.setter
    def roles(self, values):
        wanted = set(values)
        unknown = wanted - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        for role in sorted(wanted - {row.role for row in self.role_rows}):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Flask-Login's alternative id: the session holds the user and the session version it was made under."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = passwords.make_hash(password)

    def check_password(self, password: str) -> bool:
        return passwords.matches(self.password_hash, password)

    def visible_agency_ids(self) -> frozenset[int]:
        """Agencies whose data this user may see: a province-level supervisor or admin sees all below."""
        return self._scope()[0]

    def sees_every_agency(self) -> bool:
        """True when the user's scope is every agency there is: lists then need no agency filter at all."""
        return self._scope()[1]

    def can_see_agency(self, agency_id: int | None) -> bool:
        return agency_id in self.visible_agency_ids()

    def _scope(self) -> tuple[frozenset[int], bool]:
        """(visible agency ids, whether that is every agency), read once per transaction (so once per request)."""
        session = db.session()
        transaction = session.get_transaction()
        cached = self.__dict__.get("_scope_cache")
        if cached is not None and transaction is not None and cached[0] is transaction:
            return cached[1]
        if self.has_role("admin", "supervisor") and self.agency.level == "province":
            tree = sa.select(Agency.id).where(Agency.id == self.agency_id).cte("tree", recursive=True)
            tree = tree.union(sa.select(Agency.id).join(tree, Agency.parent_id == tree.c.id))
            every = sa.select(sa.func.count(Agency.id)).scalar_subquery()
            rows = session.execute(sa.select(tree.c.id, every)).all()
            scope = (frozenset(row[0] for row in rows), bool(rows) and len(rows) == rows[0][1])
        else:
            scope = (frozenset({self.agency_id}), False)
        self.__dict__["_scope_cache"] = (session.get_transaction(), scope)
        return scope

    def __repr__(self):
        return f"<User {self.username}>"


class ApiToken(db.Model):
    """A bearer token for scripts and integrations; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, label: str | None = None) -> tuple["ApiToken", str]:
        """A new token row and the token itself, which is shown once and never stored."""
        token = secrets.token_urlsafe(32)
        return cls(user=user, token_hash=cls.hash(token), label=label), token


class AuditLog(db.Model):
    """Who did what: append-only (see onestop.audit)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    username: Mapped[str | None] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(64))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    detail: Mapped[dict | None] = mapped_column(sa.JSON)
    ip: Mapped[str | None] = mapped_column(sa.String(64))

    user: Mapped[User | None] = relationship()


class RateCounter(db.Model):
    """A counter every worker shares (sign-in throttling, Flask-Limiter): one row per key, until it expires."""

    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    hits: Mapped[int]
    expires_at: Mapped[float] = mapped_column(sa.Double, index=True)  # seconds since the epoch

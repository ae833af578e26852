"""The morning digest: one e-mail a day to each supervisor and officer who asked for it, with their overdue and
due-soon files and links to them (`flask --app wsgi digest send`, run by cron)."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...database import UTCDateTime, utcnow
from ...extensions import db


class DigestSubscription(db.Model):
    """A user who wants the morning digest, and the day it was last sent (so a second cron run sends nothing)."""

    __tablename__ = "digest_subscription"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True, autoincrement=False)
    active: Mapped[bool] = mapped_column(default=True)
    last_sent_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")


def is_subscribed(user) -> bool:
    row = db.session.get(DigestSubscription, user.id)
    return bool(row and row.active)


def subscribe(user, wanted: bool = True) -> DigestSubscription:
    """Start or stop a user's morning digest (flushes; the caller commits)."""
    row = db.session.get(DigestSubscription, user.id)
    if row is None:
        row = DigestSubscription(user_id=user.id)
        db.session.add(row)
    row.active = wanted
    db.session.flush()
    return row


# ---------------------------------------------------------------- what each recipient gets

LIMIT = 30  # files listed per kind; the totals and a link to the full list follow


def recipients() -> list:
    """Active subscribers who are supervisors or officers with an e-mail address."""
    from ...auth.models import User

    rows = db.session.scalars(sa.select(User).join(DigestSubscription, DigestSubscription.user_id == User.id)
                              .where(DigestSubscription.active.is_(True), User.active.is_(True),
                                     User.email.isnot(None)).order_by(User.username))
    return [user for user in rows if user.has_role("supervisor", "officer")]


def files_of(user, moment: datetime) -> dict:
    """The user's overdue and due-soon files: a supervisor's whole scope, an officer's own and unassigned ones."""
    from ...reception.models import Application
    from ...reception.queries import RUNNING_STATES, due_bounds

    _, end_of_soon = due_bounds(moment)
    scope = [Application.processing_agency_id.in_(sorted(user.visible_agency_ids())),
             Application.status.in_(RUNNING_STATES)]
    if not user.has_role("supervisor"):
        scope.append(sa.or_(Application.assignee_id == user.id, Application.assignee_id.is_(None)))
    found = {}
    for kind, window in (("overdue", Application.due_at < moment),
                         ("due_soon", sa.and_(Application.due_at >= moment, Application.due_at < end_of_soon))):
        query = sa.select(Application).where(*scope, window)
        found[kind] = db.session.scalars(query.order_by(Application.due_at, Application.id).limit(LIMIT)).all()
        found[f"{kind}_total"] = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    return found


def compose(user, moment: datetime, base_url: str):
    """The e-mail (or None when the user has nothing overdue or due soon)."""
    from email.message import EmailMessage

    from ...calendar.services import load_calendar
    from ...timeutil import fmt

    files = files_of(user, moment)
    if not files["overdue_total"] and not files["due_soon_total"]:
        return None
    calendar = load_calendar()
    lines = [f"Kính gửi {user.full_name},", "",
             f"Tình hình hồ sơ lúc {fmt(moment)}: {files['overdue_total']} hồ sơ quá hạn, "
             f"{files['due_soon_total']} hồ sơ sắp đến hạn.", ""]
    for kind, title, due in (("overdue", "HỒ SƠ QUÁ HẠN", "overdue"), ("due_soon", "HỒ SƠ SẮP ĐẾN HẠN", "soon")):
        if not files[kind]:
            continue
        lines.append(f"{title} ({files[f'{kind}_total']})")
        for app in files[kind]:
            late = f", trễ {calendar.working_days_between(app.due_at, moment)} ngày làm việc" if kind == "overdue" else ""
            lines.append(f"- {app.code} · {app.applicant_name} · hạn {fmt(app.due_at)}{late}")
            lines.append(f"  {base_url}/applications/{app.code}")
        if files[f"{kind}_total"] > len(files[kind]):
            lines.append(f"  … xem đủ tại {base_url}/inbox?due={'overdue' if kind == 'overdue' else 'soon'}")
        lines.append("")
    lines += [f"Bảng theo dõi: {base_url}/board", "",
              "Thư gửi tự động mỗi sáng; thôi nhận tại bảng theo dõi."]
    message = EmailMessage()
    message["Subject"] = (f"[Một cửa] {files['overdue_total']} hồ sơ quá hạn, {files['due_soon_total']} sắp đến hạn "
                          f"– {fmt(moment, '%d/%m/%Y')}")
    message["To"] = user.email
    message.set_content("\n".join(lines))
    return message


def send_all(moment: datetime | None = None, force: bool = False, dry_run: bool = False) -> dict:
    """Send today's digest to every subscriber not yet served today (one SMTP connection); the caller commits."""
    import smtplib

    from flask import current_app

    from ...timeutil import VN, now

    moment = moment or now()
    today = moment.astimezone(VN).date()
    config = current_app.config
    base_url = (config.get("STAFF_BASE_URL") or config["PUBLIC_BASE_URL"]).rstrip("/")
    outcome = {"sent": [], "nothing": [], "already": []}
    pending = []
    for user in recipients():
        row = db.session.get(DigestSubscription, user.id)
        if row.last_sent_on == today and not force:
            outcome["already"].append(user.username)
            continue
        message = compose(user, moment, base_url)
        if message is None:
            outcome["nothing"].append(user.username)
        else:
            message["From"] = config["MAIL_SENDER"]
            pending.append((user, row, message))
        row.last_sent_on = today
    if dry_run:
        outcome["sent"] = [user.username for user, _, _ in pending]
        outcome["messages"] = [message for _, _, message in pending]
        return outcome
    if pending:
        if not config.get("MAIL_SERVER"):
            raise RuntimeError("MAIL_SERVER is not set: the digest has no mail server to send through")
        kind = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        with kind(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config.get("MAIL_TIMEOUT", 30)) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for user, _, message in pending:
                smtp.send_message(message)
                outcome["sent"].append(user.username)
    db.session.flush()
    return outcome

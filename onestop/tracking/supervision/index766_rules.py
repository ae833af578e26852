"""Decision 766/QĐ-TTg's rules as data: versioned sets of groups and sub-indicators, each with its maximum points,
the ratio at which it is full (`full_at`), what a zero denominator means, and the figure it is measured by.

A version applies from its effective date; a period is scored by the version in force on its last day. Today's
rules (as the public tools that reproduce the national portal's figures describe them) are shipped as version 1
(the migration stores them; `rules_on` falls back to them on an empty table). An administrator loads a new version
as JSON, from the admin page or `flask --app wsgi indicators rules-load FILE` (one service: `load_version`).
"""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column

from ... import audit, process_cache
from ...database import UTCDateTime, utcnow
from ...extensions import db

ZERO_RULES = ("full", "not_applicable")  # "full when there were none", or left out of the score and the maximum
GROUPS = ("transparency", "progress", "online_service", "online_payment", "satisfaction", "digitisation")
# The figures the app can measure a sub-indicator by (index766_figures.MEASURES), and those that need a national
# system it does not hold or a record it does not keep: shown as not measured, never as 0.
NOT_HELD = ("national_store", "population_db_applications", "population_db_procedures", "certified_copies",
            "complaints_satisfied")


def _rule(group, code, measure, max_points, full_at=1.0, zero="not_applicable"):
    return {"group": group, "code": code, "measure": measure, "max": max_points, "full_at": full_at, "zero": zero}


# Version 1: Decision 766/QĐ-TTg (23 June 2022), as the portal scores it (issue 19's table). The groups' maxima
# cap their sub-indicators' sum (online payment's 6 + 2 + 2.5 is capped at 10).
SHIPPED = {
    "effective_from": "2022-06-23",
    "note": "Quyết định 766/QĐ-TTg ngày 23/6/2022",
    "groups": [{"code": "transparency", "max": 18}, {"code": "progress", "max": 20},
               {"code": "online_service", "max": 12}, {"code": "online_payment", "max": 10},
               {"code": "satisfaction", "max": 18}, {"code": "digitisation", "max": 22}],
    "indicators": [
        _rule("transparency", "published_on_time", "published_on_time", 6),
        _rule("transparency", "posted_on_time", "posted_on_time", 4),
        _rule("transparency", "complete_content", "complete_content", 2),
        _rule("transparency", "synced", "synced", 6),
        _rule("progress", "on_time", "on_time", 20),
        _rule("online_service", "online_offered", "online_offered", 2, 0.8),
        _rule("online_service", "online_used", "online_used", 4),
        _rule("online_service", "online_applications", "online_applications", 6, 0.5),
        _rule("online_payment", "paid_online", "paid_online", 6),
        _rule("online_payment", "payment_used", "payment_used", 2, 0.8),
        _rule("online_payment", "payment_offered", "payment_offered", 2.5),
        _rule("satisfaction", "complaints_on_time", "complaints_on_time", 6, zero="full"),
        _rule("satisfaction", "complaints_satisfied", "complaints_satisfied", 6, zero="full"),
        _rule("satisfaction", "service_satisfaction", "service_satisfaction", 6, 0.9),
        _rule("digitisation", "results_electronic", "results_electronic", 6),
        _rule("digitisation", "fully_digitised", "fully_digitised", 4),
        _rule("digitisation", "certified_copies", "certified_copies", 2),
        _rule("digitisation", "papers_reused", "papers_reused", 2, 0.8),
        _rule("digitisation", "national_store", "national_store", 4),
        _rule("digitisation", "population_db_applications", "population_db_applications", 2),
        _rule("digitisation", "population_db_procedures", "population_db_procedures", 2),
    ],
}


class Index766Version(db.Model):
    """One set of rules, in force from `effective_from` until the next version's date."""

    __tablename__ = "index766_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(sa.Date, unique=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    loaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class Index766Rule(db.Model):
    """One sub-indicator of a version, with its group's maximum."""

    __tablename__ = "index766_rule"
    __table_args__ = (sa.UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("index766_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    group_code: Mapped[str] = mapped_column(sa.String(32))
    group_max: Mapped[float] = mapped_column(sa.Float)
    code: Mapped[str] = mapped_column(sa.String(48))
    measure: Mapped[str] = mapped_column(sa.String(48))
    max_points: Mapped[float] = mapped_column(sa.Float)
    full_at: Mapped[float] = mapped_column(sa.Float, default=1.0)
    zero_rule: Mapped[str] = mapped_column(sa.String(16), default="not_applicable")


class RulesError(ValueError):
    """A rules file that cannot be loaded, with the reason in Vietnamese."""


def _number(value, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise RulesError(_("%(where)s: cần một số từ %(low)s đến %(high)s.", where=where, low=low, high=high))
    return float(value)


def validate(data) -> dict:
    """The rules of a JSON document, checked: known groups and measures, maxima, full_at in (0, 1], zero rules,
    a date. Returns {effective_from, note, rows}."""
    from .index766_figures import MEASURES

    if not isinstance(data, dict):
        raise RulesError(_("Tệp quy tắc phải là một đối tượng JSON."))
    try:
        effective = date.fromisoformat(str(data.get("effective_from") or ""))
    except ValueError:
        raise RulesError(_("«effective_from» phải là ngày dạng YYYY-MM-DD.")) from None
    groups = data.get("groups")
    if not isinstance(groups, list) or not groups:
        raise RulesError(_("«groups» phải là danh sách nhóm tiêu chí."))
    maxima = {}
    for group in groups:
        code = group.get("code") if isinstance(group, dict) else None
        if code not in GROUPS or code in maxima:
            raise RulesError(_("Nhóm «%(code)s» không hợp lệ hoặc bị lặp.", code=code))
        maxima[code] = _number(group.get("max"), code, 0, 100)
    if sum(maxima.values()) > 100:
        raise RulesError(_("Tổng điểm các nhóm vượt quá 100."))
    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise RulesError(_("«indicators» phải là danh sách tiêu chí thành phần."))
    rows, seen = [], set()
    for position, item in enumerate(indicators):
        if not isinstance(item, dict):
            raise RulesError(_("Tiêu chí thứ %(n)s không hợp lệ.", n=position + 1))
        code, measure = str(item.get("code") or ""), item.get("measure") or item.get("code")
        if not code or len(code) > 48 or code in seen:
            raise RulesError(_("Mã tiêu chí «%(code)s» trống, quá dài hoặc bị lặp.", code=code))
        if item.get("group") not in maxima:
            raise RulesError(_("Tiêu chí «%(code)s» thuộc nhóm không có trong «groups».", code=code))
        if measure not in MEASURES and measure not in NOT_HELD:
            raise RulesError(_("Tiêu chí «%(code)s»: không biết cách đo «%(measure)s».", code=code, measure=measure))
        zero = item.get("zero", "not_applicable")
        if zero not in ZERO_RULES:
            raise RulesError(_("Tiêu chí «%(code)s»: «zero» là full hoặc not_applicable.", code=code))
        seen.add(code)
        rows.append({"position": position, "group_code": item["group"], "group_max": maxima[item["group"]],
                     "code": code, "measure": measure, "max_points": _number(item.get("max"), code, 0, 100),
                     "full_at": _number(item.get("full_at", 1.0), code + " full_at", 0.01, 1), "zero_rule": zero})
    empty = [code for code in maxima if not any(row["group_code"] == code for row in rows)]
    if empty:
        raise RulesError(_("Nhóm «%(code)s» chưa có tiêu chí nào.", code=empty[0]))
    note = data.get("note")
    return {"effective_from": effective, "note": str(note)[:500] if note else None, "rows": rows}


def load_version(data, user=None) -> Index766Version:
    """Store a new version of the rules (or replace the one of the same date); flushes, never commits."""
    checked = validate(data)
    existing = db.session.scalar(sa.select(Index766Version).where(
        Index766Version.effective_from == checked["effective_from"]))
    if existing is not None:
        db.session.execute(sa.delete(Index766Rule).where(Index766Rule.version_id == existing.id))
        version = existing
        version.note, version.loaded_at = checked["note"], utcnow()
        version.loaded_by_id = user.id if user is not None else None
    else:
        version = Index766Version(effective_from=checked["effective_from"], note=checked["note"],
                                  loaded_by_id=user.id if user is not None else None)
        db.session.add(version)
    db.session.flush()
    db.session.add_all([Index766Rule(version_id=version.id, **row) for row in checked["rows"]])
    db.session.flush()
    audit.record("index766_rules_loaded", version, user=user, effective_from=version.effective_from.isoformat(),
                 indicators=len(checked["rows"]))
    return version


def rules_on(day: date) -> dict:
    """The rules in force on `day`: {version (its date), note, groups: [{code, max, indicators: [...]}]}."""
    found = [rules for effective, rules in _every_version() if effective <= day]
    if not found:
        checked = validate(SHIPPED)
        return _shaped(checked["effective_from"], checked["note"], checked["rows"])
    return found[-1]


def _every_version() -> list:
    """[(effective date, rules)] oldest first, read once per process and kept a few seconds (onestop.process_cache:
    a version loaded here is seen at once)."""
    def load():
        rows = db.session.execute(sa.select(Index766Version.effective_from, Index766Version.note, Index766Rule)
                                  .join(Index766Rule, Index766Rule.version_id == Index766Version.id)
                                  .order_by(Index766Version.effective_from, Index766Rule.position)).all()
        by_version: dict = {}
        for effective, note, r in rows:
            by_version.setdefault((effective, note), []).append({
                "group_code": r.group_code, "group_max": r.group_max, "code": r.code, "measure": r.measure,
                "max_points": r.max_points, "full_at": r.full_at, "zero_rule": r.zero_rule})
        return [(effective, _shaped(effective, note, rows)) for (effective, note), rows in by_version.items()]

    return process_cache.cached("index766_rules", load)


def _shaped(effective: date, note, rows) -> dict:
    groups: dict[str, dict] = {}
    for row in rows:
        group = groups.setdefault(row["group_code"], {"code": row["group_code"], "max": row["group_max"],
                                                      "indicators": []})
        group["indicators"].append({"code": row["code"], "measure": row["measure"], "max": row["max_points"],
                                    "full_at": row["full_at"], "zero": row["zero_rule"]})
    return {"version": effective.isoformat(), "note": note, "groups": list(groups.values())}


def versions() -> list[Index766Version]:
    return list(db.session.scalars(sa.select(Index766Version).order_by(Index766Version.effective_from.desc())))


def as_document(rules: dict) -> dict:
    """A version's rules in the JSON form an administrator loads (to download, edit and load again)."""
    return {"effective_from": rules["version"], "note": rules["note"],
            "groups": [{"code": g["code"], "max": g["max"]} for g in rules["groups"]],
            "indicators": [{"group": g["code"], **item} for g in rules["groups"] for item in g["indicators"]]}

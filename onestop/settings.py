"""Administrator settings kept in the database (cut-offs, deadlines, form numbers)."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from . import process_cache
from .extensions import db

DEFAULTS = {
    "transfer_cutoff": "15:00",  # received after this goes to processing the next working day
    "same_day_cutoff": "15:00",  # default for "trong ngày" procedures
    "complaint_deadline_working_days": 10,
    "due_soon_working_days": 2,
    "online_queue_target_working_hours": 8,  # an online submission should be checked within this (the board shows it)
    "online_supplement_working_days": 10,  # an online submission asked for more lapses after this
    "form_numbers": {
        "receipt": "Mẫu số 01",
        "supplement": "Mẫu số 02",
        "refusal": "Mẫu số 03",
        "apology": "Mẫu số 04",
        "stop": "Mẫu số 05",
        "control": "Mẫu số 06",
        "register": "Mẫu số 07",
    },
    "province_name": "tỉnh Lào Cai",
    # Decision 766/QĐ-TTg (2022): the bands provinces publish, highest first, each with its floor as a share of the
    # points that could be measured (the rules themselves are versioned data: tracking/supervision/index766_rules)
    "index_766_bands": [["Xuất sắc", 90], ["Tốt", 80], ["Khá", 70], ["Trung bình", 50], ["Yếu", 0]],
    # The PAR INDEX (onestop.par_index): bands by the share of the set's maximum (highest first), and the
    # emulation rule: a unit with any area below this share of the area's maximum is not eligible.
    "par_index_bands": [[90, "Xuất sắc"], [80, "Tốt"], [70, "Khá"], [50, "Trung bình"], [0, "Yếu"]],
    "par_index_emulation_area_share": 50,
    # the days a round of year N measures: "official" (15 December of N-1 to 14 December of N, as the annual CCHC
    # report counts them, Decree 09/2019/NĐ-CP) or "calendar" (1 January to 31 December of N)
    "par_index_measure_year": "official",
    "report_number": "",  # printed as "Số: …/BC-…" on the CCHC report; blank leaves dots to fill in by hand
}


class Setting(db.Model):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[object] = mapped_column(sa.JSON)


def _stored() -> dict:
    """Every stored setting, read once per process and kept a few seconds (onestop.process_cache): the cut-offs are
    read for each event, the due-soon window for each list row. Shared: never changed in place."""
    return process_cache.cached("settings", lambda: dict(db.session.execute(sa.select(Setting.key, Setting.value))
                                                           .all()))


def get(key: str):
    values = _stored()
    return values[key] if key in values else DEFAULTS.get(key)


def put(key: str, value) -> None:
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()  # the flush empties the cache (process_cache): the next get reads the new value

"""Small builders for tests: procedures straight into the catalogue tables, applications through the desk."""
from datetime import time

from onestop.extensions import db
from onestop.procedures.models import Procedure, ProcedureDocument, ProcedureVersion
from onestop.reception import lifecycle, services
from onestop.text import fold
from onestop.timeutil import frozen_at


def make_procedure(code="1.001193", name="Đăng ký khai sinh", amount=3, unit="working_days", agency=None,
                   field="Hộ tịch", level="province", same_day_cutoff: time | None = None, fee=0,
                   documents=(("Tờ khai đăng ký khai sinh", "original", 1), ("Giấy chứng sinh", "original", 1))):
    procedure = Procedure(code=code, status="in_force")
    version = ProcedureVersion(
        procedure=procedure, number=1, name=name, field=field, level=level, agency=agency,
        agency_name=agency.name if agency else None, time_amount=amount, time_unit=unit,
        same_day_cutoff=same_day_cutoff, fee=fee, online="partial", search_text=fold(f"{code} {name} {field}"),
    )
    version.documents = [ProcedureDocument(position=i, name=n, kind=k, copies=c) for i, (n, k, c) in enumerate(documents)]
    db.session.add_all([procedure, version])
    db.session.flush()
    procedure.current = version
    db.session.commit()
    return procedure


def applicant(**overrides):
    data = {
        "kind": "person",
        "name": "Nguyễn Thị Ngọc Ánh",
        "id_number": "015190001234",
        "phone": "0912 345 678",
        "email": "ngocanh@example.vn",
        "address": "Số 12, ngõ 34, phường Hồng Hà, thành phố Yên Bái",
    }
    data.update(overrides)
    return data


def receive(clerk, procedure, at, **overrides):
    """A clerk logs an application at `at` (Vietnam time) and commits."""
    data = {
        "procedure_code": procedure.code,
        "applicant": applicant(),
        "channel": "in_person",
        "documents": [{"name": d.name, "kind": d.kind, "copies": d.copies} for d in procedure.current.documents],
        "sets": 1,
    }
    data.update(overrides)
    with frozen_at(at):
        application, _ = services.receive_application(clerk, data)
    db.session.commit()
    return application


def event(application, user, event_type, at, **data):
    with frozen_at(at):
        recorded = lifecycle.record_event(application, user, event_type, at=data.pop("at", None), **data)
    db.session.commit()
    return recorded

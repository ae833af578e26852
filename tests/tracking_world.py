"""The small world with known answers (issue 9, "Done when"): March 2025 at the Department of Justice.

17 files received in March 2025 (11 in person, 5 online, 1 by post), for a 3-working-day procedure of Sở Tư pháp,
logged at the province's service centre:
- 12 resolved: 5 early, 4 on time, 3 late (one of the late ones after an apology); 10 of them returned;
- 3 still open at the end of March: 1 within time, 1 overdue, 1 paused (waiting for the applicant);
- 1 refused, 1 stopped at the applicant's request.
Working days taken by the 12 resolved: 2,1,1,2,2, 3,3,3,3, 4,4,5 (average 2.75, median 3).
2 complaints about the department, one answered late; 3 ratings (one of each level).
"""
from datetime import datetime, timedelta

from onestop.extensions import db
from onestop.tracking.models import Complaint, Rating
from onestop.timeutil import VN

from .factories import event, make_procedure, receive

CODE = "2.000488"


def at(day, hour=9, minute=0):
    return datetime(2025, 3, day, hour, minute, tzinfo=VN)


def handle(app, clerk, officer, result=None, returned=False):
    event(app, clerk, "transfer", app.received_at + timedelta(minutes=30))
    if result is not None:
        event(app, officer, "result_ready", result)
        if returned:
            event(app, clerk, "return", result + timedelta(minutes=30), method="at_desk")
    return app


def build(world) -> dict:
    users = world.users
    clerk, officer = users["clerk"], users["officer"]
    procedure = make_procedure(code=CODE, name="Cấp Phiếu lý lịch tư pháp", amount=3, unit="working_days",
                               agency=world.agencies["000.00.04.H38"], field="Lý lịch tư pháp")
    files = {}

    def new(name, day, channel="in_person", hour=9):
        files[name] = receive(clerk, procedure, at(day, hour), channel=channel)
        return files[name]

    # early (due on the 3rd working day after reception, 17:00)
    handle(new("E1", 3), clerk, officer, at(5, 10), returned=True)
    handle(new("E2", 3, "online"), clerk, officer, at(4, 10), returned=True)
    handle(new("E3", 4), clerk, officer, at(5, 10), returned=True)
    handle(new("E4", 5), clerk, officer, at(7, 10), returned=True)
    handle(new("E5", 6, "postal"), clerk, officer, at(10, 10), returned=True)
    # on time: on the due day, not after 17:00
    handle(new("T1", 3), clerk, officer, at(6, 15), returned=True)
    handle(new("T2", 4, "online"), clerk, officer, at(7, 16), returned=True)
    handle(new("T3", 10), clerk, officer, at(13, 16, 59), returned=True)
    handle(new("T4", 11), clerk, officer, at(14, 10))
    # late, one after an apology and a new appointment
    handle(new("L1", 3), clerk, officer, at(7, 9), returned=True)
    late = new("L2", 10)
    event(late, clerk, "transfer", at(10, 9, 30))
    event(late, officer, "apologise", at(11, 10), reason="Cần xác minh thêm với cơ quan công an.",
          new_due_at=datetime(2025, 3, 17, 17, 0, tzinfo=VN))
    event(late, officer, "result_ready", at(14, 10))
    event(late, clerk, "return", at(14, 10, 30), method="at_desk")
    handle(new("L3", 12, "online"), clerk, officer, at(19, 10))
    # still open at the end of March
    handle(new("O1", 17), clerk, officer)  # due Thursday 20 March: overdue
    new("O2", 31, "online")  # due Thursday 3 April: within time, still at the desk
    paused = handle(new("P1", 24, "online"), clerk, officer)
    event(paused, officer, "request_supplement", at(25, 10), items=["Bản sao căn cước"], reason="Thiếu giấy tờ.")
    # refused, stopped
    refused = handle(new("R1", 12), clerk, officer)
    event(refused, officer, "refuse", at(13, 10), reasons=["Không thuộc thẩm quyền."])
    stopped = handle(new("S1", 18), clerk, officer)
    event(stopped, clerk, "stop", at(19, 10), request="Người nộp xin rút hồ sơ.")

    department = world.agencies["000.00.04.H38"]
    complaints = [
        complaint("PAKN-1", department, at(5, 10), due=datetime(2025, 3, 19, 17, 0, tzinfo=VN), answered=at(12, 10)),
        complaint("PAKN-2", department, at(10, 10), due=datetime(2025, 3, 24, 17, 0, tzinfo=VN), answered=at(27, 10)),
    ]
    for name, level in (("E1", "very_satisfied"), ("E2", "satisfied"), ("T1", "not_satisfied")):
        rate(files[name], level, at(20, 10))
    db.session.commit()
    return {"procedure": procedure, "files": files, "complaints": complaints}


def complaint(code, agency, received, due, answered=None, status=None):
    row = Complaint(code=code, tracking_key="K" * 12, agency_id=agency.id, channel="online",
                    sender_name="Nguyễn Văn An", content="Phản ánh về thời gian giải quyết.", deadline_days=10,
                    received_at=received, due_at=due, answered_at=answered,
                    status=status or ("answered" if answered else "received"))
    db.session.add(row)
    db.session.flush()
    return row


def rate(application, level, moment):
    row = Rating(application_id=application.id, agency_id=application.agency_id, level=level, channel="status_page",
                 at=moment)
    db.session.add(row)
    db.session.flush()
    return row

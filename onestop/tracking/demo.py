"""Demo feedback: ratings of some returned files and a few complaints at each stage, through the same services."""
import random
from datetime import timedelta

import sqlalchemy as sa

from ..extensions import db
from ..reception.models import Application
from ..timeutil import frozen_at, now
from .public import complaints, ratings

COMPLAINTS = [
    ("Nguyễn Văn Hùng", "0912 000 111", "Hồ sơ của tôi đã quá hẹn trả mà chưa được thông báo lý do."),
    ("Trần Thị Mai", "mai.tran@example.vn", "Đề nghị niêm yết rõ hơn danh mục giấy tờ của thủ tục tại quầy."),
    ("Lò Văn Páo", "0987 222 333", "Cán bộ hướng dẫn chưa rõ, tôi phải đi lại hai lần mới nộp được hồ sơ."),
    ("Hoàng Thị Lan", "0203 555 666", "Khu vực chờ thiếu ghế ngồi vào buổi sáng thứ Hai."),
    ("Phạm Đức Anh", "0915 444 777", "Đề nghị cho nộp bản sao điện tử thay vì bản sao chứng thực."),
]
ANSWER = ("Cơ quan đã tiếp thu ý kiến của Ông/Bà, kiểm tra lại quy trình tại quầy và chấn chỉnh việc hướng dẫn. "
          "Xin cảm ơn Ông/Bà đã phản ánh.")


def load_feedback(users, seed: int = 2026) -> None:
    """Rate about half of the returned files; send five complaints, some answered, one left overdue."""
    rng = random.Random(seed)
    returned = db.session.scalars(sa.select(Application).where(Application.status == "returned")
                                  .order_by(Application.id)).all()
    current = now()
    for application in returned:
        moment = application.returned_at + timedelta(hours=rng.randint(1, 30))
        if rng.random() < 0.5 and moment < current:
            level = rng.choices(["very_satisfied", "satisfied", "not_satisfied"], weights=[45, 45, 10])[0]
            reasons = [rng.choice(ratings.REASONS[:-1])] if level == "not_satisfied" else []
            desk = rng.random() < 0.5  # taken on the counter's tablet by the clerk who handed the result back
            with frozen_at(moment):
                ratings.rate(application, level, reasons, channel="desk" if desk else "status_page",
                             user=application.events[-1].user if desk else None)
    clerk = users["clerk"]
    for index, (name, contact, content) in enumerate(COMPLAINTS):
        sent = current - timedelta(days=30 - 6 * index, hours=rng.randint(0, 6))
        with frozen_at(sent):
            complaint = complaints.submit({"agency_code": clerk.agency.code, "sender_name": name,
                                           "sender_contact": contact, "content": content})
        if index < 2:
            with frozen_at(sent + timedelta(days=2)):
                complaints.record(complaint, clerk, "assign", to_user=clerk.username)
                complaints.record(complaint, clerk, "respond", response=ANSWER)
        elif index == 2:
            with frozen_at(sent + timedelta(days=1)):
                complaints.record(complaint, clerk, "assign", to_user=clerk.username)
    db.session.flush()

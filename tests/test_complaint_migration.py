"""The complaint numbering table carries on from complaint codes already given when the database is upgraded."""
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from onestop import create_app, demo
from onestop.extensions import db
from onestop.timeutil import VN, frozen_at
from onestop.tracking.public import complaints
from onestop.tracking.models import ComplaintSequence
from tests import conftest

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")
BEFORE = "11a4e69a155e"  # complaints and ratings, before their codes were numbered by a counter


def test_upgrading_continues_each_agencys_complaint_numbers(tmp_path):
    app = create_app(conftest.test_config(tmp_path, COMPLAINT_FILES=str(tmp_path / "files")))
    with app.app_context():
        conftest.drop_everything()
        try:
            upgrade(directory=MIGRATIONS)
            demo.load_agencies()
            db.session.commit()
            with frozen_at(datetime(2026, 12, 14, 9, 0, tzinfo=VN)):
                for _ in range(3):
                    complaints.submit({"agency_code": "000.00.04.H38", "sender_name": "Lò Văn Páo",
                                       "sender_contact": "0915222333", "content": "Góp ý"})
            db.session.commit()
            db.session.remove()

            downgrade(directory=MIGRATIONS, revision=BEFORE)
            assert "complaint_sequence" not in sa.inspect(db.engine).get_table_names()
            upgrade(directory=MIGRATIONS)
            assert db.session.execute(sa.select(ComplaintSequence.day, ComplaintSequence.last_value)).all() == [
                (datetime(2026, 12, 14).date(), 3)]
            with frozen_at(datetime(2026, 12, 14, 10, 0, tzinfo=VN)):
                fourth = complaints.submit({"agency_code": "000.00.04.H38", "sender_name": "Lò Văn Páo",
                                            "sender_contact": "0915222333", "content": "Góp ý thêm"})
            assert fourth.code == "PA-000.00.04.H38-261214-0004"
        finally:
            conftest.drop_everything()

"""Demo data for `make run`: agencies, users (password 'demo'), the catalogue, applications."""
import sqlalchemy as sa

from .auth import services as accounts
from .auth.models import Agency, User
from .extensions import db

# (code, name, level, parent code)
AGENCIES = [
    ("000.00.00.H62", "Ủy ban nhân dân tỉnh Yên Bái", "province", None),
    ("000.00.01.H62", "Trung tâm Phục vụ hành chính công tỉnh Yên Bái", "province", "000.00.00.H62"),
    ("000.00.04.H62", "Sở Tư pháp tỉnh Yên Bái", "province", "000.00.00.H62"),
    ("000.00.05.H62", "Sở Tài nguyên và Môi trường tỉnh Yên Bái", "province", "000.00.00.H62"),
    ("000.00.06.H62", "Sở Xây dựng tỉnh Yên Bái", "province", "000.00.00.H62"),
    ("000.00.07.H62", "Sở Kế hoạch và Đầu tư tỉnh Yên Bái", "province", "000.00.00.H62"),
    ("000.00.08.H62", "Sở Giáo dục và Đào tạo tỉnh Yên Bái", "province", "000.00.00.H62"),
    ("000.00.09.H62", "Sở Y tế tỉnh Yên Bái", "province", "000.00.00.H62"),
    ("000.00.11.H62", "Ủy ban nhân dân thành phố Yên Bái", "district", "000.00.00.H62"),
    ("000.01.11.H62", "Ủy ban nhân dân phường Hồng Hà", "commune", "000.00.11.H62"),
    ("000.02.11.H62", "Ủy ban nhân dân xã Tân Thịnh", "commune", "000.00.11.H62"),
    ("000.00.15.H62", "Ủy ban nhân dân huyện Văn Yên", "district", "000.00.00.H62"),
    ("000.01.15.H62", "Ủy ban nhân dân thị trấn Mậu A", "commune", "000.00.15.H62"),
    ("000.02.15.H62", "Ủy ban nhân dân xã An Thịnh", "commune", "000.00.15.H62"),
]

# (username, full name, agency code, roles)
USERS = [
    ("admin", "Nguyễn Văn Quản", "000.00.00.H62", ["admin"]),
    ("supervisor", "Trần Thị Lãnh", "000.00.00.H62", ["supervisor"]),
    ("clerk", "Lê Thị Thu Hằng", "000.00.01.H62", ["clerk"]),
    ("officer", "Phạm Đức Xử", "000.00.04.H62", ["officer"]),
    ("clerk.vanyen", "Hoàng Văn Tiếp", "000.00.15.H62", ["clerk", "officer"]),
    ("officer.tnmt", "Đỗ Minh Đất", "000.00.05.H62", ["officer"]),
]

DEMO_PASSWORD = "demo"


def already_loaded() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) > 0


def load_agencies() -> dict[str, Agency]:
    by_code: dict[str, Agency] = {}
    for code, name, level, parent in AGENCIES:
        by_code[code] = accounts.create_agency(code, name, level, by_code.get(parent))
    return by_code


def load_users(agencies: dict[str, Agency]) -> dict[str, User]:
    return {
        username: accounts.create_user(
            username, DEMO_PASSWORD, full_name, agencies[code], roles, allow_demo_password=True
        )
        for username, full_name, code, roles in USERS
    }


def load(applications: int = 300) -> None:
    """Everything a new user needs to try the app; the caller commits."""
    from .procedures.demo import load_catalogue
    from .reception.demo import load_applications

    agencies = load_agencies()
    users = load_users(agencies)
    load_catalogue(agencies)
    load_applications(agencies, users, count=applications)

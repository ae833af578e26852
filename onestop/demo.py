"""Demo data for `make run`: agencies, users (password 'demo'), the catalogue, applications, feedback, the PAR
INDEX's round."""
import sqlalchemy as sa

from .auth import services as accounts
from .auth.models import Agency, User
from .extensions import db

# (code, name, level, parent code). The new Lào Cai province (Resolution 202/2025/QH15 merged Yên Bái into it),
# as local government stands since 1 July 2025: the province, its departments as merged in 2025, and communes and
# wards with one-stop desks of their own (no district level).
AGENCIES = [
    ("000.00.00.H38", "Ủy ban nhân dân tỉnh Lào Cai", "province", None),
    ("000.00.01.H38", "Trung tâm Phục vụ hành chính công tỉnh Lào Cai", "province", "000.00.00.H38"),
    ("000.00.04.H38", "Sở Tư pháp tỉnh Lào Cai", "province", "000.00.00.H38"),
    ("000.00.05.H38", "Sở Nông nghiệp và Môi trường tỉnh Lào Cai", "province", "000.00.00.H38"),
    ("000.01.05.H38", "Văn phòng Đăng ký đất đai tỉnh Lào Cai", "province", "000.00.05.H38"),
    ("000.00.06.H38", "Sở Xây dựng tỉnh Lào Cai", "province", "000.00.00.H38"),
    ("000.00.07.H38", "Sở Tài chính tỉnh Lào Cai", "province", "000.00.00.H38"),
    ("000.00.08.H38", "Sở Giáo dục và Đào tạo tỉnh Lào Cai", "province", "000.00.00.H38"),
    ("000.00.09.H38", "Sở Y tế tỉnh Lào Cai", "province", "000.00.00.H38"),
    ("000.00.10.H38", "Sở Công Thương tỉnh Lào Cai", "province", "000.00.00.H38"),
    ("000.21.00.H38", "Ủy ban nhân dân phường Yên Bái", "commune", "000.00.00.H38"),
    ("000.22.00.H38", "Ủy ban nhân dân phường Văn Phú", "commune", "000.00.00.H38"),
    ("000.23.00.H38", "Ủy ban nhân dân phường Lào Cai", "commune", "000.00.00.H38"),
    ("000.24.00.H38", "Ủy ban nhân dân phường Sa Pa", "commune", "000.00.00.H38"),
    ("000.25.00.H38", "Ủy ban nhân dân xã Mậu A", "commune", "000.00.00.H38"),
    ("000.26.00.H38", "Ủy ban nhân dân xã Mù Cang Chải", "commune", "000.00.00.H38"),
    # added last so that the agencies above keep their ids: the PAR INDEX's appraiser
    ("000.00.11.H38", "Sở Nội vụ tỉnh Lào Cai", "province", "000.00.00.H38"),
]
ADDRESSES = {
    "000.00.00.H38": ("Đường Lý Thường Kiệt, phường Yên Bái, tỉnh Lào Cai", "0214 3840 888"),
    "000.00.01.H38": ("Số 1 đường Hoàng Liên, phường Lào Cai, tỉnh Lào Cai", "0214 3636 555"),
    "000.21.00.H38": ("Số 2 đường Đinh Tiên Hoàng, phường Yên Bái, tỉnh Lào Cai", "0216 3852 123"),
    "000.23.00.H38": ("Số 10 đường Trần Hưng Đạo, phường Lào Cai, tỉnh Lào Cai", "0214 3820 456"),
}

# (username, full name, agency code, roles)
USERS = [
    ("admin", "Nguyễn Văn Quản", "000.00.00.H38", ["admin"]),
    ("supervisor", "Trần Thị Lãnh", "000.00.00.H38", ["supervisor"]),
    ("clerk", "Lê Thị Thu Hằng", "000.00.01.H38", ["clerk"]),
    ("officer", "Phạm Đức Xử", "000.00.04.H38", ["officer"]),
    ("clerk.yenbai", "Hoàng Văn Tiếp", "000.21.00.H38", ["clerk", "officer"]),
    ("officer.nnmt", "Đỗ Minh Đất", "000.00.05.H38", ["officer"]),
    # the PAR INDEX: the Department of Home Affairs appraises; each unit's reform officer scores the unit
    ("appraiser", "Vũ Thị Thẩm", "000.00.11.H38", ["appraiser"]),
    ("supervisor.stp", "Ngô Văn Cải", "000.00.04.H38", ["supervisor"]),
    ("supervisor.yenbai", "Bùi Thị Cách", "000.21.00.H38", ["supervisor"]),
]

DEMO_PASSWORD = "demo"


def already_loaded() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) > 0


def load_agencies() -> dict[str, Agency]:
    by_code: dict[str, Agency] = {}
    for code, name, level, parent in AGENCIES:
        address, phone = ADDRESSES.get(code, (None, None))
        by_code[code] = accounts.create_agency(code, name, level, by_code.get(parent), address=address, phone=phone)
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
    from .par_index.demo import load_par_index
    from .procedures.demo import load_catalogue
    from .reception.demo import load_applications
    from .tracking.demo import load_feedback

    agencies = load_agencies()
    users = load_users(agencies)
    load_catalogue(agencies)
    load_applications(agencies, users, count=applications)
    load_feedback(users)
    load_par_index(agencies, users)

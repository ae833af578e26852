"""A small province for PAR INDEX stories: the province's people's committee, two departments (the Department of
Home Affairs, which appraises, and the Department of Justice) and two wards; each unit's reform officer (role
supervisor), the appraiser, the province's admin and a clerk; an API token each (password "demo").

The 2026 round's calendar (Vietnam time): the sets are imported and the round opened on 5 January 2027;
self-assessment until 31 January, appraisal until 15 February, explanation until 28 February, second appraisal
until 10 March."""
from datetime import datetime
from io import BytesIO
from types import SimpleNamespace

from onestop.auth.models import ApiToken
from onestop.auth.services import create_agency, create_user
from onestop.extensions import db
from onestop.timeutil import VN

YEAR = 2026
UNITS = {  # tag: (code, name, level)
    "snv": ("000.00.03.H38", "Sở Nội vụ tỉnh Lào Cai", "province"),
    "stp": ("000.00.04.H38", "Sở Tư pháp tỉnh Lào Cai", "province"),
    "yb": ("000.21.00.H38", "Ủy ban nhân dân phường Yên Bái", "commune"),
    "vp": ("000.22.00.H38", "Ủy ban nhân dân phường Văn Phú", "commune"),
}
DEADLINES = {"self_until": "2027-01-31", "appraisal_until": "2027-02-15", "explanation_until": "2027-02-28",
             "second_until": "2027-03-10"}
OPENING = datetime(2027, 1, 5, 9, 0, tzinfo=VN)
SELF_STAGE = datetime(2027, 1, 20, 9, 0, tzinfo=VN)
APPRAISAL_STAGE = datetime(2027, 2, 5, 9, 0, tzinfo=VN)
EXPLANATION_STAGE = datetime(2027, 2, 20, 9, 0, tzinfo=VN)
SECOND_STAGE = datetime(2027, 3, 5, 9, 0, tzinfo=VN)
AFTER_ALL = datetime(2027, 3, 15, 9, 0, tzinfo=VN)


def build() -> SimpleNamespace:
    """The agencies, users and tokens, committed."""
    province = create_agency("000.00.00.H38", "Ủy ban nhân dân tỉnh Lào Cai", "province")
    agencies = {"province": province}
    for tag, (code, name, level) in UNITS.items():
        agencies[tag] = create_agency(code, name, level, province)
    people = {"admin": ("province", ["admin"]), "tham.dinh": ("snv", ["appraiser"]),
              "clerk.stp": ("stp", ["clerk"])}
    people.update({f"cchc.{tag}": (tag, ["supervisor"]) for tag in UNITS})
    users, tokens = {}, {}
    for username, (tag, roles) in people.items():
        users[username] = create_user(username, "demo", f"Cán bộ {username}", agencies[tag], roles,
                                      allow_demo_password=True)
    db.session.flush()
    for username, user in users.items():
        row, tokens[username] = ApiToken.issue(user, label="par-index")
        db.session.add(row)
    db.session.commit()
    return SimpleNamespace(agencies=agencies, users=users, tokens=tokens)


class Api:
    """The JSON API as a user calls it with a bearer token."""

    def __init__(self, client, token: str):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(f"/api/v1/par-index{path}", headers=self.headers)

    def put(self, path, body):
        return self.client.put(f"/api/v1/par-index{path}", json=body, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(f"/api/v1/par-index{path}", json=body if body is not None else {},
                                headers=self.headers)

    def upload(self, path, content: bytes, name="tai-lieu.pdf", **fields):
        return self.client.post(f"/api/v1/par-index{path}", data={"file": (BytesIO(content), name), **fields},
                                headers=self.headers, content_type="multipart/form-data")

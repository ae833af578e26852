"""Stand-ins for the outside, for tests and benchmarks only, each a real server on loopback speaking the protocol
the product speaks: the national portal (a session, dossier and progress calls, every field checked as the
portal's integration rules say) and an SMS gateway (an HTTP POST with a JSON body). Mail is aiosmtpd's."""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Written from the list, not imported from onestop.outbox.portal: a check the code could not fail if it
# shared the code's own table.
DOSSIER_TEXT = {"MaHoSo": 50, "MaTTHC": 50, "TenTTHC": 1000, "MaLinhVuc": 50, "TenLinhVuc": 500, "ChuHoSo": 250,
                "SoGiayToChuHoSo": 50, "SoDienThoai": 20, "Email": 100, "TrichYeuHoSo": 1000, "DonViXuLy": 500}
DOSSIER_CODES = {"KenhThucHien": {1, 2, 3}, "LoaiDoiTuong": {1, 2, 3, 4}, "TrangThaiHoSo": set(range(1, 11)),
                 "HinhThuc": {0, 1}, "DuocThanhToanTrucTuyen": {0, 1}, "HoSoCoThanhPhanSoHoa": {0, 1}}
DOSSIER_DATES = {"NgayTiepNhan": True, "NgayHenTra": True, "NgayTra": False, "NgayKetThucXuLy": False}
DOSSIER_LISTS = ("TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua")
PROGRESS_TEXT = {"MaHoSo": 50, "NguoiXuLy": 250, "ChucDanh": 250, "PhongBanXuLy": 500, "NoiDungXuLy": 2000}
PROGRESS_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")
PORTAL_DATE = re.compile(r"^20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([01]\d|2[0-3])[0-5]\d[0-5]\d$")
NATIONAL_CODE = re.compile(r"^\d\.\d{6}$")


def field_problems(item: dict, texts: dict, dates: dict, codes: dict = None, lists=()) -> list[str]:
    problems = []
    for name, length in texts.items():
        if not isinstance(item.get(name), str):
            problems.append(f"{name}: thiếu hoặc không phải chuỗi")
        elif len(item[name]) > length:
            problems.append(f"{name}: dài hơn {length}")
    for name, required in dates.items():
        value = item.get(name)
        if not isinstance(value, str) or (value or required) and not PORTAL_DATE.match(value):
            problems.append(f"{name}: không đúng yyyyMMddHHmmss ({value!r})")
    for name, allowed in (codes or {}).items():
        if type(item.get(name)) is not int or item[name] not in allowed:
            problems.append(f"{name}: mã không hợp lệ ({item.get(name)!r})")
    for name in lists:
        if not isinstance(item.get(name), list):
            problems.append(f"{name}: phải là danh sách")
    return problems


def dossier_problems(item: dict) -> list[str]:
    problems = field_problems(item, DOSSIER_TEXT, DOSSIER_DATES, DOSSIER_CODES, DOSSIER_LISTS)
    if isinstance(item.get("MaTTHC"), str) and not NATIONAL_CODE.match(item["MaTTHC"]):
        problems.append("MaTTHC: phải là mã quốc gia, không có hậu tố của tỉnh")
    for paper in item.get("TaiLieuNop") or []:
        if not isinstance(paper.get("TenTepDinhKem"), str) or paper.get("DuocSoHoa") not in (0, 1) \
                or paper.get("DuocTaiSuDung") not in (0, 1):
            problems.append("TaiLieuNop: phần tử không hợp lệ")
    return problems


def progress_problems(item: dict) -> list[str]:
    problems = field_problems(item, PROGRESS_TEXT, {name: True for name in PROGRESS_DATES})
    if type(item.get("TrangThai")) is not int or not 1 <= item["TrangThai"] <= 10:
        problems.append("TrangThai: mã không hợp lệ")
    return problems


class Portal:
    """The national portal's counterpart: `calls` holds every accepted call in order; `problems` every refusal
    for a field; `mode` may be "ok", "fail" (503) or "hang" (answers after `hang_seconds`)."""

    def __init__(self, username="motcua", password="mat-khau", unit="000.00.00.H62"):
        self.username, self.password, self.unit = username, password, unit
        self.calls, self.problems, self.keys_seen, self.dossiers = [], [], [], set()
        self.mode, self.hang_seconds, self.logins = "ok", 3.0, 0
        self.hung = threading.Event()  # set when a call arrives in "hang" mode (that call records nothing)
        self.token = "phien-" + str(int(time.time()))
        self.lock = threading.Lock()
        self.server = None

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        if self.mode == "fail":
            return 503, {"error_code": 503, "message": "Hệ thống bận"}
        if self.mode == "hang" and path != "/login":
            self.hung.set()
            time.sleep(self.hang_seconds)
            return 504, {"error_code": 504, "message": "Hết thời gian chờ"}
        if path == "/login":
            if body.get("username") == self.username and body.get("password") == self.password:
                self.logins += 1
                return 200, {"error_code": 0, "session": self.token}
            return 200, {"error_code": 1, "message": "Sai tên đăng nhập hoặc mật khẩu"}
        if body.get("session") != self.token:
            return 200, {"error_code": 401, "message": "Phiên làm việc hết hạn"}
        if body.get("madonvi") != self.unit:
            return 200, {"error_code": 3, "message": "Mã đơn vị không đúng"}
        items = body.get("data")
        if not isinstance(items, list) or len(items) != 1 or not isinstance(items[0], dict):
            return 200, {"error_code": 4, "message": "Dữ liệu không hợp lệ"}
        item = items[0]
        if path == "/dossier":
            problems = dossier_problems(item)
        elif path == "/progress":
            problems = progress_problems(item)
        else:
            return 404, {"error_code": 404, "message": "Không có dịch vụ"}
        with self.lock:
            if problems:
                self.problems.extend(problems)
                return 200, {"error_code": 2, "message": "; ".join(problems)}
            if path == "/dossier" and body.get("service") == "ThemMoiHoSo" and item["MaHoSo"] in self.dossiers:
                return 200, {"error_code": 5, "message": f"Hồ sơ {item['MaHoSo']} đã tồn tại"}
            if path == "/dossier" and body.get("service") == "CapNhatHoSo" and item["MaHoSo"] not in self.dossiers:
                return 200, {"error_code": 6, "message": "Không tìm thấy hồ sơ"}
            if path == "/dossier":
                self.dossiers.add(item["MaHoSo"])
            self.calls.append({"path": path, "service": body.get("service"), "key": body.get("key"), "data": item})
            self.keys_seen.append(body.get("key"))
        return 200, {"error_code": 0, "message": "Thành công"}

    def settings(self) -> dict:
        base = f"http://127.0.0.1:{self.server.server_port}"
        return {"PORTAL_LOGIN_URL": base + "/login", "PORTAL_DOSSIER_URL": base + "/dossier",
                "PORTAL_PROGRESS_URL": base + "/progress", "PORTAL_UNIT_CODE": self.unit,
                "PORTAL_USERNAME": self.username, "PORTAL_PASSWORD": self.password}


class SmsGateway:
    """A telecom's SMS API: a JSON POST with Basic credentials; `messages` holds what arrived."""

    def __init__(self, username="motcua", password="sms-secret"):
        self.username, self.password = username, password
        self.messages, self.mode = [], "ok"
        self.lock = threading.Lock()
        self.server = None

    def answer(self, path: str, body: dict, headers) -> tuple[int, dict]:
        import base64

        if self.mode == "fail":
            return 503, {"status": "busy"}
        expected = "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        if headers.get("Authorization") != expected:
            return 401, {"status": "unauthorised"}
        with self.lock:
            self.messages.append({"body": body, "key": headers.get("Idempotency-Key")})
        return 200, {"status": "queued", "id": len(self.messages)}

    def settings(self) -> dict:
        return {"SMS_URL": f"http://127.0.0.1:{self.server.server_port}/send", "SMS_USERNAME": self.username,
                "SMS_PASSWORD": self.password, "SMS_TEMPLATE": '{"msisdn": "{phone}", "message": "{text}", "brand": "MOTCUA"}'}


def serve(counterpart, port: int = 0):
    """Start the counterpart's HTTP server on loopback in a thread; returns it (stop with `stop(counterpart)`)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
            except ValueError:
                status, answer = 400, {"error_code": 400, "message": "JSON không hợp lệ"}
            else:
                if isinstance(counterpart, SmsGateway):
                    status, answer = counterpart.answer(self.path, body, self.headers)
                else:
                    status, answer = counterpart.answer(self.path, body)
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    counterpart.server = server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return counterpart


def stop(counterpart) -> None:
    counterpart.server.shutdown()
    counterpart.server.server_close()

"""A stand-in for the national payment platform on 127.0.0.1, speaking onestop.fees.gateway's protocol: INIT,
QUERY, and a callback it posts when the citizen has paid (or not: a lost callback). Started by the test itself."""
import hashlib
import json
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INIT_FIELDS = ("partner_code", "reference", "amount", "currency", "application_code", "lines", "return_url",
               "callback_url")
RESULT_FIELDS = ("partner_code", "reference", "transaction_id", "amount", "status", "paid_at")


def canonical(value) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "" if value is None else str(value)


def sign(message: dict, fields, secret: str) -> dict:
    joined = "|".join(canonical(message.get(name)) for name in fields) + "|" + secret
    return {**message, "checksum": hashlib.sha256(joined.encode("utf-8")).hexdigest()}


class Platform:
    def __init__(self, partner_code: str, secret: str):
        self.partner_code, self.secret = partner_code, secret
        self.payments: dict[str, dict] = {}
        self.init_delay = 0.0
        self.refused_inits = 0
        self.base = ""

    def result(self, reference: str) -> dict:
        payment = self.payments[reference]
        return sign({"partner_code": self.partner_code, "reference": reference,
                     "transaction_id": payment.get("transaction_id"), "amount": payment["amount"],
                     "status": payment["status"], "paid_at": payment.get("paid_at")}, RESULT_FIELDS, self.secret)

    def pay(self, reference: str, deliver: bool = True) -> dict:
        """The citizen pays on the platform's page; the platform posts the callback unless it is lost."""
        payment = self.payments[reference]
        payment.update(status="paid", transaction_id=f"NPP{len(self.payments):08d}", paid_at="2026-12-07T10:15:00+07:00")
        message = self.result(reference)
        if deliver:
            self.post(payment["callback_url"], message)
        return message

    @staticmethod
    def post(url: str, message: dict) -> tuple[int, dict]:
        request = urllib.request.Request(url, data=json.dumps(message).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def handle(self, path: str, message: dict) -> tuple[int, dict]:
        if path == "/init":
            if sign({k: v for k, v in message.items() if k != "checksum"}, INIT_FIELDS, self.secret) != message:
                self.refused_inits += 1
                return 400, {"code": "97"}
            self.payments[message["reference"]] = {**message, "status": "pending"}
            time.sleep(self.init_delay)  # registered, but the answer comes too late
            return 200, sign({"code": "00", "reference": message["reference"],
                              "pay_url": f"{self.base}/pay/{message['reference']}"}, ("code", "reference", "pay_url"),
                             self.secret)
        if path == "/query":
            if sign({"partner_code": message.get("partner_code"), "reference": message.get("reference")},
                    ("partner_code", "reference"), self.secret) != message:
                return 400, {"code": "97"}
            if message["reference"] not in self.payments:
                return 404, {"code": "01"}
            return 200, self.result(message["reference"])
        return 404, {"code": "404"}


@contextmanager
def running(partner_code="ONESTOP", secret="bi-mat-chung-0123456789"):
    platform = Platform(partner_code, secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            status, answer = platform.handle(self.path, body)
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the app gave up waiting (a timeout)
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    platform.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()

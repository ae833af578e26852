"""The calls to the national portal: a session, then a dossier or a progress call per message (portal.py holds
what goes in them and where each rule comes from)."""
import json
import threading
import urllib.error
import urllib.request

ALREADY_EXISTS = "đã tồn tại"


class PortalRefused(Exception):
    """The portal answered, and said no: its words are kept for staff; trying again changes nothing."""


class _Session:
    token: str | None = None
    lock = threading.Lock()


def _post(url: str, body: dict, config) -> dict:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=float(config.get("OUTBOX_TIMEOUT", 10))) as answer:
        return json.loads(answer.read(1_000_000).decode("utf-8"))


def session_token(config, fresh: bool = False) -> str:
    with _Session.lock:
        if _Session.token is None or fresh:
            answer = _post(config["PORTAL_LOGIN_URL"], {"username": config["PORTAL_USERNAME"],
                                                        "password": config["PORTAL_PASSWORD"],
                                                        "madonvi": config["PORTAL_UNIT_CODE"]}, config)
            if answer.get("error_code") != 0 or not answer.get("session"):
                raise PortalRefused(str(answer.get("message") or "đăng nhập cổng không thành công"))
            _Session.token = answer["session"]
        return _Session.token


def _call(config, url: str, service: str, item: dict, key: str) -> dict:
    for attempt in (1, 2):
        envelope = {"session": session_token(config, fresh=attempt == 2), "madonvi": config["PORTAL_UNIT_CODE"],
                    "service": service, "key": key, "data": [item]}
        answer = _post(url, envelope, config)
        if answer.get("error_code") == 401 and attempt == 1:  # the session ran out: log in again, once
            continue
        return answer
    return answer


def send(config, payload: dict, key: str) -> str:
    """Deliver one message; a dossier the portal already has is sent again as an update."""
    if payload["call"] == "progress":
        answer = _call(config, config["PORTAL_PROGRESS_URL"], "CapNhatTienDoHoSo", payload["body"], key)
    else:
        service = "ThemMoiHoSo" if payload["action"] == "new" else "CapNhatHoSo"
        answer = _call(config, config["PORTAL_DOSSIER_URL"], service, payload["body"], key)
        if answer.get("error_code") != 0 and ALREADY_EXISTS in str(answer.get("message", "")).lower():
            answer = _call(config, config["PORTAL_DOSSIER_URL"], "CapNhatHoSo", payload["body"], key)
    if answer.get("error_code") != 0:
        raise PortalRefused(str(answer.get("message") or answer))
    return str(answer.get("message") or "0")


def forget_session() -> None:
    with _Session.lock:
        _Session.token = None

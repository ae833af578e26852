"""SMS through the province's HTTP gateway: a telecom's API, described by configuration (SMS_URL, SMS_USERNAME,
SMS_PASSWORD, SMS_TEMPLATE: a JSON body with {phone} and {text} in it). Vietnamese without tone marks fits one
160-character segment; SMS_UNICODE keeps the marks (70 characters a segment)."""
import base64
import json
import urllib.error
import urllib.request

from . import texts

SEGMENT = 160
DEFAULT_TEMPLATE = '{"to": "{phone}", "text": "{text}"}'


def configured(config) -> bool:
    return bool(config.get("SMS_URL"))


def without_marks(text: str) -> str:
    """'Hồ sơ đã có kết quả' -> 'Ho so da co ket qua' (case kept)."""
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def message(application, item, config) -> dict:
    line, address = texts.short(application, item), texts.tracking_address(application, compact=True)
    text = f"{line} {address}"
    if not config.get("SMS_UNICODE"):
        text = without_marks(text)
        if len(text) > SEGMENT:  # the address is what the citizen needs: shorten the words, never the address
            text = f"{without_marks(line)[: SEGMENT - len(address) - 2].rstrip()}. {address}"
        if len(text) > SEGMENT:
            text = text[:SEGMENT]
    return {"text": text}


def body(config, phone: str, text: str) -> bytes:
    template = config.get("SMS_TEMPLATE") or DEFAULT_TEMPLATE
    escaped = {"phone": json.dumps(phone)[1:-1], "text": json.dumps(text, ensure_ascii=False)[1:-1]}
    filled = template.replace("{phone}", escaped["phone"]).replace("{text}", escaped["text"])
    json.loads(filled)  # a template that makes no JSON is the province's mistake: say so, not the gateway
    return filled.encode("utf-8")


def send(config, recipient: str, payload: dict, key: str) -> str:
    request = urllib.request.Request(config["SMS_URL"], data=body(config, recipient, payload["text"]), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "Idempotency-Key": key})
    if config.get("SMS_USERNAME"):
        token = base64.b64encode(f"{config['SMS_USERNAME']}:{config.get('SMS_PASSWORD') or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=float(config.get("OUTBOX_TIMEOUT", 10))) as answer:
        return answer.read(500).decode("utf-8", "replace")


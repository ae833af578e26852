"""E-mail to the citizen, through the mail server the morning digest already uses (MAIL_* settings)."""
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from . import texts


def configured(config) -> bool:
    return bool(config.get("MAIL_SERVER"))


def message(application, item) -> dict:
    address = texts.tracking_address(application)
    body = "\n".join([texts.line(application, item), "", f"Theo dõi hồ sơ: {address}", "",
                      "Thư gửi tự động từ bộ phận một cửa; ông/bà có thể thôi nhận tin tại trang theo dõi."])
    return {"subject": f"[Một cửa] {texts.SUBJECTS.get(item.type, 'Cập nhật hồ sơ')} {application.code}",
            "body": body}


def send(config, recipient: str, payload: dict, key: str) -> str:
    """One message, one connection (the worker's batches are small; a dead connection never blocks the next)."""
    mail = EmailMessage()
    mail["Subject"] = payload["subject"]
    mail["From"] = config["MAIL_SENDER"]
    mail["To"] = recipient
    mail["Message-ID"] = make_msgid(idstring=key.replace(":", "."), domain="motcua")
    mail["X-Onestop-Key"] = key  # the receiver's way to drop a duplicate
    mail.set_content(payload["body"])
    kind = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with kind(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config.get("MAIL_TIMEOUT", 30)) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        refused = smtp.send_message(mail)
    if refused:
        raise RuntimeError(f"máy chủ thư từ chối: {refused}")
    return "250"

"""E-mail to a citizen about their online submission, through the mail settings the morning digest uses.

No MAIL_SERVER: nothing is sent. A mail server that fails never fails the submission: the number and key are on
the screen already, and the failure is logged.
"""
import smtplib
from email.message import EmailMessage

from flask import current_app

from ..timeutil import fmt
from . import keys, services
from .online_models import Submission


def status_url(submission: Submission) -> str:
    """The submission's public status page, key included."""
    return f"{services.public_base_url()}/nop-ho-so/{submission.number}?k={keys.grouped(submission.key)}"


def compose(submission: Submission, kind: str) -> EmailMessage | None:
    """The message for a step (submitted, supplement requested, accepted, refused), in Vietnamese."""
    if not submission.applicant_email:
        return None
    name = submission.version.name
    lines = [f"Kính gửi {submission.applicant_name},", ""]
    if kind == "submitted":
        subject = f"[Một cửa] Đã nhận hồ sơ nộp trực tuyến {submission.number}"
        lines += [f"Hồ sơ «{name}» đã được gửi và đang chờ bộ phận một cửa kiểm tra.",
                  f"Số hồ sơ: {submission.number}", f"Mã tra cứu: {keys.grouped(submission.key)}"]
    elif kind == "request_supplement":
        event = submission.events[-1]
        subject = f"[Một cửa] Hồ sơ {submission.number} cần bổ sung giấy tờ"
        lines += [f"Bộ phận một cửa đề nghị bổ sung hồ sơ «{name}»:",
                  *[f"- {item}" for item in (event.data or {}).get("items", [])],
                  f"Lý do: {(event.data or {}).get('reason', '')}",
                  f"Hạn bổ sung: {fmt(submission.supplement_due_at)}" if submission.supplement_due_at else ""]
    elif kind == "accepted" and submission.application is not None:
        application = submission.application
        subject = f"[Một cửa] Hồ sơ {submission.number} đã được tiếp nhận: {application.code}"
        lines += [f"Hồ sơ «{name}» đã được tiếp nhận.", f"Mã hồ sơ: {application.code}",
                  f"Hẹn trả kết quả: {fmt(application.due_at)}",
                  f"Tra cứu: {services.tracking_url(application)}"]
    elif kind == "refused":
        subject = f"[Một cửa] Hồ sơ {submission.number} không được tiếp nhận"
        lines += [f"Hồ sơ «{name}» không được tiếp nhận.",
                  f"Lý do: {'; '.join((submission.events[-1].data or {}).get('reasons', []))}"]
    else:
        return None
    lines += ["", f"Xem tình trạng và giấy tờ: {status_url(submission)}", "", "Thư gửi tự động, xin đừng trả lời."]
    message = EmailMessage()
    message["Subject"] = subject
    message["To"] = submission.applicant_email
    message["From"] = current_app.config["MAIL_SENDER"]
    message.set_content("\n".join(line for line in lines if line is not None))
    if kind == "accepted" and submission.application is not None:  # the receipt, as the desk prints it
        from .printing import render_form

        message.add_attachment(render_form(submission.application, "receipt"), maintype="application",
                               subtype="pdf", filename=f"giay-tiep-nhan-{submission.application.code}.pdf")
    return message


def notify(submission: Submission, kind: str) -> bool:
    """Send the step's e-mail if there is an address and a mail server; True if sent. Never raises."""
    config = current_app.config
    if not config.get("MAIL_SERVER") or not submission.applicant_email:
        return False
    try:
        message = compose(submission, kind)
        if message is None:
            return False
        smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        with smtp_class(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                        timeout=config.get("MAIL_TIMEOUT", 30)) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return True
    except Exception:  # noqa: BLE001 - the submission stands whatever the mail server does
        current_app.logger.exception("online submission %s: the %s e-mail was not sent", submission.number, kind)
        return False

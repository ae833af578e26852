"""The reply letter to a complaint, built from its record and rendered by onestop.pdf.letters."""
from ...pdf.letters import render_complaint_reply
from ...reception.printing import heading
from ..models import Complaint


class ReplyNotAvailable(LookupError):
    """The complaint has no answer yet."""


def reply_ctx(complaint: Complaint) -> dict:
    application = complaint.application
    return {
        **heading(complaint.agency, "complaint_reply"),
        "at": complaint.answered_at,
        "summary": "trả lời phản ánh, kiến nghị",
        "sender_name": complaint.sender_name,
        "sender_contact": complaint.sender_contact,
        "complaint_code": complaint.code,
        "channel": complaint.channel,
        "received_at": complaint.received_at,
        "application_code": application.code if application else None,
        "procedure_name": application.version.name if application else None,
        "content": complaint.content,
        "response": complaint.response,
        "signer_title": "THỦ TRƯỞNG CƠ QUAN",
    }


def reply_pdf(complaint: Complaint) -> bytes:
    if complaint.status not in ("answered", "closed") or not complaint.response:
        raise ReplyNotAvailable("Phản ánh chưa được trả lời.")
    return render_complaint_reply(reply_ctx(complaint))

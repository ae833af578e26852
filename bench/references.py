"""What the app is measured against: hand-written SQL on the driver's own connection, and routes in the app that
serve the same page as the API list and the inbox from that SQL (the same sign-in, the same JSON fields or the
same template; what differs is the app's query layer)."""
import json
from datetime import datetime, timezone


class Raw:
    """Hand-written SQL on the driver's own connection (psycopg or sqlite3), outside the ORM."""

    def __init__(self, engine):
        self.connection = engine.raw_connection()
        self.postgresql = engine.dialect.name == "postgresql"

    def rows(self, sql: str, **params):
        cursor = self.connection.cursor()
        if not self.postgresql:
            for key, value in params.items():
                if isinstance(value, datetime):
                    params[key] = value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
            sql = sql.replace("%(", ":").replace(")s", "")
        cursor.execute(sql, params)
        found = cursor.fetchall()
        cursor.close()
        self.connection.rollback()
        return found


def add_reference_routes(app, reference: dict) -> None:
    """Routes in the app itself that serve the same page as the API list and the inbox from hand-written SQL: the
    same sign-in, the same JSON fields or the same template; what differs is the app's query layer."""
    from types import SimpleNamespace

    from flask import jsonify, render_template

    from onestop.api import api_login_required
    from onestop.auth import roles_required
    from onestop.labels import LABELS
    from onestop.reception import keys, queries, services
    from onestop.timeutil import VN

    base = app.config["PUBLIC_BASE_URL"]

    def moment(value):
        if value is None or not isinstance(value, str):
            return value
        return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)

    def iso(value):
        value = moment(value)
        return value.astimezone(VN).isoformat() if value is not None else None

    def rows():
        found = reference["raw"].rows(reference["sql"], **reference["params"])
        return found[:reference["per_page"]], len(found) > reference["per_page"]

    @api_login_required()
    def applications():
        page, more = rows()
        items = []
        for (_, code, status, procedure, name, number, agency, processing, kind, applicant, id_number, phone, email,
             address, channel, documents, sets, received, due, apology, result, returned, key) in page:
            items.append({
                "code": code, "status": status, "procedure": {"code": procedure, "name": name, "version": number},
                "agency": agency, "processing_agency": processing,
                "applicant": {"kind": kind, "name": applicant, "id_number": id_number, "phone": phone,
                              "email": email, "address": address},
                "channel": channel, "documents": json.loads(documents) if isinstance(documents, str) else documents,
                "sets": sets, "received_at": iso(received), "due_at": iso(due), "apology_due_at": iso(apology),
                "result_at": iso(result), "returned_at": iso(returned),
                "tracking_url": f"{base}/tra-cuu/{code}?k={keys.grouped(key)}"})
        return jsonify(items=items, next="…" if more else None, per_page=reference["per_page"], total=None,
                       total_exact=None)

    @roles_required("officer", "clerk", "supervisor")
    def inbox():
        page, more = rows()
        items = [SimpleNamespace(code=row[1], status=row[2], version=SimpleNamespace(name=row[4]),
                                 applicant_name=row[9], received_at=moment(row[17]), due_at=moment(row[18]))
                 for row in page]
        shown = SimpleNamespace(items=items, next="…" if more else None, has_next=more, total=None, total_exact=True)
        return render_template("reception/inbox.html", page=shown, due_state=services.due_state, agencies=[],
                               statuses={key: str(text) for key, text in LABELS["status"].items()},
                               filters=queries.Filters(), args={})

    app.add_url_rule("/bench/reference/applications", "bench_reference_applications", applications)
    app.add_url_rule("/bench/reference/inbox", "bench_reference_inbox", inbox)

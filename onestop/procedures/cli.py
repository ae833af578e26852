"""`flask --app wsgi procedures import|export`."""
import json
import time
from contextlib import nullcontext
from pathlib import Path

import click
from flask.cli import AppGroup

from ..database import begin_write
from ..extensions import db
from ..labels import label
from ..progress import Progress

procedures_cli = AppGroup("procedures", help="Danh mục thủ tục hành chính.")
LARGE_IMPORT = 500  # rows from which writing them shows its progress
DATE = click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"])


@procedures_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Chỉ đọc và báo cáo, không ghi.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả đọc từng dòng dạng JSON.")
@click.option("--agency", "agency_code", default=None, help="Cơ quan thực hiện mặc định (bảng phụ lục quyết định).")
@click.option("--level", type=click.Choice(["province", "district", "commune", "shared"]), default=None,
              help="Cấp thực hiện khi bảng không có dòng cấp.")
@click.option("--field", "field_name", default=None, help="Lĩnh vực cho các dòng mà bảng không ghi lĩnh vực.")
@click.option("--decision-number", default=None, help="Số quyết định công bố (khi tiêu đề bảng không ghi).")
@click.option("--decision-date", type=DATE, default=None, help="Ngày quyết định công bố.")
@click.option("--signer", default=None, help="Người ký (chức vụ, cơ quan), khi tiêu đề bảng không ghi.")
@click.option("--in-force-from", type=DATE, default=None, help="Ngày có hiệu lực (mặc định: ngày quyết định).")
@click.option("--draft", is_flag=True, help="Tạo bản nháp, chưa có hiệu lực.")
@click.option("--corrections", type=click.Path(exists=True, dir_okay=False), default=None,
              help='JSON {"dòng" hoặc "trang tính!dòng": {"time_unit": …, "time_amount": …} hoặc {"skip": "lý do"}}.')
def import_command(path, dry_run, as_json, agency_code, level, field_name, decision_number, decision_date, signer,
                   in_force_from, draft, corrections):
    """Import a decision's appendix table or a catalogue export (CSV, XLSX, JSON): every row or none."""
    from .imports import apply_import, plan_import

    started = time.perf_counter()
    options = {"agency_code": agency_code, "level": level, "field": field_name, "decision_number": decision_number,
               "decision_date": decision_date.date() if decision_date else None, "decision_signer": signer,
               "effective_from": in_force_from.date() if in_force_from else None, "draft": draft}
    fixes = json.loads(Path(corrections).read_text(encoding="utf-8")) if corrections else None
    begin_write()
    plan = plan_import(Path(path).name, Path(path).read_bytes(), options=options, corrections=fixes)
    if plan.ok and not dry_run:
        large = len(plan.rows) >= LARGE_IMPORT
        with Progress("Đang ghi danh mục", len(plan.rows), unit="dòng") if large else nullcontext() as progress:
            apply_import(plan, progress=progress)
            db.session.commit()
    else:
        db.session.rollback()
    if as_json:
        click.echo(json.dumps(plan.as_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(render_plan(plan))
    if not plan.ok and not dry_run:
        raise click.ClickException(f"Không nhập dòng nào: {plan.summary_text()}.")
    if not as_json:
        verb = "Đã nhập" if plan.applied else "Chạy thử"
        click.echo(f"{verb}: {plan.summary_text()} ({time.perf_counter() - started:.1f} giây).")


def render_plan(plan) -> str:
    """The plan as a table a person reads in a terminal: one line per row, its problems under it."""
    lines = []
    decision = plan.summary()["decision"]
    if plan.kind == "decision":
        lines.append(f"Tệp {plan.filename}: quyết định {decision['number'] or '?'} ngày {decision['date'] or '?'}"
                     f" ({decision['signer'] or 'người ký?'}); hiệu lực từ {plan.summary()['effective_from'] or '?'}.")
    lines.extend(f"! {message}" for message in plan.problems)
    lines.extend(f"* {message}" for message in plan.notes)
    header = f"{'Dòng':>5} {'Mã':<10} {'Tên thủ tục':<44} {'Lĩnh vực':<20} {'Cấp':<10} {'Thời hạn':<20} {'Phí':<14} Trạng thái"
    lines += [header, "-" * len(header)]
    for row in plan.rows:
        lines.append(f"{row.key:>5} {row.code or '?':<10} {_cut(row.name, 44):<44} {_cut(row.field, 20):<20} "
                     f"{_cut(label(row.level, 'level'), 10):<10} {_cut(time_label(row), 20):<20} "
                     f"{_cut(fee_label(row), 14):<14} {label(row.status, 'version_status')}"
                     f"{' — bỏ ra: ' + row.left_out if row.left_out else ''}")
        for problem in row.problems:
            lines.append(f"{'':>5}   ↳ cột «{problem.column}»: {problem.message}")
    later = {row.sheet_index: row.sheet for row in plan.rows if row.sheet_index}
    if later:  # rows of a later sheet are numbered "3.5": the sheet's place, then the row
        lines.extend(f"Dòng {index + 1}.…: trang tính «{title}»" for index, title in sorted(later.items()))
    if plan.ignored_columns:
        lines.append("Cột không dùng: " + ", ".join(plan.ignored_columns))
    return "\n".join(lines)


def time_label(row) -> str:
    if row.time_unit is None:
        return "" if row.status == "abolished" else "?"
    if row.time_unit == "same_day":
        return "trong ngày" + (f" (trước {row.same_day_cutoff:%H:%M})" if row.same_day_cutoff else "")
    return f"{row.time_amount} {label(row.time_unit, 'time_unit')}"


def fee_label(row) -> str:
    if row.status == "abolished":
        return ""
    if row.fee is None:
        return "chưa rõ" if row.clean else "?"
    return "không" if row.fee == 0 else f"{row.fee:,}".replace(",", ".") + " đ"


def _cut(text, size) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= size else text[:size - 1] + "…"


@procedures_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(path):
    """Export the catalogue; the format follows the extension (.csv, .xlsx, .json)."""
    from .transfer import all_current_versions, export_catalogue

    versions = all_current_versions()
    Path(path).write_bytes(export_catalogue(Path(path).suffix.lower().lstrip("."), versions))
    click.echo(f"Đã xuất {len(versions)} thủ tục ra {path}.")


@procedures_cli.command("verify")
@click.option("--fix", is_flag=True, help="Tính lại và lưu các giá trị lệch.")
def verify_command(fix):
    """Check each version's stored superseded_from against what the versions say (it is derived, never the truth)."""
    from .models import Procedure
    from .publishing import refresh_dates, stale_dates

    stale = stale_dates()
    for code, number, stored, derived in stale:
        click.echo(f"{code} phiên bản {number}: lưu {stored or '—'}, đúng ra {derived or '—'}")
    if not stale:
        click.echo("Mọi phiên bản khớp với các ngày hiệu lực.")
        return
    if fix:
        begin_write()
        for procedure in db.session.scalars(db.select(Procedure).where(Procedure.code.in_({row[0] for row in stale}))):
            refresh_dates(procedure)
        db.session.commit()
        click.echo(f"Đã sửa {len(stale)} phiên bản.")
    else:
        raise SystemExit(1)

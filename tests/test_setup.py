"""Set-up rough edges: `make run` takes PORT and the receipt's QR code follows it; the desk speaks English too."""
import subprocess
from pathlib import Path

import pypdfium2
import pytest
import sqlalchemy as sa
import zxingcpp

from tests import conftest
from tests.factories import make_procedure
from tests.test_reception_pages import desk_form

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(*args) -> str:
    """The commands `make run` would run, without running them."""
    return subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_make_run_serves_on_port_5000_unless_told_another():
    assert "run --host 127.0.0.1 --port 5000" in make_dry_run()
    assert "run --host 127.0.0.1 --port 5050" in make_dry_run("PORT=5050")


@pytest.fixture
def unset_base(tmp_path):
    """An app as `make run` builds it: no PUBLIC_BASE_URL in its settings."""
    app = conftest.make_app(tmp_path, PUBLIC_BASE_URL=None)
    with app.app_context():
        from onestop import demo
        from onestop.extensions import db

        agencies = demo.load_agencies()
        demo.load_users(agencies)
        db.session.commit()
        make_procedure(agency=agencies["000.00.04.H38"])
        yield app
        conftest.drop_everything()


def saved_code() -> str:
    from onestop.extensions import db
    from onestop.reception.models import Application

    return db.session.scalar(sa.select(Application.code))


def qr_texts(pdf_bytes: bytes) -> list[str]:
    image = pypdfium2.PdfDocument(pdf_bytes)[0].render(scale=2).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_without_a_public_base_url_the_qr_code_opens_where_the_desk_reached_the_app(unset_base):
    client = unset_base.test_client()
    base = "http://127.0.0.1:5050"
    client.post("/login", data={"username": "clerk", "password": "demo"}, base_url=base)
    client.post("/desk", data=desk_form(), base_url=base)
    code = saved_code()
    receipt = client.get(f"/applications/{code}/forms/receipt.pdf", base_url=base).data
    [url] = qr_texts(receipt)
    assert url.startswith(f"{base}/tra-cuu/{code}?k=")
    assert client.get(url.removeprefix(base), base_url=base).status_code == 200


def test_a_public_base_url_that_is_set_wins(unset_base):
    unset_base.config["PUBLIC_BASE_URL"] = "https://motcua.laocai.gov.vn/"
    client = unset_base.test_client()
    client.post("/login", data={"username": "clerk", "password": "demo"}, base_url="http://127.0.0.1:5050")
    client.post("/desk", data=desk_form(), base_url="http://127.0.0.1:5050")
    code = saved_code()
    [url] = qr_texts(client.get(f"/applications/{code}/forms/receipt.pdf", base_url="http://127.0.0.1:5050").data)
    assert url.startswith(f"https://motcua.laocai.gov.vn/tra-cuu/{code}?k=")


def test_in_english_the_desk_preview_and_script_words_are_english(client, auth, world):
    make_procedure(agency=world.agencies["000.00.04.H38"])
    make_procedure(code="1.000001", name="Cấp bản sao trích lục", unit="same_day", amount=0)
    auth.login("clerk")
    client.get("/lang/en?next=/desk")
    assert client.get("/desk/preview?procedure=1.001193").get_json()["time_text"] == "03 working days"
    assert client.get("/desk/preview?procedure=1.000001").get_json()["time_text"] == "Same day"
    page = client.get("/desk?procedure=1.001193").get_data(as_text=True)
    assert "Processing time: <b>03 working days</b>" in page
    assert ('"due_if_saved": "Due if saved now"' in page.replace("&#34;", '"')
            and '"not_found": "Procedure not found."' in page.replace("&#34;", '"'))
    client.get("/lang/vi?next=/desk")
    assert client.get("/desk/preview?procedure=1.001193").get_json()["time_text"] == "03 ngày làm việc"

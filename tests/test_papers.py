"""The electronic file at the counter (issue 16, parts 3, 4, 6 and 7): a clerk digitises a paper application, an
officer records its result with the scan, and the same applicant's next application reuses the stored ID paper;
the indicators count it, and every hostile upload is a 400 that leaves the other papers in place."""
from datetime import date, datetime
from io import BytesIO

import pytest

from onestop.extensions import db
from onestop.files.storage import EXTENSION_KEY, backend
from onestop.reception import keys, papers
from onestop.reception.paper_models import StoredPaper
from onestop.timeutil import VN, frozen_at
from onestop.tracking.supervision import indicators, recount, reports
from tests import paper_samples as samples
from tests.factories import applicant, event, make_procedure, receive
from tests.s3_server import s3_config, s3_endpoint  # noqa: F401  (fixtures)
from tests.test_api_reception import bearer

MONDAY = datetime(2026, 10, 5, 9, 0, tzinfo=VN)
TUESDAY = datetime(2026, 10, 6, 10, 0, tzinfo=VN)
THURSDAY = datetime(2026, 10, 8, 9, 30, tzinfo=VN)


@pytest.fixture
def procedures(world):
    agency = world.agencies["000.00.04.H38"]
    birth = make_procedure(agency=agency, documents=(("Tờ khai đăng ký khai sinh", "original", 1),
                                                     ("Căn cước của người đi đăng ký", "copy", 1)))
    marriage = make_procedure(code="1.000894", name="Đăng ký kết hôn", agency=agency,
                              documents=(("Tờ khai đăng ký kết hôn", "original", 1),
                                         ("Căn cước của người đi đăng ký", "copy", 1)))
    return birth, marriage


@pytest.fixture(params=["disk", "s3"])
def storage(request, app, tmp_path):
    """The same story with the papers on the disk and in an S3-compatible bucket (moto_server)."""
    config = request.getfixturevalue("s3_config") if request.param == "s3" else {"FILES_DIR": str(tmp_path / "f")}
    app.config.update(config)
    app.extensions.pop(EXTENSION_KEY, None)
    return request.param


def upload(*items):
    return {"file": [(BytesIO(data), name) for name, data in items]}


def api_papers(client, headers, code):
    return client.get(f"/api/v1/applications/{code}/papers", headers=headers).get_json()


def test_digitised_at_the_counter_result_attached_and_the_id_paper_reused(client, auth, world, procedures, storage):
    birth, marriage = procedures
    first = receive(world.users["clerk"], birth, MONDAY)
    code = first.code
    auth.login("clerk")
    with frozen_at(MONDAY.replace(minute=10)):
        page = client.get(f"/applications/{code}").get_data(as_text=True)
        assert "Chưa số hóa đủ" in page and 'class="dropzone"' in page
        done = client.post(f"/applications/{code}/papers/0", data=upload(("to-khai.pdf", samples.pdf(pages=2))),
                           content_type="multipart/form-data")
        assert done.status_code == 302
        # the ID card photographed on both sides: two photos become one PDF of two pages
        client.post(f"/applications/{code}/papers/1", content_type="multipart/form-data",
                    data=upload(("mat-truoc.jpg", samples.jpeg()), ("mat-sau.jpg", samples.jpeg(colour=(0, 90, 0)))))
    page = client.get(f"/applications/{code}").get_data(as_text=True)
    assert "Đã số hóa đủ" in page
    clerk = bearer(client, "clerk")
    listed = api_papers(client, clerk, code)
    assert listed["digitised"] is True and listed["papers_reused"] == 0
    assert [(p["component"], p["digitised"], p["reused"], [f["pages"] for f in p["files"]])
            for p in listed["papers"]] == [(0, True, False, [2]), (1, True, False, [2])]
    id_card = listed["papers"][1]
    assert client.get(id_card["download_url"].replace("http://localhost", ""), headers=clerk).mimetype == \
        "application/pdf"

    # the officer of the processing agency: result ready, with the result document and its scan
    event(first, world.users["clerk"], "transfer", MONDAY.replace(hour=10))
    auth.logout()
    auth.login("officer")
    with frozen_at(TUESDAY):
        page = client.get(f"/applications/{code}?action=result_ready").get_data(as_text=True)
        assert 'name="result_number"' in page and 'name="result_file"' in page
        ready = client.post(f"/applications/{code}/events/result_ready", content_type="multipart/form-data", data={
            "result_number": "125/2026/TLKS", "result_signed_on": "2026-10-06", "result_signer": "Nguyễn Văn Ký",
            "result_file": [(BytesIO(samples.pdf(text="Giấy khai sinh")), "giay-khai-sinh.pdf")]})
        assert ready.status_code == 302
    result = api_papers(client, bearer(client, "officer"), code)["result"]
    assert {key: result[key] for key in ("number", "signed_on", "signer", "digitised", "digitised_at")} == {
        "number": "125/2026/TLKS", "signed_on": "2026-10-06", "signer": "Nguyễn Văn Ký", "digitised": True,
        "digitised_at": "2026-10-06T10:00:00+07:00"}
    assert first.status == "result_ready"

    # the citizen downloads the result with the tracking key, and nothing without it
    result_file = papers.result_of(first).paper.files[0]
    public = f"/tra-cuu/{code}/giay-to/{result_file.id}"
    auth.logout()
    got = client.get(f"{public}?k={first.tracking_key}")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"] == (
        "attachment; filename=\"giay-khai-sinh.pdf\"; filename*=UTF-8''giay-khai-sinh.pdf")
    assert client.get(f"{public}?k=wrong").status_code == 404
    assert client.get(public).status_code == 404
    # the status page links it for the holder of the key (typed as printed, in groups), never by phone digits
    printed = keys.grouped(first.tracking_key)
    status_page = client.get(f"/tra-cuu/{code}?k={printed}").get_data(as_text=True)
    assert f'href="{public}?k={printed}">giay-khai-sinh.pdf</a>' in status_page
    assert client.get(f"{public}?k={printed}").status_code == 200
    by_phone = client.get(f"/tra-cuu/{code}?phone=5678").get_data(as_text=True)
    assert "Có kết quả" in by_phone and "giay-khai-sinh.pdf" not in by_phone

    # the same applicant comes back for another procedure: the desk offers the stored ID paper, one click reuses it
    second = receive(world.users["clerk"], marriage, THURSDAY)
    offers = papers.reusable_for(second.applicant_id_number, "Căn cước của người đi đăng ký")
    assert [paper.source_application_id for paper in offers] == [first.id]
    auth.login("clerk")
    with frozen_at(THURSDAY.replace(minute=40)):
        page = client.get(f"/applications/{second.code}").get_data(as_text=True)
        assert f'name="stored_paper" value="{offers[0].id}"' in page
        assert client.post(f"/applications/{second.code}/papers/1/reuse",
                           data={"stored_paper": str(offers[0].id)}).status_code == 302
    listed = api_papers(client, clerk, second.code)
    assert [(p["component"], p["digitised"], p["reused"]) for p in listed["papers"]] == [
        (0, False, False), (1, True, True)]
    assert listed["papers"][1]["sha256"] == id_card["sha256"]  # the same file, not scanned again
    assert listed["digitised"] is False  # the marriage form itself is not scanned yet

    # the indicators: one file digitised whole, one result digitised, one paper reused; the recount agrees
    response = client.get("/api/v1/indicators?agency=000.00.04.H38&from=2026-10-01&to=2026-10-31",
                          headers=bearer(client, "officer"))
    counted = response.get_json()["applications"]
    assert (counted["digitised"], counted["results_digitised"], counted["papers_reused"]) == (1, 1, 1)
    # Decision 766's digitisation group: the one result issued electronically (6 of 6), the one resolved file
    # digitised whole, papers and result (4 of 4), 1 of the 2 files received reused a paper (2 × (½ ÷ 0.8))
    index = client.get("/api/v1/index-766?agency=000.00.04.H38&from=2026-10-01&to=2026-10-31",
                       headers=bearer(client, "officer")).get_json()
    group = next(group for group in index["groups"] if group["code"] == "digitisation")
    assert [(i["code"], i["numerator"], i["denominator"], i["points"]) for i in group["indicators"]
            if i["measured"]] == [("results_electronic", 1, 1, 6.0), ("fully_digitised", 1, 1, 4.0),
                                  ("papers_reused", 1, 2, 1.25)]
    assert (group["points"], group["max"]) == (11.25, 12)
    assert recount.check() == []
    assert backend().name == storage and backend().has(id_card["sha256"])
    agency, ids = indicators.scope_of("000.00.04.H38")
    report = reports.cchc_report(agency, ids, date(2026, 10, 1), date(2026, 10, 31), moment=THURSDAY)
    table = next(table for table in report["tables"] if table["key"] == "digitisation")
    assert [table["total"][key] for key, _, _ in reports.DIGITISATION_COLUMNS] == [2, 1, 50.0, 1, 1, 100.0, 1]


def test_every_hostile_upload_is_a_400_in_vietnamese_and_the_other_papers_stay(client, world, procedures, storage):
    birth, _ = procedures
    application = receive(world.users["clerk"], birth, MONDAY)
    code, clerk = application.code, bearer(client, "clerk")
    kept = client.post(f"/api/v1/applications/{code}/papers", headers=clerk, content_type="multipart/form-data",
                       data={"component": "0", "file": (BytesIO(samples.pdf()), "to-khai.pdf")})
    assert kept.status_code == 201
    before = api_papers(client, clerk, code)["papers"]
    big = samples.pdf() + b"%" * (10 * 1024 * 1024)
    for name, data, message in [
        ("can-cuoc.pdf", "không phải PDF".encode(), "không phải PDF, JPEG hay PNG"),
        ("can-cuoc.pdf", b"", "rỗng"),
        ("can-cuoc.pdf", big, "quá lớn: tối đa 10 MB"),
        ("can-cuoc.pdf", samples.truncated_pdf(), "không đọc được như một tệp PDF"),
        ("can-cuoc.png", samples.png_bomb(), "quá lớn (30000 × 30000 điểm ảnh)"),
        ("../../x.pdf", samples.pdf(), "Tên tệp không hợp lệ"),
    ]:
        for component in ("0", "1"):
            refused = client.post(f"/api/v1/applications/{code}/papers", headers=clerk,
                                  content_type="multipart/form-data",
                                  data={"component": component, "file": (BytesIO(data), name)})
            assert refused.status_code == 400, name
            assert message in refused.get_json()["error"]
    assert api_papers(client, clerk, code)["papers"] == before
    assert db.session.query(StoredPaper).count() == 1


def test_a_refused_page_upload_keeps_the_papers_and_says_why(client, auth, world, procedures):
    birth, _ = procedures
    application = receive(world.users["clerk"], birth, MONDAY)
    auth.login("clerk")
    client.post(f"/applications/{application.code}/papers/0", content_type="multipart/form-data",
                data=upload(("to-khai.pdf", samples.pdf())))
    refused = client.post(f"/applications/{application.code}/papers/0", content_type="multipart/form-data",
                          data=upload(("to-khai.pdf", samples.pdf()), ("x.pdf", b"GIF89a")), follow_redirects=True)
    assert "không phải PDF, JPEG hay PNG" in refused.get_data(as_text=True)
    assert [len(item.paper.files) for item in papers.papers(application)] == [1]


def test_nobody_reuses_a_strangers_paper_or_reads_another_agencys(client, auth, world, procedures):
    birth, marriage = procedures
    mine = receive(world.users["clerk"], birth, MONDAY)
    with frozen_at(MONDAY):
        paper = papers.digitise(mine, 1, [samples_checked()], user=world.users["clerk"])
    db.session.commit()
    stranger = receive(world.users["clerk"], marriage, THURSDAY,
                       applicant=applicant(name="Trần Văn Khác", id_number="001099012345"))
    clerk = bearer(client, "clerk")
    refused = client.post(f"/api/v1/applications/{stranger.code}/papers", headers=clerk,
                          data={"component": "1", "reuse": str(paper.stored_paper_id)})
    assert refused.status_code == 400
    assert "Không có giấy tờ số" in refused.get_json()["error"]
    # the citizen's way: their own earlier application by code and key; a wrong key shows nothing
    assert [p.id for p in papers.papers_of_application(mine.code, mine.tracking_key)] == [paper.stored_paper_id]
    assert papers.papers_of_application(mine.code, "x" * 20) == []
    # another agency's clerk sees neither the papers nor the files
    other = bearer(client, "officer.nnmt")
    assert client.get(f"/api/v1/applications/{mine.code}/papers", headers=other).status_code == 404
    file_id = paper.paper.files[0].id
    auth.login("officer.nnmt")
    assert client.get(f"/applications/{mine.code}/files/{file_id}").status_code == 404
    auth.logout()
    auth.login("clerk")
    assert client.get(f"/applications/{mine.code}/files/{file_id}").status_code == 200
    assert client.get(f"/applications/{stranger.code}/files/{file_id}").status_code == 404  # not its paper
    auth.logout()
    # a file of another application is not reached through this one's key
    assert client.get(f"/tra-cuu/{stranger.code}/giay-to/{file_id}?k={stranger.tracking_key}").status_code == 404


def test_an_expired_paper_is_not_offered_and_cannot_be_reused(app, world, procedures):
    birth, marriage = procedures
    mine = receive(world.users["clerk"], birth, MONDAY)
    with frozen_at(MONDAY):
        linked = papers.digitise(mine, 1, [samples_checked()], user=world.users["clerk"])
        papers.describe(linked.paper, number="015190001234", issuer="Cục Cảnh sát QLHC về TTXH",
                        issued_on=date(2016, 10, 1), valid_until=date(2026, 10, 6))
    db.session.commit()
    later = receive(world.users["clerk"], marriage, THURSDAY)
    with frozen_at(THURSDAY):
        assert papers.reusable_for(later.applicant_id_number, "Căn cước của người đi đăng ký") == []
        with pytest.raises(papers.PaperError, match="hết hiệu lực"):
            papers.reuse(later, 1, linked.stored_paper_id, user=world.users["clerk"])


def test_a_procedure_without_a_result_paper_records_the_details_only(app, world, procedures):
    birth, _ = procedures
    birth.current.has_result_paper = False
    application = receive(world.users["clerk"], birth, MONDAY)
    with pytest.raises(papers.PaperError, match="khi hồ sơ đã có kết quả"):
        papers.record_result(application, number="1", signed_on=date(2026, 10, 6), signer="A",
                             user=world.users["officer"])
    event(application, world.users["clerk"], "transfer", MONDAY.replace(hour=10))
    event(application, world.users["officer"], "result_ready", TUESDAY)
    with pytest.raises(papers.PaperError, match="không có giấy tờ kết quả"):
        papers.record_result(application, number="1", signed_on=date(2026, 10, 6), signer="A",
                             checked_files=[samples_checked()], user=world.users["officer"])
    result = papers.record_result(application, number="1", signed_on=date(2026, 10, 6), signer="A",
                                  user=world.users["officer"])
    assert (result.number, result.paper, application.result_digitised_at) == ("1", None, None)


def samples_checked():
    from onestop import files

    return files.check_upload("can-cuoc.pdf", samples.pdf(text="Căn cước"))


def test_right_after_reception_the_desk_offers_to_digitise_and_comes_back(client, auth, world, procedures):
    birth, _ = procedures
    application = receive(world.users["clerk"], birth, MONDAY)
    auth.login("clerk")
    desk = client.get(f"/desk?received={application.code}").get_data(as_text=True)
    assert 'id="desk-papers"' in desk and 'name="back" value="desk"' in desk
    done = client.post(f"/applications/{application.code}/papers/0", content_type="multipart/form-data",
                       data={"back": "desk", **upload(("to-khai.pdf", samples.pdf()))})
    assert done.headers["Location"] == f"/desk?received={application.code}&papers=1#desk-papers"
    assert [item.position for item in papers.papers(application)] == [0]


def test_what_is_known_of_a_paper_is_kept_with_it_and_its_validity_decides_reuse(client, world, procedures):
    birth, marriage = procedures
    first = receive(world.users["clerk"], birth, MONDAY)
    clerk = bearer(client, "clerk")
    with frozen_at(MONDAY):
        sent = client.post(f"/api/v1/applications/{first.code}/papers", headers=clerk, data={
            "component": "1", "file": (BytesIO(samples.pdf()), "can-cuoc.pdf"), "number": "015190001234",
            "issuer": "Cục Cảnh sát QLHC về TTXH", "issued_on": "2021-04-10", "valid_until": "2026-10-07"})
    assert sent.status_code == 201
    paper = sent.get_json()["papers"][1]
    assert {key: paper[key] for key in ("number", "issuer", "issued_on", "valid_until")} == {
        "number": "015190001234", "issuer": "Cục Cảnh sát QLHC về TTXH", "issued_on": "2021-04-10",
        "valid_until": "2026-10-07"}
    with frozen_at(TUESDAY):  # still valid
        assert len(papers.reusable_for(first.applicant_id_number, "Căn cước của người đi đăng ký")) == 1
    with frozen_at(THURSDAY):  # expired on Wednesday evening
        assert papers.reusable_for(first.applicant_id_number, "Căn cước của người đi đăng ký") == []
    bad = client.post(f"/api/v1/applications/{first.code}/papers", headers=clerk, data={
        "component": "0", "file": (BytesIO(samples.pdf()), "to-khai.pdf"), "issued_on": "10/04/2021"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_json()["error"]
    assert [item.position for item in papers.papers(first)] == [1]


def test_an_administrator_marks_a_procedure_as_having_no_result_paper(client, auth, world, procedures):
    from onestop.procedures import services as catalogue

    birth, _ = procedures
    data = catalogue.procedure_to_dict(birth.current)
    assert data["has_result_paper"] is True
    # an import that does not name the column keeps the default; the form's unticked box says no
    assert catalogue.validate({k: v for k, v in data.items() if k != "has_result_paper"})["has_result_paper"] is True
    with frozen_at(MONDAY):
        version = catalogue.update_procedure(birth, {**data, "has_result_paper": False}, world.users["admin"])
    db.session.commit()
    assert (version.number, version.has_result_paper) == (2, False)
    application = receive(world.users["clerk"], birth, TUESDAY)
    event(application, world.users["clerk"], "transfer", TUESDAY.replace(hour=11))
    auth.login("officer")
    page = client.get(f"/applications/{application.code}?action=result_ready").get_data(as_text=True)
    assert 'name="result_number"' in page and 'name="result_file"' not in page
    assert "Thủ tục này không có giấy tờ kết quả." in page

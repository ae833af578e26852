"""Long commands say how far they are (issue 21, 7): a bar with counts and an estimate on a terminal, plain lines
now and then in a log; on stderr, so what a command prints on stdout stays its answer."""
import io
from datetime import datetime

from onestop.progress import Progress, duration
from onestop.timeutil import VN
from tests.factories import make_procedure, receive


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_in_a_log_it_writes_a_plain_line_every_ten_seconds_with_counts_and_the_time_left():
    log, clock = io.StringIO(), Clock()
    with Progress("Đang kiểm tra hồ sơ", 1_000_000, stream=log, clock=clock, unit="hồ sơ") as progress:
        for _ in range(40):  # 40 batches of 5,000, one every 1.5 s: a line at 10.5 s, 21 s, 31.5 s, 42 s, 52.5 s
            clock.now += 1.5
            progress.advance(5000)
        clock.now += 0.5
    assert log.getvalue().splitlines() == [
        "Đang kiểm tra hồ sơ: bắt đầu, 1.000.000 hồ sơ.",
        "Đang kiểm tra hồ sơ: 35.000/1.000.000 hồ sơ (4%), còn khoảng 4 phút 50 giây",
        "Đang kiểm tra hồ sơ: 70.000/1.000.000 hồ sơ (7%), còn khoảng 4 phút 39 giây",
        "Đang kiểm tra hồ sơ: 105.000/1.000.000 hồ sơ (10%), còn khoảng 4 phút 29 giây",
        "Đang kiểm tra hồ sơ: 140.000/1.000.000 hồ sơ (14%), còn khoảng 4 phút 18 giây",
        "Đang kiểm tra hồ sơ: 175.000/1.000.000 hồ sơ (18%), còn khoảng 4 phút 08 giây",
        "Đang kiểm tra hồ sơ: 200.000/1.000.000 hồ sơ (20%), xong trong 1 phút 01 giây.",
    ]
    assert "\r" not in log.getvalue()


def test_on_a_terminal_it_redraws_one_line_with_a_bar_and_ends_it_with_the_time_taken():
    screen, clock = Terminal(), Clock()
    with Progress("Đang tạo hồ sơ", 200, stream=screen, clock=clock, unit="hồ sơ") as progress:
        clock.now += 2
        progress.advance(50, note="tháng 1/2024")
        clock.now += 6
        progress.advance(150)
    drawn = screen.getvalue().split("\r")[1:]
    assert [line.rstrip() for line in drawn] == [
        "Đang tạo hồ sơ [........................] 0/200 hồ sơ (0%)",
        "Đang tạo hồ sơ [######..................] 50/200 hồ sơ (25%), còn khoảng 6 giây · tháng 1/2024",
        "Đang tạo hồ sơ [########################] 200/200 hồ sơ (100%) · tháng 1/2024",
        "Đang tạo hồ sơ [########################] 200/200 hồ sơ (100%), 8 giây",
    ]
    assert screen.getvalue().endswith("\n") and screen.getvalue().count("\n") == 1  # one line, redrawn


def test_a_shorter_line_blanks_what_the_longer_one_before_it_left():
    screen, clock = Terminal(), Clock()
    with Progress("Đếm", None, stream=screen, clock=clock) as progress:
        clock.now += 1
        progress.advance(5, note="một bước có tên rất dài")
        clock.now += 1
        progress.advance(1, note="")
    longer, shorter = screen.getvalue().split("\r")[2:4]
    assert len(shorter) == len(longer) and shorter.rstrip() == "Đếm 6"


def test_a_command_that_fails_says_when_it_stopped():
    log, clock = io.StringIO(), Clock()
    try:
        with Progress("Đang ghi danh mục", 10, stream=log, clock=clock, unit="dòng") as progress:
            progress.advance(3)
            clock.now += 75
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert log.getvalue().splitlines()[-1] == "Đang ghi danh mục: 3/10 dòng (30%), dừng sau 1 phút 15 giây."


def test_durations_read_as_people_say_them():
    assert [duration(s) for s in (0.4, 59, 60, 206, 3599, 3600, 7385)] == [
        "0 giây", "59 giây", "1 phút 00 giây", "3 phút 26 giây", "59 phút 59 giây", "1 giờ 00 phút", "2 giờ 03 phút"]


def test_applications_verify_shows_its_progress_on_stderr_and_its_answer_on_stdout(world, runner):
    procedure = make_procedure(agency=world.agencies["000.00.04.H38"])
    for day in (5, 6, 7):
        receive(world.users["clerk"], procedure, datetime(2026, 10, day, 9, 0, tzinfo=VN))
    result = runner.invoke(args=["applications", "verify"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Mọi hồ sơ khớp với sự kiện và lịch làm việc.\n"
    lines = result.stderr.splitlines()
    assert lines[0] == "Đang kiểm tra hồ sơ: bắt đầu, 3 hồ sơ."
    assert lines[-1].startswith("Đang kiểm tra hồ sơ: 3/3 hồ sơ (100%), xong trong ")


def test_indicators_rebuild_and_check_count_their_steps(world, runner):
    rebuilt = runner.invoke(args=["indicators", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert rebuilt.stderr.splitlines()[0] == "Đang đếm lại số liệu tổng hợp: bắt đầu, 8 bước."
    assert rebuilt.stderr.splitlines()[-1].startswith("Đang đếm lại số liệu tổng hợp: 8/8 bước (100%), xong trong")
    checked = runner.invoke(args=["indicators", "check"])
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.splitlines()[-1].startswith("Đang đếm lại để so sánh: 7/7 bước (100%), xong trong")
    assert checked.stdout == "Số liệu tổng hợp khớp với việc đếm lại toàn bộ.\n"


def test_a_large_import_shows_its_rows_being_written(world, runner, tmp_path, monkeypatch):
    from onestop.procedures import cli

    monkeypatch.setattr(cli, "LARGE_IMPORT", 2)  # as large as a real one, for this test
    path = tmp_path / "danh-muc.csv"
    path.write_text("code,name,field,agency_code,level,time_amount,time_unit,fee,documents\n"
                    "1.900001,Thủ tục mẫu một,Hộ tịch,000.00.04.H38,province,3,working_days,0,Tờ khai | original | 1\n"
                    "1.900002,Thủ tục mẫu hai,Hộ tịch,000.00.04.H38,province,5,working_days,0,Tờ khai | original | 1\n",
                    encoding="utf-8")
    result = runner.invoke(args=["procedures", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "Đang ghi danh mục: bắt đầu, 2 dòng."
    assert result.stderr.splitlines()[-1].startswith("Đang ghi danh mục: 2/2 dòng (100%), xong trong")
    assert "Đã nhập" in result.stdout

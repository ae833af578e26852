"""Progress of a long command (demo --scale, applications verify, indicators rebuild and check, a large import),
written to stderr so that what a command prints on stdout stays its answer.

On a terminal: one line redrawn in place, a bar with the count done, the total and an estimate of the time left.
Otherwise (a log, a pipe, cron): a plain line now and then (every `every` seconds, at most) and one at the end, so
a log shows the command alive without a line per row. Knows no feature: callers say what they count.
"""
import sys
import time

BAR = 24
REDRAW = 0.1  # seconds between two redraws of the terminal's line


def duration(seconds: float) -> str:
    """'45 giây', '3 phút 20 giây', '1 giờ 05 phút'."""
    seconds = max(0, int(seconds + 0.5))  # half a second up, as people round
    if seconds < 60:
        return f"{seconds} giây"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} phút {seconds:02d} giây"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} giờ {minutes:02d} phút"


def number(value: int) -> str:
    """1.000.000, as Vietnamese writes thousands."""
    return f"{value:,}".replace(",", ".")


class Progress:
    """`with Progress("Đang kiểm tra hồ sơ", total) as progress: … progress.advance(n) …`.

    `total` may be None (not known ahead): the count is shown without a bar or an estimate. `note` says what is
    being done now (a step's name). `clock` and `stream` are the test's to replace.
    """

    def __init__(self, label: str, total: int | None, *, stream=None, every: float = 10.0, clock=time.monotonic,
                 unit: str = ""):
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.every, self.clock = every, clock
        self.done, self.note = 0, ""
        self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = self.shown = self.clock()
        self.width = 0  # of the terminal line last drawn, to blank what a shorter one leaves

    def __enter__(self):
        if not self.terminal:
            self._line(f"{self.label}: bắt đầu" + (f", {number(self.total)}{self._unit()}" if self.total else "") + ".")
        else:
            self._draw()
        return self

    def __exit__(self, kind, error, trace):
        self.finish(failed=kind is not None)
        return False

    def advance(self, count: int = 1, note: str | None = None) -> None:
        self.done += count
        if note is not None:
            self.note = note
        moment = self.clock()
        if self.terminal and moment - self.shown >= REDRAW:
            self._draw()
            self.shown = moment
        elif not self.terminal and moment - self.shown >= self.every:
            self._line(f"{self.label}: {self._counts()}{self._left(moment)}" + (f" ({self.note})" if self.note else ""))
            self.shown = moment

    def finish(self, failed: bool = False) -> None:
        took = duration(self.clock() - self.started)
        end = f"dừng sau {took}" if failed else f"xong trong {took}"
        if self.terminal:
            self._draw(final=True)
            self.stream.write("\n")
            self.stream.flush()
            if failed:
                self._line(f"{self.label}: {end}.")
        else:
            self._line(f"{self.label}: {self._counts()}, {end}.")

    # ------------------------------------------------------------ drawing

    def _unit(self) -> str:
        return f" {self.unit}" if self.unit else ""

    def _counts(self) -> str:
        if not self.total:
            return f"{number(self.done)}{self._unit()}"
        share = min(self.done / self.total, 1.0)
        return f"{number(self.done)}/{number(self.total)}{self._unit()} ({share:.0%})"

    def _left(self, moment: float) -> str:
        """', còn khoảng 3 phút 20 giây' from the pace so far; nothing before there is a pace to go by."""
        elapsed = moment - self.started
        if not self.total or self.done <= 0 or elapsed < 1 or self.done >= self.total:
            return ""
        return f", còn khoảng {duration(elapsed * (self.total - self.done) / self.done)}"

    def _draw(self, final: bool = False) -> None:
        moment = self.clock()
        bar = ""
        if self.total:
            filled = round(BAR * min(self.done / self.total, 1.0))
            bar = f"[{'#' * filled}{'.' * (BAR - filled)}] "
        tail = f", {duration(moment - self.started)}" if final else self._left(moment)
        text = f"{self.label} {bar}{self._counts()}{tail}" + (f" · {self.note}" if self.note and not final else "")
        self.stream.write("\r" + text + " " * max(0, self.width - len(text)))
        self.stream.flush()
        self.width = len(text)

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


def counted(items, progress: "Progress | None"):
    """The items, each advancing `progress` once it has been handled (None: the items alone)."""
    if progress is None:
        yield from items
        return
    for item in items:
        yield item
        progress.advance()

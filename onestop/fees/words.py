"""An amount of đồng in Vietnamese words, as a receipt writes it under the figures ("Năm mươi nghìn đồng").

The usual accounting style: groups of three digits named tỷ, triệu, nghìn; a group after the first is read with
its hundreds ("một triệu không trăm linh năm nghìn"); "linh" for a zero ten before a unit; "mốt" for 1 and "lăm"
for 5 after a ten, "tư" for 4 after a ten above one ("ba mươi tư", but "mười bốn"). Pure: no database, no Flask.
"""
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu", "tỷ")


def _three(number: int, full: bool) -> list[str]:
    """The words of 0 < number < 1000; `full` reads a missing hundreds as "không trăm" (a group after the first)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return words


def number_words(number: int) -> str:
    """A whole number ≥ 0 in words, lower case: 1234567 → "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"."""
    if number < 0:
        raise ValueError("a negative amount has no words on a receipt")
    if number == 0:
        return DIGITS[0]
    words: list[str] = []
    billions, rest = divmod(number, 1_000_000_000)
    if billions:
        words += number_words(billions).split() + ["tỷ"]
    groups = [(rest // 1_000_000, "triệu"), (rest // 1000 % 1000, "nghìn"), (rest % 1000, "")]
    for value, name in groups:
        if value == 0:
            continue
        words += _three(value, full=bool(words))
        if name:
            words.append(name)
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """'Năm mươi nghìn đồng': the first letter capital, as written on a receipt."""
    text = f"{number_words(amount)} đồng"
    return text[0].upper() + text[1:]

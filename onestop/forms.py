"""Form helpers shared by every package."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.fields.choices import SelectChoice

from .text import nfc

# WTForms' own messages, which it has no Vietnamese catalogue for (English through ours).
BUILTIN_MESSAGES = {
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "Choices cannot be None.": _l("Lựa chọn không hợp lệ."),
    "This field is required.": _l("Trường này là bắt buộc."),
    "Not a valid integer value.": _l("Phải là số nguyên."),
    "Not a valid decimal value.": _l("Phải là số."),
    "Not a valid float value.": _l("Phải là số."),
    "Not a valid date value.": _l("Ngày không hợp lệ."),
    "Not a valid datetime value.": _l("Thời điểm không hợp lệ."),
    "Not a valid time value.": _l("Giờ không hợp lệ."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
}


class VietnameseMessages:
    """A WTForms translations object: its built-in messages in the page's language."""

    def gettext(self, string):
        return str(BUILTIN_MESSAGES.get(string, string))

    def ngettext(self, singular, plural, n):
        if "not a valid choice" in singular:
            return str(_l("Lựa chọn không hợp lệ."))
        return self.gettext(singular if n == 1 else plural)


class NFCForm:
    """Mixin: every string field's data is normalised to NFC (and stripped, except passwords); WTForms' own
    messages in Vietnamese."""

    class Meta:
        def get_translations(self, form):
            return VietnameseMessages()

        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            keep_spaces = issubclass(unbound_field.field_class, PasswordField)
            filters.append(nfc if keep_spaces else _nfc_strip)
            return unbound_field.bind(form=form, filters=filters, **options)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as a select field's choices (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def _nfc_strip(value):
    if isinstance(value, str):
        return nfc(value).strip()
    return value

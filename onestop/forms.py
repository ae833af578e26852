"""Form helpers shared by every package."""
from wtforms import PasswordField
from wtforms.fields.choices import SelectChoice

from .text import nfc


class NFCForm:
    """Mixin: every string field's data is normalised to NFC (and stripped, except passwords)."""

    class Meta:
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

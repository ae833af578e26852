"""Form helpers shared by every package."""
from wtforms import PasswordField

from .text import nfc


class NFCForm:
    """Mixin: every string field's data is normalised to NFC (and stripped, except passwords)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            keep_spaces = issubclass(unbound_field.field_class, PasswordField)
            filters.append(nfc if keep_spaces else _nfc_strip)
            return unbound_field.bind(form=form, filters=filters, **options)


def _nfc_strip(value):
    if isinstance(value, str):
        return nfc(value).strip()
    return value

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from registry.forms import Form


class UploadForm(Form):
    file = FileField(
        _l("CSV-fil med udpegninger"),
        description=_l("Samme kolonner som eksporten. Semikolon eller komma, UTF-8 eller Windows-1252 (Excel)."),
        validators=[FileRequired(_l("Vælg en fil."))],
    )


class ConfirmForm(Form):
    """Names the file kept since the preview (exchange/services.py), and the SHA-256 the preview was made
    from; the file is checked again in full on confirm."""

    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    sha256 = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])

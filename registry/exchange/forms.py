from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Length, Optional

from registry.forms import DanishDateField, Form


class UploadForm(Form):
    file = FileField(
        _l("CSV-fil med udpegninger"),
        description=_l("Samme kolonner som eksporten. Semikolon eller komma, UTF-8 eller Windows-1252 (Excel)."),
        validators=[FileRequired(_l("Vælg en fil."))],
    )
    since = DanishDateField(
        _l("Filens dato"), validators=[Optional()],
        description=_l("Den dag, filen blev hentet fra registret. Linjer, der ændrer udpegninger, som registret har "
                       "ændret siden, vises som advarsler. Tom: datoen i filnavnet, fx udpegninger-2026-12-01.csv."))


class ConfirmForm(Form):
    """Names the file kept since the preview (exchange/services.py), and the SHA-256 the preview was made
    from; the file is checked again in full on confirm."""

    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    sha256 = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    # The file's date the preview checked against (YYYY-MM-DD, empty: none known), and the warnings it showed
    # (csv_import_stale.digest): the tick accepts those, not others.
    since = HiddenField(validators=[Optional(), Length(max=10)])
    stale = HiddenField(validators=[Optional(), Length(max=16)])
    accept_stale = BooleanField(_l("Importér også de linjer, der har advarsler"))

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV-fil med udpegninger"),
        description=_l("Samme kolonner som eksporten. Semikolon eller komma, UTF-8 eller Windows-1252 (Excel)."),
        validators=[FileRequired(_l("Vælg en fil."))],
    )


class ConfirmForm(FlaskForm):
    """Carries the checked file back for the import itself.

    The app keeps no state between requests (several workers, several hosts),
    so the file travels in the form; it is checked again in full on confirm.
    """

    content = HiddenField(validators=[DataRequired()])
    filename = StringField()

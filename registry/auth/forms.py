from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from registry.forms import Form


class LoginForm(Form):
    username = StringField(_l("Brugernavn"), validators=[DataRequired(_l("Skriv dit brugernavn.")), Length(max=80)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Adgangskode"), validators=[DataRequired(_l("Skriv din adgangskode.")),
                                                            Length(max=128)],
                             render_kw={"autocomplete": "current-password"})

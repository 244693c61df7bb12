from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("Brugernavn", validators=[DataRequired("Skriv dit brugernavn."), Length(max=80)])
    password = PasswordField("Adgangskode", validators=[DataRequired("Skriv din adgangskode."), Length(max=200)])

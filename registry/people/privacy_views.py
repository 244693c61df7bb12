"""The secretariat's GDPR pages on the people blueprint: anonymise a person, and answer an access request.

Both are for the secretariat only; what they show is private.
"""

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from registry.auth.permissions import SECRETARIAT, role_required
from registry.errors import Conflict, RuleViolation
from registry.extensions import db
from registry.forms import VersionField
from registry.http import commit
from registry.people import privacy
from registry.people.models import Person
from registry.people.views import bp, conflict_message


class AnonymiseForm(FlaskForm):
    version = VersionField()


class AccessRequestForm(FlaskForm):
    """No fields: the button that hands out the file (a POST, as it writes an audit entry)."""


@bp.route("/personer/<int:person_id>/anonymiser", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def anonymise(person_id: int):
    person = db.get_or_404(Person, person_id)
    assessment = privacy.assess(person)
    form = AnonymiseForm(version=person.version)
    status = 200
    if form.validate_on_submit():
        if form.version.data != person.version:
            flash(conflict_message(), "error")
            return redirect(url_for("people.anonymise", person_id=person.id))
        try:
            commit(lambda: privacy.anonymise(person))
        except RuleViolation as refused:
            form.form_errors.append(str(refused))
            status = 422
        except Conflict:
            flash(conflict_message(), "error")
            return redirect(url_for("people.anonymise", person_id=person.id))
        else:
            flash(_("Personen er anonymiseret. Pladsernes historik viser nu \"%(name)s\".",
                    name=privacy.ANONYMOUS_NAME), "success")
            return redirect(url_for("people.detail", person_id=person.id))
    return render_template("people/anonymise.html", form=form, person=person, assessment=assessment,
                           retention_days=privacy.retention_days(), anonymous_name=privacy.ANONYMOUS_NAME), status


@bp.route("/personer/<int:person_id>/indsigt", methods=["GET", "POST"])
@role_required(*SECRETARIAT)
def access_request(person_id: int):
    """GET: what the file holds. POST: the file (JSON), its handing out audited."""
    person = db.get_or_404(Person, person_id)
    form = AccessRequestForm()
    if form.validate_on_submit():
        report = commit(lambda: privacy.export_personal_data(person))
        body = json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")
        return Response(body, content_type="application/json; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="indsigt-person-{person.id}.json"',
            "Cache-Control": "no-store",
        })
    return render_template("people/access.html", form=form, person=person, report=privacy.access_report(person))

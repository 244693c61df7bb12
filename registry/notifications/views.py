"""The outbox (udbakke): every message to the party groups, sent or waiting, for the secretariat only,
since the recipients' addresses are private. (`flask notifications send-mail` sends them from cron.)"""

from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from registry.auth.permissions import SECRETARIAT, role_required
from registry.dates import COPENHAGEN, local_date
from registry.extensions import db
from registry.http import page_param
from registry.notifications import services
from registry.notifications.models import Message
from registry.paging import numbered

bp = Blueprint("notifications", __name__)

PER_PAGE = 25


def local_time(moment: datetime) -> str:
    """A stored UTC time as Danes read it: 27.11.2026 07:05."""
    here = moment.replace(tzinfo=timezone.utc).astimezone(COPENHAGEN)
    return f"{local_date(here.date())} {here:%H:%M}"


@bp.get("/udbakke")
@role_required(*SECRETARIAT)
def outbox():
    messages = numbered(sa.select(Message).order_by(Message.created_at.desc(), Message.id.desc()),
                        page_param(), PER_PAGE)
    unsent = db.session.scalar(sa.select(sa.func.count()).where(Message.sent_at.is_(None)))
    return render_template("notifications/outbox.html", messages=messages, unsent=unsent,
                           configured=services.mail_configured(), max_attempts=services.MAX_ATTEMPTS,
                           local_time=local_time)


@bp.post("/udbakke/send")
@role_required(*SECRETARIAT)
def send():
    if not services.mail_configured():
        flash(_("Registret er ikke sat op til at sende e-mail, så beskederne bliver her i udbakken."), "warning")
        return redirect(url_for(".outbox"))
    try:
        sent = services.deliver()
    except services.MailServerUnavailable as error:
        flash(_("Mailserveren kunne ikke nås, så beskederne venter i udbakken: %(reason)s", reason=str(error)),
              "error")
        sent = error.sent
    if sent:
        flash(ngettext("%(num)d besked er sendt.", "%(num)d beskeder er sendt.", sent), "success")
    else:
        flash(_("Ingen beskeder blev sendt."))
    return redirect(url_for(".outbox"))

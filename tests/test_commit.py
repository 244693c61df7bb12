"""The one commit per request (registry.http.commit): which database refusals read as a colleague's change.

A unique constraint or the one-holder rule that fires at the commit guards what a service had checked: a
colleague committed in between, and the user is told so. Any other refusal is a programming error and must
surface as one, not as "someone else saved this meanwhile".
"""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from registry.appointments.models import Appointment, Role
from registry.errors import Conflict
from registry.extensions import db
from registry.http import commit, violated_constraint
from registry.organisations.models import Organisation, Seat
from tests import factories as make

# Both databases: each database's constraint errors.
pytestmark = pytest.mark.both_databases


def a_colleagues_row(statement: sa.Insert) -> None:
    """Commit a row from another connection, as a colleague's request would."""
    with db.engine.begin() as connection:
        connection.execute(statement)


def test_a_name_taken_meanwhile_is_a_conflict(app):
    a_colleagues_row(sa.insert(Organisation).values(name="Movia", sort_name="movia", search_name="movia",
                                                    appointing_authority="KKR Hovedstaden", version=1))

    def create_the_same():
        db.session.add(Organisation(name="Movia", appointing_authority="KKR Hovedstaden"))
        db.session.flush()

    with pytest.raises(Conflict):
        commit(create_the_same)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_a_seat_filled_meanwhile_is_a_conflict(app):
    seat = make.seat()
    first, second = make.person("Første"), make.person("Anden")
    db.session.commit()
    a_colleagues_row(sa.insert(Appointment).values(seat_id=seat.id, person_id=first.id, role="member",
                                                   start_date=date(2024, 1, 1), status="appointed", version=1))

    # The service's own check ran before the colleague's commit; the database is the backstop.
    def seat_without_checking():
        db.session.add(Appointment(seat_id=seat.id, person_id=second.id, role=Role.member,
                                   start_date=date(2024, 2, 1)))
        db.session.flush()

    with pytest.raises(Conflict):
        commit(seat_without_checking)


def test_any_other_refusal_is_raised_as_the_error_it_is(app):
    organisation = make.organisation()
    db.session.commit()

    def break_a_check():
        db.session.add(Seat(organisation_id=organisation.id, label="Plads 9", start_date=date(2024, 2, 1),
                            end_date=date(2024, 1, 1)))
        db.session.flush()

    with pytest.raises(IntegrityError) as refused:
        commit(break_a_check)

    assert violated_constraint(refused.value) == "ck_seats_ends_after_start"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Seat)) == 0

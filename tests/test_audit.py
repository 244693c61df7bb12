"""Every change writes an audit entry in the same transaction; the trail is append-only."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from registry.audit.models import AuditEntry
from registry.audit.services import Actor, acting_as
from registry.extensions import db
from tests import factories as make

# Both databases: the append-only trail is a trigger.
pytestmark = pytest.mark.both_databases


def entries(entity: str | None = None) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    return db.session.scalars(stmt).all()


def test_create_update_delete_are_recorded_with_who_and_what(app):
    with acting_as(Actor("haan", 7, "10.0.0.1")):
        person = make.person("Lotte Kofoed", email="lotte@example.dk")
        db.session.commit()
        person.name = "Lotte Kofoed Hansen"
        person.email = "ny@example.dk"
        db.session.commit()
        db.session.delete(person)
        db.session.commit()
    created, updated, deleted = entries("persons")
    assert (created.action, created.actor, created.user_id, created.remote_addr) == ("create", "haan", 7, "10.0.0.1")
    assert created.changes["name"] == "Lotte Kofoed"
    assert updated.action == "update"
    assert updated.changes["name"] == ["Lotte Kofoed", "Lotte Kofoed Hansen"]
    assert deleted.action == "delete"
    assert deleted.entity_id == created.entity_id


def test_private_fields_are_masked_in_the_trail(app):
    make.person("Lotte Kofoed", email="lotte@example.dk", phone="12345678")
    db.session.commit()
    (created,) = entries("persons")
    assert created.changes["email"] == "***"
    assert created.changes["phone"] == "***"
    assert "lotte@example.dk" not in str(created.changes)


def test_a_rolled_back_change_leaves_no_entry(app):
    make.person("Fortrudt")
    db.session.flush()
    db.session.rollback()
    assert entries() == []


def test_appointment_through_the_service_is_audited(app):
    appointment = make.appoint(make.seat(), make.person(), date(2024, 1, 1))
    db.session.commit()
    (entry,) = entries("appointments")
    assert entry.entity_id == appointment.id
    assert entry.changes["start_date"] == "2024-01-01"


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET actor = 'x'", "DELETE FROM audit_entries"])
def test_the_database_refuses_to_change_or_delete_entries(app, statement):
    make.person()
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert len(entries()) == 2  # party, person (every database has the municipalities)


def test_postgresql_refuses_to_truncate_the_trail(app, dialect):
    if dialect != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE FROM runs the row triggers above")
    make.person()
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE audit_entries"))
    db.session.rollback()
    assert len(entries()) == 2


def test_update_of_an_expired_enum_keeps_the_old_value(app):
    from registry.organisations.models import GenderRule

    org = make.organisation("Movia")
    db.session.commit()
    org.gender_rule = GenderRule.section_10a
    db.session.commit()
    assert entries("organisations")[-1].changes["gender_rule"] == ["none", "section_10a"]

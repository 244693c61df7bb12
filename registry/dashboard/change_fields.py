"""What an update changed, in words: "Gitte ændrede noten til udpegningen af …", "Gitte flyttede startdatoen for
Plads 2 i SOSU H fra 01.01.2026 til 01.02.2026", "Gitte ændrede partiet og hvervet for Hans Eksempel".

Only from the entry itself and the row the page has read already: no query of its own. A note's text is never
quoted, and a private column (info={"private": True}: gender, e-mail, telephone) is named to the secretariat
only; the trail keeps no value of one anyway (audit/services.py masks it).
"""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from registry.audit.models import AuditEntry
from registry.dashboard.change_words import day, sentence
from registry.extensions import db

_START, _END, _NOTE, _PARTY, _NAME = _l("startdatoen"), _l("slutdatoen"), _l("noten"), _l("partiet"), _l("navnet")
_OFFICE, _AUTHORITY, _TERM = _l("hvervet"), _l("den udpegende myndighed"), _l("funktionsperioden")

# The columns the secretariat changes by hand, by table, named as a sentence names them; in this order when
# several changed at once. Other columns (sort keys, versions, status) are the registry's own bookkeeping or
# have sentences of their own.
FIELDS = {
    "appointments": {
        "start_date": _START, "end_date": _END, "end_reason": _l("årsagen til ophøret"), "party_id": _PARTY,
        "office": _OFFICE, "office_title": _OFFICE, "office_chosen_by": _OFFICE,
        "office_start": _l("perioden for hvervet"), "office_end": _l("perioden for hvervet"),
        "decision_id": _l("henvisningen til KKR's beslutning"), "note": _NOTE,
    },
    "seats": {
        "label": _NAME, "position": _l("rækkefølgen"), "kind": _l("pladstypen"), "ex_officio": _l("embedet"),
        "has_substitute": _l("den personlige suppleant"), "filled_by": _l("hvem der besætter pladsen"),
        "appointing_authority": _AUTHORITY, "authority_is_external": _AUTHORITY,
        "nominated_by": _l("hvem der indstiller"), "start_date": _START, "end_date": _END, "note": _NOTE,
    },
    "organisations": {
        "name": _NAME, "short_name": _l("det korte navn"), "kind": _l("typen"),
        "legal_basis": _l("lovgrundlaget"), "appointing_authority": _AUTHORITY, "authority_is_external": _AUTHORITY,
        "gender_rule": _l("ligestillingsreglen"), "follows_election_period": _TERM, "term_years": _TERM,
        "term_start": _TERM, "max_terms": _l("det højeste antal perioder i træk"), "warning_days": _l("varslet"),
        "start_date": _START, "end_date": _END, "successor_id": _l("efterfølgeren"), "note": _NOTE,
    },
    "persons": {
        "name": _NAME, "municipality_id": _l("kommunen"), "party_id": _PARTY, "office": _OFFICE,
        "gender": _l("kønnet"), "email": _l("e-mailadressen"), "phone": _l("telefonnummeret"),
    },
}
DATES = {"start_date", "end_date"}


def _private(table: str, column: str) -> bool:
    found = db.metadata.tables.get(table)
    return found is not None and column in found.columns and bool(found.columns[column].info.get("private"))


def _joined(nouns: list[str]) -> str:
    """"noten, startdatoen og slutdatoen"."""
    if len(nouns) == 1:
        return nouns[0]
    return gettext("%(first)s og %(last)s", first=", ".join(nouns[:-1]), last=nouns[-1])


def changed_fields(entry: AuditEntry) -> list[str]:
    """The columns of FIELDS an update changed, in FIELDS' order (a name's sort keys left out)."""
    changes = entry.changes if entry.action == "update" and isinstance(entry.changes, dict) else {}
    return [column for column in FIELDS.get(entry.entity or "", {}) if column in changes]


def updated(entry: AuditEntry, who: str, subject: Markup, *, private: bool) -> Markup | None:
    """The sentence for an update of the subject ("udpegningen af …", "Plads 2 i SOSU H (…)", a person's name);
    None where the entry changed nothing FIELDS names, or nothing the viewer may be told about."""
    columns = changed_fields(entry)
    changes, fields = entry.changes, FIELDS.get(entry.entity or "", {})
    shown = [column for column in columns if private or not _private(entry.entity, column)]
    if not shown:
        return None
    parts = dict(actor=who, subject=subject)
    if columns == ["note"]:
        before, after = changes["note"]
        template = (_l("%(actor)s tilføjede en note til %(subject)s") if not before else
                    _l("%(actor)s slettede noten til %(subject)s") if not after else
                    _l("%(actor)s ændrede noten til %(subject)s"))
        return sentence(template, **parts)
    if len(columns) == 1 and columns[0] in DATES and all(day(value) for value in changes[columns[0]]):
        before, after = changes[columns[0]]
        return sentence(_l("%(actor)s flyttede %(field)s for %(subject)s fra %(before)s til %(after)s"),
                        field=str(fields[columns[0]]), before=day(before), after=day(after), **parts)
    nouns = list(dict.fromkeys(str(fields[column]) for column in shown))
    if len(shown) < len(columns):
        nouns.append(gettext("andre oplysninger"))
    return sentence(_l("%(actor)s ændrede %(fields)s for %(subject)s"), fields=_joined(nouns), **parts)

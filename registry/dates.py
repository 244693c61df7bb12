"""Dates the Danish way, and parsing of ISO dates from users and URLs."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli",
          "august", "september", "oktober", "november", "december"]


def danish_date(day: date | None, long: bool = False) -> str:
    """19.04.2024, or with long=True 19. april 2024."""
    if day is None:
        return ""
    if long:
        return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d.%m.%Y")


def parse_iso(text: str) -> date:
    """YYYY-MM-DD, strictly; ValueError with a Danish message otherwise."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Ugyldig dato '{text[:40]}': brug formen ÅÅÅÅ-MM-DD, fx 2024-04-19.") from None


def today() -> date:
    """Today in Denmark, whatever the server's clock zone."""
    return datetime.now(COPENHAGEN).date()

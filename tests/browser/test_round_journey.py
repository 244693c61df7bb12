"""A whole election-period round in Chromium, from the KKR's composition to seated members.

The secretariat creates the period 2030-2033, records the composition, shares out seats by d'Hondt, allocates
them and asks the party groups in one step. SF re-nominates its current holder in one click and nominates a new
member (SOSU H), Radikale Venstre nominates for its seat (Movia), both on their period pages. The secretariat
follows the progress, places the whole round on the constituent meeting's agenda and records KKR's decisions in
one step; the minister's appointment of KKR's recommendation ends the carried-over holder. Every page is checked
with axe-core and saved as a screenshot."""

import re

from playwright.sync_api import Page, expect

PERIOD = "2030-2033"


def flash(page: Page, text: str) -> None:
    expect(page.get_by_text(text)).to_be_visible()


def period_link(page: Page) -> None:
    """Open the page on the round's period, from the periods named at its top."""
    page.get_by_role("navigation", name="Valgperioder").get_by_role("link", name=PERIOD).click()


def test_a_whole_round_from_the_composition_to_seated_members(page: Page, login, check_accessibility, screenshot):
    # The secretariat: the new period, the KKR's composition and a share-out.
    login(page, "gitb")
    page.goto("/valgperioder/ny")
    page.get_by_label("Navn").fill(PERIOD)
    page.get_by_label("Første dag").fill("2030-01-01")
    page.get_by_label("Sidste dag").fill("2033-12-31")
    page.get_by_role("button", name="Opret valgperiode").click()
    flash(page, f"Valgperioden {PERIOD} er oprettet.")
    for letter, members in (("A", "9"), ("F", "5"), ("B", "3")):
        page.get_by_label(f"Medlemmer for {letter}", exact=True).fill(members)
    page.get_by_role("button", name="Gem sammensætningen").click()
    flash(page, f"KKR's sammensætning i {PERIOD} er gemt.")

    page.get_by_role("link", name="Fordel pladser (d'Hondt)").click()
    page.get_by_label("Antal pladser").fill("5")
    page.get_by_role("button", name="Beregn og gem").click()
    flash(page, "Fordelingen er beregnet og gemt.")
    check_accessibility(page)
    screenshot(page, "rundeforloeb-fordeling")

    # The allocation grid: SOSU H's two seats to SF, Movia's to Radikale Venstre.
    page.goto("/valgperioder/pladsfordeling")
    period_link(page)
    page.get_by_label("Plads 1 i SOSU H").select_option(label="F – SF – Socialistisk Folkeparti")
    page.get_by_label("Plads 2 i SOSU H").select_option(label="F – SF – Socialistisk Folkeparti")
    page.get_by_label("Plads 1 i Movia").select_option(label="B – Radikale Venstre")
    page.get_by_role("button", name="Gem pladsfordelingen").click()
    flash(page, f"Pladsfordelingen for {PERIOD} er gemt")

    # One step asks every party group for all its seats.
    page.goto("/opfordringer/valgperiode")
    page.get_by_label("Valgperiode", exact=True).select_option(label=PERIOD)
    page.get_by_label("Frist").fill("2029-12-15")
    page.get_by_role("button", name="Send opfordringerne").click()
    flash(page, "opfordringer til 2 partigrupper")
    page.get_by_role("button", name="Log ud").click()

    # SF: its period page, the current holder again in one click, and a new member on the other seat.
    login(page, "sfgruppe")
    page.goto("/partigruppe/valgperiode")
    period_link(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Indstillinger til valgperioden {PERIOD}")
    sosu = page.locator("section").filter(has=page.get_by_role("heading", name="SOSU H"))
    expect(sosu).to_contain_text("Hans Eksempel")
    check_accessibility(page)
    screenshot(page, "rundeforloeb-partigruppe")
    page.get_by_role("button", name=re.compile(r"^Genindstil nuværende\W+SOSU H, Plads 1$")).click()
    flash(page, "Kladden er gemt.")
    expect(sosu.get_by_role("link", name=re.compile("Kladde"))).to_be_visible()
    page.get_by_label("Plads 2: medlem").select_option(label="Gitte Eksempel (F, Hillerød)")
    page.get_by_role("button", name="Indsend alle").first.click()
    flash(page, "2 indstillinger er sendt til sekretariatet.")
    check_accessibility(page)
    screenshot(page, "rundeforloeb-partigruppe-indsendt")
    page.get_by_role("button", name="Log ud").click()

    # Radikale Venstre: its one seat.
    login(page, "radgruppe")
    page.goto("/partigruppe/valgperiode")
    period_link(page)
    expect(page.get_by_text("Hans Eksempel")).to_have_count(0)
    page.get_by_label("Plads 1: medlem").select_option(label="Esat Sentürk (B, Høje-Taastrup)")
    page.get_by_role("button", name="Indsend alle").first.click()
    flash(page, "1 indstilling er sendt til sekretariatet.")
    page.get_by_role("button", name="Log ud").click()

    # The secretariat: the progress, the constituent meeting's agenda and KKR's decisions.
    login(page, "gitb")
    page.goto(f"/runde?periode={PERIOD}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Valgperiodens runde: {PERIOD}")
    check_accessibility(page)
    screenshot(page, "rundeforloeb-fremdrift")
    page.goto("/moeder/runde")
    page.get_by_label("Valgperiode").select_option(label=PERIOD)
    page.get_by_label("Møde", exact=True).select_option(label="Nyt møde")
    page.get_by_label("Mødedato").fill("2030-01-28")
    page.get_by_role("button", name="Sæt alle på dagsordenen").click()
    flash(page, "3 indstillinger er sat på dagsordenen")
    page.goto("/moeder")
    page.get_by_role("link", name=re.compile("28.01.2030")).click()
    page.get_by_role("link", name="Registrér KKR's beslutninger for hele mødet").click()
    page.get_by_label("Udpeget fra").fill("2030-02-01")
    check_accessibility(page)
    screenshot(page, "rundeforloeb-beslutninger")
    page.get_by_role("button", name="Registrér alle beslutninger").click()
    flash(page, "KKR's beslutning er registreret for 3 indstillinger")

    # SOSU H's second seat is the minister's to fill: KKR recommended Gitte Eksempel, and until the minister
    # appoints her, Karen Eksempel carries on. Hans Eksempel continues on the new decision.
    page.goto("/organisationer")
    page.get_by_role("link", name=re.compile(r"^SOSU H")).first.click()
    page.get_by_label("Vis sammensætningen pr. dato").fill("2030-02-01")
    page.get_by_role("button", name="Vis", exact=True).click()
    roster = page.locator("table.roster").first
    expect(roster.locator("tr").filter(has_text="Plads 1")).to_contain_text("Hans Eksempel")
    expect(roster.locator("tr").filter(has_text="Plads 2")).to_contain_text(
        "Karen Eksempel (A) fortsætter, indtil ny er udpeget")
    check_accessibility(page)
    screenshot(page, "rundeforloeb-fortsaetter")

    page.goto("/indstillinger/afventende")
    page.get_by_label("Udpegende myndighed").select_option(label="Børne- og undervisningsministeren")
    page.get_by_label("Udpeget fra").fill("2030-03-01")
    page.get_by_role("button", name="Registrér udpegningerne").click()
    flash(page, "Børne- og undervisningsministeren har udpeget")
    page.goto("/organisationer")
    page.get_by_role("link", name=re.compile(r"^SOSU H")).first.click()
    page.get_by_label("Vis sammensætningen pr. dato").fill("2030-03-01")
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.locator("table.roster").first.locator("tr").filter(has_text="Plads 2")).to_contain_text(
        "Gitte Eksempel")
    screenshot(page, "rundeforloeb-resultat")

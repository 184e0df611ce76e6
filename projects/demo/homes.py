"""Addresses, the people living there, their care needs and the planned works."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from random import Random

from projects.models import Dwelling, WorkWindow
from residents.models import CareNeed, Resident

from . import data
from .context import Run, Site, Weighted, between, pick
from .people import ascii_slug
from .store import Row

DWELLING_COLUMNS: Sequence[str] = (
    "id",
    "project_id",
    "street",
    "number",
    "addition",
    "postcode",
    "city",
    "block",
    "external_ref",
)
RESIDENT_COLUMNS: Sequence[str] = (
    "id",
    "dwelling_id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "language",
    "contact_channel",
    "is_main_contact",
    "non_essential_messages",
    "created_at",
)
CARE_NEED_COLUMNS: Sequence[str] = ("resident_id", "kind", "note")
WORK_WINDOW_COLUMNS: Sequence[str] = ("dwelling_id", "description", "starts_on", "ends_on", "note")

# Care needs are a minority, and most residents with one have just one.
CARE_NEED_SHARE = 0.12
CARE_KINDS = Weighted(
    {
        "elderly": 30,
        "mobility": 18,
        "hearing": 12,
        "sight": 5,
        "medical_equipment": 5,
        "night_work": 8,
        "pets": 15,
        "language": 10,
        "other": 3,
    }
)
CHANNEL_BY_ADDRESS = {
    (True, True): Weighted({"sms": 35, "email": 45, "phone": 15, "letter": 5}),
    (True, False): Weighted({"sms": 65, "phone": 25, "letter": 10}),
    (False, True): Weighted({"email": 85, "letter": 15}),
    (False, False): Weighted({"letter": 1}),
}


def seed_homes(run: Run, site: Site, theme: data.Theme, n: int) -> None:
    """Write `n` dwellings with residents, care needs and work windows; fill `site.homes`."""
    rng = run.rng
    addresses = list(itertools.islice(_addresses(rng, theme, site.city), n))
    dwelling_ids = run.store.ids(Dwelling, len(addresses))
    ref_prefix = between(rng, 100, 999)
    run.store.write(
        Dwelling,
        DWELLING_COLUMNS,
        (
            # The corporation's own number for the home, e.g. 412.00031.
            (pk, site.project_id, *address, f"{ref_prefix}.{i + 1:05d}")
            for i, (pk, address) in enumerate(zip(dwelling_ids, addresses, strict=True))
        ),
    )

    household_sizes = [_household_size(rng) for _ in dwelling_ids]
    resident_ids = run.store.ids(Resident, sum(household_sizes))
    residents: list[Row] = []
    next_id = iter(resident_ids)
    moved_in = run.clock.office_time(site.starts_on)
    for dwelling_id, size in zip(dwelling_ids, household_sizes, strict=True):
        household: list[Row] = []
        for i in range(size):
            # A partner or child often shares the main resident's last name.
            family = household[0][3] if household and rng.random() < 0.6 else None
            household.append(_resident(rng, next(next_id), dwelling_id, i, moved_in, family))
        residents.extend(household)
        main = household[0] if household else None
        site.homes.append((dwelling_id, main[0] if main else None, bool(main and main[9])))
    run.store.write(Resident, RESIDENT_COLUMNS, residents)
    run.store.write(CareNeed, CARE_NEED_COLUMNS, _care_needs(rng, residents))
    run.store.write(
        WorkWindow, WORK_WINDOW_COLUMNS, _work_windows(rng, run.clock.today, dwelling_ids)
    )


def _addresses(
    rng: Random, theme: data.Theme, city: str
) -> Iterator[tuple[str, int, str, str, str, str]]:
    """Endless (street, number, addition, postcode, city, block) of one neighbourhood.

    Each street has one postcode, unique within the project, so an address
    (postcode, number, addition) is unique too. Streets are terraced houses or porch
    flats (several homes behind one house number, told apart by the addition).
    """
    town = data.CITIES[city]
    area = between(rng, town.postcode_from, town.postcode_to)
    letters = rng.sample(data.POSTCODE_PAIRS, len(data.POSTCODE_PAIRS))
    stems = rng.sample(theme.stems, len(theme.stems))
    # Every stem once before any comes back with another suffix (Rijnstraat, Rijnkade).
    suffixes = {stem: rng.sample(theme.suffixes, len(theme.suffixes)) for stem in stems}
    names = [stem + suffixes[stem][r] for r in range(len(theme.suffixes)) for stem in stems]
    for street_no, street in enumerate(_endless(names)):
        # More streets than letter pairs (a huge project) continue in the next area.
        next_area, pair = divmod(street_no, len(letters))
        postcode = f"{min(area + next_area, 9999)} {letters[pair]}"
        for number, addition, block in _street(rng):
            yield street, number, addition, postcode, city, block


def _endless(names: list[str]) -> Iterator[str]:
    yield from names
    for round_no in itertools.count(2):
        # A huge project reuses names as a second part of the neighbourhood.
        yield from (f"{name} {'I' * round_no}" for name in names)


def _street(rng: Random) -> Iterator[tuple[int, str, str]]:
    """(number, addition, block) of the homes in one street."""
    first = pick(rng, (1, 1, 2))
    step = pick(rng, (1, 2, 2))  # 2: one side of the street, odd or even numbers
    if rng.random() < 0.55:
        # Terraced houses, now and then a split one (12 and 12A).
        for i in range(between(rng, 10, 50)):
            number = first + i * step
            block = f"Blok {chr(ord('A') + i // 8)}"
            yield number, "", block
            if rng.random() < 0.04:
                yield number, "A", block
        return
    # Porch flats: two to four homes per entrance.
    floors = between(rng, 2, 4)
    additions = pick(rng, (("1", "2", "3", "4"), ("A", "B", "C", "D"), ("", "A", "B", "C")))
    for i in range(between(rng, 4, 14)):
        number = first + i * step
        for addition in additions[:floors]:
            yield number, addition, f"Portiek {number}"


def _household_size(rng: Random) -> int:
    roll = rng.random()
    if roll < 0.04:
        return 0  # empty: in use as a temporary home (wisselwoning) or between tenants
    if roll < 0.68:
        return 1
    if roll < 0.94:
        return 2
    return 3


def _resident(
    rng: Random,
    pk: int,
    dwelling_id: int,
    index: int,
    moved_in: dt.datetime,
    family_name: str | None,
) -> Row:
    english = rng.random() < 0.12
    first = pick(rng, data.INTERNATIONAL_FIRST_NAMES if english else data.FIRST_NAMES)
    last = family_name or pick(rng, data.INTERNATIONAL_LAST_NAMES if english else data.LAST_NAMES)
    phone = f"06 {between(rng, 10_000_000, 99_999_999)}" if rng.random() < 0.9 else ""
    email = ""
    if rng.random() < 0.35:
        local = f"{ascii_slug(first)}.{ascii_slug(last)}{between(rng, 1, 98)}"
        email = f"{local}@{pick(rng, data.EMAIL_DOMAINS)}"
    channel = CHANNEL_BY_ADDRESS[(bool(phone), bool(email))].draw(rng)
    return (
        pk,
        dwelling_id,
        first,
        last,
        phone,
        email,
        "en" if english else "nl",
        channel,
        index == 0,
        rng.random() < 0.85,
        moved_in,
    )


def _care_needs(rng: Random, residents: list[Row]) -> Iterator[Row]:
    for resident in residents:
        if rng.random() >= CARE_NEED_SHARE:
            continue
        count = 1 if rng.random() < 0.8 else 2
        chosen = {CARE_KINDS.draw(rng) for _ in range(count)}
        if resident[6] == "en" and rng.random() < 0.5:
            chosen.add("language")
        for kind in sorted(chosen):
            yield resident[0], kind, pick(rng, data.CARE_NOTES[kind])


def _work_windows(rng: Random, today: dt.date, dwelling_ids: list[int]) -> Iterator[Row]:
    """Two to five works per home, one after the other, around today.

    Homes are done in waves along the street, as a renovation crew moves through a block.
    """
    for index, dwelling_id in enumerate(dwelling_ids):
        wave = index // 12
        start = today + dt.timedelta(days=between(rng, -100, 20) + (wave % 20) * 7)
        for work in sorted(rng.sample(data.WORKS, between(rng, 2, 5)), key=data.WORKS.index):
            start = _weekday(start)
            end = start + dt.timedelta(days=between(rng, 0, 6))
            note = pick(rng, data.WORK_NOTES) if rng.random() < 0.15 else ""
            yield dwelling_id, work, start, end, note.format(n=between(rng, 1, 60))
            start = end + dt.timedelta(days=between(rng, 1, 10))


def _weekday(day: dt.date) -> dt.date:
    weekday = day.weekday()
    return day + dt.timedelta(days=7 - weekday) if weekday >= 5 else day

"""Accent- and case-blind substring search for the work queue.

Both databases know one SQL function, `woonrust_fold(text)`: lower case without accents
("Öztürk" → "ozturk"). On PostgreSQL it wraps `unaccent` and is declared IMMUTABLE (the
migration `office/0001_search` creates it), so trigram GIN indexes on
`woonrust_fold(column)` serve `LIKE '%…%'` at any size; on the embedded SQLite it is a
Python function registered on every connection, and the same queries scan.
"""

from __future__ import annotations

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.lookups import Contains

# Letters that carry no combining mark to strip, as PostgreSQL's unaccent folds them.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})


def fold(text: str | None) -> str | None:
    """`text` in lower case without accents: the Python twin of SQL `woonrust_fold`."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Fold(Func):
    function = "woonrust_fold"
    output_field = CharField()


def _register_sqlite_fold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("woonrust_fold", 1, fold, deterministic=True)


connection_created.connect(_register_sqlite_fold)


class FullName(Func):
    """A resident's name as the index holds it: first_name || ' ' || last_name."""

    template = "%(expressions)s"
    arg_joiner = " || ' ' || "
    output_field = CharField()

    def __init__(self) -> None:
        super().__init__(F("first_name"), F("last_name"))


def _contains(expression: F | Func, word: str) -> Q:
    """The folded `expression` holds the folded `word`. Django escapes LIKE's wildcards
    in the folded value too, so "100%" is looked for as written."""
    return Q(Contains(Fold(expression), Fold(Value(word))))


def _few_ids(qs: QuerySet) -> list[int] | QuerySet:
    """The ids `qs` matches, as a list when they are few, else the subquery itself.

    A list is read once per search, and the case tables then use their resident and
    dwelling indexes; as a subquery, the name's look-up ran again for each kind of case
    and each of its queries."""
    ids = list(qs.order_by().values_list("id", flat=True)[: SPARSE + 1])
    return qs.values("id") if len(ids) > SPARSE else ids


def words_matching(q: str, projects: QuerySet | None = None) -> Q:
    """Cases where each word of `q` (at most five) occurs in the resident's full name, the
    street or the description, accents and case ignored: "Veen", "Daan van der Veen",
    "wittkade", "Jansen Merelstraat", "Ozturk lekkage".

    Names and streets are looked up in their own indexed tables, in `projects` only
    when given (a common surname is in every project of the database); the case table is
    then read through its foreign keys and its own description index.
    """
    from projects.models import Dwelling
    from residents.models import Resident

    cond = Q()
    for word in q.split()[:5]:
        residents = Resident.objects.filter(_contains(FullName(), word))
        dwellings = Dwelling.objects.filter(_contains(F("street"), word))
        if projects is not None:
            residents = residents.filter(dwelling__project__in=projects)
            dwellings = dwellings.filter(project__in=projects)
        residents, dwellings = _few_ids(residents), _few_ids(dwellings)
        cond &= (
            Q(resident_id__in=residents)
            | Q(dwelling_id__in=dwellings)
            | _contains(F("description"), word)
        )
    return cond


# Up to this many matches a search is read as a list of ids first.
SPARSE = 2000


def narrow(qs: QuerySet) -> QuerySet:
    """`qs` (one kind's searched cases) as the ids it matches, when they are few.

    Sorted and cut, a rare match makes PostgreSQL walk the whole sort index of a large
    table hoping to meet it; unsorted, the trigram, resident and address indexes find
    every match at once. So: the matches first (one query), then the page among them.
    Many matches are found soon enough by the walk itself, and stay a condition.
    """
    ids = list(qs.order_by().values_list("pk", flat=True)[: SPARSE + 1])
    if len(ids) > SPARSE:
        return qs
    return qs.model.objects.filter(pk__in=ids)

"""Static material for the demo data: organisations, places, names and the words people write.

Everything here is invented or generic. Corporation names are the sector's familiar ones so
the demo feels Dutch; people, contractors, phone numbers and e-mail domains are made up, and
e-mail goes to reserved `.example` / `example.com` domains so a demo chase never mails anyone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    # The four-digit postcode areas the city really uses, so addresses look right.
    postcode_from: int
    postcode_to: int


CITIES: dict[str, City] = {
    c.name: c
    for c in [
        City("Amsterdam", 1011, 1109),
        City("Amstelveen", 1181, 1189),
        City("Almere", 1311, 1364),
        City("Haarlem", 2011, 2037),
        City("Leiden", 2311, 2334),
        City("Den Haag", 2491, 2597),
        City("Delft", 2611, 2629),
        City("Rotterdam", 3011, 3089),
        City("Utrecht", 3511, 3585),
        City("Amersfoort", 3811, 3829),
        City("Tilburg", 5011, 5049),
        City("Eindhoven", 5611, 5658),
        City("Nijmegen", 6511, 6546),
        City("Wageningen", 6701, 6709),
        City("Ede", 6711, 6718),
        City("Arnhem", 6811, 6846),
        City("Apeldoorn", 7311, 7336),
        City("Deventer", 7411, 7429),
        City("Enschede", 7511, 7548),
        City("Zwolle", 8011, 8043),
        City("Groningen", 9711, 9747),
    ]
}

# (name, cities where it owns homes). The first one is the demo users' corporation.
CORPORATIONS: list[tuple[str, tuple[str, ...]]] = [
    ("Woonstede", ("Ede", "Wageningen")),
    ("Eigen Haard", ("Amsterdam", "Amstelveen")),
    ("Portaal", ("Utrecht", "Arnhem", "Nijmegen", "Leiden")),
    ("Ymere", ("Amsterdam", "Haarlem", "Almere")),
    ("Woonstad Rotterdam", ("Rotterdam",)),
    ("Staedion", ("Den Haag", "Delft")),
    ("deltaWonen", ("Zwolle", "Deventer")),
    ("Lefier", ("Groningen",)),
]

# The first one is the demo users' contractor.
CONTRACTORS: list[str] = [
    "Bouwbedrijf Jansen",
    "Renovatie Noord",
    "Van Dam Bouw & Onderhoud",
    "Aannemersbedrijf De Vries",
    "Bouwcombinatie Rijnland",
    "Hoekstra Renovatie",
]


@dataclass(frozen=True)
class Theme:
    """A neighbourhood whose streets are named after one theme, as Dutch ones often are."""

    name: str
    stems: tuple[str, ...]
    suffixes: tuple[str, ...]


THEMES: list[Theme] = [
    Theme(
        "Rivierenbuurt",
        (
            "Rijn", "Maas", "Waal", "IJssel", "Lek", "Amstel", "Vecht", "Dommel", "Dinkel",
            "Berkel", "Regge", "Linge", "Schelde", "Eem", "Hunze", "Reest",
        ),
        ("straat", "kade", "laan", "plein"),
    ),
    Theme(
        "Vogelwijk",
        (
            "Merel", "Lijster", "Vinken", "Spreeuw", "Koolmees", "Zwaluw", "Reiger", "Kievit",
            "Specht", "Meeuwen", "Wielewaal", "Roodborst", "Kwartel", "Leeuwerik", "Nachtegaal",
            "Ekster",
        ),
        ("straat", "laan", "hof"),
    ),
    Theme(
        "Schildersbuurt",
        (
            "Rembrandt", "Vermeer", "Frans Hals", "Jan Steen", "Van Gogh", "Mondriaan",
            "Ruisdael", "Ferdinand Bol", "Breitner", "Jozef Israëls", "Pieter de Hooch",
            "Hobbema", "Van Ostade", "Paulus Potter",
        ),
        ("straat", "laan", "plein", "kade"),
    ),
    Theme(
        "Bloemenbuurt",
        (
            "Tulp", "Rozen", "Anjer", "Lelie", "Narcis", "Krokus", "Hyacint", "Iris", "Dahlia",
            "Goudsbloem", "Klaproos", "Margriet", "Zonnebloem", "Seringen", "Jasmijn",
        ),
        ("straat", "laan", "hof", "pad"),
    ),
    Theme(
        "Componistenbuurt",
        (
            "Bach", "Mozart", "Beethoven", "Chopin", "Schubert", "Haydn", "Händel", "Sweelinck",
            "Mahler", "Verdi", "Brahms", "Grieg", "Ravel", "Diepenbrock",
        ),
        ("straat", "laan", "plein"),
    ),
    Theme(
        "Bomenbuurt",
        (
            "Eiken", "Beuken", "Linden", "Iepen", "Berken", "Esdoorn", "Kastanje", "Wilgen",
            "Populieren", "Elzen", "Platanen", "Acacia", "Lariks", "Hazelaar",
        ),
        ("laan", "straat", "hof", "singel"),
    ),
    Theme(
        "Zeeheldenbuurt",
        (
            "De Ruyter", "Tromp", "Piet Hein", "Van Speijk", "Karel Doorman", "Van Galen",
            "Witte de With", "Evertsen", "Van Heemskerck", "Van Kinsbergen", "Banckert",
            "Van Wassenaer",
        ),
        ("straat", "kade", "weg", "plein"),
    ),
    Theme(
        "Sterrenwijk",
        (
            "Orion", "Sirius", "Vega", "Pegasus", "Andromeda", "Perseus", "Cassiopeia",
            "Poolster", "Castor", "Pollux", "Draco", "Lyra",
        ),
        ("straat", "laan", "hof"),
    ),
    Theme(
        "Dichtersbuurt",
        (
            "Vondel", "Bilderdijk", "Da Costa", "Multatuli", "Gorter", "Potgieter", "Tollens",
            "P.C. Hooft", "Jacob Cats", "Bredero", "Staring", "Jacques Perk", "Willem Kloos",
            "Van Lennep",
        ),
        ("straat", "laan", "kade", "plein"),
    ),
    Theme(
        "Staatsliedenbuurt",
        (
            "Thorbecke", "Van Hogendorp", "Van Oldenbarnevelt", "De Witt", "Van Hall",
            "Groen van Prinsterer", "Schaepman", "Troelstra", "Drees", "Marnix",
            "Cort van der Linden",
        ),
        ("straat", "laan", "plein", "kade"),
    ),
]  # fmt: skip

# Letters Dutch postcodes do not use in practice (SA, SD and SS are never issued).
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
UNUSED_POSTCODE_PAIRS = frozenset({"SA", "SD", "SS"})
POSTCODE_PAIRS: tuple[str, ...] = tuple(
    a + b for a in POSTCODE_LETTERS for b in POSTCODE_LETTERS if a + b not in UNUSED_POSTCODE_PAIRS
)

FIRST_NAMES: tuple[str, ...] = (
    "Jan", "Piet", "Kees", "Henk", "Gerrit", "Willem", "Johan", "Bram", "Daan", "Sem",
    "Lucas", "Thijs", "Ruben", "Jeroen", "Martijn", "Bas", "Sander", "Wim", "Cor", "Ton",
    "Anna", "Maria", "Truus", "Gerda", "Annie", "Ria", "Els", "Ingrid", "Marloes", "Sanne",
    "Femke", "Lotte", "Emma", "Julia", "Sophie", "Anouk", "Ilse", "Mieke", "Joke", "Riet",
    "Mohammed", "Fatima", "Ahmed", "Khadija", "Mehmet", "Ayşe", "Mustafa", "Zeynep",
    "Youssef", "Naima", "Priya", "Ravi", "Chantal", "Dewi", "Rachida", "Ali",
)  # fmt: skip

# Residents who prefer English: people who came for work or study.
INTERNATIONAL_FIRST_NAMES: tuple[str, ...] = (
    "John", "Sarah", "Michael", "Emily", "Piotr", "Agnieszka", "Olena", "Andriy", "Sofia",
    "Daniel", "Maria", "Luca", "Giulia", "Carlos", "Ana", "Wei", "Mei", "Arjun", "Ananya",
    "Tomasz", "Elena", "Ioana", "Mateusz", "Kateryna",
)  # fmt: skip

# Last names as written after a first name: tussenvoegsels in lower case.
LAST_NAMES: tuple[str, ...] = (
    "de Vries", "Jansen", "de Jong", "van den Berg", "Bakker", "van Dijk", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "van der Heijden",
    "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas",
    "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "de Lange",
    "Kuipers", "van Wijk", "Postma", "Kramer", "van 't Hof", "ter Horst", "El Amrani",
    "Bouzid", "Yılmaz", "Kaya", "Demir", "Öztürk", "Nguyen", "Pinas", "Martina",
    "Ramdin", "Tahiri",
)  # fmt: skip

INTERNATIONAL_LAST_NAMES: tuple[str, ...] = (
    "Smith", "Brown", "Kowalski", "Nowak", "Wiśniewska", "Shevchenko", "Kovalenko",
    "Rossi", "Bianchi", "García", "Fernández", "Wang", "Chen", "Sharma", "Patel", "Popescu",
    "Novák", "Müller",
)  # fmt: skip

EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")

WORKS: tuple[str, ...] = (
    "Keuken vervangen",
    "Badkamer vernieuwen",
    "Toilet vernieuwen",
    "Kozijnen en HR++-glas",
    "Gevelisolatie en voegwerk",
    "Dakisolatie",
    "Mechanische ventilatie",
    "Cv-ketel vervangen door warmtepomp",
    "Groepenkast vernieuwen",
    "Voordeur vervangen",
    "Vloerisolatie kruipruimte",
)

WORK_NOTES: tuple[str, ...] = (
    "Bewoner is thuis.",
    "Sleutel ligt bij de buren op nummer {n}.",
    "Huisdieren binnen houden.",
    "Bewoner werkt thuis; geluid beperken tussen 12 en 13 uur.",
    "Afspraak bevestigd per sms.",
)

CARE_NOTES: dict[str, tuple[str, ...]] = {
    "elderly": ("Bewoner is 84 en woont alleen.", "Dochter is contactpersoon.", ""),
    "mobility": ("Loopt met rollator; looppad vrijhouden.", "Rolstoel; gebruikt de lift.", ""),
    "hearing": ("Slechthorend: aanbellen en wachten, liever sms.", ""),
    "sight": ("Slechtziend: brieven voorlezen of bellen.", ""),
    "medical_equipment": ("Zuurstofapparaat in de slaapkamer: stroom niet onderbreken.",),
    "night_work": ("Werkt 's nachts; slaapt tot 14 uur.", "Nachtdiensten; liever middagafspraken."),
    "pets": ("Hond; aanlijnen bij bezoek.", "Twee katten; ramen en deuren dicht houden.", ""),
    "language": ("Spreekt weinig Nederlands; zoon tolkt.", "Engels gaat goed.", ""),
    "other": ("Bewoner is angstig bij onbekenden; vooraf bellen.",),
}

VISIT_NOTES: tuple[str, ...] = (
    "",
    "",
    "Alles in orde, bewoner tevreden over de voortgang.",
    "Bewoner vroeg naar de planning van de badkamer.",
    "Stofoverlast in de gang besproken; extra schoonmaak toegezegd.",
    "Bewoner maakt zich zorgen over de warmtepomp.",
    "Werk gecontroleerd: kitnaden netjes afgewerkt.",
    "Bewoner is boos over de geluidsoverlast van gisteren.",
    "Sleutelafspraak gemaakt voor volgende week.",
    "Oplevering besproken; geen opmerkingen.",
    "Uitleg gegeven over de ventilatie-unit.",
)

NOBODY_HOME_NOTES: tuple[str, ...] = (
    "",
    "Niet thuis, kaartje in de brievenbus gedaan.",
    "Niet thuis; buurvrouw zegt dat bewoner op vakantie is.",
)

CLAIM_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "floor": (
        "Krassen in het laminaat door verschuiven van de steiger.",
        "Vloerbedekking in de gang beschadigd door puin.",
        "Tegel in de keuken gebarsten.",
    ),
    "wall": (
        "Scheur in het stucwerk na het boren in de gevel.",
        "Behang beschadigd bij het vervangen van het kozijn.",
        "Vochtplek op het plafond na regen; dak stond open.",
    ),
    "furniture": (
        "Bank vuil geworden door stof en cementresten.",
        "Kast beschadigd bij het verplaatsen.",
        "Eettafel bekrast door gereedschap.",
    ),
    "appliance": (
        "Televisie kapot na stroomstoring door de werkzaamheden.",
        "Wasmachine lekt sinds de nieuwe aansluiting.",
        "Router defect na kortsluiting in de groepenkast.",
    ),
    "door_window": (
        "Binnendeur klemt en is beschadigd.",
        "Vensterbank gebroken bij het plaatsen van het kozijn.",
        "Ruit van de schuur gesneuveld.",
    ),
    "plants": (
        "Plantenbak op het balkon vertrapt.",
        "Tuin beschadigd door opslag van materiaal.",
        "Heg kapotgemaakt door de hoogwerker.",
    ),
    "belongings": (
        "Vaas van de vensterbank gevallen en gebroken.",
        "Gordijnen vies geworden van het stof.",
        "Fiets beschadigd in de berging.",
    ),
    "other": (
        "Schade aan de bel en intercom.",
        "Brievenbus verbogen.",
        "Schuurdeur beschadigd door de container.",
    ),
}

# Rooms where each kind of damage plausibly happens.
CLAIM_ROOMS: dict[str, tuple[str, ...]] = {
    "floor": ("living_room", "kitchen", "hallway", "bedroom"),
    "wall": ("living_room", "bedroom", "hallway", "bathroom", "attic"),
    "furniture": ("living_room", "bedroom", "kitchen"),
    "appliance": ("living_room", "kitchen", "bathroom", "attic"),
    "door_window": ("living_room", "bedroom", "hallway", "kitchen", "outside"),
    "plants": ("balcony_garden", "outside"),
    "belongings": ("living_room", "bedroom", "attic", "hallway", "other"),
    "other": ("outside", "hallway", "other"),
}

DECISION_REASONS: dict[str, tuple[str, ...]] = {
    "accepted": (
        "De schade is ontstaan door de werkzaamheden. Wij vergoeden de schade volledig.",
        "De uitvoerder heeft de schade bevestigd; de aannemer neemt de kosten voor zijn rekening.",
    ),
    "partly_accepted": (
        "Wij vergoeden de dagwaarde: het meubel was al meer dan tien jaar oud.",
        "Een deel van de schade bestond al bij de opname voor de start van de werkzaamheden.",
    ),
    "rejected": (
        "Op de foto's van de opname voor de start is de schade al te zien.",
        "Er is geen verband gevonden tussen de schade en de werkzaamheden.",
        "De schade valt onder normaal gebruik en slijtage.",
    ),
}

# The insurer's loss adjusters (schade-experts) who assess the large claims.
EXPERTS: tuple[tuple[str, str], ...] = (
    ("M. de Boer, Schade-Expertise Nederland", "m.deboer@schade-expertise.example"),
    ("R. Kuipers, Expertisebureau Midden", "r.kuipers@expertisebureau-midden.example"),
    ("A. El Idrissi, Van Wijk Expertise", "a.elidrissi@vanwijk-expertise.example"),
)

COMPLAINT_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "noise": (
        "Er wordt al om 7 uur 's ochtends geboord.",
        "Veel lawaai van de steigerbouw, ook op zaterdag.",
    ),
    "dust": (
        "Het hele huis ligt onder het stof na het slopen van de keuken.",
        "Stof in de slaapkamer terwijl de deur was afgeplakt.",
    ),
    "access": (
        "De voordeur was een hele dag niet bereikbaar door de steiger.",
        "Parkeerplaats staat steeds vol met busjes van de aannemer.",
    ),
    "planning": (
        "De badkamer zou vorige week klaar zijn en is nog niet begonnen.",
        "Afspraak is twee keer verzet zonder bericht.",
    ),
    "behaviour": (
        "Medewerker was onvriendelijk toen ik iets vroeg.",
        "Er werd in de woning gerookt.",
    ),
    "cleanliness": (
        "Puin blijft in de tuin liggen.",
        "Het trappenhuis wordt niet schoongemaakt.",
    ),
    "other": (
        "Ik heb geen brief gekregen over de werkzaamheden.",
        "Het water was een dag afgesloten zonder aankondiging.",
    ),
}

COMPLAINT_RESOLUTIONS: tuple[str, ...] = (
    "Wij hebben de werktijden met de ploeg besproken: niet meer voor 7.30 uur.",
    "De woning is extra schoongemaakt en de afplakmethode is aangepast.",
    "De nieuwe planning is met u afgestemd en per brief bevestigd.",
    "De medewerker is aangesproken; onze excuses voor het voorval.",
    "Het materiaal is opgeruimd en de tuin is hersteld.",
)

EXTENSION_REASONS: tuple[str, ...] = (
    "Wij wachten op het verslag van de onderaannemer.",
    "Voor een goed antwoord moeten wij eerst de planning met de corporatie afstemmen.",
)

WITHDRAW_REASONS: tuple[str, ...] = (
    "Bewoner heeft de melding ingetrokken: zelf opgelost.",
    "Bewoner heeft de melding ingetrokken na een goed gesprek.",
)

PROMISES: tuple[str, ...] = (
    "Deurstopper in de gang terugplaatsen",
    "Vloerbeschermer bij de voordeur vervangen",
    "Loszittende deurbel vastzetten",
    "Extra afdekfolie over de bank leggen",
    "Rooster in de badkamer schoonmaken",
    "Planning van de keuken per sms sturen",
    "Kitrand rond het bad opnieuw aanbrengen",
    "Brievenbus weer vastschroeven",
    "Terugbellen over de sleutelafspraak",
    "Puin uit de voortuin laten halen",
    "Gordijnrails terughangen",
    "Schakelaar in de hal laten nakijken",
)

CANCEL_REASONS: tuple[str, ...] = (
    "Bewoner heeft het zelf al gedaan.",
    "Wordt meegenomen in de oplevering.",
    "Dubbel geregistreerd.",
)

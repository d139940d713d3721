"""Invented names built from syllable tables: persons, aliases, networks, operations.

Nothing here names a real person or group; names are assembled at random from word parts.
"""

from __future__ import annotations

import random
from typing import Final


def _w(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# region -> (given-name starts, given-name ends, surname starts, surname ends)
_REGIONS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "hispanic": (
        _w(
            "Al Ber Cal Dar Ed Fab Gil Her Ig Jul Lor Mar Nel Os Pab Ram Sal Tel Vic Yes Ro Ar Ev "
            "Cris Wil"
        ),
        _w(
            "ando erto ino ardo elio iel uan ecio ulio aro imo ana ela ina ita encia isa unda ora "
            "eida"
        ),
        _w(
            "Var Quin Sol Orn Mend Barr Cast Esp Gall Lug Mont Peñ Riv Trej Zam Arr Belt Corr Dur "
            "Ech Fuen Hinoj Lem"
        ),
        _w("ado ero ova illa ares ez anda uela arro ino ales ueta eña ián ondo era"),
    ),
    "horn": (
        _w("Ab Be Ge Ha Ke Me Se Te Yo Da Fi Ne Wel Tes Ghe Ye Mu Ha Sa Amr"),
        _w("raha laye hane rhet ssie brom nesh lom kele dane wit faye meskel rit zghi dom gesh"),
        _w("Tes Ghe Ha Wel Ke Be Yo Mi Ab Ze Ar Os Ib"),
        _w("fay brehiwet lom degiorgis haimanot ssa kiros rahim dris man tsion gebre mariam wolde"),
    ),
    "south_asian": (
        _w("Ab Ar Fa Ha Im Ja Kha Na Om Ra Sa Ta Za Mu Sha Bil Wa Zu Gul As"),
        _w("zad mir rid jad san mil leel zeem hid ran bir qat feez rukh ina ara nab"),
        _w("Dur Kha Qa Ra Sa Ta Ba Ma No Ya Sto Hak Mo"),
        _w("rani zai khel wari shi bani lavi nadi iqi kzai hmadi ssaini ndi"),
    ),
    "balkan": (
        _w("Dra Mil Zo Ne Bo Go Sa Ve Lju Ra Du Sre Ti Ar"),
        _w("gan oš ran ven jan dor mir ko ica ana ban sim"),
        _w("Pet Jov Nik Stoj Mark Ilij Dim Vuk Kar Ber Hox Kel"),
        _w("ović ević ski ić ovski aj eku anin oski"),
    ),
    "turkic": (
        _w("Ay Bu Ce Em Fe Gö Ha Ke Mu Or Se Tu Yu Ka"),
        _w("han rak mal re rit khan kan stafa hat nur ğut suf"),
        _w("Ak Dem Kay Öz Yıl Çe Ar Tok Kur Sar Bay Ert"),
        _w("soy ir a türk dız lik slan göz tekin oğlu kaya"),
    ),
    "caribbean": (
        _w("Jean Mar Wil Ro Fre Jo Ker Lu Pier Ste Dje Mac Nad Cla"),
        _w("ny son line rick dany lande vens rose ly ens ette"),
        _w("Be Che Da Dor Eti Fil Jo La Mo Pie Sai Va Aug"),
        _w("lus ry ssaint cius lien zaire mond vil lon rène dieu uste"),
    ),
    "italian": (
        _w("Sal Giu Ro Ma An Vin Lu Fra Ste Pa"),
        _w("vatore seppe berto rco tonio cenzo ca nco fano olo"),
        _w("Mar Cor Lom Rus Fer Gal Pel Vit Spa Bru"),
        _w("etti lone bardo sotto raro ulli icano ale daro nelli"),
    ),
}

NATIONALITY_REGION: Final[dict[str, str]] = {
    **dict.fromkeys(_w("HND GTM SLV MEX ECU NIC USA DOM CUB VEN"), "hispanic"),
    **dict.fromkeys(_w("ERI ETH SDN SOM LBY NGA"), "horn"),
    **dict.fromkeys(_w("AFG PAK IRN BGD SYR ARE"), "south_asian"),
    **dict.fromkeys(_w("SRB MKD GRC HUN AUT"), "balkan"),
    "TUR": "turkic",
    "HTI": "caribbean",
    "BHS": "caribbean",
    "ITA": "italian",
}

_NICKNAMES: Final[dict[str, tuple[str, ...]]] = {
    "hispanic": (
        "El Flaco",
        "El Chino",
        "La Güera",
        "El Gordo",
        "El Tigre",
        "El Primo",
        "El Profe",
        "La Tía",
        "El Zurdo",
        "El Chaparro",
        "El Compa",
        "El Pelón",
        "La Jefa",
        "El Mudo",
        "El Guapo",
    ),
    "horn": ("Wedi", "Abu", "Doctor", "Chairman", "Uncle", "the Engineer"),
    "south_asian": ("Haji", "Ustad", "Doctor", "Lala", "Chacha", "Bhai"),
    "balkan": ("Kum", "Šef", "Brko", "Tata", "Crni"),
    "turkic": ("Abi", "Reis", "Hoca", "Dayı", "Kaptan"),
    "caribbean": ("Ti", "Captain", "Boss", "Papa", "Blanc"),
    "italian": ("Zio", "il Siciliano", "Capitano", "il Dottore"),
}

_NETWORK_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "smuggling_network": (
        "network",
        "smuggling network",
        "organization",
        "transport cell",
        "coyote network",
        "smuggling ring",
    ),
    "trafficking_ring": ("trafficking ring", "trafficking network", "exploitation ring"),
    "money_laundering_cell": (
        "hawala cell",
        "money laundering cell",
        "remittance cell",
        "financial cell",
    ),
    "document_fraud_ring": (
        "document vendors",
        "forgery ring",
        "document fraud ring",
        "passport workshop",
    ),
    "transport_company": (
        "Transportes",
        "Logistics",
        "Freight",
        "Shipping",
        "Travel Agency",
        "Tours",
    ),
    "ngo": ("Migrant Shelter", "Humanitarian Aid Committee", "Refugee Assistance Center"),
    "government": ("Migration Directorate", "Border Police Unit", "Coast Guard Station"),
}

_CODE_ADJ: Final = _w(
    "Silent Amber Broken Crimson Distant Eastern Falling Gilded Hollow Iron Jade Lone Midnight "
    "Northern Open Pale Quiet Rusted Salt Tidal Umber Veiled Winter Yellow Cobalt Dusty Granite "
    "Harbor"
)
_CODE_NOUN: Final = _w(
    "Heron Anchor Bridge Compass Delta Ember Falcon Gate Horizon Ibis Junction Kestrel Lantern "
    "Mesa Needle Orchard Pilot Quarry Ridge Sextant Tern Viaduct Wharf Yucca Caravan Dune Osprey"
)


def region_of(nationality: str) -> str:
    """The name table used for people of a nationality."""
    return NATIONALITY_REGION.get(nationality, "hispanic")


def _word(rng: random.Random, starts: tuple[str, ...], ends: tuple[str, ...]) -> str:
    return rng.choice(starts) + rng.choice(ends)


def surname(rng: random.Random, region: str) -> str:
    """An invented family name in the style of `region`."""
    table = _REGIONS[region]
    return _word(rng, table[2], table[3])


def person_name(rng: random.Random, nationality: str) -> str:
    """An invented full name for a person of `nationality`."""
    region = region_of(nationality)
    table = _REGIONS[region]
    given = _word(rng, table[0], table[1])
    if region == "hispanic":
        return f"{given} {surname(rng, region)} {surname(rng, region)}"
    if region == "horn":
        return f"{given} {_word(rng, table[0], table[1])} {surname(rng, region)}"
    return f"{given} {surname(rng, region)}"


def alias(rng: random.Random, nationality: str, name: str) -> str:
    """A street name or nickname for a person already called `name`."""
    region = region_of(nationality)
    roll = rng.random()
    nick = rng.choice(_NICKNAMES[region])
    first = name.split()[0]
    if roll < 0.45:
        return nick
    if roll < 0.75:
        return f"{nick} {first}" if region != "hispanic" else f"{first} '{nick}'"
    return f"{first[:3].upper()}{rng.randrange(10, 99)}"


def network_name(rng: random.Random, nationality: str, org_type: str) -> str:
    """An invented name for a network or company led by someone of `nationality`."""
    region = region_of(nationality)
    family = surname(rng, region)
    word = rng.choice(_NETWORK_WORDS[org_type])
    if org_type == "transport_company":
        return f"{word} {family} {rng.choice(('S.A.', 'LLC', 'Ltd', 'SRL', 'Co.'))}"
    if org_type in ("ngo", "government"):
        return f"{family} {word}"
    return f"{family} {word}"


def operation_name(rng: random.Random) -> str:
    """An invented operation code name such as "Operation Quiet Heron"."""
    return f"Operation {rng.choice(_CODE_ADJ)} {rng.choice(_CODE_NOUN)}"

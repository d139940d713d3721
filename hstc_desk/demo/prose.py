"""Templated analytic prose for titles and portions of demo items (invented people only)."""

from __future__ import annotations

import random
from typing import Final

ROLE_PHRASE: Final[dict[str, tuple[str, ...]]] = {
    "smuggler": ("smuggler", "coyote", "smuggling coordinator", "guide", "crossing organizer"),
    "facilitator": ("facilitator", "logistics facilitator", "fixer", "safe house operator"),
    "recruiter": ("recruiter", "broker", "labor recruiter", "talent scout"),
    "financier": ("financier", "money handler", "hawaladar", "treasurer", "cash courier"),
    "forger": ("document forger", "document vendor", "forger", "counterfeiter"),
    "transporter": ("driver", "boat pilot", "transporter", "truck driver", "captain"),
    "migrant": ("migrant", "traveler", "irregular migrant", "smuggled migrant"),
    "victim": ("victim", "trafficking victim", "exploited worker", "survivor"),
    "witness": ("witness", "cooperating witness", "informant", "source"),
    "official": ("official", "border official", "immigration officer", "police officer"),
}

_SOURCE: Final = (
    "According to a source with direct access,",
    "A source with good access reported that",
    "Reporting from a liaison service indicates that",
    "A collaborative source stated that",
    "Intercepted communications suggest that",
    "Financial records reviewed by investigators show that",
    "Debriefings of encountered migrants indicate that",
    "Open-source reporting and seized devices indicate that",
    "A detained subject claimed that",
    "Analysis of travel records shows that",
)
_VERB: Final = (
    "coordinated",
    "organized",
    "arranged",
    "facilitated",
    "brokered",
    "oversaw",
    "managed",
    "directed",
    "financed",
    "supervised",
    "planned",
)
_MOVE: Final = ("movement", "transport", "smuggling", "passage", "transfer", "onward travel")
_PEOPLE: Final = ("migrants", "travelers", "clients", "individuals", "persons", "passengers")
_CONVEYANCE: Final[dict[str, tuple[str, ...]]] = {
    "land": (
        "tractor-trailer",
        "passenger bus",
        "cargo truck",
        "pickup truck",
        "private car",
        "refrigerated trailer",
        "minivan",
    ),
    "sea": (
        "fishing vessel",
        "inflatable boat",
        "go-fast boat",
        "wooden boat",
        "sailboat",
        "cargo ship",
        "yola",
    ),
    "air": ("commercial flight", "connecting flight", "charter flight"),
    "foot": ("on foot", "through the hills on foot", "through farmland on foot"),
    "river": ("raft", "inner tube", "river crossing on foot", "small boat across the river"),
}
_PAY: Final = (
    "hawala transfer",
    "wire transfer",
    "cash courier",
    "mobile money transfer",
    "cryptocurrency transfer",
    "money service business",
    "prepaid card",
)
_CHANNEL: Final = (
    "WhatsApp",
    "Signal",
    "Telegram",
    "an encrypted messaging application",
    "a satellite phone",
    "a burner phone",
    "Facebook Messenger",
    "voice calls",
)
_TOPIC: Final = (
    "pricing",
    "departure dates",
    "routes",
    "payments",
    "safe houses",
    "document supply",
    "bribes to officials",
    "recruitment",
    "boat launches",
    "stash locations",
    "debt bondage",
)
_ASSESS: Final = (
    "We assess with moderate confidence that",
    "We assess with low confidence that",
    "HSTC assesses with high confidence that",
    "Analysts judge that",
    "This information suggests that",
    "It is likely that",
    "It is unclear whether",
)
_JUDGMENT: Final = (
    "the network will shift departures to avoid increased enforcement",
    "the group controls several safe houses along the corridor",
    "the organization relies on corrupt officials at the border",
    "payments are consolidated by a single money handler before onward transfer",
    "the smugglers charge between {lo} and {hi} US dollars per person",
    "the network cooperates with a separate document fraud ring",
    "migrants are held until relatives pay the balance",
    "the cell has expanded its recruitment through social media advertising",
    "the route through {city} will remain active during the coming months",
    "the organization is diversifying into labor trafficking",
)
_COMMENT: Final = (
    "Analyst comment: this reporting is consistent with previous reporting on the network.",
    "Analyst comment: this reporting has not been corroborated.",
    "Analyst comment: the source's access to this information is indirect.",
    "Analyst comment: prices reported here are higher than the corridor average.",
    "Source comment: the source has reported reliably in the past.",
    "Field comment: the subject's identity was confirmed by biometric match.",
    "Analyst comment: this is the first report placing the subject in {city}.",
    "Analyst comment: the timing matches seasonal patterns along the corridor.",
)
_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ADJ_NAT: Final[dict[str, str]] = {
    "HND": "Honduran",
    "GTM": "Guatemalan",
    "SLV": "Salvadoran",
    "MEX": "Mexican",
    "ECU": "Ecuadorian",
    "NIC": "Nicaraguan",
    "ERI": "Eritrean",
    "ETH": "Ethiopian",
    "SDN": "Sudanese",
    "SOM": "Somali",
    "NGA": "Nigerian",
    "AFG": "Afghan",
    "PAK": "Pakistani",
    "SYR": "Syrian",
    "IRN": "Iranian",
    "BGD": "Bangladeshi",
    "HTI": "Haitian",
    "DOM": "Dominican",
    "CUB": "Cuban",
    "VEN": "Venezuelan",
    "LBY": "Libyan",
    "TUR": "Turkish",
    "USA": "US",
    "SRB": "Serbian",
    "MKD": "North Macedonian",
    "GRC": "Greek",
    "ITA": "Italian",
    "BHS": "Bahamian",
    "ARE": "Emirati",
}


def a(phrase: str) -> str:
    """The phrase with its indefinite article ("an Eritrean", "a Honduran")."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def nat_adj(code: str) -> str:
    """Adjective of nationality for a trigraph ("Honduran" for HND)."""
    return _ADJ_NAT.get(code, code)


def month_year(month: int, year: int) -> str:
    """ "March 2021"."""
    return f"{_MONTHS[month - 1]} {year}"


def conveyance(rng: random.Random, mode: str) -> str:
    """A vehicle or way of travel for a mode."""
    return rng.choice(_CONVEYANCE[mode])


def role_phrase(rng: random.Random, role: str) -> str:
    """A varied way of naming a role."""
    return rng.choice(ROLE_PHRASE[role])


def person_text(
    rng: random.Random, name: str, role: str, network: str, city: str, when: str, nat: str
) -> str:
    """A paragraph about a person's part in a network."""
    return (
        f"{rng.choice(_SOURCE)} {name}, {a(nat_adj(nat))} {role_phrase(rng, role)}, "
        f"{rng.choice(_VERB)} the {rng.choice(_MOVE)} of {rng.choice(_PEOPLE)} for the {network} "
        f"from {city} in {when}."
    )


def migrant_text(
    rng: random.Random, name: str, nat: str, origin: str, dest: str, fee: int, when: str
) -> str:
    """A paragraph about a smuggled migrant's journey and fee."""
    return (
        f"{name}, {a(nat_adj(nat))} national, left {origin} in {when} intending to reach {dest}. "
        f"The subject paid approximately {fee:,} US dollars by {rng.choice(_PAY)} to the smugglers."
    )


def judgment(rng: random.Random, city: str) -> str:
    """An analytic judgment sentence."""
    lo = rng.randrange(15, 80) * 100
    text = rng.choice(_JUDGMENT).format(
        lo=f"{lo:,}", hi=f"{lo + rng.randrange(5, 60) * 100:,}", city=city
    )
    return f"{rng.choice(_ASSESS)} {text}."


def comment(rng: random.Random, city: str) -> str:
    """An analyst, source or field comment."""
    return rng.choice(_COMMENT).format(city=city)


def leg_text(
    rng: random.Random, count: int, nat: str, a: str, b: str, mode: str, network: str
) -> str:
    """A paragraph about a route leg."""
    how = conveyance(rng, mode)
    by = how if how.startswith(("on foot", "through")) else f"by {how}"
    return (
        f"{rng.choice(_SOURCE)} the {network} moved {count} {nat_adj(nat)} {rng.choice(_PEOPLE)} "
        f"from {a} to {b} {by}."
    )


def comms_text(rng: random.Random, a: str, b: str, network: str) -> str:
    """A paragraph about a communication between members."""
    return (
        f"{a} and {b} communicated via {rng.choice(_CHANNEL)} about {rng.choice(_TOPIC)} "
        f"and {rng.choice(_TOPIC)} for the {network}."
    )


def payment_text(rng: random.Random, payer: str, payee: str, amount: float, city: str) -> str:
    """A paragraph about a payment."""
    return (
        f"{payer} sent {amount:,.0f} US dollars to {payee} by {rng.choice(_PAY)} "
        f"through an agent in {city}."
    )


def interdiction_text(
    rng: random.Random, event_type: str, count: int, nat: str, city: str, mode: str, agency: str
) -> str:
    """A paragraph about an encounter, crossing or interdiction."""
    how = conveyance(rng, mode)
    if event_type == "interdiction":
        return (
            f"{agency} officers interdicted {count} {nat_adj(nat)} {rng.choice(_PEOPLE)} "
            f"concealed in {a(how)} near {city}."
            if mode in ("land", "sea")
            else f"{agency} officers interdicted {count} {rng.choice(_PEOPLE)} near {city}."
        )
    if event_type == "encounter":
        return (
            f"{agency} encountered {count} {nat_adj(nat)} {rng.choice(_PEOPLE)} near {city}; "
            f"the group stated that smugglers had guided them {rng.choice(('across', 'past'))} "
            f"the checkpoint."
        )
    return (
        f"A group of {count} {rng.choice(_PEOPLE)} crossed near {city}, reportedly guided by "
        f"members of the network."
    )


def arrest_text(rng: random.Random, name: str, city: str, agency: str, charge: str) -> str:
    """A paragraph about an arrest."""
    return (
        f"{agency} arrested {name} in {city} on charges of {charge}. "
        f"Investigators seized {rng.randrange(2, 9)} mobile phones and ledgers."
    )


CHARGES: Final = (
    "migrant smuggling",
    "trafficking in persons",
    "money laundering",
    "document fraud",
    "alien smuggling resulting in death",
    "harboring",
    "conspiracy to smuggle",
)

TOPICS: Final = (
    "pricing and payment methods",
    "new departure points",
    "use of fraudulent documents",
    "exploitation of migrants",
    "leadership changes",
    "corrupt officials",
    "maritime departures",
    "stash house locations",
    "recruitment via social media",
    "financial flows",
)

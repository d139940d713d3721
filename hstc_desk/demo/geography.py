"""Real places on four smuggling corridors (coordinates of the actual cities, 4 decimals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Place:
    """A real place: name, ISO 3166 alpha-3 country, latitude, longitude, location type."""

    name: str
    country: str
    lat: float
    lon: float
    loc_type: str


@dataclass(frozen=True, slots=True)
class Corridor:
    """A corridor: its places, the routes through them (place indexes) and who works it."""

    key: str
    name: str
    places: tuple[Place, ...]
    routes: tuple[tuple[int, ...], ...]
    origin_nationalities: tuple[str, ...]
    network_nationalities: tuple[str, ...]
    agencies: tuple[tuple[str, int], ...]
    default_mode: str


def _p(name: str, country: str, lat: float, lon: float, loc_type: str = "city") -> Place:
    return Place(name, country, lat, lon, loc_type)


CENTRAL_AMERICA: Final = Corridor(
    key="central_america",
    name="Central America - Mexico - US southwest border",
    places=(
        _p("Tegucigalpa", "HND", 14.0723, -87.1921),  # 0
        _p("San Pedro Sula", "HND", 15.5050, -88.0250),  # 1
        _p("San Salvador", "SLV", 13.6929, -89.2182),  # 2
        _p("Guatemala City", "GTM", 14.6349, -90.5069),  # 3
        _p("Tecún Umán", "GTM", 14.6717, -92.1400, "border_crossing"),  # 4
        _p("Tapachula", "MEX", 14.9039, -92.2575),  # 5
        _p("Mexico City", "MEX", 19.4326, -99.1332),  # 6
        _p("Monterrey", "MEX", 25.6866, -100.3161),  # 7
        _p("Reynosa", "MEX", 26.0508, -98.2979),  # 8
        _p("Nuevo Laredo", "MEX", 27.4779, -99.5155),  # 9
        _p("Ciudad Juárez", "MEX", 31.6904, -106.4245),  # 10
        _p("McAllen", "USA", 26.2034, -98.2300),  # 11
        _p("Laredo", "USA", 27.5306, -99.4803),  # 12
        _p("El Paso", "USA", 31.7619, -106.4850),  # 13
        _p("Falfurrias", "USA", 27.2267, -98.1442, "border_crossing"),  # 14
        _p("Houston", "USA", 29.7604, -95.3698),  # 15
        _p("Mexico City International Airport", "MEX", 19.4361, -99.0719, "airport"),  # 16
    ),
    routes=(
        (1, 3, 4, 5, 6, 7, 8, 11, 14, 15),
        (0, 1, 3, 5, 6, 9, 12, 15),
        (2, 3, 4, 5, 16, 10, 13),
        (0, 3, 5, 6, 7, 9, 12, 15),
    ),
    origin_nationalities=("HND", "HND", "GTM", "GTM", "SLV", "MEX", "ECU", "NIC"),
    network_nationalities=("MEX", "MEX", "MEX", "GTM", "HND", "USA"),
    agencies=(
        ("CBP", 18),
        ("ICE-HSI", 18),
        ("FBI", 8),
        ("DOS-DS", 6),
        ("MEX-FGR", 10),
        ("CIA", 6),
        ("NSA", 6),
        ("DIA", 4),
        ("INTERPOL", 3),
        ("UNODC", 2),
    ),
    default_mode="land",
)

HORN_OF_AFRICA: Final = Corridor(
    key="horn_of_africa",
    name="Horn of Africa - Libya - central Mediterranean",
    places=(
        _p("Asmara", "ERI", 15.3229, 38.9251),  # 0
        _p("Addis Ababa", "ETH", 8.9806, 38.7578),  # 1
        _p("Kassala", "SDN", 15.4510, 36.4000),  # 2
        _p("Khartoum", "SDN", 15.5007, 32.5599),  # 3
        _p("Kufra", "LBY", 24.1833, 23.2833, "transit_camp"),  # 4
        _p("Sabha", "LBY", 27.0377, 14.4283),  # 5
        _p("Tripoli", "LBY", 32.8872, 13.1913),  # 6
        _p("Zuwara", "LBY", 32.9312, 12.0819, "port"),  # 7
        _p("Sabratha", "LBY", 32.7933, 12.4885, "port"),  # 8
        _p("Lampedusa", "ITA", 35.5011, 12.6097, "landing_site"),  # 9
        _p("Catania", "ITA", 37.5079, 15.0830, "port"),  # 10
        _p("Agadez", "NER", 16.9742, 7.9865),  # 11
        _p("Bole International Airport", "ETH", 8.9779, 38.7993, "airport"),  # 12
    ),
    routes=(
        (0, 2, 3, 4, 6, 7, 9, 10),
        (1, 3, 4, 5, 6, 8, 9, 10),
        (12, 3, 4, 6, 7, 9),
        (11, 5, 6, 8, 9, 10),
    ),
    origin_nationalities=("ERI", "ERI", "ETH", "SDN", "SOM", "NGA"),
    network_nationalities=("LBY", "LBY", "ERI", "SDN", "ETH", "ITA"),
    agencies=(
        ("ITA-SCO", 14),
        ("EUROPOL", 12),
        ("FRONTEX", 10),
        ("GBR-NCA", 8),
        ("CIA", 8),
        ("NSA", 8),
        ("NCTC", 6),
        ("DOS-DS", 5),
        ("UNODC", 4),
        ("INTERPOL", 4),
    ),
    default_mode="land",
)

SOUTH_ASIA: Final = Corridor(
    key="south_asia_balkans",
    name="South Asia - Gulf - Balkans",
    places=(
        _p("Lahore", "PAK", 31.5204, 74.3587),  # 0
        _p("Islamabad", "PAK", 33.6844, 73.0479),  # 1
        _p("Kabul", "AFG", 34.5553, 69.2075),  # 2
        _p("Quetta", "PAK", 30.1798, 66.9750),  # 3
        _p("Dubai", "ARE", 25.2048, 55.2708, "airport"),  # 4
        _p("Tehran", "IRN", 35.6892, 51.3890),  # 5
        _p("Van", "TUR", 38.5012, 43.3730),  # 6
        _p("Istanbul", "TUR", 41.0082, 28.9784),  # 7
        _p("Izmir", "TUR", 38.4237, 27.1428, "port"),  # 8
        _p("Lesbos", "GRC", 39.1041, 26.5550, "landing_site"),  # 9
        _p("Athens", "GRC", 37.9838, 23.7275),  # 10
        _p("Thessaloniki", "GRC", 40.6401, 22.9444),  # 11
        _p("Skopje", "MKD", 41.9981, 21.4254),  # 12
        _p("Belgrade", "SRB", 44.7866, 20.4489),  # 13
        _p("Subotica", "SRB", 46.1003, 19.6658, "border_crossing"),  # 14
        _p("Budapest", "HUN", 47.4979, 19.0402),  # 15
        _p("Vienna", "AUT", 48.2082, 16.3738),  # 16
        _p("Edirne", "TUR", 41.6771, 26.5557, "border_crossing"),  # 17
    ),
    routes=(
        (2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
        (0, 4, 7, 17, 11, 12, 13, 14, 15, 16),
        (1, 3, 5, 6, 7, 8, 9, 10),
        (0, 1, 3, 5, 6, 7, 17, 11, 12, 13, 16),
    ),
    origin_nationalities=("AFG", "AFG", "PAK", "PAK", "SYR", "IRN", "BGD"),
    network_nationalities=("TUR", "TUR", "PAK", "AFG", "SRB", "MKD", "GRC"),
    agencies=(
        ("EUROPOL", 12),
        ("FRONTEX", 12),
        ("GBR-NCA", 8),
        ("CIA", 8),
        ("NSA", 8),
        ("NCTC", 6),
        ("DIA", 4),
        ("ICE-HSI", 6),
        ("DOS-DS", 6),
        ("TSA", 4),
        ("UNODC", 3),
        ("AUS-AFP", 2),
    ),
    default_mode="land",
)

CARIBBEAN: Final = Corridor(
    key="caribbean_maritime",
    name="Caribbean maritime",
    places=(
        _p("Port-au-Prince", "HTI", 18.5944, -72.3074),  # 0
        _p("Cap-Haïtien", "HTI", 19.7578, -72.2042, "port"),  # 1
        _p("Santo Domingo", "DOM", 18.4861, -69.9312),  # 2
        _p("Havana", "CUB", 23.1136, -82.3666),  # 3
        _p("Nassau", "BHS", 25.0443, -77.3504, "port"),  # 4
        _p("Bimini", "BHS", 25.7256, -79.2975, "landing_site"),  # 5
        _p("Miami", "USA", 25.7617, -80.1918),  # 6
        _p("Key West", "USA", 24.5551, -81.7800, "landing_site"),  # 7
        _p("Mona Island", "PRI", 18.0870, -67.8945, "landing_site"),  # 8
        _p("Aguadilla", "PRI", 18.4274, -67.1541, "landing_site"),  # 9
        _p("San Juan", "PRI", 18.4655, -66.1057, "port"),  # 10
    ),
    routes=(
        (0, 1, 4, 5, 6),
        (2, 8, 9, 10),
        (3, 7, 6),
        (0, 2, 8, 9, 10),
        (1, 4, 6),
    ),
    origin_nationalities=("HTI", "HTI", "DOM", "CUB", "CUB", "VEN"),
    network_nationalities=("DOM", "HTI", "BHS", "USA", "CUB"),
    agencies=(
        ("USCG", 16),
        ("CBP", 12),
        ("ICE-HSI", 12),
        ("FBI", 6),
        ("DOS-DS", 6),
        ("CIA", 5),
        ("NSA", 5),
        ("CAN-RCMP", 3),
        ("INTERPOL", 3),
    ),
    default_mode="sea",
)

CORRIDORS: Final[tuple[Corridor, ...]] = (CENTRAL_AMERICA, HORN_OF_AFRICA, SOUTH_ASIA, CARIBBEAN)

_SEA: Final = frozenset({"port", "landing_site"})


def leg_mode(corridor: Corridor, a: Place, b: Place, roll: float) -> str:
    """A realistic mode for travel from `a` to `b` (roll in [0, 1) picks among plausible ones)."""
    if a.loc_type == "airport" or b.loc_type == "airport":
        return "air"
    if a.loc_type in _SEA and b.loc_type in _SEA:
        return "sea"
    if corridor is CARIBBEAN:
        if a.country == b.country == "HTI" or {a.country, b.country} == {"HTI", "DOM"}:
            return "land"
        return "sea" if b.loc_type in _SEA or a.loc_type in _SEA else "air"
    if a.loc_type in _SEA and b.loc_type not in _SEA and a.country == b.country:
        return "land" if roll < 0.8 else "sea"
    if b.loc_type in _SEA and a.country != b.country:
        return "sea"
    if b.name in ("McAllen", "Laredo", "El Paso") or (a.name, b.name) == ("Edirne", "Thessaloniki"):
        return "river" if roll < 0.55 else "foot"
    if b.loc_type == "border_crossing" or a.loc_type == "border_crossing":
        return "foot" if roll < 0.6 else "land"
    if (a.name, b.name) in (("Tehran", "Van"), ("Subotica", "Budapest")):
        return "foot" if roll < 0.7 else "land"
    if (a.name, b.name) == ("Khartoum", "Kufra") or (a.name, b.name) == ("Agadez", "Sabha"):
        return "land"
    return "air" if roll > 0.93 else "land"

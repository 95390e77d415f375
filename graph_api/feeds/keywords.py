"""The built-in keyword rules: what suggests each sector of the seed network and each topic until
an analyst stores rules of their own (a stored rule replaces the built-in one of its target)."""

from __future__ import annotations

from graph_api.feeds.classify import KeywordRule, RuleTarget

SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "chemical": ("chemical plant", "chemical facility", "hazardous chemical", "chlorine", "ammonia leak"),
    "commercial-facilities": ("stadium", "shopping mall", "hotel", "casino", "arena", "theme park"),
    "communications": (
        "telecom",
        "telecommunications",
        "broadband",
        "cell tower",
        "wireless carrier",
        "911 outage",
    ),
    "critical-manufacturing": ("manufacturing plant", "factory", "steel mill", "automaker", "assembly line"),
    "dams": ("dam", "levee", "spillway", "reservoir"),
    "defense-industrial-base": (
        "defense contractor",
        "defense industrial base",
        "munitions",
        "pentagon supplier",
    ),
    "emergency-services": (
        "first responders",
        "firefighters",
        "emergency services",
        "ambulance",
        "police department",
    ),
    "energy": (
        "power grid",
        "electric grid",
        "electricity",
        "power outage",
        "electric utility",
        "power company",
        "pipeline",
        "substation",
        "refinery",
        "natural gas",
        "blackout",
    ),
    "financial-services": (
        "bank",
        "banking",
        "financial institution",
        "payment system",
        "stock exchange",
        "credit union",
    ),
    "food-agriculture": ("food supply", "agriculture", "farm", "livestock", "food recall", "meat processing"),
    "government-facilities": (
        "federal building",
        "courthouse",
        "city hall",
        "government facility",
        "state capitol",
    ),
    "healthcare": (
        "hospital",
        "healthcare",
        "health care",
        "patient data",
        "clinic",
        "pharmacy",
        "public health",
    ),
    "information-technology": (
        "software vulnerability",
        "cloud provider",
        "data center",
        "zero-day",
        "software supply chain",
        "patch",
    ),
    "national-monuments": ("national monument", "memorial", "landmark", "national park"),
    "nuclear": ("nuclear plant", "nuclear power", "reactor", "radioactive", "nuclear material"),
    "postal-shipping": ("postal service", "parcel", "shipping company", "mail facility", "courier"),
    "transportation": (
        "airport",
        "railway",
        "rail line",
        "transit",
        "port authority",
        "airline",
        "highway",
        "bridge",
    ),
    "water": ("water treatment", "wastewater", "water utility", "drinking water", "water system", "sewage"),
}

TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "cyber": (
        "ransomware",
        "malware",
        "cyberattack",
        "cyber attack",
        "hackers",
        "phishing",
        "vulnerability",
        "data breach",
        "ddos",
    ),
    "physical": ("vandalism", "sabotage", "break-in", "gunfire", "intrusion", "trespass"),
    "severe-weather": (
        "hurricane",
        "tornado",
        "blizzard",
        "ice storm",
        "heat wave",
        "severe storm",
        "flooding",
    ),
    "natural-hazards": ("earthquake", "wildfire", "landslide", "tsunami", "volcano", "drought"),
    "pandemic": ("pandemic", "outbreak", "epidemic", "influenza", "virus spread"),
    "terrorism": ("terrorist", "terrorism", "bomb threat", "explosive device", "extremist"),
    "insider-threat": ("insider threat", "disgruntled employee", "former employee"),
    "supply-chain": ("supply chain", "shortage", "supplier"),
    "suspicious-activity": ("suspicious activity", "suspicious package", "drone sighting", "surveillance of"),
}

DEFAULT_RULES: tuple[KeywordRule, ...] = tuple(
    [KeywordRule(RuleTarget.SECTOR, ref, words) for ref, words in SECTOR_KEYWORDS.items()]
    + [KeywordRule(RuleTarget.TOPIC, ref, words) for ref, words in TOPIC_KEYWORDS.items()]
)

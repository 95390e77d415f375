"""The seed network: an illustrative critical-infrastructure information-sharing environment.

``build_seed_document()`` returns it as an interchange document. Sectors,
regions, topics and real public bodies (DHS components, SSAs, HITRAC, NICC, real ISACs and
fusion centers) carry ``illustrative: false``; every invented organisation, person,
membership list and product carries ``illustrative: true`` so that nobody mistakes the seed
for an official directory. The data lives in compact tables; small functions turn them into
records. Output is fully deterministic (a fixed-seed ``random.Random`` only picks contact
names and channels).
"""

from __future__ import annotations

import random
import re
from typing import Any

from graph_api import domain

Record = dict[str, Any]
Document = dict[str, Any]

GOVERNMENT_KINDS = domain.GOVERNMENT_KINDS
CONTACT_SEED = 20261120

# (id, name, sector-specific agency) — the 18 sectors of the 2009 NIPP era the source
# describes; SSAs follow that plan (DHS IP and CS&C, TSA, FPS, DOE, EPA, HHS, USDA, ...).
SECTORS: tuple[tuple[str, str, str], ...] = (
    ("chemical", "Chemical", "dhs-ip"),
    ("commercial-facilities", "Commercial Facilities", "dhs-ip"),
    ("communications", "Communications", "dhs-csc"),
    ("critical-manufacturing", "Critical Manufacturing", "dhs-ip"),
    ("dams", "Dams", "dhs-ip"),
    ("defense-industrial-base", "Defense Industrial Base", "dod"),
    ("emergency-services", "Emergency Services", "dhs-ip"),
    ("energy", "Energy", "doe"),
    ("financial-services", "Financial Services", "treasury"),
    ("food-agriculture", "Food and Agriculture", "usda"),
    ("government-facilities", "Government Facilities", "fps"),
    ("healthcare", "Healthcare and Public Health", "hhs"),
    ("information-technology", "Information Technology", "dhs-csc"),
    ("national-monuments", "National Monuments and Icons", "doi"),
    ("nuclear", "Nuclear Reactors, Materials and Waste", "dhs-ip"),
    ("postal-shipping", "Postal and Shipping", "tsa"),
    ("transportation", "Transportation Systems", "tsa"),
    ("water", "Water and Wastewater Systems", "epa"),
)
SECTOR_IDS: tuple[str, ...] = tuple(s[0] for s in SECTORS)

ROMAN: tuple[str, ...] = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# (id, name, FEMA region number, is a territory)
STATES: tuple[tuple[str, str, int, bool], ...] = (
    ("al", "Alabama", 4, False),
    ("ak", "Alaska", 10, False),
    ("az", "Arizona", 9, False),
    ("ar", "Arkansas", 6, False),
    ("ca", "California", 9, False),
    ("co", "Colorado", 8, False),
    ("ct", "Connecticut", 1, False),
    ("de", "Delaware", 3, False),
    ("dc", "District of Columbia", 3, False),
    ("fl", "Florida", 4, False),
    ("ga", "Georgia", 4, False),
    ("hi", "Hawaii", 9, False),
    ("id", "Idaho", 10, False),
    ("il", "Illinois", 5, False),
    ("in", "Indiana", 5, False),
    ("ia", "Iowa", 7, False),
    ("ks", "Kansas", 7, False),
    ("ky", "Kentucky", 4, False),
    ("la", "Louisiana", 6, False),
    ("me", "Maine", 1, False),
    ("md", "Maryland", 3, False),
    ("ma", "Massachusetts", 1, False),
    ("mi", "Michigan", 5, False),
    ("mn", "Minnesota", 5, False),
    ("ms", "Mississippi", 4, False),
    ("mo", "Missouri", 7, False),
    ("mt", "Montana", 8, False),
    ("ne", "Nebraska", 7, False),
    ("nv", "Nevada", 9, False),
    ("nh", "New Hampshire", 1, False),
    ("nj", "New Jersey", 2, False),
    ("nm", "New Mexico", 6, False),
    ("ny", "New York", 2, False),
    ("nc", "North Carolina", 4, False),
    ("nd", "North Dakota", 8, False),
    ("oh", "Ohio", 5, False),
    ("ok", "Oklahoma", 6, False),
    ("or", "Oregon", 10, False),
    ("pa", "Pennsylvania", 3, False),
    ("ri", "Rhode Island", 1, False),
    ("sc", "South Carolina", 4, False),
    ("sd", "South Dakota", 8, False),
    ("tn", "Tennessee", 4, False),
    ("tx", "Texas", 6, False),
    ("ut", "Utah", 8, False),
    ("vt", "Vermont", 1, False),
    ("va", "Virginia", 3, False),
    ("wa", "Washington", 10, False),
    ("wv", "West Virginia", 3, False),
    ("wi", "Wisconsin", 5, False),
    ("wy", "Wyoming", 8, False),
    ("pr", "Puerto Rico", 2, True),
    ("vi", "U.S. Virgin Islands", 2, True),
    ("gu", "Guam", 9, True),
    ("as", "American Samoa", 9, True),
    ("mp", "Northern Mariana Islands", 9, True),
)

# Real primary fusion-center names, used only where certain; the rest get a descriptive,
# illustrative name ("Ohio State Fusion Center" style).
STATE_FUSION_CENTERS: dict[str, str] = {
    "az": "Arizona Counter Terrorism Information Center",
    "ca": "California State Threat Assessment Center",
    "co": "Colorado Information Analysis Center",
    "ct": "Connecticut Intelligence Center",
    "fl": "Florida Fusion Center",
    "ga": "Georgia Information Sharing and Analysis Center",
    "il": "Illinois Statewide Terrorism and Intelligence Center",
    "in": "Indiana Intelligence Fusion Center",
    "ky": "Kentucky Intelligence Fusion Center",
    "la": "Louisiana State Analytical and Fusion Exchange",
    "ma": "Commonwealth Fusion Center",
    "md": "Maryland Coordination and Analysis Center",
    "mi": "Michigan Intelligence Operations Center",
    "mn": "Minnesota Fusion Center",
    "mo": "Missouri Information Analysis Center",
    "nj": "New Jersey Regional Operations Intelligence Center",
    "nv": "Nevada Threat Analysis Center",
    "ny": "New York State Intelligence Center",
    "pa": "Pennsylvania Criminal Intelligence Center",
    "tn": "Tennessee Fusion Center",
    "ut": "Utah Statewide Information and Analysis Center",
    "va": "Virginia Fusion Center",
    "wa": "Washington State Fusion Center",
    "wi": "Wisconsin Statewide Information Center",
}

# (region id, name, state, real recognized fusion-center name or "" for a descriptive one)
URBAN_AREAS: tuple[tuple[str, str, str, str], ...] = (
    ("ua-new-york", "New York City", "ny", ""),
    ("ua-los-angeles", "Los Angeles/Long Beach", "ca", "Joint Regional Intelligence Center"),
    ("ua-san-francisco", "Bay Area", "ca", "Northern California Regional Intelligence Center"),
    ("ua-san-diego", "San Diego", "ca", "San Diego Law Enforcement Coordination Center"),
    ("ua-sacramento", "Sacramento", "ca", "Central California Intelligence Center"),
    ("ua-houston", "Houston", "tx", "Houston Regional Intelligence Service Center"),
    ("ua-dallas", "Dallas/Fort Worth/Arlington", "tx", ""),
    ("ua-austin", "Austin", "tx", "Austin Regional Intelligence Center"),
    ("ua-san-antonio", "San Antonio", "tx", "Southwest Texas Fusion Center"),
    ("ua-chicago", "Chicago", "il", "Chicago Crime Prevention and Information Center"),
    ("ua-boston", "Boston", "ma", "Boston Regional Intelligence Center"),
    ("ua-philadelphia", "Philadelphia", "pa", "Delaware Valley Intelligence Center"),
    ("ua-atlanta", "Atlanta", "ga", ""),
    ("ua-miami", "Miami/Fort Lauderdale", "fl", "Southeast Florida Fusion Center"),
    ("ua-seattle", "Seattle", "wa", ""),
    ("ua-denver", "Denver", "co", ""),
    ("ua-detroit", "Detroit", "mi", "Detroit and Southeast Michigan Information and Intelligence Center"),
    ("ua-cleveland", "Cleveland", "oh", "Northeast Ohio Regional Fusion Center"),
    ("ua-kansas-city", "Kansas City", "mo", "Kansas City Regional Fusion Center"),
    ("ua-st-louis", "St. Louis", "mo", "St. Louis Fusion Center"),
    ("ua-las-vegas", "Las Vegas", "nv", "Southern Nevada Counter-Terrorism Center"),
    ("ua-phoenix", "Phoenix", "az", ""),
    ("ua-new-orleans", "New Orleans", "la", ""),
    ("ua-twin-cities", "Twin Cities", "mn", ""),
    ("ua-baltimore", "Baltimore", "md", ""),
    ("ua-honolulu", "Honolulu", "hi", ""),
    ("ua-portland", "Portland", "or", ""),
)

TOPICS: tuple[tuple[str, str], ...] = (
    ("cyber", "Cyber"),
    ("physical", "Physical Security"),
    ("severe-weather", "Severe Weather"),
    ("natural-hazards", "Natural Hazards"),
    ("pandemic", "Pandemic"),
    ("terrorism", "Terrorism"),
    ("insider-threat", "Insider Threat"),
    ("supply-chain", "Supply Chain"),
    ("suspicious-activity", "Suspicious Activity"),
)

# Real federal bodies: (id, name, sectors). All national (no regions).
FEDERAL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("dhs", "Department of Homeland Security", ()),
    (
        "dhs-ip",
        "DHS Office of Infrastructure Protection",
        (
            "chemical",
            "commercial-facilities",
            "critical-manufacturing",
            "dams",
            "emergency-services",
            "nuclear",
        ),
    ),
    (
        "dhs-csc",
        "DHS Office of Cybersecurity and Communications",
        ("communications", "information-technology"),
    ),
    ("dhs-ia", "DHS Office of Intelligence and Analysis", ()),
    ("hsin-cs", "Homeland Security Information Network - Critical Sectors", ()),
    ("pcii-program", "Protected Critical Infrastructure Information Program", ()),
    ("hitrac", "Homeland Infrastructure Threat and Risk Analysis Center", ()),
    ("nicc", "National Infrastructure Coordinating Center", ()),
    ("dosir", "DHS Daily Open Source Infrastructure Report", ()),
    (
        "us-cert",
        "United States Computer Emergency Readiness Team",
        ("information-technology", "communications"),
    ),
    ("tsa", "Transportation Security Administration", ("transportation", "postal-shipping")),
    ("uscg", "United States Coast Guard", ("transportation",)),
    ("fps", "Federal Protective Service", ("government-facilities",)),
    ("fema", "Federal Emergency Management Agency", ("emergency-services",)),
    ("doe", "Department of Energy", ("energy",)),
    ("epa", "Environmental Protection Agency", ("water",)),
    ("hhs", "Department of Health and Human Services", ("healthcare", "food-agriculture")),
    ("usda", "Department of Agriculture", ("food-agriculture",)),
    ("fda", "Food and Drug Administration", ("food-agriculture", "healthcare")),
    ("treasury", "Department of the Treasury", ("financial-services",)),
    ("dod", "Department of Defense", ("defense-industrial-base",)),
    ("doi", "Department of the Interior", ("national-monuments", "dams")),
    ("usace", "U.S. Army Corps of Engineers", ("dams",)),
    ("nrc", "Nuclear Regulatory Commission", ("nuclear",)),
    ("fbi", "Federal Bureau of Investigation", ()),
    ("gsa", "General Services Administration", ("government-facilities",)),
    ("dot", "Department of Transportation", ("transportation",)),
    ("usps", "United States Postal Service", ("postal-shipping",)),
)

# Illustrative state, local, tribal and territorial agencies: (id, name, kind, sectors, regions)
SLTT: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "ca-emergency-mgmt",
        "California State Emergency Management Office",
        "STATE",
        ("emergency-services",),
        ("ca",),
    ),
    (
        "tx-emergency-mgmt",
        "Texas State Emergency Management Office",
        "STATE",
        ("emergency-services", "energy"),
        ("tx",),
    ),
    (
        "ny-homeland-security",
        "New York State Homeland Security Office",
        "STATE",
        ("emergency-services", "government-facilities"),
        ("ny",),
    ),
    (
        "fl-emergency-mgmt",
        "Florida State Emergency Management Office",
        "STATE",
        ("emergency-services",),
        ("fl",),
    ),
    (
        "oh-utilities-commission",
        "Ohio State Utilities Commission",
        "STATE",
        ("energy", "water", "communications"),
        ("oh",),
    ),
    (
        "wa-emergency-mgmt",
        "Washington State Emergency Management Office",
        "STATE",
        ("emergency-services",),
        ("wa",),
    ),
    (
        "la-county-oem",
        "Los Angeles County Emergency Management Office",
        "LOCAL",
        ("emergency-services",),
        ("ua-los-angeles",),
    ),
    (
        "harris-county-oem",
        "Harris County Emergency Management Office",
        "LOCAL",
        ("emergency-services", "chemical"),
        ("ua-houston",),
    ),
    (
        "chicago-oem",
        "Chicago Emergency Management Office",
        "LOCAL",
        ("emergency-services", "commercial-facilities"),
        ("ua-chicago",),
    ),
    (
        "nyc-emergency-mgmt",
        "New York City Emergency Management Office",
        "LOCAL",
        ("emergency-services",),
        ("ua-new-york",),
    ),
    ("denver-water-utility", "Denver Municipal Water Utility", "LOCAL", ("water",), ("ua-denver",)),
    (
        "atlanta-transit-police",
        "Atlanta Metropolitan Transit Police",
        "LOCAL",
        ("transportation", "emergency-services"),
        ("ua-atlanta",),
    ),
    (
        "miami-dade-oem",
        "Miami-Dade Emergency Management Office",
        "LOCAL",
        ("emergency-services",),
        ("ua-miami",),
    ),
    (
        "seattle-harbor-security",
        "Seattle Harbor Security Office",
        "LOCAL",
        ("transportation",),
        ("ua-seattle",),
    ),
    (
        "four-rivers-tribal-em",
        "Four Rivers Tribal Emergency Management",
        "TRIBAL",
        ("emergency-services",),
        ("ok",),
    ),
    (
        "great-plains-tribal-ps",
        "Great Plains Tribal Public Safety Office",
        "TRIBAL",
        ("emergency-services", "government-facilities"),
        ("sd",),
    ),
    (
        "desert-sw-tribal-utilities",
        "Desert Southwest Tribal Utilities Authority",
        "TRIBAL",
        ("water", "energy"),
        ("az",),
    ),
    (
        "pr-emergency-mgmt",
        "Puerto Rico Territorial Emergency Management Office",
        "TERRITORIAL",
        ("emergency-services",),
        ("pr",),
    ),
    (
        "guam-homeland-security",
        "Guam Territorial Homeland Security Office",
        "TERRITORIAL",
        ("emergency-services", "government-facilities"),
        ("gu",),
    ),
    (
        "usvi-emergency-mgmt",
        "U.S. Virgin Islands Territorial Emergency Office",
        "TERRITORIAL",
        ("emergency-services",),
        ("vi",),
    ),
)

# Illustrative owners and operators: (id, name, sectors, regions). The first row of each
# sector chairs its SCC; an empty region tuple marks a national operator.
PRIVATE: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("gulfside-chemical", "Gulfside Chemical Corp", ("chemical", "energy"), ("tx", "la")),
    ("prairie-agrochem", "Prairie Agrochem Inc", ("chemical", "food-agriculture"), ("ia",)),
    ("keystone-polymers", "Keystone Specialty Polymers", ("chemical",), ("pa",)),
    ("bayou-petrochemical", "Bayou Petrochemical Partners", ("chemical",), ("ua-new-orleans",)),
    ("lakeshore-arena", "Lakeshore Arena Group", ("commercial-facilities",), ("ua-chicago",)),
    ("sunbelt-shopping", "Sunbelt Shopping Centers LLC", ("commercial-facilities",), ("fl", "ga")),
    ("metro-hospitality", "Metro Hospitality Holdings", ("commercial-facilities",), ("ua-las-vegas",)),
    (
        "harborview-convention",
        "Harborview Convention Center Co",
        ("commercial-facilities",),
        ("ua-san-diego",),
    ),
    ("continental-fiber", "Continental Fiber Networks", ("communications",), ()),
    ("skybridge-wireless", "SkyBridge Wireless", ("communications",), ("tx",)),
    ("northeast-cable", "Northeast Cable Systems", ("communications",), ("ny", "nj", "ct")),
    ("pacific-broadcast", "Pacific Broadcast Group", ("communications",), ("ua-seattle",)),
    ("great-lakes-heavy", "Great Lakes Heavy Industries", ("critical-manufacturing",), ("mi",)),
    ("ironworks-turbine", "Ironworks Turbine Corp", ("critical-manufacturing", "energy"), ("oh",)),
    ("carolina-transformer", "Carolina Transformer Works", ("critical-manufacturing",), ("nc",)),
    (
        "summit-aerospace",
        "Summit Aerospace Components",
        ("critical-manufacturing", "defense-industrial-base"),
        ("ks",),
    ),
    ("cascade-hydro", "Cascade Hydro Operations LLC", ("dams", "energy"), ("or", "wa")),
    ("tri-county-levee", "Tri-County Levee Services", ("dams",), ("la",)),
    ("ozark-reservoir", "Ozark Reservoir Company", ("dams",), ("ar",)),
    ("sierra-dam-operators", "Sierra Dam Operators Inc", ("dams",), ("ca",)),
    ("patriot-defense", "Patriot Defense Systems", ("defense-industrial-base",), ("va",)),
    ("redstone-avionics", "Redstone Avionics", ("defense-industrial-base",), ("al",)),
    ("liberty-shipbuilding", "Liberty Shipbuilding Co", ("defense-industrial-base",), ("me",)),
    ("frontier-munitions", "Frontier Munitions Corp", ("defense-industrial-base",), ("ut",)),
    (
        "rapid-response-ambulance",
        "Rapid Response Ambulance Services",
        ("emergency-services",),
        ("ua-atlanta",),
    ),
    ("lonestar-dispatch", "Lone Star Emergency Dispatch Services", ("emergency-services",), ("tx",)),
    (
        "safeharbor-security",
        "SafeHarbor Private Security",
        ("emergency-services", "commercial-facilities"),
        ("ua-new-york",),
    ),
    ("mountain-rescue-logistics", "Mountain Rescue Logistics", ("emergency-services",), ("co",)),
    ("pacific-grid", "Pacific Grid Co", ("energy",), ("ca",)),
    ("heartland-power", "Heartland Power Cooperative", ("energy",), ("ne", "ia")),
    ("permian-pipeline", "Permian Pipeline Partners", ("energy",), ("tx", "nm")),
    ("atlantic-offshore-wind", "Atlantic Offshore Wind", ("energy",), ("ma",)),
    ("appalachian-gas", "Appalachian Gas Transmission", ("energy",), ("wv", "pa")),
    ("first-continental-bank", "First Continental Bank", ("financial-services",), ()),
    ("midwest-clearing-house", "Midwest Clearing House", ("financial-services",), ("ua-chicago",)),
    ("evergreen-credit-union", "Evergreen Credit Union", ("financial-services",), ("wa",)),
    ("liberty-payments", "Liberty Payments Processing", ("financial-services",), ("de",)),
    ("heartland-grain", "Heartland Grain Cooperative", ("food-agriculture",), ("ks", "ne")),
    ("golden-valley-produce", "Golden Valley Produce", ("food-agriculture",), ("ca",)),
    ("great-plains-meat", "Great Plains Meatpacking", ("food-agriculture",), ("ne",)),
    ("dairyland-processing", "Dairyland Processing", ("food-agriculture",), ("wi",)),
    ("capitol-facility-services", "Capitol Facility Services", ("government-facilities",), ("dc",)),
    ("secure-perimeter", "Secure Perimeter Contractors", ("government-facilities",), ("va",)),
    (
        "federal-building-maintenance",
        "Federal Building Maintenance Corp",
        ("government-facilities",),
        ("md",),
    ),
    ("mercy-regional-health", "Mercy Regional Health System", ("healthcare",), ("mo",)),
    ("coastal-pharma", "Coastal Pharmaceuticals", ("healthcare", "critical-manufacturing"), ("nj",)),
    ("summit-medical-supply", "Summit Medical Supply", ("healthcare",), ("tn",)),
    ("bayview-hospitals", "Bayview Hospital Network", ("healthcare",), ("ua-los-angeles",)),
    ("cloudforge", "Cloudforge Hosting", ("information-technology", "communications"), ()),
    ("sentinel-cyber", "Sentinel Cyber Defense", ("information-technology",), ("md",)),
    ("silicon-prairie-dc", "Silicon Prairie Data Centers", ("information-technology",), ("ia",)),
    ("redwood-software", "Redwood Software Systems", ("information-technology",), ("ua-san-francisco",)),
    ("monument-tours", "Monument Tours Inc", ("national-monuments",), ("dc",)),
    (
        "liberty-harbor-ferries",
        "Liberty Harbor Ferries",
        ("national-monuments", "transportation"),
        ("ua-new-york",),
    ),
    ("grand-vista-concessions", "Grand Vista Park Concessions", ("national-monuments",), ("az",)),
    ("riverbend-nuclear", "Riverbend Nuclear Generating Co", ("nuclear", "energy"), ("il",)),
    ("palmetto-nuclear", "Palmetto Nuclear Services", ("nuclear",), ("sc",)),
    ("columbia-isotope", "Columbia Isotope Processing", ("nuclear",), ("wa",)),
    ("desert-fuel-fabrication", "Desert Fuel Fabrication", ("nuclear",), ("nm",)),
    ("express-parcel", "Express Parcel Logistics", ("postal-shipping",), ()),
    ("gateway-freight-forwarding", "Gateway Freight Forwarding", ("postal-shipping",), ("ua-los-angeles",)),
    ("northern-courier", "Northern Courier Services", ("postal-shipping",), ("mn",)),
    ("interstate-freight-rail", "Interstate Freight Rail", ("transportation",), ()),
    (
        "coastal-container",
        "Coastal Container Terminals",
        ("transportation", "postal-shipping"),
        ("ua-los-angeles",),
    ),
    ("metro-transit-operators", "Metro Transit Operators Inc", ("transportation",), ("ua-chicago",)),
    ("skyway-airlines", "Skyway Regional Airlines", ("transportation",), ("ga",)),
    ("gulf-coast-tankers", "Gulf Coast Tanker Lines", ("transportation", "energy"), ("tx",)),
    ("clearwater-utilities", "Clearwater Utilities Co", ("water",), ("ua-phoenix",)),
    ("riverside-water-works", "Riverside Water Works", ("water",), ("oh",)),
    ("aqua-basin-treatment", "Aqua Basin Treatment", ("water",), ("fl",)),
    ("mountain-springs-water", "Mountain Springs Water Company", ("water",), ("co",)),
    ("island-power-water", "Island Power and Water Services", ("energy", "water"), ("gu", "mp")),
    ("caribbean-telecom", "Caribbean Telecom Partners", ("communications",), ("pr", "vi")),
)

# (id, name, sectors, real). Each sector's first row is its information-sharing hub.
NONPROFIT: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("chem-security-assoc", "National Chemical Security Association", ("chemical",), False),
    ("venue-security-alliance", "Commercial Venue Security Alliance", ("commercial-facilities",), False),
    ("comms-resilience-forum", "Communications Resilience Forum", ("communications",), False),
    ("mfg-resilience-assoc", "Manufacturing Resilience Association", ("critical-manufacturing",), False),
    ("dam-owners-forum", "Dam Owners Security Forum", ("dams",), False),
    ("defense-supplier-network", "Defense Supplier Security Network", ("defense-industrial-base",), False),
    (
        "es-coordination-institute",
        "Emergency Services Coordination Institute",
        ("emergency-services",),
        False,
    ),
    ("e-isac", "Electricity Information Sharing and Analysis Center", ("energy",), True),
    ("fs-isac", "Financial Services Information Sharing and Analysis Center", ("financial-services",), True),
    ("food-defense-consortium", "Food Defense Consortium", ("food-agriculture",), False),
    ("ms-isac", "Multi-State Information Sharing and Analysis Center", ("government-facilities",), True),
    ("health-isac", "Health Information Sharing and Analysis Center", ("healthcare",), True),
    (
        "it-isac",
        "Information Technology Information Sharing and Analysis Center",
        ("information-technology",),
        True,
    ),
    ("monuments-trust", "Monuments Preservation Trust", ("national-monuments",), False),
    ("nuclear-security-forum", "Nuclear Operators Security Forum", ("nuclear",), False),
    ("parcel-security-forum", "Parcel Security Forum", ("postal-shipping",), False),
    ("transport-security-roundtable", "Transportation Security Roundtable", ("transportation",), False),
    ("water-isac", "WaterISAC", ("water",), True),
)

# (id, name, sectors, real)
INTERNATIONAL: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("public-safety-canada", "Public Safety Canada", (), True),
    ("uk-npsa", "UK National Protective Security Authority", (), True),
    ("au-acsc", "Australian Cyber Security Centre", ("information-technology",), True),
    ("north-american-grid-forum", "North American Grid Security Forum", ("energy",), False),
)

INACTIVE: frozenset[str] = frozenset(
    {
        "sierra-dam-operators",
        "midwest-clearing-house",
        "northern-courier",
        "monuments-trust",
        "desert-fuel-fabrication",
    }
)

# Cross-sector dependency agreements between operators (PARTNERS_WITH, listed once).
PARTNER_PAIRS: tuple[tuple[str, str], ...] = (
    ("pacific-grid", "clearwater-utilities"),
    ("permian-pipeline", "gulfside-chemical"),
    ("continental-fiber", "first-continental-bank"),
    ("cloudforge", "first-continental-bank"),
    ("interstate-freight-rail", "heartland-grain"),
    ("coastal-container", "gateway-freight-forwarding"),
    ("express-parcel", "skyway-airlines"),
    ("mercy-regional-health", "summit-medical-supply"),
    ("riverbend-nuclear", "heartland-power"),
    ("gulf-coast-tankers", "bayou-petrochemical"),
    ("hitrac", "dhs-ia"),
    ("hitrac", "fbi"),
    ("nicc", "hitrac"),
    ("nicc", "fema"),
    ("dosir", "nicc"),
    ("hsin-cs", "dhs-ip"),
    ("pcii-program", "dhs-ip"),
    ("dhs-ip", "dhs"),
    ("public-safety-canada", "dhs"),
    ("uk-npsa", "dhs-ip"),
    ("au-acsc", "us-cert"),
    ("north-american-grid-forum", "e-isac"),
    ("us-cert", "it-isac"),
    ("ms-isac", "us-cert"),
)

# (id, name, states) — illustrative coalitions under the Regional Consortium CC.
REGIONAL_COALITIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "pnw-resilience-coalition",
        "Pacific Northwest Infrastructure Resilience Coalition",
        ("wa", "or", "id", "ak"),
    ),
    (
        "gulf-coast-ci-partnership",
        "Gulf Coast Critical Infrastructure Partnership",
        ("tx", "la", "ms", "al", "fl"),
    ),
    (
        "great-lakes-security-coalition",
        "Great Lakes Regional Security Coalition",
        ("mi", "oh", "il", "wi", "mn", "in"),
    ),
    (
        "northeast-corridor-partnership",
        "Northeast Corridor Infrastructure Partnership",
        ("ma", "ct", "ny", "nj", "pa", "de", "md", "dc"),
    ),
    (
        "mountain-west-alliance",
        "Mountain West Resilience Alliance",
        ("co", "ut", "wy", "mt", "nv", "az", "nm"),
    ),
    ("pacific-islands-coalition", "Pacific Islands Preparedness Coalition", ("hi", "gu", "as", "mp")),
)

# Topics each sector's working groups care most about (drives requirements).
SECTOR_TOPICS: dict[str, tuple[str, ...]] = {
    "chemical": ("terrorism", "insider-threat", "suspicious-activity"),
    "commercial-facilities": ("terrorism", "physical", "suspicious-activity"),
    "communications": ("cyber", "physical", "severe-weather"),
    "critical-manufacturing": ("cyber", "supply-chain"),
    "dams": ("physical", "severe-weather", "natural-hazards"),
    "defense-industrial-base": ("cyber", "insider-threat", "supply-chain"),
    "emergency-services": ("severe-weather", "physical", "pandemic"),
    "energy": ("cyber", "physical", "severe-weather"),
    "financial-services": ("cyber", "insider-threat"),
    "food-agriculture": ("supply-chain", "pandemic"),
    "government-facilities": ("physical", "terrorism", "suspicious-activity"),
    "healthcare": ("pandemic", "cyber", "supply-chain"),
    "information-technology": ("cyber", "supply-chain"),
    "national-monuments": ("terrorism", "physical"),
    "nuclear": ("physical", "terrorism", "insider-threat"),
    "postal-shipping": ("suspicious-activity", "supply-chain"),
    "transportation": ("terrorism", "severe-weather", "physical"),
    "water": ("cyber", "physical", "severe-weather"),
}

# Requirement templates cycled over sectors: (kinds, levels, minSeverity, channel).
ISWG_TEMPLATES: tuple[tuple[tuple[str, ...], tuple[str, ...], str | None, str], ...] = (
    (("ALERT", "WARNING"), (), "HIGH", "HSIN"),
    (("THREAT_ASSESSMENT", "RISK_ANALYSIS"), ("STRATEGIC", "SITUATIONAL"), "MODERATE", "EMAIL"),
    (
        ("SITUATIONAL_REPORT", "INCIDENT_ANALYSIS", "PROTECTIVE_MEASURES"),
        ("SITUATIONAL", "OPERATIONAL"),
        None,
        "HSIN",
    ),
    (("SUSPICIOUS_ACTIVITY", "ALERT"), ("OPERATIONAL",), "LOW", "WATCH_CENTER"),
)
GCC_AUDIENCE_KINDS: tuple[tuple[str, ...], ...] = (
    ("FEDERAL", "STATE"),
    (),
    ("STATE", "LOCAL", "TRIBAL", "TERRITORIAL"),
    ("PRIVATE",),
    ("FEDERAL",),
)
GCC_TEMPLATES: tuple[tuple[tuple[str, ...], tuple[str, ...], str | None, str], ...] = (
    ((), ("STRATEGIC",), None, "EMAIL"),
    (("DAILY_REPORT",), (), None, "EMAIL"),
    (("WARNING", "ALERT"), ("OPERATIONAL",), "CRITICAL", "PHONE"),
)

# (partner, topic, sector, minSeverity) — partners' own standing interests.
SUBSCRIPTIONS: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    ("fc-ca", "cyber", None, "HIGH"),
    ("fc-ny", "terrorism", None, "MODERATE"),
    ("fc-tx", "severe-weather", None, "HIGH"),
    ("fc-fl", "severe-weather", None, "MODERATE"),
    ("fc-ua-chicago", "suspicious-activity", None, "LOW"),
    ("fc-il", None, "commercial-facilities", "MODERATE"),
    ("pacific-grid", "cyber", None, "MODERATE"),
    ("pacific-grid", None, "energy", "HIGH"),
    ("first-continental-bank", "cyber", None, "HIGH"),
    ("first-continental-bank", None, "financial-services", "MODERATE"),
    ("mercy-regional-health", "pandemic", None, "LOW"),
    ("mercy-regional-health", None, "healthcare", None),
    ("coastal-pharma", "supply-chain", None, "MODERATE"),
    ("cloudforge", "cyber", None, "LOW"),
    ("cloudforge", None, "information-technology", "MODERATE"),
    ("clearwater-utilities", None, "water", "MODERATE"),
    ("gulfside-chemical", "insider-threat", None, "MODERATE"),
    ("heartland-grain", "supply-chain", None, "HIGH"),
    ("interstate-freight-rail", "severe-weather", None, "MODERATE"),
    ("fs-isac", None, "financial-services", "LOW"),
    ("e-isac", None, "energy", "LOW"),
    ("water-isac", None, "water", "LOW"),
    ("health-isac", "pandemic", None, "MODERATE"),
    ("public-safety-canada", None, "energy", "HIGH"),
    ("uk-npsa", "terrorism", None, "HIGH"),
    ("fema", "severe-weather", None, "MODERATE"),
    ("fema", "natural-hazards", None, "LOW"),
    ("fbi", "terrorism", None, "LOW"),
    ("fbi", "suspicious-activity", None, "MODERATE"),
    ("nrc", None, "nuclear", "LOW"),
    ("la-county-oem", "severe-weather", None, "MODERATE"),
    ("sierra-dam-operators", None, "dams", "LOW"),
)

ALL = SECTOR_IDS
# (id, title, kind, level, severity, tlp, pcii, sectors, topics, regions, addressedTo,
#  issuedBy, publishedAt)
ProductRow = tuple[
    str,
    str,
    str,
    str,
    str,
    str,
    bool,
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    tuple[str, ...],
    str,
    str,
]
PRODUCTS: tuple[ProductRow, ...] = (
    (
        "prod-001",
        "Ransomware campaign targeting grid operators",
        "ALERT",
        "OPERATIONAL",
        "HIGH",
        "AMBER",
        False,
        ("energy",),
        ("cyber",),
        ("ca",),
        (),
        "hitrac",
        "2026-11-02T14:00:00Z",
    ),
    (
        "prod-002",
        "Daily Open Source Infrastructure Report - 2 November",
        "DAILY_REPORT",
        "SITUATIONAL",
        "LOW",
        "CLEAR",
        False,
        ALL,
        (),
        (),
        (),
        "dosir",
        "2026-11-02T08:00:00Z",
    ),
    (
        "prod-003",
        "Severe winter storm outlook for the Upper Midwest",
        "SITUATIONAL_REPORT",
        "SITUATIONAL",
        "MODERATE",
        "GREEN",
        False,
        ("energy", "transportation", "emergency-services"),
        ("severe-weather",),
        ("fema-5",),
        (),
        "nicc",
        "2026-11-03T11:30:00Z",
    ),
    (
        "prod-004",
        "Insider threat indicators at chemical facilities",
        "THREAT_ASSESSMENT",
        "STRATEGIC",
        "MODERATE",
        "GREEN",
        False,
        ("chemical",),
        ("insider-threat",),
        (),
        (),
        "hitrac",
        "2026-11-04T15:00:00Z",
    ),
    (
        "prod-005",
        "Hurricane landfall impacts on Gulf Coast refineries",
        "SITUATIONAL_REPORT",
        "OPERATIONAL",
        "HIGH",
        "AMBER",
        False,
        ("energy", "chemical"),
        ("severe-weather",),
        ("tx", "la"),
        (),
        "nicc",
        "2026-11-05T06:45:00Z",
    ),
    (
        "prod-006",
        "Pandemic influenza workforce risk analysis",
        "RISK_ANALYSIS",
        "STRATEGIC",
        "MODERATE",
        "CLEAR",
        False,
        ("healthcare", "food-agriculture"),
        ("pandemic",),
        (),
        (),
        "hitrac",
        "2026-11-05T16:00:00Z",
    ),
    (
        "prod-007",
        "Suspicious photography at water treatment plants",
        "SUSPICIOUS_ACTIVITY",
        "OPERATIONAL",
        "MODERATE",
        "AMBER",
        False,
        ("water",),
        ("suspicious-activity", "physical"),
        ("ua-phoenix",),
        (),
        "fc-az",
        "2026-11-06T19:20:00Z",
    ),
    (
        "prod-008",
        "Credible threat to a major sporting venue",
        "WARNING",
        "OPERATIONAL",
        "CRITICAL",
        "RED",
        False,
        ("commercial-facilities",),
        ("terrorism", "physical"),
        ("ua-chicago",),
        ("fc-ua-chicago", "fc-il", "lakeshore-arena", "chicago-oem"),
        "fbi",
        "2026-11-07T02:10:00Z",
    ),
    (
        "prod-009",
        "Supply-chain compromise of industrial control firmware",
        "ALERT",
        "OPERATIONAL",
        "CRITICAL",
        "AMBER_STRICT",
        True,
        ("critical-manufacturing", "energy", "water"),
        ("cyber", "supply-chain"),
        (),
        (),
        "hitrac",
        "2026-11-07T13:00:00Z",
    ),
    (
        "prod-010",
        "Dam vulnerability assessment - protected submission",
        "RISK_ANALYSIS",
        "OPERATIONAL",
        "HIGH",
        "AMBER",
        True,
        ("dams",),
        ("physical",),
        ("fema-10",),
        (),
        "pcii-program",
        "2026-11-08T10:00:00Z",
    ),
    (
        "prod-011",
        "Incident analysis: telecom central office fire",
        "INCIDENT_ANALYSIS",
        "SITUATIONAL",
        "HIGH",
        "GREEN",
        False,
        ("communications",),
        ("physical",),
        ("ny",),
        (),
        "nicc",
        "2026-11-09T09:15:00Z",
    ),
    (
        "prod-012",
        "Protective measures for holiday mass gatherings",
        "PROTECTIVE_MEASURES",
        "SITUATIONAL",
        "MODERATE",
        "GREEN",
        False,
        ("commercial-facilities", "national-monuments"),
        ("terrorism",),
        (),
        (),
        "dhs-ip",
        "2026-11-10T12:00:00Z",
    ),
    (
        "prod-013",
        "Phishing wave against regional banks",
        "ALERT",
        "OPERATIONAL",
        "MODERATE",
        "GREEN",
        False,
        ("financial-services",),
        ("cyber",),
        ("fema-2",),
        (),
        "us-cert",
        "2026-11-10T17:40:00Z",
    ),
    (
        "prod-014",
        "Nuclear material transport threat assessment",
        "THREAT_ASSESSMENT",
        "STRATEGIC",
        "HIGH",
        "AMBER_STRICT",
        True,
        ("nuclear", "transportation"),
        ("terrorism",),
        (),
        (),
        "hitrac",
        "2026-11-11T14:30:00Z",
    ),
    (
        "prod-015",
        "Foodborne contamination at Midwest processing plants",
        "INCIDENT_ANALYSIS",
        "OPERATIONAL",
        "HIGH",
        "AMBER",
        False,
        ("food-agriculture",),
        ("supply-chain",),
        ("ia", "ne", "ks"),
        (),
        "fda",
        "2026-11-12T08:20:00Z",
    ),
    (
        "prod-016",
        "Hospital ransomware situational report",
        "SITUATIONAL_REPORT",
        "OPERATIONAL",
        "CRITICAL",
        "AMBER",
        False,
        ("healthcare",),
        ("cyber",),
        ("ua-los-angeles",),
        (),
        "fc-ua-los-angeles",
        "2026-11-12T21:05:00Z",
    ),
    (
        "prod-017",
        "Drone overflights near defense contractor sites",
        "SUSPICIOUS_ACTIVITY",
        "OPERATIONAL",
        "MODERATE",
        "GREEN",
        False,
        ("defense-industrial-base",),
        ("suspicious-activity",),
        ("va", "md"),
        (),
        "fc-va",
        "2026-11-13T18:00:00Z",
    ),
    (
        "prod-018",
        "Port security warning: cargo screening gap",
        "WARNING",
        "OPERATIONAL",
        "HIGH",
        "RED",
        False,
        ("transportation", "postal-shipping"),
        ("physical", "supply-chain"),
        ("ua-los-angeles",),
        ("uscg", "coastal-container", "fc-ua-los-angeles"),
        "nicc",
        "2026-11-14T04:30:00Z",
    ),
    (
        "prod-019",
        "Annual cross-sector risk outlook",
        "RISK_ANALYSIS",
        "STRATEGIC",
        "LOW",
        "CLEAR",
        False,
        ALL,
        ("cyber", "physical"),
        (),
        (),
        "hitrac",
        "2026-11-15T15:00:00Z",
    ),
    (
        "prod-020",
        "Protective measures for election facilities",
        "PROTECTIVE_MEASURES",
        "STRATEGIC",
        "MODERATE",
        "AMBER",
        False,
        ("government-facilities",),
        ("physical", "insider-threat"),
        (),
        (),
        "fps",
        "2026-11-16T13:00:00Z",
    ),
    (
        "prod-021",
        "Earthquake impact assessment - Pacific Northwest",
        "SITUATIONAL_REPORT",
        "SITUATIONAL",
        "CRITICAL",
        "CLEAR",
        False,
        ("transportation", "energy", "water", "communications"),
        ("natural-hazards",),
        ("fema-10",),
        (),
        "nicc",
        "2026-11-17T03:50:00Z",
    ),
    (
        "prod-022",
        "Radio jamming incidents affecting emergency services",
        "INCIDENT_ANALYSIS",
        "OPERATIONAL",
        "HIGH",
        "AMBER",
        True,
        ("emergency-services", "communications"),
        ("cyber",),
        ("co",),
        (),
        "fc-co",
        "2026-11-18T10:10:00Z",
    ),
    (
        "prod-023",
        "Daily Open Source Infrastructure Report - 20 November",
        "DAILY_REPORT",
        "SITUATIONAL",
        "LOW",
        "CLEAR",
        False,
        ALL,
        (),
        (),
        (),
        "dosir",
        "2026-11-20T08:00:00Z",
    ),
    (
        "prod-024",
        "Daily Open Source Infrastructure Report - 21 November",
        "DAILY_REPORT",
        "SITUATIONAL",
        "LOW",
        "GREEN",
        False,
        ALL,
        (),
        (),
        (),
        "dosir",
        "2026-11-21T08:00:00Z",
    ),
    (
        "prod-025",
        "Managed service provider compromise",
        "WARNING",
        "OPERATIONAL",
        "CRITICAL",
        "AMBER_STRICT",
        False,
        ("information-technology",),
        ("cyber", "supply-chain"),
        (),
        (),
        "us-cert",
        "2026-11-21T22:00:00Z",
    ),
    (
        "prod-026",
        "Vehicle ramming tactics threat assessment",
        "THREAT_ASSESSMENT",
        "SITUATIONAL",
        "HIGH",
        "GREEN",
        False,
        ("commercial-facilities", "transportation"),
        ("terrorism",),
        (),
        (),
        "hitrac",
        "2026-11-22T12:00:00Z",
    ),
    (
        "prod-027",
        "Suspicious purchases of precursor chemicals",
        "SUSPICIOUS_ACTIVITY",
        "OPERATIONAL",
        "HIGH",
        "AMBER",
        False,
        ("chemical",),
        ("suspicious-activity", "terrorism"),
        ("ua-houston",),
        (),
        "fc-ua-houston",
        "2026-11-22T16:30:00Z",
    ),
    (
        "prod-028",
        "Monument security posture for national celebrations",
        "PROTECTIVE_MEASURES",
        "OPERATIONAL",
        "MODERATE",
        "AMBER",
        False,
        ("national-monuments",),
        ("physical", "terrorism"),
        ("dc",),
        (),
        "dhs-ip",
        "2026-11-23T09:00:00Z",
    ),
    (
        "prod-029",
        "Heat wave strain on water and power systems",
        "ALERT",
        "SITUATIONAL",
        "MODERATE",
        "CLEAR",
        False,
        ("water", "energy"),
        ("severe-weather",),
        ("fema-9",),
        (),
        "nicc",
        "2026-11-23T14:45:00Z",
    ),
    (
        "prod-030",
        "Red-team findings for a financial market utility",
        "RISK_ANALYSIS",
        "OPERATIONAL",
        "HIGH",
        "RED",
        True,
        ("financial-services",),
        ("cyber",),
        (),
        ("treasury", "fs-isac", "first-continental-bank"),
        "hitrac",
        "2026-11-24T11:00:00Z",
    ),
    (
        "prod-031",
        "Medical countermeasure supply disruption",
        "SITUATIONAL_REPORT",
        "STRATEGIC",
        "HIGH",
        "AMBER",
        False,
        ("healthcare",),
        ("pandemic", "supply-chain"),
        (),
        (),
        "hhs",
        "2026-11-24T17:00:00Z",
    ),
    (
        "prod-032",
        "Insider sabotage at a parcel sorting facility",
        "INCIDENT_ANALYSIS",
        "SITUATIONAL",
        "MODERATE",
        "AMBER_STRICT",
        False,
        ("postal-shipping",),
        ("insider-threat",),
        ("tn",),
        (),
        "usps",
        "2026-11-25T07:30:00Z",
    ),
    (
        "prod-033",
        "Tropical storm warning for Puerto Rico and the U.S. Virgin Islands",
        "WARNING",
        "SITUATIONAL",
        "HIGH",
        "CLEAR",
        False,
        ("energy", "water", "communications", "healthcare"),
        ("severe-weather",),
        ("pr", "vi"),
        (),
        "nicc",
        "2026-11-25T12:00:00Z",
    ),
    (
        "prod-034",
        "Regional threat assessment for Guam and the Northern Mariana Islands",
        "THREAT_ASSESSMENT",
        "STRATEGIC",
        "MODERATE",
        "AMBER",
        False,
        ("government-facilities", "defense-industrial-base", "transportation"),
        ("cyber", "physical"),
        ("gu", "mp"),
        (),
        "hitrac",
        "2026-11-26T01:00:00Z",
    ),
    (
        "prod-035",
        "Cross-border grid exercise lessons learned",
        "INCIDENT_ANALYSIS",
        "STRATEGIC",
        "LOW",
        "GREEN",
        False,
        ("energy",),
        ("cyber",),
        (),
        ("public-safety-canada",),
        "doe",
        "2026-11-26T15:00:00Z",
    ),
    (
        "prod-036",
        "Suspicious inquiries at dam facilities",
        "SUSPICIOUS_ACTIVITY",
        "SITUATIONAL",
        "LOW",
        "GREEN",
        False,
        ("dams",),
        ("suspicious-activity",),
        ("fema-8",),
        (),
        "fc-co",
        "2026-11-27T10:00:00Z",
    ),
    (
        "prod-037",
        "Perimeter intrusion at a nuclear generating station",
        "ALERT",
        "OPERATIONAL",
        "CRITICAL",
        "RED",
        True,
        ("nuclear",),
        ("physical", "terrorism"),
        ("il",),
        ("nrc", "fc-il", "riverbend-nuclear"),
        "nicc",
        "2026-11-28T03:15:00Z",
    ),
    (
        "prod-038",
        "Pandemic preparedness protective measures for emergency services",
        "PROTECTIVE_MEASURES",
        "STRATEGIC",
        "LOW",
        "GREEN",
        False,
        ("emergency-services",),
        ("pandemic",),
        (),
        (),
        "fema",
        "2026-11-29T09:00:00Z",
    ),
)

FIRST_NAMES: tuple[str, ...] = (
    "Alex",
    "Blair",
    "Casey",
    "Dana",
    "Elliot",
    "Frances",
    "Gabriel",
    "Harper",
    "Imani",
    "Jordan",
    "Kai",
    "Logan",
    "Morgan",
    "Noor",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Taylor",
    "Uma",
    "Victor",
    "Wren",
    "Xavier",
    "Yara",
    "Zane",
    "Avery",
    "Reese",
    "Malik",
    "Sofia",
)
LAST_NAMES: tuple[str, ...] = (
    "Abbott",
    "Banerjee",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quintero",
    "Ramirez",
    "Schmidt",
    "Tanaka",
    "Underwood",
    "Vasquez",
    "Whitfield",
    "Xu",
    "Yilmaz",
    "Zimmerman",
    "Oduya",
    "Brennan",
    "Achterberg",
    "Morales",
    "Haddad",
)
_SSA: dict[str, str] = {s[0]: s[2] for s in SECTORS}
_STATE_IDS: frozenset[str] = frozenset(s[0] for s in STATES)
_URBAN_STATE: dict[str, str] = {u[0]: u[2] for u in URBAN_AREAS}

# Partners deliberately without contacts (products they issue still resolve).
NO_CONTACTS: frozenset[str] = frozenset({"dosir", "hsin-cs", "gsa"})


# --------------------------------------------------------------------------- regions


def _regions() -> list[Record]:
    out: list[Record] = [{"id": "us", "name": "United States", "kind": "NATION", "parent": None}]
    out += [
        {"id": f"fema-{n}", "name": f"FEMA Region {ROMAN[n - 1]}", "kind": "FEMA_REGION", "parent": "us"}
        for n in range(1, 11)
    ]
    out += [
        {"id": sid, "name": name, "kind": "STATE", "parent": f"fema-{fema}"}
        for sid, name, fema, _territory in STATES
    ]
    out += [
        {"id": uid, "name": f"{name} Urban Area", "kind": "URBAN_AREA", "parent": state}
        for uid, name, state, _fc in URBAN_AREAS
    ]
    return out


def state_of(region: str) -> str | None:
    """The state (or DC/territory) a region lies in, or None for the nation/FEMA regions."""
    return _URBAN_STATE.get(region, region if region in _STATE_IDS else None)


# --------------------------------------------------------------------------- partners


# National intake points: every report a partner submits reaches them.
INTAKE_POINTS = frozenset({"nicc"})


def _partner(
    pid: str,
    name: str,
    kind: str,
    sectors: tuple[str, ...] | list[str],
    regions: tuple[str, ...] | list[str],
    *,
    illustrative: bool,
) -> Record:
    return {
        "id": pid,
        "name": name,
        "kind": kind,
        "active": pid not in INACTIVE,
        "sectors": list(sectors),
        "regions": list(regions),
        "partnersWith": [],
        "clientOf": [],
        "fusionCenter": None,
        "intake": pid in INTAKE_POINTS,
        "illustrative": illustrative,
    }


def _fusion_centers() -> list[Record]:
    out: list[Record] = []
    for sid, name, _fema, territory in STATES:
        real = STATE_FUSION_CENTERS.get(sid)
        fc = _partner(
            f"fc-{sid}",
            real or f"{name} Fusion Center",
            "TERRITORIAL" if territory else "STATE",
            (),
            (sid,),
            illustrative=real is None,
        )
        fc["fusionCenter"] = {"type": "PRIMARY", "serves": [sid]}
        out.append(fc)
    for uid, name, _state, real_name in URBAN_AREAS:
        fc = _partner(
            f"fc-{uid}",
            real_name or f"{name} Urban Area Fusion Center",
            "LOCAL",
            (),
            (uid,),
            illustrative=not real_name,
        )
        fc["fusionCenter"] = {"type": "RECOGNIZED", "serves": [uid]}
        out.append(fc)
    return out


def _all_partners() -> list[Record]:
    out = [_partner(pid, n, "FEDERAL", s, (), illustrative=False) for pid, n, s in FEDERAL]
    out += _fusion_centers()
    out += [_partner(pid, n, k, s, r, illustrative=True) for pid, n, k, s, r in SLTT]
    out += [_partner(pid, n, "PRIVATE", s, r, illustrative=True) for pid, n, s, r in PRIVATE]
    out += [_partner(pid, n, "NONPROFIT", s, (), illustrative=not real) for pid, n, s, real in NONPROFIT]
    out += [
        _partner(pid, n, "INTERNATIONAL", s, (), illustrative=not real) for pid, n, s, real in INTERNATIONAL
    ]
    return out


def _sector_hub() -> dict[str, str]:
    """Each sector's information-sharing hub (its ISAC or association)."""
    hub: dict[str, str] = {}
    for pid, _name, sectors, _real in NONPROFIT:
        for s in sectors:
            hub.setdefault(s, pid)
    return hub


def _add_edge(by_id: dict[str, Record], key: str, a: str, b: str) -> None:
    if a != b and b not in by_id[a][key]:
        by_id[a][key].append(b)


def _link_partners(by_id: dict[str, Record]) -> None:
    """PARTNERS_WITH and CLIENT_OF edges: operators are clients of their sector hub,
    local bodies of their fusion center, fusion centers of HITRAC."""
    hub = _sector_hub()
    for a, b in PARTNER_PAIRS:
        _add_edge(by_id, "partnersWith", a, b)
    for i, (pid, _n, sectors, _r) in enumerate(PRIVATE):
        _add_edge(by_id, "clientOf", pid, hub[sectors[0]])
        if i % 5 == 0 and "information-technology" not in sectors:
            _add_edge(by_id, "clientOf", pid, "sentinel-cyber")  # a managed security provider
    for pid, _n, sectors, _real in NONPROFIT:
        _add_edge(by_id, "partnersWith", pid, _SSA[sectors[0]])
    for sid, _name, _fema, _t in STATES:
        _add_edge(by_id, "clientOf", f"fc-{sid}", "hitrac")
        _add_edge(by_id, "partnersWith", f"fc-{sid}", "fbi")
    for uid, _name, state, _fc in URBAN_AREAS:
        _add_edge(by_id, "clientOf", f"fc-{uid}", "hitrac")
        _add_edge(by_id, "partnersWith", f"fc-{uid}", f"fc-{state}")
    for pid, _n, _k, _s, regions in SLTT:
        local_fc = f"fc-{regions[0]}"
        _add_edge(by_id, "clientOf", pid, local_fc)
        _add_edge(by_id, "partnersWith", pid, "fema")
    for ssa in sorted(set(_SSA.values()) - {"dhs-ip"}):
        _add_edge(by_id, "partnersWith", ssa, "dhs-ip")
    _chain_sector_operators(by_id)


def _chain_sector_operators(by_id: dict[str, Record]) -> None:
    """The first two operators of each sector have a bilateral agreement."""
    firsts: dict[str, list[str]] = {}
    for pid, _n, sectors, _r in PRIVATE:
        firsts.setdefault(sectors[0], []).append(pid)
    for pids in firsts.values():
        if len(pids) >= 2:
            _add_edge(by_id, "partnersWith", pids[1], pids[0])


# --------------------------------------------------------------------------- councils


def _council(
    cid: str,
    name: str,
    kind: str,
    sectors: list[str],
    parent: str | None,
    members: list[tuple[str, str]],
    *,
    illustrative: bool,
) -> Record:
    seen: set[str] = set()
    uniq: list[Record] = []
    for partner, role in members:  # first mention wins, so a CHAIR is never demoted
        if partner not in seen:
            seen.add(partner)
            uniq.append({"partner": partner, "role": role})
    return {
        "id": cid,
        "name": name,
        "kind": kind,
        "sectors": sectors,
        "parent": parent,
        "members": uniq,
        "illustrative": illustrative,
    }


def _operators_by_sector() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {s: [] for s in SECTOR_IDS}
    for pid, _n, sectors, _r in PRIVATE:
        for s in sectors:
            out[s].append(pid)
    return out


def _government_by_sector() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {s: [] for s in SECTOR_IDS}
    for pid, _n, sectors in FEDERAL:
        for s in sectors:
            out[s].append(pid)
    for pid, _n, _k, sectors, _r in SLTT:
        for s in sectors:
            out[s].append(pid)
    return out


def _host_fusion_center(operators: list[str]) -> str:
    """The primary fusion center of the first located operator: state government's seat at
    the sector's GCC."""
    regions = {pid: r for pid, _n, _s, r in PRIVATE}
    for pid in operators:
        for region in regions[pid]:
            state = state_of(region)
            if state is not None:
                return f"fc-{state}"
    return "fc-dc"


def scc_name(sector: str, name: str) -> str:
    if sector == "energy":
        return "Electricity Subsector Coordinating Council"
    if sector == "water":
        return "Water Sector Coordinating Council"
    return f"{name} Sector Coordinating Council"


def _sector_councils() -> list[Record]:
    ops, gov, hub = _operators_by_sector(), _government_by_sector(), _sector_hub()
    out: list[Record] = []
    for i, (sid, name, ssa) in enumerate(SECTORS):
        scc_members = [
            (ops[sid][0], "CHAIR"),
            *((p, "MEMBER") for p in ops[sid][1:]),
            (hub[sid], "MEMBER"),
            (ssa, "OBSERVER"),
        ]
        gcc_members = [
            (ssa, "CHAIR"),
            *((p, "MEMBER") for p in gov[sid]),
            ("dhs-ip", "MEMBER"),
            ("fbi", "MEMBER"),
            (_host_fusion_center(ops[sid]), "MEMBER"),
            ("hitrac", "OBSERVER"),
        ]
        parent = f"{sid}-scc" if i % 2 == 0 else f"{sid}-gcc"
        chair = ops[sid][0] if i % 2 == 0 else ssa
        iswg_members = [
            (chair, "CHAIR"),
            (ssa, "MEMBER"),
            (hub[sid], "MEMBER"),
            *((p, "MEMBER") for p in ops[sid][:2]),
            ("hitrac", "OBSERVER"),
            ("hsin-cs", "OBSERVER"),
        ]
        out += [
            # Government Facilities had no SCC in this era, so that one is invented.
            _council(
                f"{sid}-scc",
                scc_name(sid, name),
                "SCC",
                [sid],
                None,
                scc_members,
                illustrative=sid == "government-facilities",
            ),
            _council(
                f"{sid}-gcc",
                f"{name} Government Coordinating Council",
                "GCC",
                [sid],
                None,
                gcc_members,
                illustrative=False,
            ),
            _council(
                f"{sid}-iswg",
                f"{name} Information Sharing Working Group",
                "ISWG",
                [sid],
                parent,
                iswg_members,
                illustrative=True,
            ),
        ]
    return out


def _cross_sector_councils(partners: list[Record]) -> list[Record]:
    ops = _operators_by_sector()
    ssas = sorted({ssa for _s, _n, ssa in SECTORS} - {"dhs-ip"})
    cipac = [
        ("dhs-ip", "CHAIR"),
        *((p, "MEMBER") for p in ssas),
        *((ops[s][0], "MEMBER") for s in SECTOR_IDS),
        ("nicc", "OBSERVER"),
    ]
    sltt = [
        ("ca-emergency-mgmt", "CHAIR"),
        *((r[0], "MEMBER") for r in SLTT),
        ("fc-ny", "MEMBER"),
        ("fc-tx", "MEMBER"),
        ("dhs-ip", "OBSERVER"),
    ]
    rc3 = [
        ("harris-county-oem", "CHAIR"),
        *((r[0], "MEMBER") for r in SLTT if r[2] in ("LOCAL", "TRIBAL")),
        ("es-coordination-institute", "MEMBER"),
        ("dhs-ip", "OBSERVER"),
    ]
    out = [
        _council(
            "cipac",
            "Critical Infrastructure Partnership Advisory Council",
            "CROSS_SECTOR",
            list(SECTOR_IDS),
            None,
            cipac,
            illustrative=False,
        ),
        _council(
            "slttgcc",
            "State, Local, Tribal and Territorial Government Coordinating Council",
            "GCC",
            [],
            None,
            sltt,
            illustrative=False,
        ),
        _council(
            "rc3",
            "Regional Consortium Coordinating Council",
            "REGIONAL_PARTNERSHIP",
            [],
            None,
            rc3,
            illustrative=False,
        ),
    ]
    out += [_coalition(cid, name, states, partners) for cid, name, states in REGIONAL_COALITIONS]
    return out


def _coalition(cid: str, name: str, states: tuple[str, ...], partners: list[Record]) -> Record:
    """A regional coalition: chaired by its first state's fusion center, joined by every
    non-national partner located in its states."""
    wanted = set(states)
    local = [p["id"] for p in partners if any(state_of(r) in wanted for r in p["regions"])]
    members = [(f"fc-{states[0]}", "CHAIR"), *((p, "MEMBER") for p in local), ("fema", "OBSERVER")]
    return _council(cid, name, "REGIONAL_PARTNERSHIP", [], "rc3", members, illustrative=True)


# --------------------------------------------------------------------------- contacts


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _contact_channels(rng: random.Random, partner: Record) -> list[str]:
    government = partner["kind"] in GOVERNMENT_KINDS
    watch = partner["fusionCenter"] is not None or partner["id"] in ("nicc", "hitrac")
    chosen = {"EMAIL"} if rng.random() < 0.9 else {"PHONE"}
    if rng.random() < (0.7 if government else 0.4):
        chosen.add("HSIN")
    if rng.random() < 0.3:
        chosen.add("PHONE")
    if watch and rng.random() < 0.6:
        chosen.add("WATCH_CENTER")
    return [c for c in ("HSIN", "EMAIL", "PHONE", "WATCH_CENTER") if c in chosen]


def contact_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (first, last) pairs; distinct last names keep emails unique."""
    lasts = rng.sample(LAST_NAMES, count)
    return [(rng.choice(FIRST_NAMES), last) for last in lasts]


def _contacts(partners: list[Record]) -> list[Record]:
    rng = random.Random(CONTACT_SEED)
    out: list[Record] = []
    for p in partners:
        if p["id"] in NO_CONTACTS:
            continue
        government = p["kind"] in GOVERNMENT_KINDS
        tld = "gov" if government else "org"
        for j, (first, last) in enumerate(contact_names(rng, 1 + rng.randrange(3))):
            out.append(
                {
                    "id": f"c-{len(out) + 1:04d}",
                    "partner": p["id"],
                    "name": f"{first} {last}",
                    "email": f"{_slug(first)}.{_slug(last)}@{p['id']}.example.{tld}",
                    "pciiAuthorized": government and rng.random() < (0.75 if j == 0 else 0.25),
                    "channels": _contact_channels(rng, p),
                    "active": rng.random() >= 0.06,
                    "illustrative": True,
                }
            )
    return out


# --------------------------------------------------------------------------- the rest


def _requirements() -> list[Record]:
    out: list[Record] = []
    for i, (sid, _name, _ssa) in enumerate(SECTORS):
        topics = list(SECTOR_TOPICS[sid])
        kinds, levels, sev, channel = ISWG_TEMPLATES[i % len(ISWG_TEMPLATES)]
        audience_council = f"{sid}-scc" if i % 3 else f"{sid}-iswg"
        out.append(
            _requirement(
                f"req-{sid}-1",
                f"{sid}-iswg",
                sid,
                kinds,
                levels,
                topics[:2],
                sev,
                {"council": audience_council},
                channel,
            )
        )
        kinds, levels, sev, channel = GCC_TEMPLATES[i % len(GCC_TEMPLATES)]
        audience = {"sector": sid, "partnerKinds": list(GCC_AUDIENCE_KINDS[i % len(GCC_AUDIENCE_KINDS)])}
        out.append(_requirement(f"req-{sid}-2", f"{sid}-gcc", sid, kinds, levels, [], sev, audience, channel))
        if i % 4 == 0:  # some sectors' GCCs also push every topic to the whole GCC
            out.append(
                _requirement(
                    f"req-{sid}-3",
                    f"{sid}-gcc",
                    sid,
                    (),
                    (),
                    topics[-1:],
                    "HIGH",
                    {"council": f"{sid}-gcc"},
                    "WATCH_CENTER",
                )
            )
    return out


def _requirement(
    rid: str,
    council: str,
    sector: str,
    kinds: tuple[str, ...],
    levels: tuple[str, ...],
    topics: list[str],
    min_severity: str | None,
    audience: Record,
    channel: str,
) -> Record:
    return {
        "id": rid,
        "council": council,
        "sector": sector,
        "kinds": list(kinds),
        "levels": list(levels),
        "topics": topics,
        "minSeverity": min_severity,
        "audience": audience,
        "channel": channel,
        "illustrative": True,
    }


def _subscriptions() -> list[Record]:
    return [{"partner": p, "topic": t, "sector": s, "minSeverity": m} for p, t, s, m in SUBSCRIPTIONS]


# One paragraph per product: what a recipient reads first (illustrative, like every seed record).
SUMMARIES: dict[str, str] = {
    "prod-001": "A ransomware group is phishing grid operators' IT staff and moving laterally towards "
    "OT networks. Indicators, affected versions and recommended segmentation checks are attached.",
    "prod-002": "Open-source reporting on infrastructure incidents for 2 November: a water main break, "
    "two rail delays, a regional bank outage and a fire at a chemical distribution warehouse.",
    "prod-003": "A multi-day winter storm is expected across the Upper Midwest with ice accumulation "
    "likely to cause power outages and road closures. Pre-position crews and fuel.",
    "prod-004": "Indicators of insider threat at chemical facilities: unexplained access outside shifts, "
    "copying of process documentation and requests for security layouts.",
    "prod-005": "Projected landfall impacts on Gulf Coast refineries, with expected shutdowns, flood "
    "exposure of tank farms and the fuel supply outlook for the region.",
    "prod-006": "A pandemic influenza season could keep a large share of the workforce away; this "
    "analysis ranks sector functions by staffing sensitivity and lists mitigations.",
    "prod-007": "Several reports of individuals photographing intake structures and chemical storage at "
    "water treatment plants. Report similar activity to your fusion center.",
    "prod-008": "A credible threat against a major sporting venue has been received. Protective "
    "measures and coordination details are shared with the named partners only.",
    "prod-009": "A firmware update package for industrial controllers was altered in the supply chain. "
    "Affected products, hashes and the verification procedure are described.",
    "prod-010": "A protected vulnerability assessment of dam spillway controls and their remote access, "
    "submitted under the PCII Program.",
    "prod-011": "A fire at a telecom central office disrupted 911 and business lines for six hours. "
    "The analysis covers root cause, restoration and backup power lessons.",
    "prod-012": "Protective measures for holiday markets, parades and other mass gatherings: stand-off "
    "distances, crowd management and reporting suspicious behaviour.",
    "prod-013": "A phishing wave impersonating regulators targets regional bank employees. Sample "
    "lures, sender domains and awareness guidance are included.",
    "prod-014": "Threat assessment of the transport of nuclear material, covering routes, known "
    "surveillance and recommended escort posture.",
    "prod-015": "Contamination at processing plants in the Midwest led to recalls; the analysis traces "
    "the source and lists sanitation control gaps.",
    "prod-016": "Ransomware has disrupted hospital systems in several states; status of diversions, "
    "restoration timelines and known initial access vectors.",
    "prod-017": "Repeated drone overflights near defense contractor sites at night. Descriptions, "
    "flight patterns and how to report sightings.",
    "prod-018": "A gap in cargo screening procedures at a port has been identified. Details are shared "
    "with the addressed partners only.",
    "prod-019": "The annual cross-sector outlook: the risks most likely to affect critical "
    "infrastructure next year and their interdependencies.",
    "prod-020": "Protective measures for polling places and election offices: access control, "
    "de-escalation and coordination with local law enforcement.",
    "prod-021": "Impact assessment of the Pacific Northwest earthquake: bridges, power, water and "
    "communications status by county.",
    "prod-022": "Radio jamming incidents affected emergency services communications; protected "
    "technical details submitted under the PCII Program.",
    "prod-023": "Open-source reporting on infrastructure incidents for 20 November: a pipeline leak, "
    "a hospital power failure and a stadium evacuation drill.",
    "prod-024": "Open-source reporting on infrastructure incidents for 21 November: grid maintenance "
    "outages, a port closure for fog and a data center cooling failure.",
    "prod-025": "A managed service provider was compromised and its remote management tools used "
    "against customers. Indicators and containment steps are included.",
    "prod-026": "Vehicle ramming tactics seen abroad and at home, with indicators of planning and "
    "barrier options for public spaces.",
    "prod-027": "Unusual purchases of precursor chemicals by individuals without a business need. "
    "Retailers are asked to report similar purchases.",
    "prod-028": "Security posture for monuments and icons during national celebrations: staffing, "
    "screening and coordination.",
    "prod-029": "A prolonged heat wave is straining water and power systems. Expect demand peaks; "
    "conservation messaging and outage plans are advised.",
    "prod-030": "Red-team findings against a financial market utility, shared with the addressed "
    "partners only under the PCII Program.",
    "prod-031": "Supply of medical countermeasures is disrupted by a manufacturing stoppage; "
    "expected shortages and allocation guidance.",
    "prod-032": "An insider sabotaged sorting equipment at a parcel facility; the analysis covers "
    "detection and access review lessons.",
    "prod-033": "A tropical storm is expected to bring flooding rain and power outages to Puerto Rico "
    "and the U.S. Virgin Islands within 48 hours.",
    "prod-034": "Regional threat assessment for Guam and the Northern Mariana Islands covering "
    "cyber activity against utilities and port operations.",
    "prod-035": "Lessons learned from a cross-border grid exercise: communications, mutual assistance "
    "and black-start coordination.",
    "prod-036": "Several dam operators report inquiries about spillway schedules and access from "
    "unknown callers. Verify callers and report.",
    "prod-037": "A perimeter intrusion at a nuclear generating station; protected details are shared "
    "with the addressed partners only.",
    "prod-038": "Protective measures for emergency services during a pandemic: staffing rotations, "
    "protective equipment and continuity of dispatch.",
}


def _products() -> list[Record]:
    keys = (
        "id",
        "title",
        "kind",
        "level",
        "severity",
        "tlp",
        "pcii",
        "sectors",
        "topics",
        "regions",
        "addressedTo",
        "issuedBy",
        "publishedAt",
    )
    out: list[Record] = []
    for row in PRODUCTS:
        rec = {k: list(v) if isinstance(v, tuple) else v for k, v in zip(keys, row, strict=True)}
        rec["illustrative"] = True
        rec["summary"] = SUMMARIES[row[0]]
        out.append(rec)
    return out


def build_seed_document() -> dict[str, Any]:
    """The whole seed network as one interchange document (a fresh copy on every call)."""
    partners = _all_partners()
    _link_partners({p["id"]: p for p in partners})
    return {
        "sectors": [{"id": s, "name": n, "sectorSpecificAgency": a} for s, n, a in SECTORS],
        "regions": _regions(),
        "topics": [{"id": t, "name": n} for t, n in TOPICS],
        "partners": partners,
        "councils": _sector_councils() + _cross_sector_councils(partners),
        "contacts": _contacts(partners),
        "requirements": _requirements(),
        "subscriptions": _subscriptions(),
        "products": _products(),
    }

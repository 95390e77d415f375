"""A few illustrative reports partners of the seed network submitted upward.

Made up, like the seed's invented organisations: they show routing (by the report's regions, or
by the submitter's own), PCII review and triage in a fresh service. Loaded after the seed
network; a report whose id exists already is left as it is.
"""

from __future__ import annotations

from graph_api.rules.reports import Submission

# (report id, submitting partner, submission)
SEED_REPORTS: tuple[tuple[str, str, Submission], ...] = (
    (
        "rpt-seed-drone-over-tank-farm",
        "gulfside-chemical",
        Submission(
            title="Drone loitering over the tank farm at night (illustrative)",
            summary="Site security saw a small drone circle the chlorine storage area for about ten "
            "minutes after midnight, twice this week. No markings; the operator was not found.",
            kind="SUSPICIOUS_ACTIVITY",
            sectors=["chemical"],
            regions=["tx"],
            observed_at="2026-11-24T05:40:00Z",
            tlp="AMBER",
        ),
    ),
    (
        "rpt-seed-phishing-wave",
        "lakeshore-arena",
        Submission(
            title="Credential phishing against ticketing staff (illustrative)",
            summary="Forty staff received messages imitating our ticketing vendor's login page; two "
            "entered credentials, which were reset within the hour.",
            kind="INCIDENT",
            sectors=["commercial-facilities"],
            regions=[],  # routed by the submitter's own region (the Chicago urban area)
            observed_at="2026-11-23T14:00:00Z",
            tlp="GREEN",
        ),
    ),
    (
        "rpt-seed-substation-survey",
        "sunbelt-shopping",
        Submission(
            title="Questions about the substation feeding a mall (illustrative)",
            summary="Two people asked maintenance staff detailed questions about the substation "
            "behind the mall and its backup feed; we ask whether similar approaches were reported.",
            kind="REQUEST_FOR_INFORMATION",
            sectors=["energy", "commercial-facilities"],
            regions=["fl"],
            observed_at="2026-11-22T16:30:00Z",
            tlp="AMBER",
            pcii_requested=True,
        ),
    ),
    (
        "rpt-seed-badge-cloning",
        "bayou-petrochemical",
        Submission(
            title="Access badge cloned at a refinery gate (illustrative)",
            summary="A contractor's badge was used at the north gate while its holder was on leave; "
            "the reader logs suggest a cloned card.",
            kind="INCIDENT",
            sectors=["chemical"],
            regions=["ua-new-orleans"],
            observed_at="2026-11-21T06:10:00Z",
            tlp="AMBER_STRICT",
            pcii_requested=True,
        ),
    ),
)

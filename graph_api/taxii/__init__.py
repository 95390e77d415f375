"""TAXII 2.1 and STIX 2.1: products on the wire the threat-sharing world speaks."""

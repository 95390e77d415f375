"""Open-source feeds: fetching RSS, Atom and JSON Feed documents, reading their items, storing
each item once, and suggesting its sectors, topics and regions.

`fetching` talks HTTP under the limits of the settings, `parsing` turns a document into entries,
`identity` and `dedup` decide which stored item an entry is, `classify` suggests, and `poller`
runs the whole round for the feeds that are due.
"""

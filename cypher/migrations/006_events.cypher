// The event log: each event's sequence number is unique and read in order by every tailer;
// `at` serves pruning. One counter node hands out the numbers.
// Changes the partnership graph: no
CREATE CONSTRAINT event_sequence IF NOT EXISTS FOR (n:Event) REQUIRE n.sequence IS UNIQUE;
CREATE INDEX event_at IF NOT EXISTS FOR (n:Event) ON (n.at);
CREATE CONSTRAINT event_counter_name IF NOT EXISTS FOR (n:EventSequence) REQUIRE n.name IS UNIQUE;

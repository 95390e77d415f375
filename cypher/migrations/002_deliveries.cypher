// A delivery of a product to a partner is recorded once, whoever runs dissemination and how often.
// Changes the partnership graph: no
CREATE CONSTRAINT delivery_key IF NOT EXISTS FOR (n:Delivery) REQUIRE n.key IS UNIQUE;
CREATE INDEX delivery_at IF NOT EXISTS FOR (n:Delivery) ON (n.deliveredAt);

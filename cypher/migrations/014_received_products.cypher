// Products received from peers, one each by origin node and origin product id (its key).
// Changes the partnership graph: no
CREATE CONSTRAINT received_product_key IF NOT EXISTS FOR (n:ReceivedProduct) REQUIRE n.key IS UNIQUE;

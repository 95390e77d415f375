// The ids of the products a PARTNER user may see (the rule is access/product_visible.cypher,
// the facts about the user access/product_viewer.cypher).
// Changes the partnership graph: no
/*VIEWER*/
MATCH (product:InformationProduct)
WHERE /*VISIBLE*/
RETURN collect(product.id) AS ids

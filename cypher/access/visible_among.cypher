// Which of $productIds each partner in $partnerIds may see, in one query: the VIEWER slot holds
// access/product_viewer.cypher and the VISIBLE slot the rule of access/product_visible.cypher,
// with the partner bound per row (accessPartner).
// Changes the partnership graph: no
UNWIND $partnerIds AS accessPartner
CALL (accessPartner) {
  /*VIEWER*/
  UNWIND $productIds AS productId
  MATCH (product:InformationProduct {id: productId})
  WHERE /*VISIBLE*/
  RETURN collect(product.id) AS ids
}
RETURN accessPartner AS partner, ids

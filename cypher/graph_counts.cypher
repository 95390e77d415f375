// Sizes of the network: what an import or export reports, and what tests compare. The audit
// trail is not part of the network (it grows with every audited request, refused ones included).
// Changes the partnership graph: no
CALL () { MATCH (n) WHERE NOT n:AuditRecord AND NOT n:AuditHead RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships

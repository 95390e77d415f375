// Topics own no relationships.
// Changes the partnership graph: no
UNWIND $rows AS row
RETURN count(row) AS rows

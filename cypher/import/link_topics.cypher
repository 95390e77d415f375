// Topics own no relationships.
UNWIND $rows AS row
RETURN count(row) AS rows

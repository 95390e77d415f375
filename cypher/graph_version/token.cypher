// The token of the graph's last committed change, and its place in the change log.
// Changes the partnership graph: no
MATCH (v:GraphVersion {id: 1})
RETURN v.token AS token, v.seq AS seq

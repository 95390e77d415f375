// The token of the graph's last committed change, and its place in the change log.
MATCH (v:GraphVersion {id: 1})
RETURN v.token AS token, v.seq AS seq

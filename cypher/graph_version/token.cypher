// The token of the graph's last committed change.
MATCH (v:GraphVersion {id: 1})
RETURN v.token AS token

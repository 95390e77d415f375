// The graph's change log: each committed change of the partnership graph also leaves a
// (:GraphChange {seq, token, partners}) naming the partners it changed (null: it may have changed
// anything), so that a process holding the recipient index can bring it up to date by reading
// only those partners again. `seq` counts the changes in commit order.
// Changes the partnership graph: no
CREATE INDEX graph_change_seq IF NOT EXISTS FOR (c:GraphChange) ON (c.seq);
MATCH (v:GraphVersion {id: 1}) WHERE v.seq IS NULL
SET v.seq = 0
CREATE (:GraphChange {seq: 0, token: v.token, partners: null});

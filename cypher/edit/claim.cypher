// Claims a new record's id: a concurrent create of the same id fails on the uniqueness constraint
// instead of merging into this one. /*LABEL*/ comes from editing.CREATE_LABELS.
// Changes the partnership graph: yes
CREATE (n:/*LABEL*/ {id: $id})

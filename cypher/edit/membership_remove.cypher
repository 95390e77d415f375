// Changes the partnership graph: yes
MATCH (:Partner {id: $partner})-[m:MEMBER_OF]->(:Council {id: $council})
DELETE m

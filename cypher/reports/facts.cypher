// Which of the sectors and regions a report names exist.
// Changes the partnership graph: no
RETURN [id IN $sectors WHERE EXISTS { (:Sector {id: id}) }] AS sectors,
       [id IN $regions WHERE EXISTS { (:Region {id: id}) }] AS regions

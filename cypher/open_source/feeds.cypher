// Every configured open-source feed ($ids: null = all), by name then id.
// Changes the partnership graph: no
MATCH (f:OpenSourceFeed)
WHERE $ids IS NULL OR f.id IN $ids
RETURN f {.id, .name, .url, .host, .sectors, .topics, .pollSeconds, .etag, .lastModified, .lastError,
          .itemCount, lastErrorAt: toString(f.lastErrorAt), failingSince: toString(f.failingSince),
          lastSuccessAt: toString(f.lastSuccessAt), createdAt: toString(f.createdAt)} AS feed
ORDER BY f.name, f.id

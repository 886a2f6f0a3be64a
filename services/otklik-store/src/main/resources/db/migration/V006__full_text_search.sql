-- Full-text search over requests (subject, description), their comments and the names of their
-- attached files, in Russian and English at once. A text is indexed under both configurations
-- (the Russian one stems «ошибкой» to «ошибк», the English one "crashes" to "crash"), and a
-- query is parsed under both and OR'ed, so neither the author's nor the searcher's language has
-- to be known. Expression GIN indexes rather than generated columns: the ticket tables stay as
-- V003 made them, and the functions below are the one definition the indexes and the queries
-- share (a query uses an index only when it repeats the indexed expression).

CREATE FUNCTION otklik_search_vector(content text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_tsvector('pg_catalog.russian'::regconfig, coalesce(content, ''))
            || to_tsvector('pg_catalog.english'::regconfig, coalesce(content, '')) $$;

-- The functions below call only pg_catalog: PostgreSQL 17 builds indexes with a search_path of
-- pg_catalog alone, where otklik_search_vector would not be found.

-- A request: subject weighs more (A) than description (B) when ranking.
CREATE FUNCTION otklik_ticket_search_vector(subject text, description text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT setweight(to_tsvector('pg_catalog.russian'::regconfig, coalesce(subject, ''))
                      || to_tsvector('pg_catalog.english'::regconfig, coalesce(subject, '')), 'A')
            || setweight(to_tsvector('pg_catalog.russian'::regconfig, coalesce(description, ''))
                      || to_tsvector('pg_catalog.english'::regconfig, coalesce(description, '')), 'B') $$;

-- A file name: the parser would keep "журнал_ошибок.log" or "crash-report.txt" whole, so its
-- parts are indexed as words too, alongside the whole name.
CREATE FUNCTION otklik_file_name_search_vector(file_name text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_tsvector('pg_catalog.russian'::regconfig, parts) || to_tsvector('pg_catalog.english'::regconfig, parts)
            || to_tsvector('pg_catalog.simple'::regconfig, coalesce(file_name, ''))
          FROM (SELECT regexp_replace(coalesce(file_name, ''), '[[:punct:][:space:]]+', ' ', 'g') AS parts) p $$;

-- What the searcher typed (web-search syntax: "phrase", or, -not), under both configurations.
CREATE FUNCTION otklik_search_query(query text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT websearch_to_tsquery('pg_catalog.russian'::regconfig, query)
            || websearch_to_tsquery('pg_catalog.english'::regconfig, query) $$;

CREATE INDEX ticket_search ON ticket USING gin (otklik_ticket_search_vector(subject, description));
CREATE INDEX ticket_comment_search ON ticket_comment USING gin (otklik_search_vector(body));
CREATE INDEX ticket_attachment_search ON ticket_attachment USING gin (otklik_file_name_search_vector(file_name));

GRANT EXECUTE ON FUNCTION otklik_search_vector(text) TO ${app_role};
GRANT EXECUTE ON FUNCTION otklik_ticket_search_vector(text, text) TO ${app_role};
GRANT EXECUTE ON FUNCTION otklik_file_name_search_vector(text) TO ${app_role};
GRANT EXECUTE ON FUNCTION otklik_search_query(text) TO ${app_role};

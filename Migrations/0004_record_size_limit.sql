-- Records over ingest.max_record_bytes are stored cut to an excerpt of each field; this is their full size in
-- bytes (key, value, header names and values). NULL: every byte is stored. A replay skips cut records.
ALTER TABLE dead_letters ADD COLUMN truncated_from bigint;

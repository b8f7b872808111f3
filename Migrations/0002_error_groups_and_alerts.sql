-- Classification, error groups, and the alert outbox.

-- What the rules concluded about each dead letter when it was ingested (or last re-classified).
ALTER TABLE dead_letters
    ADD COLUMN fingerprint text,
    ADD COLUMN error_class text,
    ADD COLUMN severity    text,
    ADD COLUMN rule_name   text;
CREATE INDEX dead_letters_fingerprint ON dead_letters (fingerprint, status);

-- "The same error": dead letters sharing a fingerprint (exception class, normalized message, original topic,
-- consumer group). Kept current in the ingest transaction.
CREATE TABLE error_groups (
    fingerprint            text PRIMARY KEY,
    exception_class        text,
    message_pattern        text,
    original_topic         text,
    consumer_group         text,
    -- Of the latest arrival: one group can span DLQ topics.
    dlq_topic              text,
    error_class            text        NOT NULL,
    severity               text        NOT NULL,
    action                 text        NOT NULL,
    rule_name              text        NOT NULL,
    -- regressed: dead letters arrived again after the group was resolved.
    status                 text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'regressed')),
    event_count            bigint      NOT NULL DEFAULT 0,
    unresolved_count       bigint      NOT NULL DEFAULT 0,
    first_seen             timestamptz NOT NULL,
    last_seen              timestamptz NOT NULL,
    example_dead_letter_id bigint,
    example_message        text,
    last_alerted_at        timestamptz,
    resolved_at            timestamptz
);
CREATE INDEX error_groups_last_seen ON error_groups (last_seen DESC);

-- What must still be announced: at most one row per group, written in the same transaction as the dead
-- letters that caused it (a crash between commit and send delays an alert, never drops it). Arrivals fold
-- into the pending row until the dispatcher turns it into deliveries.
CREATE TABLE alert_outbox (
    fingerprint text        PRIMARY KEY REFERENCES error_groups ON DELETE CASCADE,
    kind        text        NOT NULL CHECK (kind IN ('trigger', 'resolve')),
    new_events  bigint      NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    due_at      timestamptz NOT NULL
);
CREATE INDEX alert_outbox_due ON alert_outbox (due_at);

-- One notification to one sink, and how its delivery went. Claimed with a lease so that several daemons
-- share the work and a daemon that dies mid-send leaves the row to be retried (delivery is at least once).
CREATE TABLE alert_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     uuid        NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    fingerprint     text        NOT NULL,
    sink            text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('trigger', 'resolve', 'test')),
    new_events      bigint      NOT NULL DEFAULT 0,
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed', 'given_up')),
    attempts        integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    delivered_at    timestamptz,
    last_status     integer,
    last_error      text
);
CREATE INDEX alert_deliveries_pending ON alert_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX alert_deliveries_created ON alert_deliveries (created_at DESC);
CREATE INDEX alert_deliveries_fingerprint ON alert_deliveries (fingerprint, created_at DESC);

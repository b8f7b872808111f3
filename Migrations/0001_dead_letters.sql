-- One row per dead letter: every byte of the Kafka record, plus what was decoded from it.
-- The record's own bytes (key, value, headers) are never rewritten; decoded columns may be recomputed.

CREATE TABLE dead_letters (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,

    -- Where the dead letter was read from. Unique: redelivery after a crash must not add a row.
    dlq_topic             text        NOT NULL,
    dlq_partition         integer     NOT NULL,
    dlq_offset            bigint      NOT NULL,

    -- The record exactly as consumed. NULL and empty are different things in Kafka and stay different here.
    record_key            bytea,
    record_value          bytea,
    -- Headers in wire order, repeats kept. Parallel arrays because a header value is bytes or NULL.
    header_names          text[]      NOT NULL DEFAULT '{}',
    header_values         bytea[]     NOT NULL DEFAULT '{}',
    kafka_timestamp       timestamptz,

    -- What the envelope said about the failure.
    format                text        NOT NULL
                          CHECK (format IN ('json_envelope', 'spring', 'connect', 'streams', 'plain_headers', 'raw')),
    original_topic        text,
    original_partition    integer,
    original_offset       bigint,
    -- For a JSON envelope, the byte span of the original event inside record_value (0-based start, length):
    -- replay publishes exactly these bytes. NULL means the whole value is the event.
    original_event_start  integer,
    original_event_length integer,
    consumer_group        text,
    consumer              text,
    exception_class       text,
    error_message         text,
    stack_trace           text,
    attempt_count         integer,
    failed_at             timestamptz,
    trace_id              text,
    span_id               text,
    -- Why part of the record could not be decoded; NULL when everything decoded cleanly.
    decode_note           text,

    ingested_at           timestamptz NOT NULL DEFAULT now(),
    status                text        NOT NULL DEFAULT 'new'
                          CHECK (status IN ('new', 'replaying', 'replayed', 'resolved')),

    CONSTRAINT dead_letters_dlq_coordinate UNIQUE (dlq_topic, dlq_partition, dlq_offset),
    CONSTRAINT dead_letters_original_event_span CHECK (
        (original_event_start IS NULL) = (original_event_length IS NULL)
    )
);

-- What operators filter by; `dlq list` is newest first.
CREATE INDEX dead_letters_ingested_at ON dead_letters (ingested_at DESC, id DESC);
CREATE INDEX dead_letters_status ON dead_letters (status, ingested_at DESC);
CREATE INDEX dead_letters_original_topic ON dead_letters (original_topic, ingested_at DESC);
CREATE INDEX dead_letters_exception_class ON dead_letters (exception_class);
CREATE INDEX dead_letters_trace_id ON dead_letters (trace_id) WHERE trace_id IS NOT NULL;

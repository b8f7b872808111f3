-- Replay jobs, their items and claims, lineage of dead letters that came back, and the audit trail.

-- Lineage read from the headers a replay adds, when a replayed event failed again and was dead-lettered anew.
-- Written at ingest from the record's own headers, so recognising a recurrence costs no extra statement.
ALTER TABLE dead_letters
    -- How many times the event had already been replayed when it arrived here (the dlq-replay-count header).
    ADD COLUMN replay_generation integer NOT NULL DEFAULT 0,
    -- The DLQ coordinate (topic:partition:offset) of the earlier dead letter it was replayed from.
    ADD COLUMN replayed_from     text,
    -- The replay job that published the event this dead letter is a recurrence of.
    ADD COLUMN replayed_by_job   bigint;
CREATE INDEX dead_letters_replayed_by_job ON dead_letters (replayed_by_job) WHERE replayed_by_job IS NOT NULL;
-- Dead letters of the group that came back after a replay: a fix that did not hold.
ALTER TABLE error_groups ADD COLUMN recurrence_count bigint NOT NULL DEFAULT 0;

-- One operator (or auto-replay) request to republish a selection of dead letters.
CREATE TABLE replay_jobs (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at         timestamptz NOT NULL DEFAULT now(),
    operator           text        NOT NULL,
    reason             text,
    -- The selection as the operator wrote it (canonical form), for status, list and audit.
    selection          text        NOT NULL,
    -- NULL: each event goes back to its original topic.
    target_topic       text,
    preserve_partition boolean     NOT NULL DEFAULT false,
    -- Events per second; NULL is unlimited.
    rate               integer     CHECK (rate > 0),
    -- Replays allowed per event for this job; NULL: the configured replay.max_replays.
    max_replays        integer     CHECK (max_replays > 0),
    state              text        NOT NULL DEFAULT 'pending'
                       CHECK (state IN ('pending', 'running', 'interrupted', 'failed', 'completed', 'cancelled')),
    -- Set by `dlq replay cancel` while a runner holds the job; the runner stops after the chunk in flight.
    cancel_requested   boolean     NOT NULL DEFAULT false,
    runs               integer     NOT NULL DEFAULT 0,
    -- Of events published by an earlier run whose delivery report was lost to a crash, found on the target
    -- topics by their lineage headers when the job resumed.
    recovered          bigint      NOT NULL DEFAULT 0,
    started_at         timestamptz,
    finished_at        timestamptz,
    last_error         text
);
CREATE INDEX replay_jobs_created ON replay_jobs (created_at DESC);

-- The job's selection, fixed when the job was created: one row per dead letter and what became of it.
CREATE TABLE replay_items (
    job_id           bigint      NOT NULL REFERENCES replay_jobs,
    -- No foreign key: purging a dead letter keeps the record that it was replayed.
    dead_letter_id   bigint      NOT NULL,
    state            text        NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'published', 'skipped', 'cancelled')),
    skip_reason      text,
    target_topic     text,
    target_partition integer,
    target_offset    bigint,
    published_at     timestamptz,
    PRIMARY KEY (job_id, dead_letter_id)
);
-- "Has this dead letter been replayed, how often, by whom": the derived status and the loop limit read this.
CREATE INDEX replay_items_dead_letter ON replay_items (dead_letter_id) WHERE state = 'published';

-- Which job is publishing a dead letter right now: at most one. A claim is taken (and committed) before the
-- record is sent and dropped with the delivery report's outcome, so a claim left behind by a crash marks an
-- event whose fate is unknown until the job's target topics are checked for it.
-- No foreign key to replay_jobs: claims churn thousands of rows a second during a replay, and jobs are never
-- deleted.
CREATE TABLE replay_claims (
    dead_letter_id bigint PRIMARY KEY,
    job_id         bigint NOT NULL
);
CREATE INDEX replay_claims_job ON replay_claims (job_id);

-- Where each target partition stood when a job's first run began: where to look for its records on resume.
CREATE TABLE replay_job_offsets (
    job_id    bigint  NOT NULL REFERENCES replay_jobs ON DELETE CASCADE,
    topic     text    NOT NULL,
    partition integer NOT NULL,
    "offset"  bigint  NOT NULL,
    PRIMARY KEY (job_id, topic, partition)
);

-- Every mutating action: who, when, why, on what, and what happened.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    operator    text        NOT NULL,
    action      text        NOT NULL,
    reason      text,
    selection   text,
    event_count bigint,
    job_id      bigint,
    outcome     text        NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

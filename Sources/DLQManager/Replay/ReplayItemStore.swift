import DLQCore
import Foundation
import Postgres

/// The statements a replay runner issues for its items: claim a step's worth, record outcomes, settle claims
/// held by jobs that are gone. All on the runner's own connection.
struct ReplayItemStore: Sendable {
    let jobID: Int64

    /// Claims up to `limit` pending items after `cursor` (in id order) and reads their dead letters. The claim
    /// commits before anything is sent: a crash from here on leaves it behind as the mark of an unknown outcome.
    ///
    /// Claiming and reading are two statements on purpose. A claim can wait for another job's recording
    /// transaction, which marks the event published and drops that job's claim at once; the claim goes through
    /// when that transaction commits, but a statement reads with the snapshot it started with and would still see
    /// the event unpublished, and publish it a second time. Read after the claim, the published mark is visible:
    /// whoever held the claim before has committed what became of the event.
    ///
    /// - Parameters:
    ///   - includesReplayed: whether the job selected already-replayed events on purpose. If not, an event any
    ///     other job has published is skipped: two overlapping jobs then publish it once, whatever the timing.
    ///     If so, only events another job published after this one was created are skipped.
    ///   - createdAt: the job's creation.
    func claim(
        after cursor: Int64,
        limit: Int,
        includesReplayed: Bool,
        createdAt: Date,
        maxReplays: Int,
        on connection: PostgresConnection
    ) async throws -> [ClaimedDeadLetter] {
        let candidates = try await connection.query("""
            WITH candidates AS (
                SELECT dead_letter_id, target_topic FROM replay_items
                WHERE job_id = \(jobID) AND state = 'pending' AND dead_letter_id > \(cursor)
                ORDER BY dead_letter_id LIMIT \(limit)
            ), claimed AS (
                INSERT INTO replay_claims (dead_letter_id, job_id)
                SELECT dead_letter_id, \(jobID) FROM candidates ORDER BY dead_letter_id
                ON CONFLICT (dead_letter_id) DO NOTHING
                RETURNING dead_letter_id
            )
            SELECT c.dead_letter_id, cl.dead_letter_id IS NOT NULL AS claimed, c.target_topic
            FROM candidates c LEFT JOIN claimed cl ON cl.dead_letter_id = c.dead_letter_id
            ORDER BY c.dead_letter_id
            """)
        let claimedIDs = try candidates.filter { try $0.decode(Bool.self, column: 1) }.map { try $0.decode(Int64.self, column: 0) }
        let rows = try await connection.query("""
            SELECT c.dead_letter_id,
                   (SELECT count(*) FROM replay_items p
                    WHERE p.dead_letter_id = c.dead_letter_id AND p.state = 'published') AS prior,
                   (SELECT max(p.job_id) FROM replay_items p
                    WHERE p.dead_letter_id = c.dead_letter_id AND p.state = 'published' AND p.job_id <> \(jobID)
                      AND (NOT \(includesReplayed) OR p.published_at >= \(createdAt))) AS replayed_by,
                   d.id, d.dlq_topic, d.dlq_partition, d.dlq_offset, d.record_key, d.record_value,
                   d.header_names, d.header_values, d.original_partition, d.original_event_start,
                   d.original_event_length, d.trace_id, d.span_id, d.replay_generation, d.fingerprint, d.status,
                   d.truncated_from
            FROM unnest(\(claimedIDs)::bigint[]) AS c(dead_letter_id)
            -- LATERAL: one index lookup per claimed row, never a scan of the table up to the step.
            LEFT JOIN LATERAL (
                SELECT * FROM dead_letters WHERE id = c.dead_letter_id
            ) d ON true
            """)
        var claimedRows: [Int64: PostgresRow] = [:]
        for row in rows {
            claimedRows[try row.decode(Int64.self, column: 0)] = row
        }
        var claimed: [ClaimedDeadLetter] = []
        claimed.reserveCapacity(candidates.count)
        for candidate in candidates {
            let id = try candidate.decode(Int64.self, column: 0)
            guard let row = claimedRows[id] else {
                claimed.append(ClaimedDeadLetter(deadLetterID: id, disposition: .heldElsewhere))
                continue
            }
            if let other = try row.decode(Int64?.self, column: 2) {
                claimed.append(ClaimedDeadLetter(deadLetterID: id, disposition: .skip("replayed by job \(other) meanwhile")))
                continue
            }
            guard try row.decode(Int64?.self, column: 3) != nil else {
                claimed.append(ClaimedDeadLetter(deadLetterID: id, disposition: .skip("dead letter purged")))
                continue
            }
            if let size = try row.decode(Int64?.self, column: 19) {
                claimed.append(ClaimedDeadLetter(deadLetterID: id, disposition: .skip(
                    "stored cut: the record's \(size) bytes were over ingest.max_record_bytes; its full bytes are only in the DLQ topic")))
                continue
            }
            let prior = try row.decode(Int64.self, column: 1)
            let replays = Int(try row.decode(Int32.self, column: 16)) + Int(prior)
            guard replays < maxReplays else {
                claimed.append(ClaimedDeadLetter(
                    deadLetterID: id, disposition: .skip("replay limit reached (\(replays) of \(maxReplays))")))
                continue
            }
            let isNew = try row.decode(String.self, column: 18) == "new"
            let unresolvedGroup = prior == 0 && isNew ? try row.decode(String?.self, column: 17) : nil
            let start = try row.decode(Int32?.self, column: 12)
            let length = try row.decode(Int32?.self, column: 13)
            let names = try row.decode([String].self, column: 9)
            let values = try row.decode([[UInt8]?].self, column: 10)
            let letter = DeadLetter(
                coordinate: DLQCoordinate(
                    topic: try row.decode(String.self, column: 4),
                    partition: try row.decode(Int32.self, column: 5),
                    offset: try row.decode(Int64.self, column: 6)
                ),
                key: try row.decode([UInt8]?.self, column: 7),
                value: try row.decode([UInt8]?.self, column: 8),
                headers: zip(names, values).map { RecordHeader(name: $0, value: $1) },
                kafkaTimestamp: nil,
                originalEventRange: start.flatMap { start in length.map { Int(start)..<Int(start + $0) } },
                traceID: try row.decode(String?.self, column: 14),
                spanID: try row.decode(String?.self, column: 15)
            )
            claimed.append(ClaimedDeadLetter(deadLetterID: id, disposition: .publish(
                letter: letter,
                target: try candidate.decode(String.self, column: 2),
                originalPartition: try row.decode(Int32?.self, column: 11),
                replayCount: Int32(replays + 1),
                unresolvedGroup: unresolvedGroup
            )))
        }
        return claimed
    }

    /// Records one step's outcomes in one transaction: published items with where they landed, skipped items
    /// with why, claims released for both, and groups' unresolved counts lowered by the events replayed for the
    /// first time. Items that failed keep their claim (their outcome is unknown) and stay pending. Returns
    /// whether a cancel was requested meanwhile.
    func record(
        published: [(id: Int64, partition: Int32, offset: Int64?)],
        skipped: [(id: Int64, reason: String)],
        firstReplays: [String: Int64] = [:],
        recovered: Int = 0,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.withTransaction { transaction in
            if !published.isEmpty {
                try await transaction.execute("""
                    UPDATE replay_items i
                    SET state = 'published', target_partition = u.p, target_offset = u.o, published_at = clock_timestamp()
                    FROM unnest(\(published.map(\.id))::bigint[], \(published.map(\.partition))::integer[],
                                \(published.map(\.offset))::bigint[]) AS u(id, p, o)
                    WHERE i.job_id = \(jobID) AND i.dead_letter_id = u.id
                    """)
            }
            if !firstReplays.isEmpty {
                // Sorted: concurrent jobs then lock the groups in the same order and cannot deadlock.
                let groups = firstReplays.sorted { $0.key < $1.key }
                try await transaction.execute("""
                    UPDATE error_groups g SET unresolved_count = greatest(g.unresolved_count - u.n, 0)
                    FROM unnest(\(groups.map(\.key))::text[], \(groups.map(\.value))::bigint[]) AS u(fingerprint, n)
                    WHERE g.fingerprint = u.fingerprint
                    """)
            }
            if !skipped.isEmpty {
                try await transaction.execute("""
                    UPDATE replay_items i SET state = 'skipped', skip_reason = u.reason
                    FROM unnest(\(skipped.map(\.id))::bigint[], \(skipped.map(\.reason))::text[]) AS u(id, reason)
                    WHERE i.job_id = \(jobID) AND i.dead_letter_id = u.id
                    """)
            }
            let settled = published.map(\.id) + skipped.map(\.id)
            if !settled.isEmpty {
                try await transaction.execute("""
                    DELETE FROM replay_claims WHERE job_id = \(jobID) AND dead_letter_id = ANY(\(settled))
                    """)
            }
            if recovered > 0 {
                try await transaction.execute("UPDATE replay_jobs SET recovered = recovered + \(recovered) WHERE id = \(jobID)")
            }
            let rows = try await transaction.query("SELECT cancel_requested FROM replay_jobs WHERE id = \(jobID)")
            return try rows[0].decode(Bool.self, column: 0)
        }
    }

    /// Pending items whose claim belongs to a job no runner holds are skipped: that job may have published
    /// them before it died, and only resuming it can tell. Returns how many pending items remain.
    func settleHeldElsewhere(on connection: PostgresConnection) async throws -> Int64 {
        try await connection.execute("""
            UPDATE replay_items i SET state = 'skipped', skip_reason = 'claimed by job ' || c.job_id || ', which is not running'
            FROM replay_claims c
            WHERE i.job_id = \(jobID) AND i.state = 'pending' AND c.dead_letter_id = i.dead_letter_id
              AND c.job_id <> \(jobID)
              AND NOT \(ReplayJobStore.runnerActive("c.job_id"))
            """)
        let rows = try await connection.query("""
            SELECT count(*) FROM replay_items WHERE job_id = \(jobID) AND state = 'pending'
            """)
        return try rows[0].decode(Int64.self, column: 0)
    }

    /// Where a job's records may be found later: the end of each target partition now, kept from the first run.
    func rememberOffsets(_ offsets: [(topic: String, partition: Int32, offset: Int64)], on connection: PostgresConnection) async throws {
        guard !offsets.isEmpty else { return }
        try await connection.execute("""
            INSERT INTO replay_job_offsets (job_id, topic, partition, "offset")
            SELECT \(jobID), t, p, o
            FROM unnest(\(offsets.map(\.topic))::text[], \(offsets.map(\.partition))::integer[], \(offsets.map(\.offset))::bigint[]) AS u(t, p, o)
            ON CONFLICT DO NOTHING
            """)
    }

    func pendingTargetTopics(on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query("""
            SELECT DISTINCT target_topic FROM replay_items
            WHERE job_id = \(jobID) AND state = 'pending' AND target_topic IS NOT NULL
            """)
        return try rows.map { try $0.decode(String.self, column: 0) }
    }
}

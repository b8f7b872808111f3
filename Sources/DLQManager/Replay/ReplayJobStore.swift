import DLQCore
import Foundation
import Postgres

/// Replay jobs and their items in PostgreSQL: creation, reading, and the operator's cancel.
public struct ReplayJobStore: Sendable {
    public init() {}

    /// The first key of the advisory lock a runner holds on its job for as long as its session lives: a dead
    /// runner releases it with its connection, so "is someone running this job" needs no heartbeat.
    static let lockNamespace: Int32 = 0x444C_5152  // "DLQR"

    /// A condition: a runner holds the job whose id `jobID` evaluates to (a bind or a column of the query).
    static func runnerActive(_ jobID: PostgresQuery) -> PostgresQuery {
        """
        EXISTS (
            SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
            AND classid = \(Int64(lockNamespace))::oid AND objid = (\(jobID))::oid)
        """
    }

    /// Creates the job and fixes its items: the dead letters the selection holds now. Items without a target
    /// (original topic unknown and no explicit target) are skipped at once. Audited in the same transaction.
    public func create(_ request: ReplayRequest, on connection: PostgresConnection) async throws -> Int64 {
        try await create(request, ifNotEmpty: false, on: connection)!
    }

    /// As ``create(_:on:)``, but with `ifNotEmpty` creates nothing (and returns nil) when nothing is selected.
    public func create(_ request: ReplayRequest, ifNotEmpty: Bool, on connection: PostgresConnection) async throws -> Int64? {
        do {
            return try await insertJob(request, ifNotEmpty: ifNotEmpty, on: connection)
        } catch is NothingSelected {
            return nil
        }
    }

    /// Thrown inside the creating transaction to roll it back when the job selected nothing.
    private struct NothingSelected: Error {}

    private func insertJob(_ request: ReplayRequest, ifNotEmpty: Bool, on connection: PostgresConnection) async throws -> Int64 {
        try await connection.withTransaction { transaction in
            let rows = try await transaction.query("""
                INSERT INTO replay_jobs (operator, reason, selection, target_topic, preserve_partition, rate, max_replays)
                VALUES (\(request.operatorName), \(request.reason), \(request.selection.description),
                        \(request.targetTopic), \(request.preservePartition), \(request.rate.map(Int32.init)),
                        \(request.maxReplays.map(Int32.init)))
                RETURNING id
                """)
            let jobID = try rows[0].decode(Int64.self, column: "id")
            let limit = request.skipEventsAtLimit ? request.maxReplays.map(Int32.init) : nil
            // Selected first, inserted second: the selection reads replay_items (the derived status), and a
            // statement inserting into the table it scans per row slows down quadratically as it goes.
            try await transaction.execute("""
                CREATE TEMP TABLE selected_for_replay ON COMMIT DROP AS
                SELECT d.id, coalesce(\(request.targetTopic), d.original_topic) AS topic
                FROM dead_letters d
                WHERE \(request.selection.sqlCondition)
                  AND (\(limit)::integer IS NULL OR d.replay_generation + (
                      SELECT count(*) FROM replay_items p WHERE p.dead_letter_id = d.id AND p.state = 'published'
                  ) < \(limit))
                """)
            let selected = try await transaction.execute("""
                INSERT INTO replay_items (job_id, dead_letter_id, state, skip_reason, target_topic)
                SELECT \(jobID), id,
                       CASE WHEN topic IS NULL THEN 'skipped' ELSE 'pending' END,
                       CASE WHEN topic IS NULL THEN 'original topic unknown (use --to)' END,
                       topic
                FROM selected_for_replay
                """)
            if selected == 0 && ifNotEmpty { throw NothingSelected() }
            // The runner's statements join on replay_items by dead letter; statistics still saying "empty" would
            // plan them as scans repeated per row. Autovacuum catches up eventually, the job starts now.
            if selected >= 1000 {
                try await transaction.execute("ANALYZE replay_items")
            }
            try await AuditLog().record(
                operator: request.operatorName, action: "replay", reason: request.reason,
                selection: request.selection.description, eventCount: Int64(selected), jobID: jobID,
                outcome: "job \(jobID) created with \(selected) dead letters"
                    + (request.targetTopic.map { ", to \($0)" } ?? ", to their original topics"),
                in: transaction
            )
            return jobID
        }
    }

    public func job(_ id: Int64, on connection: PostgresConnection) async throws -> ReplayJob? {
        try await jobs(where: "j.id = \(id)", limit: 1, on: connection).first
    }

    /// Newest first.
    public func jobs(limit: Int, on connection: PostgresConnection) async throws -> [ReplayJob] {
        try await jobs(where: "true", limit: limit, on: connection)
    }

    public func latestJobID(on connection: PostgresConnection) async throws -> Int64? {
        let rows = try await connection.query("SELECT max(id) AS id FROM replay_jobs")
        return try rows.first?.decode(Int64?.self, column: "id")
    }

    /// Asks the runner holding the job to stop after the records in flight. Returns false when no runner holds
    /// it (then ``cancelStopped(_:operator:reason:on:)`` is the way).
    public func requestCancel(_ id: Int64, on connection: PostgresConnection) async throws -> Bool {
        guard try await isRunnerActive(id, on: connection) else { return false }
        try await connection.execute("UPDATE replay_jobs SET cancel_requested = true WHERE id = \(id)")
        return true
    }

    /// Cancels a job no runner holds: its pending items are cancelled and its claims released. Items whose
    /// claim was left by a crashed run are counted as possibly published (their fate is unknown without the
    /// broker). Returns that count.
    public func cancelStopped(
        _ id: Int64,
        operator operatorName: String,
        reason: String?,
        on connection: PostgresConnection
    ) async throws -> Int {
        try await connection.withTransaction { transaction in
            let uncertain = try await transaction.execute("DELETE FROM replay_claims WHERE job_id = \(id)")
            let cancelled = try await transaction.execute("""
                UPDATE replay_items SET state = 'cancelled' WHERE job_id = \(id) AND state = 'pending'
                """)
            try await transaction.execute("""
                UPDATE replay_jobs SET state = 'cancelled', finished_at = now(), cancel_requested = false
                WHERE id = \(id)
                """)
            try await AuditLog().record(
                operator: operatorName, action: "replay-cancel", reason: reason, selection: nil,
                eventCount: Int64(cancelled), jobID: id,
                outcome: "cancelled \(cancelled) unpublished items"
                    + (uncertain > 0 ? "; \(uncertain) may have been published by the interrupted run" : ""),
                in: transaction
            )
            return uncertain
        }
    }

    func isRunnerActive(_ id: Int64, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT \(Self.runnerActive("\(id)")) AS active")
        return try rows[0].decode(Bool.self, column: "active")
    }

    private func jobs(where condition: PostgresQuery, limit: Int, on connection: PostgresConnection) async throws -> [ReplayJob] {
        let rows = try await connection.query("""
            SELECT j.*,
                   coalesce(i.total, 0) AS total, coalesce(i.pending, 0) AS pending,
                   coalesce(i.published, 0) AS published, coalesce(i.skipped, 0) AS skipped,
                   coalesce(i.cancelled, 0) AS cancelled,
                   (SELECT count(*) FROM dead_letters d WHERE d.replayed_by_job = j.id) AS recurrences,
                   \(Self.runnerActive("j.id")) AS runner_active
            FROM replay_jobs j
            LEFT JOIN LATERAL (
                SELECT count(*) AS total,
                       count(*) FILTER (WHERE state = 'pending') AS pending,
                       count(*) FILTER (WHERE state = 'published') AS published,
                       count(*) FILTER (WHERE state = 'skipped') AS skipped,
                       count(*) FILTER (WHERE state = 'cancelled') AS cancelled
                FROM replay_items WHERE job_id = j.id
            ) i ON true
            WHERE \(condition)
            ORDER BY j.id DESC LIMIT \(limit)
            """)
        var jobs: [ReplayJob] = []
        for row in rows {
            let id = try row.decode(Int64.self, column: "id")
            var items = ReplayItemCounts()
            items.total = try row.decode(Int64.self, column: "total")
            items.pending = try row.decode(Int64.self, column: "pending")
            items.published = try row.decode(Int64.self, column: "published")
            items.skipped = try row.decode(Int64.self, column: "skipped")
            items.cancelled = try row.decode(Int64.self, column: "cancelled")
            if items.skipped > 0 {
                let reasons = try await connection.query("""
                    SELECT coalesce(skip_reason, 'unknown') AS reason, count(*) AS n FROM replay_items
                    WHERE job_id = \(id) AND state = 'skipped' GROUP BY 1
                    """)
                for reason in reasons {
                    items.skipReasons[try reason.decode(String.self, column: "reason")] = try reason.decode(Int64.self, column: "n")
                }
            }
            jobs.append(ReplayJob(
                id: id,
                createdAt: try row.decode(Date.self, column: "created_at"),
                operatorName: try row.decode(String.self, column: "operator"),
                reason: try row.decode(String?.self, column: "reason"),
                selection: try row.decode(String.self, column: "selection"),
                targetTopic: try row.decode(String?.self, column: "target_topic"),
                preservePartition: try row.decode(Bool.self, column: "preserve_partition"),
                rate: try row.decode(Int?.self, column: "rate"),
                maxReplays: try row.decode(Int?.self, column: "max_replays"),
                state: ReplayJobState(rawValue: try row.decode(String.self, column: "state")) ?? .failed,
                cancelRequested: try row.decode(Bool.self, column: "cancel_requested"),
                runs: try row.decode(Int.self, column: "runs"),
                recovered: try row.decode(Int64.self, column: "recovered"),
                startedAt: try row.decode(Date?.self, column: "started_at"),
                finishedAt: try row.decode(Date?.self, column: "finished_at"),
                lastError: try row.decode(String?.self, column: "last_error"),
                items: items,
                recurrences: try row.decode(Int64.self, column: "recurrences"),
                runnerActive: try row.decode(Bool.self, column: "runner_active")
            ))
        }
        return jobs
    }
}

import Foundation
import Postgres

/// The `audit_log` table: every mutating action is written in the same transaction as the change it describes,
/// so the trail cannot miss a change that happened nor claim one that was rolled back.
public struct AuditLog: Sendable {
    public init() {}

    public func record(
        operator operatorName: String,
        action: String,
        reason: String?,
        selection: String?,
        eventCount: Int64?,
        jobID: Int64? = nil,
        outcome: String,
        in transaction: PostgresConnection
    ) async throws {
        try await transaction.execute("""
            INSERT INTO audit_log (operator, action, reason, selection, event_count, job_id, outcome)
            VALUES (\(operatorName), \(action), \(reason), \(selection), \(eventCount), \(jobID), \(outcome))
            """)
    }

    /// Newest first.
    public func list(
        since: Date? = nil,
        action: String? = nil,
        jobID: Int64? = nil,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [AuditEntry] {
        let rows = try await connection.query("""
            SELECT * FROM audit_log
            WHERE (\(since)::timestamptz IS NULL OR at >= \(since))
              AND (\(action)::text IS NULL OR action = \(action))
              AND (\(jobID)::bigint IS NULL OR job_id = \(jobID))
            ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            AuditEntry(
                id: try row.decode(Int64.self, column: "id"),
                at: try row.decode(Date.self, column: "at"),
                operatorName: try row.decode(String.self, column: "operator"),
                action: try row.decode(String.self, column: "action"),
                reason: try row.decode(String?.self, column: "reason"),
                selection: try row.decode(String?.self, column: "selection"),
                eventCount: try row.decode(Int64?.self, column: "event_count"),
                jobID: try row.decode(Int64?.self, column: "job_id"),
                outcome: try row.decode(String.self, column: "outcome")
            )
        }
    }
}

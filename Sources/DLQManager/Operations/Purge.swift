import DLQCore
import Foundation
import Postgres

/// Deletes dead letters that are done with: resolved or replayed, and ingested before a cutoff. `dlq purge` and
/// the daemon's retention (``RetentionService``) both use it. A dead letter still `new` is never deleted.
///
/// Deletes in batches, each its own short transaction, so that purging millions of rows neither holds one huge
/// transaction nor blocks ingestion for long; the audit row, written at the end, carries the total.
public struct Purge: Sendable {
    /// Dead letters deleted per statement.
    public static let batchSize = 5000

    /// What to delete: the operator's selection narrowed to resolved or replayed dead letters ingested before the
    /// cutoff. Its canonical text is what the audit trail records.
    public let target: DeadLetterSelection

    /// Nil when the selection can only name dead letters that are never purged (`status=new`).
    ///
    /// - Parameters:
    ///   - olderThan: only dead letters ingested more than this long before `now`.
    public init?(selection: DeadLetterSelection, olderThan: Age, now: Date = Date()) {
        let purgeable: [DeadLetterStatus] = [.resolved, .replayed]
        var target = selection
        target.statuses = selection.statuses.isEmpty ? purgeable : selection.statuses.filter(purgeable.contains)
        guard !target.statuses.isEmpty else { return nil }
        // Whole seconds, so the cutoff reads the same in the audit trail as it was applied.
        let cutoff = Date(timeIntervalSince1970: (now.timeIntervalSince1970 - Double(olderThan.seconds)).rounded(.down))
        target.until = min(selection.until ?? cutoff, cutoff)
        self.target = target
    }

    /// Deletes the target in batches and returns how many dead letters were deleted.
    ///
    /// - Parameter exclusive: when set, each batch first takes this transaction-scoped advisory lock and the purge
    ///   stops as soon as another session holds it: daemons sharing one database then do not purge side by side.
    public func run(exclusive lock: Int64? = nil, on connection: PostgresConnection) async throws -> Int64 {
        var deleted: Int64 = 0
        // Keyset over ids: rows this purge skipped (not purgeable) are not read again by the next batch.
        var after: Int64 = 0
        while true {
            let batch: [Int64]? = try await connection.withTransaction { transaction in
                if let lock {
                    let rows = try await transaction.query("SELECT pg_try_advisory_xact_lock(\(lock)) AS locked")
                    guard try rows.first?.decode(Bool.self, column: "locked") == true else { return nil }
                }
                let rows = try await transaction.query("""
                    DELETE FROM dead_letters WHERE id IN (
                        SELECT d.id FROM dead_letters d
                        WHERE d.id > \(after) AND \(target.sqlCondition)
                        ORDER BY d.id LIMIT \(Self.batchSize))
                    RETURNING id
                    """)
                return try rows.map { try $0.decode(Int64.self, column: "id") }
            }
            guard let batch, let last = batch.max() else { break }
            deleted += Int64(batch.count)
            after = last
        }
        return deleted
    }

    /// Records the purge in the audit trail (action `purge`).
    public func audit(
        deleted: Int64,
        operator operatorName: String,
        reason: String?,
        on connection: PostgresConnection
    ) async throws {
        try await AuditLog().record(
            operator: operatorName,
            action: "purge",
            reason: reason,
            selection: target.description,
            eventCount: deleted,
            outcome: "purged \(deleted)",
            in: connection
        )
    }
}

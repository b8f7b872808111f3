import DLQCore
import Foundation
import Postgres

/// Marks selected dead letters handled: `dlq resolve` and `dlq groups resolve`.
///
/// Only dead letters not yet resolved are touched (derived status `new` or `replayed`). Their groups' unresolved
/// counts drop by how many of them were still `new`; a group left with none is resolved and, if it was ever
/// announced, a resolve is queued for its sinks. All of it, and the audit row, in the caller's transaction.
public struct Resolution: Sendable {
    /// What to resolve: the operator's selection narrowed to the statuses a resolve can change.
    public let target: DeadLetterSelection

    /// What the change did.
    public struct Outcome: Sendable, Codable, Equatable {
        public var resolved: Int64
        /// Groups that this left with no unresolved dead letters.
        public var groupsResolved: Int
        /// Of those, the ones a resolve notification was queued for (they had been announced).
        public var resolvesQueued: Int

        enum CodingKeys: String, CodingKey {
            case resolved, groupsResolved = "groups_resolved", resolvesQueued = "resolves_queued"
        }
    }

    /// Nil when the selection can only name resolved dead letters (`status=resolved`): nothing to do.
    public init?(selection: DeadLetterSelection) {
        let resolvable: [DeadLetterStatus] = [.new, .replayed]
        var target = selection
        target.statuses = selection.statuses.isEmpty ? resolvable : selection.statuses.filter(resolvable.contains)
        guard !target.statuses.isEmpty else { return nil }
        self.target = target
    }

    /// Resolves the target and records it in the audit trail as `resolve`, in `transaction`.
    public func apply(
        operator operatorName: String,
        reason: String?,
        in transaction: PostgresConnection
    ) async throws -> Outcome {
        // Locking the selected rows makes a concurrent resolve of the same dead letters wait, then skip them
        // (the re-checked condition no longer holds), so no dead letter is counted off its group twice.
        let rows = try await transaction.query("""
            WITH selected AS (
                SELECT d.id, d.fingerprint, \(unsafeRaw: DeadLetterSelection.statusSQL) AS derived
                FROM dead_letters d
                WHERE \(target.sqlCondition) AND d.status <> 'resolved'
                FOR UPDATE OF d
            ), updated AS (
                UPDATE dead_letters d SET status = 'resolved' FROM selected s WHERE d.id = s.id RETURNING d.id
            )
            SELECT s.fingerprint, count(*) AS n, count(*) FILTER (WHERE s.derived = 'new') AS still_unresolved
            FROM selected s GROUP BY s.fingerprint
            """)
        var resolved: Int64 = 0
        var stillUnresolved: [String: Int64] = [:]
        for row in rows {
            resolved += try row.decode(Int64.self, column: "n")
            // Dead letters stored before classification have no group to settle.
            if let fingerprint = try row.decode(String?.self, column: "fingerprint") {
                stillUnresolved[fingerprint] = try row.decode(Int64.self, column: "still_unresolved")
            }
        }
        let groups = try await ErrorGroupStore().settle(stillUnresolved, in: transaction)
        let outcome = Outcome(resolved: resolved, groupsResolved: groups.groupsResolved, resolvesQueued: groups.resolvesQueued)
        try await AuditLog().record(
            operator: operatorName,
            action: "resolve",
            reason: reason,
            selection: target.description,
            eventCount: resolved,
            outcome: outcome.summary,
            in: transaction
        )
        return outcome
    }
}

extension Resolution.Outcome {
    /// One line for people and for the audit trail: `resolved 120; 2 groups resolved, 1 resolve queued`.
    public var summary: String {
        var text = "resolved \(resolved)"
        if groupsResolved > 0 {
            text += "; \(groupsResolved) group\(groupsResolved == 1 ? "" : "s") resolved"
            text += ", \(resolvesQueued) resolve\(resolvesQueued == 1 ? "" : "s") queued"
        }
        return text
    }
}

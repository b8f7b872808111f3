import DLQCore
import Foundation
import Postgres

/// How full the store is and how stale its oldest unhandled failure: `dlq stats`.
///
/// Depth is counted by DLQ topic, by error class and by derived status (``DeadLetterStatus``); "unresolved"
/// here means status `new` (neither replayed nor resolved), and its age is measured from ingestion, by the
/// database's clock.
public struct DeadLetterStatistics: Sendable, Codable {
    public var total: Int64
    public var unresolved: Int64
    public var byDLQTopic: [Depth]
    public var byErrorClass: [Depth]
    /// Every status, zero included.
    public var byStatus: [String: Int64]
    /// When the oldest unresolved dead letter was ingested; nil when there is none.
    public var oldestUnresolvedAt: Date?
    public var oldestUnresolvedAgeSeconds: Double?

    /// The dead letters of one DLQ topic or one error class.
    public struct Depth: Sendable, Codable, Equatable {
        /// The DLQ topic or the error class (`nil`: stored before classification).
        public var name: String?
        public var total: Int64
        public var unresolved: Int64
        public var oldestUnresolvedAt: Date?
        public var oldestUnresolvedAgeSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case name, total, unresolved, oldestUnresolvedAt = "oldest_unresolved_at"
            case oldestUnresolvedAgeSeconds = "oldest_unresolved_age_seconds"
        }
    }

    enum CodingKeys: String, CodingKey {
        case total, unresolved, byDLQTopic = "by_dlq_topic", byErrorClass = "by_error_class", byStatus = "by_status"
        case oldestUnresolvedAt = "oldest_unresolved_at", oldestUnresolvedAgeSeconds = "oldest_unresolved_age_seconds"
    }

    /// Reads everything in one statement, so the figures agree with each other.
    public static func load(on connection: PostgresConnection) async throws -> DeadLetterStatistics {
        let rows = try await connection.query("""
            SELECT d.dlq_topic, d.error_class, \(unsafeRaw: DeadLetterSelection.statusSQL) AS status, count(*) AS n,
                   min(d.ingested_at) AS oldest, now() AS now
            FROM dead_letters d
            GROUP BY 1, 2, 3
            """)
        var statistics = DeadLetterStatistics(
            total: 0, unresolved: 0, byDLQTopic: [], byErrorClass: [],
            byStatus: Dictionary(uniqueKeysWithValues: DeadLetterStatus.allCases.map { ($0.rawValue, 0) })
        )
        var topics: [String?: Depth] = [:]
        var classes: [String?: Depth] = [:]
        var now: Date?
        func add(_ n: Int64, oldest: Date?, to depth: inout Depth) {
            depth.total += n
            guard let oldest else { return }
            depth.unresolved += n
            depth.oldestUnresolvedAt = min(depth.oldestUnresolvedAt ?? oldest, oldest)
        }
        for row in rows {
            let n = try row.decode(Int64.self, column: "n")
            let status = try row.decode(String.self, column: "status")
            let topic = try row.decode(String.self, column: "dlq_topic")
            let errorClass = try row.decode(String?.self, column: "error_class")
            // Only status new counts towards the unresolved depth and its age.
            let oldest = status == DeadLetterStatus.new.rawValue ? try row.decode(Date.self, column: "oldest") : nil
            now = try row.decode(Date.self, column: "now")
            statistics.total += n
            statistics.byStatus[status, default: 0] += n
            add(n, oldest: oldest, to: &topics[topic, default: Depth(name: topic, total: 0, unresolved: 0)])
            add(n, oldest: oldest, to: &classes[errorClass, default: Depth(name: errorClass, total: 0, unresolved: 0)])
            if let oldest {
                statistics.unresolved += n
                statistics.oldestUnresolvedAt = min(statistics.oldestUnresolvedAt ?? oldest, oldest)
            }
        }
        func age(_ date: Date?) -> Double? {
            guard let date, let now else { return nil }
            return max(0, now.timeIntervalSince(date))
        }
        func ordered(_ depths: [String?: Depth]) -> [Depth] {
            depths.values.map { depth in
                var depth = depth
                depth.oldestUnresolvedAgeSeconds = age(depth.oldestUnresolvedAt)
                return depth
            }.sorted { ($0.total, $1.name ?? "") > ($1.total, $0.name ?? "") }
        }
        statistics.byDLQTopic = ordered(topics)
        statistics.byErrorClass = ordered(classes)
        statistics.oldestUnresolvedAgeSeconds = age(statistics.oldestUnresolvedAt)
        return statistics
    }
}

import DLQCore
import Foundation
import Postgres

/// What replays did with one dead letter, and which earlier dead letter it is a recurrence of: for `dlq show`.
public struct ReplayHistory: Sendable, Codable {
    public struct Entry: Sendable, Codable {
        public var jobID: Int64
        public var state: String
        public var skipReason: String?
        public var targetTopic: String?
        public var targetPartition: Int32?
        public var targetOffset: Int64?
        public var publishedAt: Date?

        enum CodingKeys: String, CodingKey {
            case jobID = "job_id", state, skipReason = "skip_reason", targetTopic = "target_topic"
            case targetPartition = "target_partition", targetOffset = "target_offset", publishedAt = "published_at"
        }
    }

    /// Every replay job that selected the dead letter, oldest first.
    public var entries: [Entry]
    /// The stored dead letter this one came back from (its lineage origin), if it is still stored.
    public var previousID: Int64?

    enum CodingKeys: String, CodingKey {
        case entries, previousID = "previous_id"
    }

    public static func load(for stored: StoredDeadLetter, on connection: PostgresConnection) async throws -> ReplayHistory {
        let rows = try await connection.query("""
            SELECT job_id, state, skip_reason, target_topic, target_partition, target_offset, published_at
            FROM replay_items WHERE dead_letter_id = \(stored.id) ORDER BY job_id
            """)
        let entries = try rows.map { row in
            Entry(
                jobID: try row.decode(Int64.self, column: 0),
                state: try row.decode(String.self, column: 1),
                skipReason: try row.decode(String?.self, column: 2),
                targetTopic: try row.decode(String?.self, column: 3),
                targetPartition: try row.decode(Int32?.self, column: 4),
                targetOffset: try row.decode(Int64?.self, column: 5),
                publishedAt: try row.decode(Date?.self, column: 6)
            )
        }
        var previousID: Int64?
        if let origin = stored.letter.replayLineage?.origin {
            let previous = try await connection.query("""
                SELECT id FROM dead_letters
                WHERE dlq_topic = \(origin.topic) AND dlq_partition = \(origin.partition) AND dlq_offset = \(origin.offset)
                """)
            previousID = try previous.first?.decode(Int64.self, column: 0)
        }
        return ReplayHistory(entries: entries, previousID: previousID)
    }
}

import DLQCore
import Foundation
import Postgres

/// What a selection holds, shown before any command changes it: how many dead letters, which original topics
/// and statuses, and a few examples.
public struct SelectionPreview: Sendable, Codable {
    public var count: Int64
    /// Original topic (`nil`: unknown) → dead letters.
    public var originalTopics: [TopicCount]
    public var statuses: [String: Int64]
    /// The newest few.
    public var sample: [Example]

    public struct TopicCount: Sendable, Codable {
        public var topic: String?
        public var count: Int64
    }

    public struct Example: Sendable, Codable {
        public var id: Int64
        public var dlqTopic: String
        public var originalTopic: String?
        public var errorClass: String?
        public var exceptionClass: String?
        public var errorMessage: String?
        public var status: String

        enum CodingKeys: String, CodingKey {
            case id, dlqTopic = "dlq_topic", originalTopic = "original_topic", errorClass = "class"
            case exceptionClass = "exception_class", errorMessage = "error_message", status
        }
    }

    enum CodingKeys: String, CodingKey {
        case count, originalTopics = "original_topics", statuses, sample
    }

    /// Reads the preview in one snapshot of the table.
    public static func load(
        _ selection: DeadLetterSelection,
        sampleSize: Int = 5,
        on connection: PostgresConnection
    ) async throws -> SelectionPreview {
        let condition = selection.sqlCondition
        let counts = try await connection.query("""
            SELECT d.original_topic, \(unsafeRaw: DeadLetterSelection.statusSQL) AS status, count(*) AS n
            FROM dead_letters d WHERE \(condition)
            GROUP BY 1, 2
            """)
        var topics: [String?: Int64] = [:]
        var statuses: [String: Int64] = [:]
        var total: Int64 = 0
        for row in counts {
            let n = try row.decode(Int64.self, column: "n")
            topics[try row.decode(String?.self, column: "original_topic"), default: 0] += n
            statuses[try row.decode(String.self, column: "status"), default: 0] += n
            total += n
        }
        let sample = try await connection.query("""
            SELECT d.id, d.dlq_topic, d.original_topic, d.error_class, d.exception_class, d.error_message,
                   \(unsafeRaw: DeadLetterSelection.statusSQL) AS status
            FROM dead_letters d WHERE \(condition)
            ORDER BY d.id DESC LIMIT \(sampleSize)
            """)
        return SelectionPreview(
            count: total,
            originalTopics: topics.map { TopicCount(topic: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.topic ?? "") > ($1.count, $0.topic ?? "") },
            statuses: statuses,
            sample: try sample.map { row in
                Example(
                    id: try row.decode(Int64.self, column: "id"),
                    dlqTopic: try row.decode(String.self, column: "dlq_topic"),
                    originalTopic: try row.decode(String?.self, column: "original_topic"),
                    errorClass: try row.decode(String?.self, column: "error_class"),
                    exceptionClass: try row.decode(String?.self, column: "exception_class"),
                    errorMessage: try row.decode(String?.self, column: "error_message"),
                    status: try row.decode(String.self, column: "status")
                )
            }
        )
    }
}

import DLQCore
import Foundation
import Kafka
import Logging
import Postgres

/// Settles the claims an interrupted run left behind: records it sent whose delivery reports were never
/// recorded. It reads the job's target partitions from where they stood when the job first ran and looks for
/// records carrying this job's lineage; those are marked published, the rest released to be sent again. This is
/// what lets a job killed at any instant resume without publishing twice.
struct ReplayRecovery {
    let jobID: Int64
    let reader: KafkaConsumer
    let logger: Logger
    /// Giving up when the target topics stop yielding records before their end offsets.
    var stallTimeout: Duration = .seconds(30)

    /// Returns how many claimed items were found published.
    func settle(on connection: PostgresConnection, items: ReplayItemStore) async throws -> Int {
        let claims = try await connection.query("""
            SELECT c.dead_letter_id, i.target_topic, d.dlq_topic, d.dlq_partition, d.dlq_offset
            FROM replay_claims c
            JOIN replay_items i ON i.job_id = c.job_id AND i.dead_letter_id = c.dead_letter_id
            LEFT JOIN dead_letters d ON d.id = c.dead_letter_id
            WHERE c.job_id = \(jobID)
            """)
        guard !claims.isEmpty else { return 0 }
        var idByOrigin: [String: Int64] = [:]
        var topics: Set<String> = []
        for row in claims {
            if let topic = try row.decode(String?.self, column: 1) { topics.insert(topic) }
            guard let dlqTopic = try row.decode(String?.self, column: 2) else { continue }
            let origin = DLQCoordinate(
                topic: dlqTopic,
                partition: try row.decode(Int32.self, column: 3),
                offset: try row.decode(Int64.self, column: 4)
            )
            idByOrigin[origin.text] = try row.decode(Int64.self, column: 0)
        }
        logger.notice("checking target topics for records of the interrupted run", metadata: [
            "replay.job": "\(jobID)", "replay.unsettled": "\(claims.count)", "replay.topics": "\(topics.sorted())",
        ])
        let found = try await scan(topics: topics, for: idByOrigin, on: connection)
        let published = found.map { (id: $0.key, partition: $0.value.partition, offset: Optional($0.value.offset)) }
        let groups = try await connection.query("""
            SELECT d.fingerprint, count(*) FROM dead_letters d
            WHERE d.id = ANY(\(published.map(\.id))) AND d.status = 'new' AND d.fingerprint IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM replay_items p WHERE p.dead_letter_id = d.id AND p.state = 'published')
            GROUP BY d.fingerprint
            """)
        var firstReplays: [String: Int64] = [:]
        for row in groups {
            firstReplays[try row.decode(String.self, column: 0)] = try row.decode(Int64.self, column: 1)
        }
        _ = try await items.record(
            published: published, skipped: [], firstReplays: firstReplays, recovered: published.count, on: connection)
        // What was not found was never written: release it to be sent again.
        try await connection.execute("DELETE FROM replay_claims WHERE job_id = \(jobID)")
        logger.notice("interrupted run settled", metadata: [
            "replay.job": "\(jobID)", "replay.found_published": "\(found.count)",
            "replay.to_resend": "\(claims.count - found.count)",
        ])
        return found.count
    }

    private func scan(
        topics: Set<String>,
        for idByOrigin: [String: Int64],
        on connection: PostgresConnection
    ) async throws -> [Int64: (partition: Int32, offset: Int64)] {
        let remembered = try await connection.query("""
            SELECT topic, partition, "offset" FROM replay_job_offsets WHERE job_id = \(jobID)
            """)
        var from: [KafkaTopicPartition: Int64] = [:]
        for row in remembered {
            let tp = KafkaTopicPartition(topic: try row.decode(String.self, column: 0), partition: try row.decode(Int32.self, column: 1))
            from[tp] = try row.decode(Int64.self, column: 2)
        }
        var start: [KafkaTopicPartition: Int64] = [:]
        var end: [KafkaTopicPartition: Int64] = [:]
        for topic in topics {
            for (tp, low, high) in try await reader.watermarks(ofTopic: topic, timeout: .seconds(10)) ?? [] {
                // Not remembered: the topic did not exist when the job first ran, so all of it is the job's era.
                let first = max(from[tp] ?? low, low)
                if first < high {
                    start[tp] = first
                    end[tp] = high
                }
            }
        }
        let job = String(jobID)
        var found: [Int64: (partition: Int32, offset: Int64)] = [:]
        do {
            try await TopicContents.scan(from: start, to: end, with: reader, stallTimeout: stallTimeout) { record in
                guard let jobHeader = record.headers.last(where: { $0.name == ReplayLineage.jobHeader })?.value,
                      String(decoding: jobHeader, as: UTF8.self) == job,
                      let origin = record.headers.last(where: { $0.name == ReplayLineage.originHeader })?.value,
                      let id = idByOrigin[String(decoding: origin, as: UTF8.self)]
                else { return }
                found[id] = (record.partition, record.offset)
            }
        } catch {
            throw ReplayError.recoveryFailed(jobID, "\(error)")
        }
        return found
    }
}

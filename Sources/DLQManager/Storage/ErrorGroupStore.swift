import DLQCore
import Foundation
import Postgres

/// Keeps error groups current and records what must be announced, inside the ingest transaction.
public struct ErrorGroupStore: Sendable {
    /// The channel the dispatcher LISTENs on; notified in the transaction that makes an alert due.
    public static let alertChannel = "dlq_alerts"

    public init() {}

    /// Counts newly stored dead letters into their groups and folds them into each group's pending alert.
    ///
    /// One statement per batch for the groups and one for the outbox, whatever the batch size, because this
    /// runs on the ingest hot path. A group's first alert is due after `groupWait` (to gather a burst); later
    /// arrivals wait until `repeatInterval` after the last alert, accumulating in the same outbox row.
    public func recordArrivals(
        _ letters: [ClassifiedDeadLetter],
        alerting: AlertingSettings,
        in transaction: PostgresConnection
    ) async throws {
        guard !letters.isEmpty else { return }
        // The last arrival of each group in the batch is its example and carries its current classification.
        // Indices, not copies: a classified dead letter is a large value and this runs for every record.
        var latest: [String: Int] = [:]
        var counts: [String: Int64] = [:]
        var recurrences: [String: Int64] = [:]
        for index in letters.indices {
            let fingerprint = letters[index].fingerprint.value
            latest[fingerprint] = index
            counts[fingerprint, default: 0] += 1
            if letters[index].letter.replayLineage != nil { recurrences[fingerprint, default: 0] += 1 }
        }
        // Rows are locked in fingerprint order, so concurrent daemons cannot deadlock on each other's groups.
        let groups = latest.sorted { $0.key < $1.key }.map { letters[$0.value] }
        let fingerprints = groups.map(\.fingerprint.value)
        try await transaction.execute("""
            INSERT INTO error_groups AS g (
                fingerprint, exception_class, message_pattern, original_topic, consumer_group, dlq_topic,
                error_class, severity, action, rule_name, event_count, unresolved_count, recurrence_count,
                first_seen, last_seen, example_message, example_dead_letter_id)
            SELECT u.fingerprint, u.exception_class, u.message_pattern, u.original_topic, u.consumer_group,
                   u.dlq_topic, u.error_class, u.severity, u.action, u.rule_name, u.n, u.n, u.recurrences, now(), now(),
                   u.example_message,
                   (SELECT d.id FROM dead_letters d
                    WHERE d.dlq_topic = u.dlq_topic AND d.dlq_partition = u.dlq_partition AND d.dlq_offset = u.dlq_offset)
            FROM unnest(
                \(fingerprints), \(groups.map(\.letter.exceptionClass)), \(groups.map(\.messagePattern)),
                \(groups.map(\.letter.originalTopic)), \(groups.map(\.letter.consumerGroup)),
                \(groups.map(\.letter.coordinate.topic)), \(groups.map(\.letter.coordinate.partition)),
                \(groups.map(\.letter.coordinate.offset)), \(groups.map(\.classification.errorClass)),
                \(groups.map(\.classification.severity.rawValue)), \(groups.map(\.classification.action.rawValue)),
                \(groups.map(\.classification.ruleName)), \(fingerprints.map { counts[$0] ?? 0 }),
                \(groups.map { $0.letter.errorMessage.map { String($0.prefix(2000)) } }),
                \(fingerprints.map { recurrences[$0] ?? 0 })
            ) AS u(fingerprint, exception_class, message_pattern, original_topic, consumer_group, dlq_topic,
                   dlq_partition, dlq_offset, error_class, severity, action, rule_name, n, example_message, recurrences)
            ON CONFLICT (fingerprint) DO UPDATE SET
                event_count = g.event_count + EXCLUDED.event_count,
                unresolved_count = g.unresolved_count + EXCLUDED.unresolved_count,
                recurrence_count = g.recurrence_count + EXCLUDED.recurrence_count,
                last_seen = EXCLUDED.last_seen,
                dlq_topic = EXCLUDED.dlq_topic,
                error_class = EXCLUDED.error_class,
                severity = EXCLUDED.severity,
                action = EXCLUDED.action,
                rule_name = EXCLUDED.rule_name,
                example_message = EXCLUDED.example_message,
                example_dead_letter_id = EXCLUDED.example_dead_letter_id,
                status = CASE WHEN g.status = 'resolved' THEN 'regressed' ELSE g.status END
            """)

        let announced = groups.filter { !alerting.sinkNames(for: $0).isEmpty }
        guard !announced.isEmpty else { return }
        let announcedFingerprints = announced.map(\.fingerprint.value)
        try await transaction.execute("""
            INSERT INTO alert_outbox AS o (fingerprint, kind, new_events, due_at)
            SELECT u.fingerprint, 'trigger', u.n,
                   GREATEST(now() + \(alerting.groupWait.milliseconds) * interval '1 millisecond',
                            g.last_alerted_at + \(alerting.repeatInterval.milliseconds) * interval '1 millisecond')
            FROM unnest(\(announcedFingerprints), \(announcedFingerprints.map { counts[$0] ?? 0 })) AS u(fingerprint, n)
            JOIN error_groups g ON g.fingerprint = u.fingerprint
            ON CONFLICT (fingerprint) DO UPDATE SET
                new_events = o.new_events + EXCLUDED.new_events,
                -- A pending resolve is overtaken by new arrivals: the group is failing again.
                due_at = CASE WHEN o.kind = 'resolve' THEN EXCLUDED.due_at ELSE o.due_at END,
                kind = 'trigger'
            """)
        try await transaction.execute("SELECT pg_notify(\(Self.alertChannel), '')")
    }
}

extension AlertingSettings {
    /// The sinks a classified arrival would be announced to.
    func sinkNames(for letter: ClassifiedDeadLetter) -> [String] {
        sinkNames(
            severity: letter.classification.severity,
            errorClass: letter.classification.errorClass,
            action: letter.classification.action,
            dlqTopic: letter.letter.coordinate.topic,
            originalTopic: letter.letter.originalTopic
        )
    }
}

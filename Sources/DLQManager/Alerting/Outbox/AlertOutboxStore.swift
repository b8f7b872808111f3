import DLQCore
import Foundation
import Postgres

/// The dispatcher's SQL: turning due outbox rows into per-sink deliveries, claiming deliveries, and
/// recording how each attempt went. Every claim uses `FOR UPDATE SKIP LOCKED`, so any number of daemons can
/// share the work without coordinating.
struct AlertOutboxStore: Sendable {
    /// How long a claimed delivery stays with its daemon; past it, another daemon may retry it.
    let lease: Duration

    /// Moves due outbox rows into `alert_deliveries`, one per routed sink, and returns how many outbox rows
    /// it consumed. The group's `last_alerted_at` starts the repeat interval.
    func promoteDue(alerting: AlertingSettings, resolvingSinks: Set<String>, on connection: PostgresConnection) async throws -> Int {
        try await connection.withTransaction { transaction in
            let due = try await transaction.query("""
                SELECT o.fingerprint, o.kind, o.new_events, g.severity, g.error_class, g.action, g.dlq_topic,
                       g.original_topic
                FROM alert_outbox o JOIN error_groups g ON g.fingerprint = o.fingerprint
                WHERE o.due_at <= now()
                ORDER BY o.due_at
                LIMIT 100
                -- Both rows at once, skipping any an ingest transaction holds: the dispatcher never waits while
                -- holding a lock, so it cannot deadlock with ingest (which locks the group, then the outbox).
                FOR UPDATE OF o, g SKIP LOCKED
                """)
            guard !due.isEmpty else { return 0 }
            var fingerprints: [String] = []
            var sinks: [String] = []
            var kinds: [String] = []
            var newEvents: [Int64] = []
            var consumed: [String] = []
            var triggered: [String] = []
            for row in due {
                let fingerprint = try row.decode(String.self, column: "fingerprint")
                let kind = try row.decode(String.self, column: "kind")
                consumed.append(fingerprint)
                if kind == "trigger" { triggered.append(fingerprint) }
                let routed = alerting.sinkNames(
                    severity: Severity(rawValue: try row.decode(String.self, column: "severity")) ?? .error,
                    errorClass: try row.decode(String.self, column: "error_class"),
                    action: FailureAction(rawValue: try row.decode(String.self, column: "action")) ?? .page,
                    dlqTopic: try row.decode(String?.self, column: "dlq_topic"),
                    originalTopic: try row.decode(String?.self, column: "original_topic")
                )
                for sink in routed where kind == "trigger" || resolvingSinks.contains(sink) {
                    fingerprints.append(fingerprint)
                    sinks.append(sink)
                    kinds.append(kind)
                    newEvents.append(try row.decode(Int64.self, column: "new_events"))
                }
            }
            if !fingerprints.isEmpty {
                try await transaction.execute("""
                    INSERT INTO alert_deliveries (fingerprint, sink, kind, new_events)
                    SELECT * FROM unnest(\(fingerprints), \(sinks), \(kinds), \(newEvents))
                    """)
            }
            try await transaction.execute("DELETE FROM alert_outbox WHERE fingerprint = ANY(\(consumed))")
            if !triggered.isEmpty {
                try await transaction.execute("UPDATE error_groups SET last_alerted_at = now() WHERE fingerprint = ANY(\(triggered))")
            }
            return consumed.count
        }
    }

    /// Takes a lease on up to `limit` deliveries that are due, and builds their alerts from the groups'
    /// current state.
    func claimDue(limit: Int, on connection: PostgresConnection) async throws -> [ClaimedDelivery] {
        let rows = try await connection.query("""
            WITH claimed AS (
                UPDATE alert_deliveries d
                SET claimed_until = now() + \(lease.milliseconds) * interval '1 millisecond', attempts = d.attempts + 1
                WHERE d.id IN (
                    SELECT id FROM alert_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= now()
                      AND (claimed_until IS NULL OR claimed_until < now())
                    ORDER BY next_attempt_at
                    LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.delivery_id, d.fingerprint, d.sink, d.kind, d.new_events, d.attempts, d.created_at)
            SELECT c.id, c.delivery_id::text AS delivery_id, c.fingerprint, c.sink, c.kind, c.new_events, c.attempts,
                   c.created_at, g.error_class, g.severity, g.dlq_topic, g.original_topic, g.consumer_group,
                   g.exception_class, g.message_pattern, g.example_message, g.example_dead_letter_id,
                   g.event_count, g.unresolved_count, g.first_seen, g.last_seen,
                   e.dlq_topic AS example_topic, e.dlq_partition AS example_partition, e.dlq_offset AS example_offset,
                   e.header_names AS example_header_names, e.header_values AS example_header_values
            FROM claimed c
            LEFT JOIN error_groups g ON g.fingerprint = c.fingerprint
            LEFT JOIN dead_letters e ON e.id = g.example_dead_letter_id
            """)
        return try rows.map(Self.claimedDelivery)
    }

    private static func claimedDelivery(_ row: PostgresRow) throws -> ClaimedDelivery {
        var exampleHeaders: [String: String] = [:]
        if let names = try row.decode([String]?.self, column: "example_header_names"),
           let values = try row.decode([[UInt8]?]?.self, column: "example_header_values") {
            for (name, value) in zip(names, values) {
                if let value, let text = String(validating: value, as: UTF8.self) { exampleHeaders[name] = text }
            }
        }
        var coordinate: DLQCoordinate?
        if let topic = try row.decode(String?.self, column: "example_topic") {
            coordinate = DLQCoordinate(
                topic: topic,
                partition: try row.decode(Int32.self, column: "example_partition"),
                offset: try row.decode(Int64.self, column: "example_offset")
            )
        }
        let createdAt = try row.decode(Date.self, column: "created_at")
        let alert = Alert(
            kind: Alert.Kind(rawValue: try row.decode(String.self, column: "kind")) ?? .trigger,
            deliveryID: try row.decode(String.self, column: "delivery_id"),
            fingerprint: try row.decode(String.self, column: "fingerprint"),
            errorClass: try row.decode(String?.self, column: "error_class") ?? "unclassified",
            severity: Severity(rawValue: try row.decode(String?.self, column: "severity") ?? "") ?? .error,
            dlqTopic: try row.decode(String?.self, column: "dlq_topic"),
            originalTopic: try row.decode(String?.self, column: "original_topic"),
            consumerGroup: try row.decode(String?.self, column: "consumer_group"),
            exceptionClass: try row.decode(String?.self, column: "exception_class"),
            messagePattern: try row.decode(String?.self, column: "message_pattern"),
            exampleMessage: try row.decode(String?.self, column: "example_message"),
            exampleDeadLetterID: try row.decode(Int64?.self, column: "example_dead_letter_id"),
            exampleCoordinate: coordinate,
            exampleHeaders: exampleHeaders,
            eventCount: try row.decode(Int64?.self, column: "event_count") ?? 0,
            unresolvedCount: try row.decode(Int64?.self, column: "unresolved_count") ?? 0,
            newEvents: try row.decode(Int64.self, column: "new_events"),
            firstSeen: try row.decode(Date?.self, column: "first_seen") ?? createdAt,
            lastSeen: try row.decode(Date?.self, column: "last_seen") ?? createdAt,
            createdAt: createdAt
        )
        return ClaimedDelivery(
            id: try row.decode(Int64.self, column: "id"),
            sink: try row.decode(String.self, column: "sink"),
            attempts: try row.decode(Int32.self, column: "attempts"),
            createdAt: createdAt,
            alert: alert
        )
    }

    func markDelivered(_ id: Int64, status: Int, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE alert_deliveries
            SET status = 'delivered', delivered_at = now(), last_status = \(status), last_error = NULL, claimed_until = NULL
            WHERE id = \(id)
            """)
    }

    func scheduleRetry(_ id: Int64, after delay: Duration, reason: String, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE alert_deliveries
            SET next_attempt_at = now() + \(delay.milliseconds) * interval '1 millisecond', last_error = \(reason),
                claimed_until = NULL
            WHERE id = \(id)
            """)
    }

    /// Puts a claimed delivery back without counting the attempt (its sink was over its rate limit).
    func postpone(_ id: Int64, by delay: Duration, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE alert_deliveries
            SET next_attempt_at = now() + \(delay.milliseconds) * interval '1 millisecond',
                attempts = attempts - 1, claimed_until = NULL
            WHERE id = \(id)
            """)
    }

    func markFinal(_ id: Int64, status: String, httpStatus: Int?, reason: String, on connection: PostgresConnection) async throws {
        try await connection.execute("""
            UPDATE alert_deliveries
            SET status = \(status), last_status = \(httpStatus), last_error = \(reason), claimed_until = NULL
            WHERE id = \(id)
            """)
    }

    /// Gives a delivery up. The record keeps why: `reason`, then `lastError` or, when the delivery expired before
    /// another attempt, the error its last attempt recorded. Returns the recorded text.
    func markGivenUp(_ id: Int64, reason: String, lastError: String?, on connection: PostgresConnection) async throws -> String {
        let rows = try await connection.query("""
            UPDATE alert_deliveries
            SET status = 'given_up', last_status = NULL, claimed_until = NULL,
                last_error = \(reason) || coalesce(': ' || coalesce(\(lastError)::text, last_error), '')
            WHERE id = \(id)
            RETURNING last_error
            """)
        return try rows.first?.decode(String.self, column: "last_error") ?? reason
    }

    /// How long until the next outbox row or delivery falls due; nil when nothing is waiting.
    func timeUntilNextDue(on connection: PostgresConnection) async throws -> Duration? {
        let rows = try await connection.query("""
            SELECT extract(epoch FROM (least(
                (SELECT min(due_at) FROM alert_outbox),
                (SELECT min(greatest(next_attempt_at, coalesce(claimed_until, next_attempt_at)))
                 FROM alert_deliveries WHERE status = 'pending')) - now())) * 1000 AS ms
            """)
        guard let milliseconds = try rows.first?.decode(Double?.self, column: "ms") else { return nil }
        return .milliseconds(max(0, Int64(milliseconds)))
    }
}

import DLQCore
import Foundation
import Postgres

extension ErrorGroupStore {
    /// Groups, most recently active first.
    public func list(
        status: String? = nil,
        errorClass: String? = nil,
        originalTopic: String? = nil,
        since: Date? = nil,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [ErrorGroup] {
        let rows = try await connection.query("""
            SELECT * FROM error_groups
            WHERE (\(status)::text IS NULL OR status = \(status))
              AND (\(errorClass)::text IS NULL OR error_class = \(errorClass))
              AND (\(originalTopic)::text IS NULL OR original_topic = \(originalTopic))
              AND (\(since)::timestamptz IS NULL OR last_seen >= \(since))
            ORDER BY last_seen DESC, event_count DESC
            LIMIT \(limit)
            """)
        return try rows.map { row in
            ErrorGroup(
                fingerprint: try row.decode(String.self, column: "fingerprint"),
                status: try row.decode(String.self, column: "status"),
                errorClass: try row.decode(String.self, column: "error_class"),
                severity: try row.decode(String.self, column: "severity"),
                action: try row.decode(String.self, column: "action"),
                ruleName: try row.decode(String.self, column: "rule_name"),
                exceptionClass: try row.decode(String?.self, column: "exception_class"),
                messagePattern: try row.decode(String?.self, column: "message_pattern"),
                originalTopic: try row.decode(String?.self, column: "original_topic"),
                consumerGroup: try row.decode(String?.self, column: "consumer_group"),
                dlqTopic: try row.decode(String?.self, column: "dlq_topic"),
                eventCount: try row.decode(Int64.self, column: "event_count"),
                unresolvedCount: try row.decode(Int64.self, column: "unresolved_count"),
                firstSeen: try row.decode(Date.self, column: "first_seen"),
                lastSeen: try row.decode(Date.self, column: "last_seen"),
                exampleDeadLetterID: try row.decode(Int64?.self, column: "example_dead_letter_id"),
                exampleMessage: try row.decode(String?.self, column: "example_message"),
                lastAlertedAt: try row.decode(Date?.self, column: "last_alerted_at")
            )
        }
    }

    /// The one fingerprint starting with `prefix`, so operators can type the short form `dlq groups` shows.
    public func fingerprint(matching prefix: String, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query("""
            SELECT fingerprint FROM error_groups WHERE fingerprint LIKE \(prefix.lowercased() + "%") LIMIT 2
            """)
        guard rows.count == 1 else { return nil }
        return try rows[0].decode(String.self, column: "fingerprint")
    }

    /// Marks every unresolved dead letter of the group resolved, and — if the group was ever announced —
    /// queues a resolve notification for the sinks that understand one. Returns how many were resolved.
    public func resolve(fingerprint: String, in transaction: PostgresConnection) async throws -> Int {
        let resolved = try await transaction.execute("""
            UPDATE dead_letters SET status = 'resolved' WHERE fingerprint = \(fingerprint) AND status = 'new'
            """)
        try await transaction.execute("""
            UPDATE error_groups SET unresolved_count = 0, status = 'resolved', resolved_at = now()
            WHERE fingerprint = \(fingerprint)
            """)
        try await transaction.execute("""
            INSERT INTO alert_outbox AS o (fingerprint, kind, due_at)
            SELECT fingerprint, 'resolve', now() FROM error_groups
            WHERE fingerprint = \(fingerprint) AND last_alerted_at IS NOT NULL
            ON CONFLICT (fingerprint) DO UPDATE SET kind = 'resolve', due_at = now(), new_events = 0
            """)
        try await transaction.execute("SELECT pg_notify(\(Self.alertChannel), '')")
        return resolved
    }

    /// Re-applies the classification rules to every stored dead letter; returns, per change of class,
    /// how many dead letters changed. With `apply`, the changes are written and groups recomputed.
    public func reclassify(
        classifier: Classifier,
        apply: Bool,
        in transaction: PostgresConnection
    ) async throws -> [String: Int] {
        var changes: [String: Int] = [:]
        var lastID: Int64 = 0
        let store = DeadLetterStore()
        while true {
            let page = try await store.page(after: lastID, limit: 2000, on: transaction)
            guard let last = page.last else { break }
            lastID = last.id
            var ids: [Int64] = []
            var classes: [String] = []
            var severities: [String] = []
            var rules: [String] = []
            var fingerprints: [String] = []
            for stored in page {
                let classified = ClassifiedDeadLetter(stored.letter, classifier: classifier)
                let new = classified.classification
                guard new.errorClass != stored.errorClass || new.severity.rawValue != stored.severity
                    || new.ruleName != stored.ruleName || classified.fingerprint.value != stored.fingerprint
                else { continue }
                changes["\(stored.errorClass ?? "none") → \(new.errorClass)", default: 0] += 1
                ids.append(stored.id)
                classes.append(new.errorClass)
                severities.append(new.severity.rawValue)
                rules.append(new.ruleName)
                fingerprints.append(classified.fingerprint.value)
            }
            if apply && !ids.isEmpty {
                try await transaction.execute("""
                    UPDATE dead_letters d SET error_class = u.c, severity = u.s, rule_name = u.r, fingerprint = u.f
                    FROM unnest(\(ids), \(classes), \(severities), \(rules), \(fingerprints)) AS u(id, c, s, r, f)
                    WHERE d.id = u.id
                    """)
            }
        }
        if apply && !changes.isEmpty {
            try await rebuildGroups(classifier: classifier, in: transaction)
        }
        return changes
    }

    /// Recomputes counts and classification of every group from its dead letters: groups may have split or
    /// merged when fingerprints changed.
    private func rebuildGroups(classifier: Classifier, in transaction: PostgresConnection) async throws {
        try await transaction.execute("""
            INSERT INTO error_groups AS g (fingerprint, exception_class, original_topic, consumer_group, dlq_topic,
                error_class, severity, action, rule_name, event_count, unresolved_count, first_seen, last_seen,
                example_dead_letter_id, example_message)
            SELECT DISTINCT ON (fingerprint) fingerprint, exception_class, original_topic, consumer_group, dlq_topic,
                error_class, severity, 'page', rule_name,
                count(*) OVER w, count(*) FILTER (WHERE status = 'new') OVER w, min(ingested_at) OVER w,
                max(ingested_at) OVER w, id, error_message
            FROM dead_letters WHERE fingerprint IS NOT NULL
            WINDOW w AS (PARTITION BY fingerprint)
            ORDER BY fingerprint, id DESC
            ON CONFLICT (fingerprint) DO UPDATE SET
                error_class = EXCLUDED.error_class, severity = EXCLUDED.severity, rule_name = EXCLUDED.rule_name,
                event_count = EXCLUDED.event_count, unresolved_count = EXCLUDED.unresolved_count,
                first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen
            """)
        // The action follows the rule; rules are few, so one update per rule.
        for rule in classifier.rules {
            try await transaction.execute("""
                UPDATE error_groups SET action = \(rule.classification.action.rawValue) WHERE rule_name = \(rule.name)
                """)
        }
        try await transaction.execute("""
            UPDATE error_groups SET action = \(classifier.defaultClassification.action.rawValue) WHERE rule_name = 'default'
            """)
        try await transaction.execute("""
            DELETE FROM error_groups g WHERE NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.fingerprint = g.fingerprint)
            """)
    }
}

import DLQCore
import Foundation
import Postgres

extension ErrorGroupStore {
    /// Groups, most recently active first.
    ///
    /// With a selection that narrows anything, only groups with at least one selected dead letter are listed,
    /// each with how many of its dead letters were selected (``ErrorGroup/matchingCount``).
    public func list(
        status: String? = nil,
        errorClass: String? = nil,
        originalTopic: String? = nil,
        since: Date? = nil,
        selection: DeadLetterSelection = DeadLetterSelection(),
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [ErrorGroup] {
        let filter: PostgresQuery = """
            (\(status)::text IS NULL OR g.status = \(status))
              AND (\(errorClass)::text IS NULL OR g.error_class = \(errorClass))
              AND (\(originalTopic)::text IS NULL OR g.original_topic = \(originalTopic))
              AND (\(since)::timestamptz IS NULL OR g.last_seen >= \(since))
            """
        // Counting matches reads dead letters; a plain listing should not pay for that.
        let rows = try await connection.query(selection.isEverything ? """
            SELECT g.*, NULL::bigint AS matching_count FROM error_groups g
            WHERE \(filter)
            ORDER BY g.last_seen DESC, g.event_count DESC
            LIMIT \(limit)
            """ : """
            SELECT g.*, m.matching_count FROM error_groups g
            JOIN (SELECT d.fingerprint, count(*) AS matching_count FROM dead_letters d
                  WHERE \(selection.sqlCondition) GROUP BY d.fingerprint) m ON m.fingerprint = g.fingerprint
            WHERE \(filter)
            ORDER BY g.last_seen DESC, g.event_count DESC
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
                recurrenceCount: try row.decode(Int64.self, column: "recurrence_count"),
                firstSeen: try row.decode(Date.self, column: "first_seen"),
                lastSeen: try row.decode(Date.self, column: "last_seen"),
                exampleDeadLetterID: try row.decode(Int64?.self, column: "example_dead_letter_id"),
                exampleMessage: try row.decode(String?.self, column: "example_message"),
                lastAlertedAt: try row.decode(Date?.self, column: "last_alerted_at"),
                matchingCount: try row.decode(Int64?.self, column: "matching_count")
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
    ///
    /// The same work as `dlq resolve fingerprint=...` (``Resolution``), audited the same way.
    public func resolve(
        fingerprint: String,
        operator operatorName: String,
        reason: String?,
        in transaction: PostgresConnection
    ) async throws -> Int64 {
        var selection = DeadLetterSelection()
        selection.fingerprints = [fingerprint]
        guard let resolution = Resolution(selection: selection) else { return 0 }
        return try await resolution.apply(operator: operatorName, reason: reason, in: transaction).resolved
    }

    /// Takes resolved dead letters off their groups' unresolved counts. `stillUnresolved` maps each touched
    /// group to how many of the dead letters just resolved were still counted unresolved (derived status
    /// `new`: a replayed one no longer counts). A group left with none is resolved and, if it was ever
    /// announced, a resolve is queued for the sinks and the dispatcher woken.
    ///
    /// - Returns: the groups this resolved, and how many of them had a resolve queued.
    func settle(
        _ stillUnresolved: [String: Int64],
        in transaction: PostgresConnection
    ) async throws -> (groupsResolved: Int, resolvesQueued: Int) {
        guard !stillUnresolved.isEmpty else { return (0, 0) }
        // Fingerprint order, like the ingest transaction, so the two cannot deadlock on each other's groups.
        let touched = stillUnresolved.sorted { $0.key < $1.key }
        // `previous` is the row as it was before this statement: only a group that was not resolved already is
        // newly resolved, so touching a resolved group again does not send a second resolve.
        let rows = try await transaction.query("""
            WITH settled AS (
                UPDATE error_groups g SET
                    unresolved_count = GREATEST(g.unresolved_count - u.n, 0),
                    status = CASE WHEN g.unresolved_count - u.n <= 0 THEN 'resolved' ELSE g.status END,
                    resolved_at = CASE WHEN g.unresolved_count - u.n <= 0 AND g.status <> 'resolved'
                                       THEN now() ELSE g.resolved_at END
                FROM unnest(\(touched.map(\.key))::text[], \(touched.map(\.value))::bigint[]) AS u(fingerprint, n),
                     error_groups previous
                WHERE g.fingerprint = u.fingerprint AND previous.fingerprint = g.fingerprint
                RETURNING g.fingerprint, g.last_alerted_at,
                          g.status = 'resolved' AND previous.status <> 'resolved' AS newly_resolved
            ), queued AS (
                INSERT INTO alert_outbox AS o (fingerprint, kind, due_at)
                SELECT fingerprint, 'resolve', now() FROM settled
                WHERE newly_resolved AND last_alerted_at IS NOT NULL
                ON CONFLICT (fingerprint) DO UPDATE SET kind = 'resolve', due_at = now(), new_events = 0
                RETURNING fingerprint
            )
            SELECT (SELECT count(*) FROM settled WHERE newly_resolved) AS resolved,
                   (SELECT count(*) FROM queued) AS queued
            """)
        let resolved = try rows.first?.decode(Int64.self, column: "resolved") ?? 0
        let queued = try rows.first?.decode(Int64.self, column: "queued") ?? 0
        if queued > 0 {
            try await transaction.execute("SELECT pg_notify(\(Self.alertChannel), '')")
        }
        return (Int(resolved), Int(queued))
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
                error_class, severity, action, rule_name, event_count, unresolved_count, recurrence_count,
                first_seen, last_seen, example_dead_letter_id, example_message)
            SELECT DISTINCT ON (fingerprint) fingerprint, exception_class, original_topic, consumer_group, dlq_topic,
                error_class, severity, 'page', rule_name,
                count(*) OVER w, count(*) FILTER (WHERE \(unsafeRaw: DeadLetterSelection.statusSQL) = 'new') OVER w,
                count(*) FILTER (WHERE replayed_by_job IS NOT NULL) OVER w, min(ingested_at) OVER w,
                max(ingested_at) OVER w, id, error_message
            FROM dead_letters d WHERE fingerprint IS NOT NULL
            WINDOW w AS (PARTITION BY fingerprint)
            ORDER BY fingerprint, id DESC
            ON CONFLICT (fingerprint) DO UPDATE SET
                error_class = EXCLUDED.error_class, severity = EXCLUDED.severity, rule_name = EXCLUDED.rule_name,
                event_count = EXCLUDED.event_count, unresolved_count = EXCLUDED.unresolved_count,
                recurrence_count = EXCLUDED.recurrence_count,
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

import DLQCore
import Foundation
import Postgres

extension DeadLetterSelection {
    /// The operator-facing status of the row aliased `d`: `replayed` is derived from acknowledged replay items
    /// (see ``DeadLetterStatus``).
    static let statusSQL = """
        (CASE WHEN d.status = 'resolved' THEN 'resolved' \
        WHEN EXISTS (SELECT 1 FROM replay_items r WHERE r.dead_letter_id = d.id AND r.state = 'published') \
        THEN 'replayed' ELSE 'new' END)
        """

    /// A boolean SQL condition on `dead_letters d`. Every value is a bind parameter; a field with no values
    /// binds NULL and the condition short-circuits, so the statement's shape never depends on the selection.
    var sqlCondition: PostgresQuery {
        func values<T>(_ array: [T]) -> [T]? { array.isEmpty ? nil : array }
        let lows = values(ids.map(\.lowerBound))
        let highs = values(ids.map(\.upperBound))
        let fingerprintPatterns = values(fingerprints.map { $0.lowercased() + "%" })
        let keyBytes = values(keys.map { Array($0.utf8) })
        let headerNames = values(headers.map(\.name))
        let headerValues = values(headers.map { Array($0.value.utf8) })
        return """
            (\(lows)::bigint[] IS NULL OR EXISTS (
                SELECT 1 FROM unnest(\(lows)::bigint[], \(highs)::bigint[]) AS i(low, high)
                WHERE d.id BETWEEN i.low AND i.high))
            AND (\(values(dlqTopics))::text[] IS NULL OR d.dlq_topic = ANY(\(values(dlqTopics))))
            AND (\(values(originalTopics))::text[] IS NULL OR d.original_topic = ANY(\(values(originalTopics))))
            AND (\(values(errorClasses))::text[] IS NULL OR d.error_class = ANY(\(values(errorClasses))))
            AND (\(values(ruleNames))::text[] IS NULL OR d.rule_name = ANY(\(values(ruleNames))))
            AND (\(values(exceptionClasses))::text[] IS NULL OR d.exception_class = ANY(\(values(exceptionClasses))))
            AND (\(fingerprintPatterns)::text[] IS NULL OR d.fingerprint LIKE ANY(\(fingerprintPatterns)))
            AND (\(values(formats.map(\.rawValue)))::text[] IS NULL OR d.format = ANY(\(values(formats.map(\.rawValue)))))
            AND (\(keyBytes)::bytea[] IS NULL OR d.record_key = ANY(\(keyBytes)))
            AND (\(headerNames)::text[] IS NULL OR NOT EXISTS (
                SELECT 1 FROM unnest(\(headerNames)::text[], \(headerValues)::bytea[]) AS wanted(name, value)
                WHERE NOT EXISTS (
                    SELECT 1 FROM unnest(d.header_names, d.header_values) AS h(name, value)
                    WHERE h.name = wanted.name AND h.value = wanted.value)))
            AND (\(values(traceIDs.map { $0.lowercased() }))::text[] IS NULL OR d.trace_id = ANY(\(values(traceIDs.map { $0.lowercased() }))))
            AND (\(since)::timestamptz IS NULL OR d.ingested_at >= \(since))
            AND (\(until)::timestamptz IS NULL OR d.ingested_at < \(until))
            AND (\(values(statuses.map(\.rawValue)))::text[] IS NULL OR \(unsafeRaw: Self.statusSQL) = ANY(\(values(statuses.map(\.rawValue)))))
            """
    }
}

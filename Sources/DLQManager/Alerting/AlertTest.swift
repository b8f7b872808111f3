import DLQCore
import Foundation
import Postgres

/// `dlq alerts test SINK`: one synthetic alert sent straight to a sink, recorded like any delivery, so an
/// operator can check routing keys, URLs and signatures before a real failure depends on them.
public enum AlertTest {
    public static func send(sink settings: SinkSettings, alerting: AlertingSettings, on connection: PostgresConnection) async throws -> DeliveryOutcome {
        let sink = try makeAlertSink(settings)
        let rows = try await connection.query("""
            INSERT INTO alert_deliveries (fingerprint, sink, kind, attempts, claimed_until)
            VALUES ('dlq-manager-test', \(settings.name), 'test', 1, now() + interval '1 hour')
            RETURNING id, delivery_id::text AS delivery_id
            """)
        let id = try rows[0].decode(Int64.self, column: "id")
        let now = Date()
        let alert = Alert(
            kind: .test, deliveryID: try rows[0].decode(String.self, column: "delivery_id"),
            fingerprint: "dlq-manager-test", errorClass: "test", severity: .info,
            messagePattern: "This is a test alert from dlq alerts test", exampleMessage: "This is a test alert from dlq alerts test",
            eventCount: 0, unresolvedCount: 0, newEvents: 0, firstSeen: now, lastSeen: now, createdAt: now
        )
        let request = try sink.request(for: alert, redaction: alerting.redaction, now: now)
        let client = AlertHTTPClient(timeout: alerting.timeout)
        let outcome = await client.deliver(request)
        await client.shutdown()
        let (status, httpStatus, error): (String, Int?, String?) = switch outcome {
        case .delivered(let code): ("delivered", code, nil)
        case .failed(let code, let reason): ("failed", code, reason)
        case .retry(_, let reason): ("failed", nil, reason)
        }
        try await connection.execute("""
            UPDATE alert_deliveries
            SET status = \(status), last_status = \(httpStatus), last_error = \(error), claimed_until = NULL,
                delivered_at = CASE WHEN \(status) = 'delivered' THEN now() END
            WHERE id = \(id)
            """)
        return outcome
    }
}

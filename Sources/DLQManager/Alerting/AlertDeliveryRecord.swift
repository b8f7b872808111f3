import Foundation
import Postgres

/// One notification to one sink and how its delivery went, as `dlq alerts` shows it.
public struct AlertDeliveryRecord: Sendable, Encodable {
    public var id: Int64
    public var deliveryID: String
    public var sink: String
    public var kind: String
    public var fingerprint: String
    public var status: String
    public var attempts: Int32
    public var newEvents: Int64
    public var createdAt: Date
    public var deliveredAt: Date?
    public var lastStatus: Int32?
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, sink, kind, fingerprint, status, attempts
        case deliveryID = "delivery_id", newEvents = "new_events", createdAt = "created_at"
        case deliveredAt = "delivered_at", lastStatus = "last_status", lastError = "last_error"
    }

    /// Most recent first.
    public static func recent(status: String?, sink: String?, limit: Int, on connection: PostgresConnection) async throws -> [AlertDeliveryRecord] {
        let rows = try await connection.query("""
            SELECT id, delivery_id::text AS delivery_id, sink, kind, fingerprint, status, attempts, new_events,
                   created_at, delivered_at, last_status, last_error
            FROM alert_deliveries
            WHERE (\(status)::text IS NULL OR status = \(status)) AND (\(sink)::text IS NULL OR sink = \(sink))
            ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            AlertDeliveryRecord(
                id: try row.decode(Int64.self, column: "id"),
                deliveryID: try row.decode(String.self, column: "delivery_id"),
                sink: try row.decode(String.self, column: "sink"),
                kind: try row.decode(String.self, column: "kind"),
                fingerprint: try row.decode(String.self, column: "fingerprint"),
                status: try row.decode(String.self, column: "status"),
                attempts: try row.decode(Int32.self, column: "attempts"),
                newEvents: try row.decode(Int64.self, column: "new_events"),
                createdAt: try row.decode(Date.self, column: "created_at"),
                deliveredAt: try row.decode(Date?.self, column: "delivered_at"),
                lastStatus: try row.decode(Int32?.self, column: "last_status"),
                lastError: try row.decode(String?.self, column: "last_error")
            )
        }
    }
}

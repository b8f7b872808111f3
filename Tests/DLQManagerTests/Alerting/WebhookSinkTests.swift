@testable import DLQManager
import Foundation
import Testing

@Suite("Generic webhook sink")
struct WebhookSinkTests {
    @Test("a trigger posts the documented payload with delivery, timestamp and signature headers")
    func trigger() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(), to: .webhook)
        let body = try delivery.json
        let request = delivery.request

        #expect(delivery.outcome == .delivered(status: 202))
        #expect(request.method == "POST")
        #expect(request.uri == "/hooks/dlq")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("X-DLQ-Delivery") == "d-7f3a")
        #expect(request.header("X-DLQ-Timestamp") == "1767225780")

        #expect(body["version"].int == 1)
        #expect(body["kind"].string == "trigger")
        #expect(body["delivery_id"].string == "d-7f3a")
        #expect(body["source"].string == "dlq-host-1")
        #expect(body["fingerprint"].string == AlertFixtures.fingerprint)
        #expect(body["error_class"].string == "payment-declined")
        #expect(body["severity"].string == "critical")
        #expect(body["summary"].string == "12 dead letters: PaymentDeclinedException: Card declined for order <num> (payments)")
        #expect(body["dlq_topic"].string == "payments.dlq")
        #expect(body["original_topic"].string == "payments")
        #expect(body["consumer_group"].string == "payment-service")
        #expect(body["exception_class"].string == "PaymentDeclinedException")
        #expect(body["message_pattern"].string == "Card declined for order <num>")
        #expect(body["example"]["dead_letter_id"].int == 42)
        #expect(body["example"]["message"].string == "Card declined for order 1234")
        #expect(body["example"]["coordinate"] == .object([
            "topic": .string("payments.dlq"), "partition": .int(3), "offset": .int(1017),
        ]))
        #expect(body["example"]["headers"] == .object(["trace-id": .string("abc123"), "tenant": .string("acme")]))
        #expect(body["counts"] == .object(["events": .int(12), "unresolved": .int(10), "new": .int(3)]))
        #expect(body["first_seen"].string == "2026-01-01T00:00:00.000Z")
        #expect(body["last_seen"].string == "2026-01-01T00:02:05.500Z")
        #expect(body["created_at"].string == "2026-01-01T00:02:10.000Z")
    }

    @Test("the signature verifies with an independent HMAC over the exact received body")
    func signatureVerifies() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(), to: .webhook)
        let (timestamp, v1) = try Self.parseSignature(delivery.request.header("X-DLQ-Signature"))

        #expect(timestamp == delivery.request.header("X-DLQ-Timestamp"))
        let expected = try await IndependentHMAC.sha256Hex(
            key: AlertFixtures.hmacKey, message: Array("\(timestamp).".utf8) + delivery.request.body
        )
        #expect(v1 == expected)
        #expect(v1.count == 64)
        #expect(v1 == v1.lowercased())
    }

    @Test("a tampered body does not verify")
    func tamperedBodyFails() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(), to: .webhook)
        let (timestamp, v1) = try Self.parseSignature(delivery.request.header("X-DLQ-Signature"))
        var tampered = delivery.request.body
        let index = try #require(tampered.firstIndex(of: UInt8(ascii: "2")))
        tampered[index] = UInt8(ascii: "3")

        let recomputed = try await IndependentHMAC.sha256Hex(
            key: AlertFixtures.hmacKey, message: Array("\(timestamp).".utf8) + tampered
        )
        #expect(recomputed != v1)
    }

    @Test("a signature made with another key does not verify")
    func wrongKeyFails() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(), to: .webhook)
        let (timestamp, v1) = try Self.parseSignature(delivery.request.header("X-DLQ-Signature"))
        let recomputed = try await IndependentHMAC.sha256Hex(
            key: "another-key", message: Array("\(timestamp).".utf8) + delivery.request.body
        )
        #expect(recomputed != v1)
    }

    @Test("a resolve is the same document with kind resolve")
    func resolve() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(kind: .resolve), to: .webhook)
        let body = try delivery.json
        #expect(body["kind"].string == "resolve")
        #expect(body["fingerprint"].string == AlertFixtures.fingerprint)
    }

    @Test("every kind of payload conforms to Config/webhook-payload.schema.json",
          arguments: [Alert.Kind.trigger, .resolve, .test])
    func conformsToSchema(_ kind: Alert.Kind) throws {
        let schema = try Self.schema()
        let sink = try makeAlertSink(AlertFixtures.settings(.webhook, baseURL: "http://127.0.0.1:9"))
        let request = try sink.request(for: AlertFixtures.alert(kind: kind), redaction: .none, now: AlertFixtures.now)
        let body = try JSONDocument(bytes: request.body)
        #expect(SchemaCheck.violations(of: body, against: schema) == [])
    }

    @Test("a payload with every optional field absent conforms to the schema with nulls")
    func sparseConformsToSchema() throws {
        var alert = AlertFixtures.alert()
        alert.dlqTopic = nil
        alert.originalTopic = nil
        alert.consumerGroup = nil
        alert.exceptionClass = nil
        alert.messagePattern = nil
        alert.exampleMessage = nil
        alert.exampleDeadLetterID = nil
        alert.exampleCoordinate = nil
        alert.exampleHeaders = [:]
        let sink = try makeAlertSink(AlertFixtures.settings(.webhook, baseURL: "http://127.0.0.1:9"))
        let body = try JSONDocument(bytes: sink.request(for: alert, redaction: .none, now: AlertFixtures.now).body)

        #expect(body["original_topic"].isNull)
        #expect(body["example"]["coordinate"].isNull)
        #expect(SchemaCheck.violations(of: body, against: try Self.schema()) == [])
    }

    @Test("the schema check notices a payload that breaks the schema")
    func schemaCheckCatchesDrift() throws {
        let broken = JSONDocument.object(["version": .int(2), "kind": .string("page")])
        let violations = SchemaCheck.violations(of: broken, against: try Self.schema())
        #expect(violations.contains { $0.contains("$.version") })
        #expect(violations.contains { $0.contains("$.kind") })
        #expect(violations.contains { $0.contains("required fingerprint") })
    }

    private static func parseSignature(_ header: String?) throws -> (timestamp: String, v1: String) {
        let header = try #require(header)
        var parts: [String: String] = [:]
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { parts[pair[0]] = pair[1] }
        }
        return (try #require(parts["t"]), try #require(parts["v1"]))
    }

    private static func schema() throws -> JSONDocument {
        let path = RepositoryPaths.root.appendingPathComponent("Config/webhook-payload.schema.json").path
        return try JSONDocument(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}

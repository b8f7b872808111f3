import DLQCore
@testable import DLQManager
import Foundation
import Testing

@Suite("PagerDuty sink")
struct PagerDutySinkTests {
    @Test("a trigger is an Events API v2 event with dedup_key = fingerprint and the group's details")
    func trigger() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(), to: .pagerduty)
        let body = try delivery.json

        #expect(delivery.outcome == .delivered(status: 202))
        #expect(delivery.request.method == "POST")
        #expect(delivery.request.uri == "/v2/enqueue")
        #expect(delivery.request.header("Content-Type") == "application/json")
        #expect(body["routing_key"].string == AlertFixtures.routingKey)
        #expect(body["event_action"].string == "trigger")
        #expect(body["dedup_key"].string == AlertFixtures.fingerprint)

        let payload = body["payload"]
        #expect(payload["summary"].string
            == "12 dead letters: PaymentDeclinedException: Card declined for order <num> (payments)")
        #expect(payload["source"].string == "dlq-host-1")
        #expect(payload["severity"].string == "critical")
        #expect(payload["component"].string == "payments")
        #expect(payload["group"].string == "payment-service")
        #expect(payload["class"].string == "payment-declined")
        #expect(payload["timestamp"].string == "2026-01-01T00:02:05.500Z")

        let details = payload["custom_details"]
        #expect(details["fingerprint"].string == AlertFixtures.fingerprint)
        #expect(details["dlq_topic"].string == "payments.dlq")
        #expect(details["event_count"].int == 12)
        #expect(details["unresolved_count"].int == 10)
        #expect(details["new_events"].int == 3)
        #expect(details["first_seen"].string == "2026-01-01T00:00:00.000Z")
        #expect(details["last_seen"].string == "2026-01-01T00:02:05.500Z")
        #expect(details["example_message"].string == "Card declined for order 1234")
        #expect(details["example_dead_letter_id"].int == 42)
        #expect(details["example_coordinate"]["topic"].string == "payments.dlq")
        #expect(details["example_coordinate"]["partition"].int == 3)
        #expect(details["example_coordinate"]["offset"].int == 1017)
        #expect(details["example_headers"] == .object(["trace-id": .string("abc123"), "tenant": .string("acme")]))
    }

    @Test("a resolve sends only routing_key, event_action and dedup_key")
    func resolve() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(kind: .resolve), to: .pagerduty)
        let body = try delivery.json

        #expect(body.keys == ["dedup_key", "event_action", "routing_key"])
        #expect(body["event_action"].string == "resolve")
        #expect(body["dedup_key"].string == AlertFixtures.fingerprint)
        #expect(body["routing_key"].string == AlertFixtures.routingKey)
    }

    @Test("a test alert triggers under its own dedup key and says it is a test")
    func testAlert() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(kind: .test), to: .pagerduty)
        let body = try delivery.json

        #expect(body["event_action"].string == "trigger")
        #expect(body["dedup_key"].string == "dlq-manager-test-d-7f3a")
        #expect(body["payload"]["summary"].string?.hasPrefix("Test alert from DLQ Manager sink 'pagerduty-test'") == true)
    }

    @Test("each severity is sent as PagerDuty's word for it", arguments: Severity.allCases)
    func severity(_ severity: Severity) throws {
        var alert = AlertFixtures.alert()
        alert.severity = severity
        let sink = try makeAlertSink(AlertFixtures.settings(.pagerduty, baseURL: "http://127.0.0.1:9"))
        let body = try JSONDocument(bytes: sink.request(for: alert, redaction: .none, now: AlertFixtures.now).body)
        #expect(body["payload"]["severity"].string == severity.rawValue)
    }

    @Test("the summary is cut to PagerDuty's 1024 characters")
    func longSummary() throws {
        var alert = AlertFixtures.alert()
        alert.messagePattern = String(repeating: "x", count: 5000)
        let sink = try makeAlertSink(AlertFixtures.settings(.pagerduty, baseURL: "http://127.0.0.1:9"))
        let body = try JSONDocument(bytes: sink.request(for: alert, redaction: .none, now: AlertFixtures.now).body)
        let summary = try #require(body["payload"]["summary"].string)
        #expect(summary.count == 1024)
        #expect(summary.hasSuffix("…"))
    }

    @Test("without a url the sink posts to PagerDuty's Events API")
    func defaultURL() throws {
        let sink = try makeAlertSink(SinkSettings(name: "pd", type: .pagerduty, secret: Secret("key")))
        let request = try sink.request(for: AlertFixtures.alert(), redaction: .none, now: AlertFixtures.now)
        #expect(request.url == "https://events.pagerduty.com/v2/enqueue")
    }

    @Test("absent group fields are left out of the payload")
    func absentFields() throws {
        var alert = AlertFixtures.alert()
        alert.originalTopic = nil
        alert.consumerGroup = nil
        alert.exampleMessage = nil
        alert.exampleCoordinate = nil
        let sink = try makeAlertSink(AlertFixtures.settings(.pagerduty, baseURL: "http://127.0.0.1:9"))
        let body = try JSONDocument(bytes: sink.request(for: alert, redaction: .none, now: AlertFixtures.now).body)
        #expect(body["payload"]["component"].isMissing)
        #expect(body["payload"]["group"].isMissing)
        #expect(body["payload"]["custom_details"]["example_message"].isMissing)
        #expect(body["payload"]["custom_details"]["example_coordinate"].isMissing)
        #expect(body["payload"]["summary"].string
            == "12 dead letters: PaymentDeclinedException: Card declined for order <num> (payments.dlq)")
    }
}

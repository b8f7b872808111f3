@testable import DLQManager
import Foundation
import Testing

@Suite("Alertmanager sink")
struct AlertmanagerSinkTests {
    @Test("a trigger posts one postable alert to /api/v2/alerts, starting at first seen, with no end")
    func trigger() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(), to: .alertmanager, response: .status(200))
        let body = try delivery.json

        #expect(delivery.outcome == .delivered(status: 200))
        #expect(delivery.request.method == "POST")
        #expect(delivery.request.uri == "/api/v2/alerts")
        #expect(delivery.request.header("Content-Type") == "application/json")

        let alerts = try #require(body.array)
        #expect(alerts.count == 1)
        let alert = alerts[0]
        #expect(alert.keys == ["annotations", "labels", "startsAt"])
        #expect(alert["labels"] == .object([
            "alertname": .string("DeadLetters"),
            "dlq_topic": .string("payments.dlq"),
            "original_topic": .string("payments"),
            "error_class": .string("payment-declined"),
            "severity": .string("critical"),
            "fingerprint": .string(AlertFixtures.fingerprint),
            "consumer_group": .string("payment-service"),
        ]))
        #expect(alert["annotations"].keys == ["description", "event_count", "example_dead_letter_id", "summary"])
        #expect(alert["annotations"]["summary"].string
            == "12 dead letters: PaymentDeclinedException: Card declined for order <num> (payments)")
        #expect(alert["annotations"]["description"].string?.contains("10 unresolved of 12 dead letters") == true)
        #expect(alert["annotations"]["description"].string?.contains("dlq show 42") == true)
        #expect(alert["annotations"]["example_dead_letter_id"].string == "42")
        #expect(alert["annotations"]["event_count"].string == "12")
        #expect(alert["startsAt"].string == "2026-01-01T00:00:00.000Z")
    }

    @Test("a resolve ends the alert now")
    func resolve() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(kind: .resolve), to: .alertmanager)
        let alert = try delivery.json[0]
        #expect(alert["labels"]["fingerprint"].string == AlertFixtures.fingerprint)
        #expect(alert["startsAt"].string == "2026-01-01T00:00:00.000Z")
        #expect(alert["endsAt"].string == "2026-01-01T00:03:00.250Z")
    }

    @Test("absent or empty labels are left out, because Alertmanager label values must not be empty")
    func absentLabels() throws {
        var alert = AlertFixtures.alert()
        alert.consumerGroup = nil
        alert.originalTopic = ""
        alert.exampleDeadLetterID = nil
        let sink = try makeAlertSink(AlertFixtures.settings(.alertmanager, baseURL: "http://127.0.0.1:9"))
        let body = try JSONDocument(bytes: sink.request(for: alert, redaction: .none, now: AlertFixtures.now).body)
        #expect(body[0]["labels"].keys == ["alertname", "dlq_topic", "error_class", "fingerprint", "severity"])
        #expect(body[0]["annotations"]["example_dead_letter_id"].isMissing)
    }

    @Test("a base URL with a trailing slash still posts to /api/v2/alerts")
    func trailingSlash() throws {
        var settings = AlertFixtures.settings(.alertmanager, baseURL: "http://127.0.0.1:9093")
        settings.url = "http://127.0.0.1:9093/"
        let request = try makeAlertSink(settings).request(for: AlertFixtures.alert(), redaction: .none, now: AlertFixtures.now)
        #expect(request.url == "http://127.0.0.1:9093/api/v2/alerts")
    }

    @Test("a test alert has its own name and fingerprint and ends by itself")
    func testAlert() throws {
        let sink = try makeAlertSink(AlertFixtures.settings(.alertmanager, baseURL: "http://127.0.0.1:9"))
        let request = try sink.request(for: AlertFixtures.alert(kind: .test), redaction: .none, now: AlertFixtures.now)
        let body = try JSONDocument(bytes: request.body)
        #expect(body[0]["labels"]["alertname"].string == "DeadLettersTest")
        #expect(body[0]["labels"]["fingerprint"].string == "dlq-manager-test-d-7f3a")
        #expect(body[0]["startsAt"].string == "2026-01-01T00:03:00.250Z")
        #expect(body[0]["endsAt"].string == "2026-01-01T00:08:00.250Z")
    }
}

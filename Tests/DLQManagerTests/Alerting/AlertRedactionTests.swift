import DLQCore
@testable import DLQManager
import Foundation
import Testing

@Suite("Alert redaction")
struct AlertRedactionTests {
    private static let cardNumber = "4111111111111111"
    private static let bearerToken = "s3cr3t-bearer-token"

    /// An alert whose example carries a card number in its message and a token in a header.
    private static func sensitiveAlert(kind: Alert.Kind = .trigger) -> Alert {
        var alert = AlertFixtures.alert(kind: kind)
        alert.exampleMessage = "Card \(cardNumber) declined"
        alert.exampleHeaders = ["Authorization": "Bearer \(bearerToken)", "trace-id": "abc123"]
        return alert
    }

    private static let redaction = AlertRedaction(fields: ["Example_Message"], headers: ["authorization"])

    /// The payload a sink of `type` builds, without sending it.
    private static func payload(
        _ type: SinkSettings.SinkType, alert: Alert = AlertFixtures.alert(), redaction: AlertRedaction
    ) throws -> JSONDocument {
        let sink = try makeAlertSink(AlertFixtures.settings(type, baseURL: "http://127.0.0.1:9"))
        return try JSONDocument(bytes: sink.request(for: alert, redaction: redaction, now: AlertFixtures.now).body)
    }

    @Test("configured fields and headers never leave the process, whatever the sink",
          arguments: SinkSettings.SinkType.allCases)
    func nothingSensitiveOnTheWire(type: SinkSettings.SinkType) async throws {
        let delivery = try await AlertTestHarness.deliver(Self.sensitiveAlert(), to: type, redaction: Self.redaction)
        let text = delivery.request.bodyText
        #expect(!text.contains(Self.cardNumber))
        #expect(!text.contains(Self.bearerToken))
    }

    @Test("PagerDuty's custom details show the redacted values as <redacted>")
    func pagerDuty() async throws {
        let delivery = try await AlertTestHarness.deliver(Self.sensitiveAlert(), to: .pagerduty, redaction: Self.redaction)
        let details = try delivery.json["payload"]["custom_details"]
        #expect(details["example_message"].string == "<redacted>")
        #expect(details["example_headers"]["Authorization"].string == "<redacted>")
        #expect(details["example_headers"]["trace-id"].string == "abc123")
    }

    @Test("the webhook's example shows the redacted values as <redacted>")
    func webhook() async throws {
        let delivery = try await AlertTestHarness.deliver(Self.sensitiveAlert(), to: .webhook, redaction: Self.redaction)
        let example = try delivery.json["example"]
        #expect(example["message"].string == "<redacted>")
        #expect(example["headers"]["Authorization"].string == "<redacted>")
        #expect(example["headers"]["trace-id"].string == "abc123")
    }

    @Test("Alertmanager's description quotes the example as <redacted>")
    func alertmanager() async throws {
        let delivery = try await AlertTestHarness.deliver(Self.sensitiveAlert(), to: .alertmanager, redaction: Self.redaction)
        #expect(try delivery.json[0]["annotations"]["description"].string?.contains("Example: <redacted>") == true)
    }

    @Test("a field is redacted wherever it appears in the payload, however deep")
    func anyDepth() throws {
        let redaction = AlertRedaction(fields: ["offset", "tenant"], headers: [])
        var alert = AlertFixtures.alert()
        alert.exampleHeaders = ["tenant": "acme"]
        let pagerDuty = try Self.payload(.pagerduty, alert: alert, redaction: redaction)
        let webhook = try Self.payload(.webhook, alert: alert, redaction: redaction)

        #expect(pagerDuty["payload"]["custom_details"]["example_coordinate"]["offset"].string == "<redacted>")
        #expect(pagerDuty["payload"]["custom_details"]["example_coordinate"]["partition"].int == 3)
        #expect(pagerDuty["payload"]["custom_details"]["example_headers"]["tenant"].string == "<redacted>")
        #expect(webhook["example"]["coordinate"]["offset"].string == "<redacted>")
        #expect(webhook["example"]["headers"]["tenant"].string == "<redacted>")
    }

    @Test("a redacted message pattern is hidden in free text too: summaries and Slack lines")
    func freeText() throws {
        let redaction = AlertRedaction(fields: ["message_pattern"], headers: [])
        var alert = AlertFixtures.alert()
        // The example message repeats the pattern's words; it is a separate field, not redacted here.
        alert.exampleMessage = nil
        for type in SinkSettings.SinkType.allCases {
            let body = try makeAlertSink(AlertFixtures.settings(type, baseURL: "http://127.0.0.1:9"))
                .request(for: alert, redaction: redaction, now: AlertFixtures.now).body
            let text = String(decoding: body, as: UTF8.self)
            #expect(!text.contains("Card declined for order"), "\(type) leaked the message pattern")
        }
    }

    @Test("the keys a receiver routes and deduplicates on are never redacted")
    func protectedKeys() throws {
        let redaction = AlertRedaction(
            fields: ["routing_key", "dedup_key", "event_action", "alertname", "fingerprint", "type"], headers: []
        )
        let pagerDuty = try Self.payload(.pagerduty, redaction: redaction)
        let alertmanager = try Self.payload(.alertmanager, redaction: redaction)
        let slack = try Self.payload(.slack, redaction: redaction)

        #expect(pagerDuty["routing_key"].string == AlertFixtures.routingKey)
        #expect(pagerDuty["dedup_key"].string == AlertFixtures.fingerprint)
        #expect(pagerDuty["event_action"].string == "trigger")
        #expect(alertmanager[0]["labels"]["alertname"].string == "DeadLetters")
        #expect(alertmanager[0]["labels"]["fingerprint"].string == AlertFixtures.fingerprint)
        #expect(slack["blocks"][0]["type"].string == "header")
        // Not protected: PagerDuty's informational copy of the fingerprint.
        #expect(pagerDuty["payload"]["custom_details"]["fingerprint"].string == "<redacted>")
    }

    @Test("without configuration nothing is redacted")
    func noneLeavesPayloadAlone() throws {
        let body = try makeAlertSink(AlertFixtures.settings(.webhook, baseURL: "http://127.0.0.1:9"))
            .request(for: Self.sensitiveAlert(), redaction: .none, now: AlertFixtures.now).body
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains(Self.cardNumber))
        #expect(!text.contains("<redacted>"))
    }
}

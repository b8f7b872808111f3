@testable import DLQManager
import Foundation
import Testing

@Suite("Slack sink")
struct SlackSinkTests {
    @Test("a trigger posts fallback text plus header, fields and context blocks to the secret URL")
    func trigger() async throws {
        let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(), to: .slack, response: .status(200, body: "ok"))
        let body = try delivery.json

        #expect(delivery.outcome == .delivered(status: 200))
        #expect(delivery.request.method == "POST")
        #expect(delivery.request.uri == "/services/T0000/B0000/\(AlertFixtures.slackToken)")
        #expect(delivery.request.header("Content-Type") == "application/json")
        #expect(body["text"].string
            == ":red_circle: 12 dead letters: PaymentDeclinedException: Card declined for order &lt;num&gt; (payments)")

        let blocks = try #require(body["blocks"].array)
        #expect(blocks.count == 3)
        #expect(blocks[0]["type"].string == "header")
        #expect(blocks[0]["text"] == .object(["type": .string("plain_text"), "text": .string("Dead letters: payment-declined")]))

        #expect(blocks[1]["type"].string == "section")
        #expect(blocks[1]["text"]["type"].string == "mrkdwn")
        let fields = try #require(blocks[1]["fields"].array)
        #expect(fields.allSatisfy { $0["type"].string == "mrkdwn" })
        #expect(fields.compactMap { $0["text"].string } == [
            "*Class*\npayment-declined",
            "*Severity*\ncritical",
            "*Topic*\npayments → payments.dlq",
            "*Consumer group*\npayment-service",
            "*Dead letters*\n12 total, 10 unresolved, 3 new",
        ])

        #expect(blocks[2]["type"].string == "context")
        #expect(blocks[2]["elements"][0]["type"].string == "mrkdwn")
        #expect(blocks[2]["elements"][0]["text"].string
            == "Fingerprint `\(AlertFixtures.fingerprint)` · example: `dlq show 42`")
    }

    @Test("a resolve posts a short resolved message")
    func resolve() async throws {
        let delivery = try await AlertTestHarness.deliver(
            AlertFixtures.alert(kind: .resolve), to: .slack, response: .status(200, body: "ok")
        )
        let body = try delivery.json
        #expect(body["text"].string == ":white_check_mark: Resolved: payment-declined (payments): no unresolved dead letters left")
        #expect(body["blocks"].array?.count == 2)
        #expect(body["blocks"][0]["text"]["text"].string == body["text"].string)
    }

    @Test("a test alert says it is a test in its header and text")
    func testAlert() throws {
        let sink = try makeAlertSink(AlertFixtures.settings(.slack, baseURL: "http://127.0.0.1:9"))
        let request = try sink.request(for: AlertFixtures.alert(kind: .test), redaction: .none, now: AlertFixtures.now)
        let body = try JSONDocument(bytes: request.body)
        #expect(body["blocks"][0]["text"]["text"].string == "Test: Dead letters: payment-declined")
        #expect(body["text"].string?.contains("Test alert from DLQ Manager sink 'slack-test'") == true)
    }

    @Test("text from dead letters cannot mention a channel or form a link")
    func escaping() throws {
        var alert = AlertFixtures.alert()
        alert.messagePattern = "<!channel> see <http://evil.example|here> & more"
        let sink = try makeAlertSink(AlertFixtures.settings(.slack, baseURL: "http://127.0.0.1:9"))
        let body = try JSONDocument(bytes: sink.request(for: alert, redaction: .none, now: AlertFixtures.now).body)
        let section = try #require(body["blocks"][1]["text"]["text"].string)
        #expect(!section.contains("<"))
        #expect(section.contains("&lt;!channel&gt; see &lt;http://evil.example|here&gt; &amp; more"))
        #expect(body["text"].string?.contains("<") == false)
    }

    @Test("the header stays within Block Kit's 150 characters")
    func longHeader() throws {
        var alert = AlertFixtures.alert()
        alert.errorClass = String(repeating: "c", count: 400)
        let sink = try makeAlertSink(AlertFixtures.settings(.slack, baseURL: "http://127.0.0.1:9"))
        let body = try JSONDocument(bytes: sink.request(for: alert, redaction: .none, now: AlertFixtures.now).body)
        #expect(body["blocks"][0]["text"]["text"].string?.count == 150)
    }
}

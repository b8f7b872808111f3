@testable import DLQManager
import Foundation
import Testing

@Suite("Alert sink configuration and secrets")
struct AlertSinkFactoryTests {
    private func error(_ settings: SinkSettings) -> AlertSinkConfigurationError? {
        do {
            _ = try makeAlertSink(settings)
            return nil
        } catch {
            return error as? AlertSinkConfigurationError
        }
    }

    @Test("a sink without the credential its type needs is refused, naming the sink",
          arguments: [SinkSettings.SinkType.pagerduty, .slack, .webhook])
    func missingSecret(type: SinkSettings.SinkType) throws {
        let settings = SinkSettings(
            name: "ops-\(type.rawValue)", type: type, url: type == .slack ? nil : "https://example.invalid/x"
        )
        let failure = try #require(error(settings))
        #expect(failure.sinkName == "ops-\(type.rawValue)")
        #expect(failure.description.contains("'ops-\(type.rawValue)'"))
    }

    @Test("an empty secret counts as missing")
    func emptySecret() throws {
        let failure = try #require(error(SinkSettings(name: "pd-main", type: .pagerduty, secret: Secret(""))))
        #expect(failure.description.contains("pd-main"))
        #expect(failure.description.contains("routing key"))
    }

    @Test("a webhook or Alertmanager sink without a url is refused, naming the sink",
          arguments: [SinkSettings.SinkType.webhook, .alertmanager])
    func missingURL(type: SinkSettings.SinkType) throws {
        let settings = SinkSettings(name: "hook-\(type.rawValue)", type: type, secret: type == .webhook ? Secret("k") : nil)
        let failure = try #require(error(settings))
        #expect(failure.description.hasPrefix("alert sink 'hook-\(type.rawValue)' (\(type.rawValue)): no url"))
    }

    @Test("a Slack sink given a url is refused: its URL is a credential and belongs in the secret")
    func slackURLIsSecret() throws {
        let url = "https://hooks.slack.com/services/x"
        let settings = SinkSettings(name: "team-slack", type: .slack, url: url, secret: Secret(url))
        #expect(error(settings)?.description.contains("team-slack") == true)
    }

    @Test("an Alertmanager sink given a secret is refused rather than silently ignoring it")
    func alertmanagerSecret() throws {
        let settings = SinkSettings(name: "am", type: .alertmanager, url: "http://127.0.0.1:9093", secret: Secret("x"))
        #expect(error(settings) != nil)
    }

    @Test("a URL that is not http or https is refused, and a secret URL is not quoted back")
    func badURL() throws {
        let webhook = try #require(
            error(SinkSettings(name: "w", type: .webhook, url: "ftp://example.invalid/x", secret: Secret("k")))
        )
        #expect(webhook.description.contains("'ftp://example.invalid/x' is not an http or https URL"))

        let slackSecret = Secret("ftp://hooks/\(AlertFixtures.slackToken)")
        let slack = try #require(error(SinkSettings(name: "s", type: .slack, secret: slackSecret)))
        #expect(!slack.description.contains(AlertFixtures.slackToken))
    }

    @Test("every sink type is built from valid settings and announces resolves",
          arguments: SinkSettings.SinkType.allCases)
    func validSettings(type: SinkSettings.SinkType) throws {
        let sink = try makeAlertSink(AlertFixtures.settings(type, baseURL: "http://127.0.0.1:9"))
        #expect(sink.settings.type == type)
        #expect(sink.supportsResolve)
    }

    @Test("a Slack sink's URL appears in no reason when its endpoint refuses connections")
    func slackURLNotInConnectionError() async throws {
        let result = try await RefusingPort.with { port in
            let sink = try makeAlertSink(AlertFixtures.settings(.slack, baseURL: "http://127.0.0.1:\(port)"))
            let request = try sink.request(for: AlertFixtures.alert(), redaction: .none, now: AlertFixtures.now)
            return try await AlertTestHarness.withClient { await $0.deliver(request) }
        }

        guard case .retry(_, let reason) = result else {
            Issue.record("expected a retry, got \(result)")
            return
        }
        #expect(!reason.contains(AlertFixtures.slackToken))
        #expect(!reason.contains("/services/"))
    }

    @Test("a Slack sink's URL appears in no reason when its endpoint times out")
    func slackURLNotInTimeout() async throws {
        try await AlertTestHarness.withServer(default: .noAnswer) { server in
            let sink = try makeAlertSink(AlertFixtures.settings(.slack, baseURL: server.url))
            let request = try sink.request(for: AlertFixtures.alert(), redaction: .none, now: AlertFixtures.now)
            let result = try await AlertTestHarness.withClient(timeout: .milliseconds(300)) { await $0.deliver(request) }
            guard case .retry(_, let reason) = result else {
                Issue.record("expected a retry, got \(result)")
                return
            }
            #expect(!reason.contains(AlertFixtures.slackToken))
        }
    }

    @Test("a receiver echoing a secret in its error body has it scrubbed from the reason")
    func echoedSecretScrubbed() async throws {
        let slackPath = "/services/T0000/B0000/\(AlertFixtures.slackToken)"
        let echo = #"{"message":"unknown routing key \#(AlertFixtures.routingKey) for \#(slackPath)"}"#
        for type in [SinkSettings.SinkType.pagerduty, .slack] {
            let delivery = try await AlertTestHarness.deliver(AlertFixtures.alert(), to: type, response: .status(400, body: echo))
            guard case .failed(400, let reason) = delivery.outcome else {
                Issue.record("expected failed(400), got \(delivery.outcome)")
                continue
            }
            let secret = type == .pagerduty ? AlertFixtures.routingKey : AlertFixtures.slackToken
            #expect(!reason.contains(secret), "\(type) reason leaked its secret")
            #expect(reason.contains("<redacted>"))
        }
    }

    @Test("a request prints without its URL path, headers or body")
    func requestDescription() throws {
        let sink = try makeAlertSink(AlertFixtures.settings(.slack, baseURL: "https://hooks.slack.com"))
        let request = try sink.request(for: AlertFixtures.alert(), redaction: .none, now: AlertFixtures.now)
        #expect("\(request)" == "POST https://hooks.slack.com/… (\(request.body.count) bytes)")
        #expect(!String(reflecting: request).contains(AlertFixtures.slackToken))
    }
}

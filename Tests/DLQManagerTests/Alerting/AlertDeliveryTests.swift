@testable import DLQManager
import Foundation
import Testing

/// How ``AlertHTTPClient`` classifies what a receiver does, over real sockets.
@Suite("Alert delivery outcomes")
struct AlertDeliveryTests {
    /// Posts one webhook notification to a server answering with `responses` (then `default`).
    private func outcome(
        _ response: RecordingHTTPServer.Response, timeout: Duration = .seconds(5)
    ) async throws -> DeliveryOutcome {
        try await AlertTestHarness.withServer(default: response) { server in
            let request = try Self.request(baseURL: server.url)
            return try await AlertTestHarness.withClient(timeout: timeout) { await $0.deliver(request) }
        }
    }

    private static func request(baseURL: String) throws -> AlertHTTPRequest {
        try makeAlertSink(AlertFixtures.settings(.webhook, baseURL: baseURL))
            .request(for: AlertFixtures.alert(), redaction: .none, now: Date())
    }

    @Test("a 2xx answer is delivered", arguments: [200, 202, 204])
    func delivered(status: Int) async throws {
        #expect(try await outcome(.status(status)) == .delivered(status: status))
    }

    @Test("a 5xx answer is retried without advice when there is no Retry-After", arguments: [500, 502, 503])
    func serverErrorRetries(status: Int) async throws {
        let result = try await outcome(.status(status, body: "upstream unavailable"))
        #expect(result == .retry(after: nil, reason: "HTTP \(status): upstream unavailable"))
    }

    @Test("a 429 with Retry-After: 2 is retried after two seconds")
    func rateLimitedWithDelta() async throws {
        let result = try await outcome(.status(429, headers: [(name: "Retry-After", value: "2")], body: "slow down"))
        #expect(result == .retry(after: .seconds(2), reason: "HTTP 429: slow down"))
    }

    @Test("a Retry-After given as an HTTP-date is turned into the time left until then")
    func rateLimitedWithDate() async throws {
        let sent = Date()
        let result = try await outcome(.status(503, headers: [(name: "Retry-After", value: Self.httpDate(sent.addingTimeInterval(30)))]))
        guard case .retry(let after?, _) = result else {
            Issue.record("expected a retry with advice, got \(result)")
            return
        }
        // The header has whole seconds, and time passes on the way (seconds, on a loaded machine): allow for both.
        let onTheWay = Duration.seconds(Date().timeIntervalSince(sent))
        #expect(after > .seconds(29) - onTheWay && after <= .seconds(30), "advised \(after), \(onTheWay) on the way")
    }

    @Test("a 4xx other than 429 fails with the status and the receiver's explanation", arguments: [400, 404, 410])
    func clientErrorFails(status: Int) async throws {
        let explanation = #"{"status":"invalid event","message":"Event object is invalid"}"#
        let result = try await outcome(.status(status, body: explanation))
        #expect(result == .failed(status: status, reason: "HTTP \(status): \(explanation)"))
    }

    @Test("a failure's reason quotes at most 500 bytes of a long body")
    func longBodyIsCut() async throws {
        let result = try await outcome(.status(400, body: String(repeating: "e", count: 200_000)))
        guard case .failed(400, let reason) = result else {
            Issue.record("expected failed(400), got \(result)")
            return
        }
        #expect(reason == "HTTP 400: " + String(repeating: "e", count: 500) + "…")
    }

    @Test("a redirect is not followed and fails, so a moved endpoint is fixed in the configuration")
    func redirectFails() async throws {
        try await AlertTestHarness.withServer(default: .status(302, headers: [(name: "Location", value: "/elsewhere")])) { server in
            let request = try Self.request(baseURL: server.url)
            let result = try await AlertTestHarness.withClient { await $0.deliver(request) }
            #expect(result == .failed(status: 302, reason: "HTTP 302"))
            #expect(server.requests().count == 1)
        }
    }

    @Test("a refused connection is retried")
    func connectionRefusedRetries() async throws {
        let result = try await RefusingPort.with { port in
            let request = try Self.request(baseURL: "http://127.0.0.1:\(port)")
            return try await AlertTestHarness.withClient { await $0.deliver(request) }
        }
        guard case .retry(nil, let reason) = result else {
            Issue.record("expected a retry, got \(result)")
            return
        }
        #expect(reason.contains("Connection refused"))
    }

    @Test("a receiver that never answers is retried once the client's timeout has passed")
    func noAnswerTimesOut() async throws {
        try await AlertTestHarness.withServer(default: .noAnswer) { server in
            let request = try Self.request(baseURL: server.url)
            let clock = ContinuousClock()
            let start = clock.now
            let result = try await AlertTestHarness.withClient(timeout: .milliseconds(300)) { await $0.deliver(request) }
            let elapsed = clock.now - start

            guard case .retry(nil, let reason) = result else {
                Issue.record("expected a retry, got \(result)")
                return
            }
            #expect(reason.contains("no response within"))
            #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(5))
            #expect(server.requests().count == 1)
        }
    }

    @Test("one attempt per call: 500 three times then 202 gives three retries and one delivery")
    func scriptedSequence() async throws {
        try await AlertTestHarness.withServer(responses: [.status(500), .status(500), .status(500), .status(202)]) { server in
            let request = try Self.request(baseURL: server.url)
            let outcomes = try await AlertTestHarness.withClient { client in
                var outcomes: [DeliveryOutcome] = []
                for _ in 0..<4 { outcomes.append(await client.deliver(request)) }
                return outcomes
            }
            #expect(outcomes == [
                .retry(after: nil, reason: "HTTP 500"), .retry(after: nil, reason: "HTTP 500"),
                .retry(after: nil, reason: "HTTP 500"), .delivered(status: 202),
            ])
            #expect(try await server.waitForRequests(count: 4, timeout: .seconds(5)).count == 4)
        }
    }

    @Test("Retry-After is read in each of its forms", arguments: [
        ("120", 120.0),
        ("Thu, 01 Jan 2026 00:01:00 GMT", 60.0),
        ("Thursday, 01-Jan-26 00:01:00 GMT", 60.0),
        ("Thu Jan  1 00:01:00 2026", 60.0),
        ("Wed, 31 Dec 2025 23:00:00 GMT", 0.0),
    ])
    func retryAfterForms(value: String, seconds: Double) {
        let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        #expect(RetryAfter.parse(value, now: now) == .milliseconds(Int64(seconds * 1000)))
    }

    @Test("a Retry-After that is neither form is no advice", arguments: ["soon", "-5", "1.5", "", "Thu, 01 Jan 2026 00:01:00 CET"])
    func retryAfterGarbage(value: String) {
        #expect(RetryAfter.parse(value, now: Date()) == nil)
    }

    private static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

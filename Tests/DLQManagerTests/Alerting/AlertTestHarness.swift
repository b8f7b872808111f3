import DLQManager
import Foundation

/// Runs one delivery through the real stack (sink → ``AlertHTTPClient`` → socket → ``RecordingHTTPServer``) and
/// always shuts both ends down, so a failing expectation cannot leak a client or a listening port.
enum AlertTestHarness {
    /// What one delivery produced on both sides of the wire.
    struct Delivery {
        var outcome: DeliveryOutcome
        var request: RecordingHTTPServer.RecordedRequest
        var sent: AlertHTTPRequest

        var json: JSONDocument {
            get throws { try JSONDocument(bytes: request.body) }
        }
    }

    static func withClient<T>(
        timeout: Duration = .seconds(5), _ body: (AlertHTTPClient) async throws -> T
    ) async throws -> T {
        let client = AlertHTTPClient(timeout: timeout)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static func withServer<T>(
        responses: [RecordingHTTPServer.Response] = [],
        default defaultResponse: RecordingHTTPServer.Response = .status(200),
        _ body: (RecordingHTTPServer) async throws -> T
    ) async throws -> T {
        let server = try await RecordingHTTPServer.start(responses: responses, default: defaultResponse)
        do {
            let result = try await body(server)
            try await server.shutdown()
            return result
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    /// Sends `alert` through a sink of `type` to a fresh server answering `response`.
    static func deliver(
        _ alert: Alert,
        to type: SinkSettings.SinkType,
        redaction: AlertRedaction = .none,
        response: RecordingHTTPServer.Response = .status(202),
        adjust: (inout SinkSettings) -> Void = { _ in }
    ) async throws -> Delivery {
        try await withServer(default: response) { server in
            var settings = AlertFixtures.settings(type, baseURL: server.url)
            adjust(&settings)
            let sink = try makeAlertSink(settings)
            let sent = try sink.request(for: alert, redaction: redaction, now: AlertFixtures.now)
            let outcome = try await withClient { client in await client.deliver(sent) }
            let received = try await server.waitForRequests(count: 1, timeout: .seconds(10))
            return Delivery(outcome: outcome, request: received[0], sent: sent)
        }
    }
}

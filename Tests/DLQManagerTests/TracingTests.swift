import DLQCore
import DLQManager
import Foundation
import Kafka
import Logging
import Testing

/// Spans for ingest and replay, exported over OTLP/HTTP to a receiver the test runs.
@Suite("Tracing", .timeLimit(.minutes(3)))
struct TracingTests {
    private static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    private static let spanID = "00f067aa0ba902b7"

    @Test("a dead letter carrying a traceparent gets an ingest span linked to it, and its trace id is stored")
    func ingestSpanLinksTheFailedEvent() async throws {
        let receiver = try await RecordingHTTPServer.start()
        let harness = try await IngestHarness.make()
        var message = harness.springFailure(exceptionClass: "com.acme.PaymentDeclinedException", index: 1)
        message.headers.append(KafkaHeader(name: "traceparent", value: Array("00-\(Self.traceID)-\(Self.spanID)-01".utf8)))
        _ = try await harness.produce([message])

        let daemon = try harness.startDaemon(["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url])
        let spans = try await Self.spans(from: receiver, named: "dlq ingest")
        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()

        let links = spans.flatMap { $0["links"] as? [[String: Any]] ?? [] }
        #expect(links.contains { $0["traceId"] as? String == Self.traceID && $0["spanId"] as? String == Self.spanID })
        #expect(spans.first?["kind"] as? Int == 5, "consumer kind")
        #expect(receiver.requests().allSatisfy { $0.uri == "/v1/traces" })
        #expect(try await harness.database.count("trace_id = '\(Self.traceID)'") == 1)
        await harness.database.drop()
    }

    @Test("a replayed record's traceparent names a producer span in the original trace, exported with its parent")
    func replaySpanContinuesTheTrace() async throws {
        let receiver = try await RecordingHTTPServer.start()
        let harness = try await ReplayHarness.make()
        let letters = try await harness.storeSamples(count: 12)
        let traced = letters.filter { $0.traceID != nil }
        try #require(!traced.isEmpty)

        let result = try await harness.replay(["original_topic=orders", "--yes"], environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url])
        #expect(result.status == 0, "log:\n\(result.log)")

        let spans = try await Self.spans(from: receiver, named: "dlq replay orders", atLeast: traced.count)
        var checked = 0
        for record in try await harness.readTopic(harness.originalTopic) {
            guard let origin = ReplayHarness.origin(of: record), let letter = traced.first(where: { $0.coordinate == origin }),
                  let traceparent = record.headers.last(where: { $0.name == "traceparent" })?.value
            else { continue }
            let parts = String(decoding: traceparent, as: UTF8.self).split(separator: "-").map(String.init)
            let span = spans.first { $0["spanId"] as? String == parts[2] }
            #expect(span?["traceId"] as? String == letter.traceID, "span of \(origin.text)")
            #expect(span?["parentSpanId"] as? String == letter.spanID)
            #expect(span?["kind"] as? Int == 4, "producer kind")
            checked += 1
        }
        #expect(checked == traced.count)
        await harness.database.drop()
    }

    @Test("the sampling ratio keeps the traces whose id falls below it, the same way everywhere")
    func samplingRatio() throws {
        let logger = Logger(label: "test")
        let half = try #require(TraceExporter(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.5",
        ], logger: logger))
        #expect(half.isSampled(traceID: "ffffffffffffffff0000000000000001"))
        #expect(!half.isSampled(traceID: "0000000000000000ffffffffffffff00"))
        let off = try #require(TraceExporter(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_TRACES_SAMPLER": "always_off"], logger: logger))
        #expect(!off.isSampled(traceID: Self.traceID))
        #expect(TraceExporter(environment: [:], logger: logger) == nil, "no endpoint: tracing off")
        #expect(TraceExporter(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_TRACES_EXPORTER": "none"], logger: logger) == nil)
    }

    /// The spans named `name` the receiver got, once it has at least `count`.
    private static func spans(from receiver: RecordingHTTPServer, named name: String, atLeast count: Int = 1) async throws -> [[String: Any]] {
        var found: [[String: Any]] = []
        try await eventually("\(count) '\(name)' span(s) are exported", timeout: .seconds(60)) {
            found = receiver.requests().flatMap { request -> [[String: Any]] in
                let document = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
                let resourceSpans = document?["resourceSpans"] as? [[String: Any]] ?? []
                return resourceSpans.flatMap { ($0["scopeSpans"] as? [[String: Any]] ?? []).flatMap { $0["spans"] as? [[String: Any]] ?? [] } }
            }.filter { $0["name"] as? String == name }
            return found.count >= count
        }
        return found
    }
}

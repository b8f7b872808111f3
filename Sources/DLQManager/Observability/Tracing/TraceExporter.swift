import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Sends spans to an OpenTelemetry collector over OTLP/HTTP (JSON), configured by the standard `OTEL_*`
/// variables: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT` (+ `/v1/traces`),
/// `OTEL_TRACES_SAMPLER` (`always_on`, `always_off`, `traceidratio`, and their `parentbased_` forms, which
/// behave the same here because every span's trace decides) with `OTEL_TRACES_SAMPLER_ARG`, `OTEL_SERVICE_NAME`,
/// and `OTEL_TRACES_EXPORTER=none` to turn it off.
///
/// Spans are buffered and sent every second, or at 512; a collector that is down costs dropped spans and a
/// warning, never a stalled daemon.
public final class TraceExporter: Sendable {
    private let endpoint: String
    private let serviceName: String
    /// Spans of traces whose id, read as a fraction, is below this are kept: every span of a trace shares the
    /// decision, across processes.
    private let ratio: Double
    private let buffer = Mutex<[TraceSpan]>([])
    /// Sends of full batches still under way, awaited by ``flush()``.
    private let sending = Mutex<[Task<Void, Never>]>([])
    private let logger: Logger
    private static let batchSize = 512

    /// Nil when no endpoint is configured or tracing is turned off.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) {
        guard environment["OTEL_TRACES_EXPORTER"] != "none", environment["OTEL_SDK_DISABLED"] != "true" else { return nil }
        if let traces = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], !traces.isEmpty {
            endpoint = traces
        } else if let base = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !base.isEmpty {
            endpoint = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
        } else {
            return nil
        }
        serviceName = environment["OTEL_SERVICE_NAME"] ?? "dlq"
        switch environment["OTEL_TRACES_SAMPLER"] ?? "parentbased_always_on" {
        case "always_off", "parentbased_always_off": ratio = 0
        case "traceidratio", "parentbased_traceidratio":
            ratio = min(1, max(0, Double(environment["OTEL_TRACES_SAMPLER_ARG"] ?? "1") ?? 1))
        default: ratio = 1
        }
        self.logger = logger
    }

    /// Keeps the span if its trace is sampled; sends a batch when one is full.
    public func record(_ span: TraceSpan) {
        guard isSampled(traceID: span.traceID) else { return }
        let full: [TraceSpan]? = buffer.withLock { spans in
            spans.append(span)
            guard spans.count >= Self.batchSize else { return nil }
            defer { spans.removeAll(keepingCapacity: true) }
            return spans
        }
        if let full {
            let task = Task { await send(full) }
            sending.withLock { $0.append(task) }
        }
    }

    /// Sends what is buffered; awaited at the end of a run so that no span is left behind.
    public func flush() async {
        let spans = buffer.withLock { spans in
            defer { spans.removeAll() }
            return spans
        }
        if !spans.isEmpty { await send(spans) }
        for task in sending.withLock({ tasks in defer { tasks.removeAll() }; return tasks }) {
            await task.value
        }
    }

    /// Whether spans of this trace are kept: its id's last 16 hex digits, read as a fraction of 2^64, is below
    /// the sampling ratio, so every process sampling the same trace agrees.
    public func isSampled(traceID: String) -> Bool {
        guard ratio < 1 else { return ratio > 0 }
        guard ratio > 0, let bits = UInt64(traceID.suffix(16), radix: 16) else { return false }
        return Double(bits) / Double(UInt64.max) < ratio
    }

    private func send(_ spans: [TraceSpan]) async {
        let document: [String: Any] = [
            "resourceSpans": [[
                "resource": ["attributes": [["key": "service.name", "value": ["stringValue": serviceName]]]],
                "scopeSpans": [["scope": ["name": "dlq-manager"], "spans": spans.map(\.json)]],
            ]],
        ]
        do {
            var request = HTTPClientRequest(url: endpoint)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: document)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            if response.status.code >= 300 {
                logger.warning("trace export refused; spans dropped", metadata: ["status": "\(response.status.code)", "spans": "\(spans.count)"])
            }
        } catch {
            logger.warning("trace export failed; spans dropped", metadata: ["error": "\(error)", "spans": "\(spans.count)"])
        }
    }
}

/// Flushes a ``TraceExporter`` every second while the daemon runs, and once more when it stops.
public struct TraceExportService: Service {
    let exporter: TraceExporter

    public init(exporter: TraceExporter) {
        self.exporter = exporter
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            await exporter.flush()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
        await exporter.flush()
    }
}

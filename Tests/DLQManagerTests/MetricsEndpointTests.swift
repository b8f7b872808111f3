import DLQCore
import Foundation
import Kafka
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The daemon's HTTP endpoint: what `/metrics` says after a known workload, and the health routes.
@Suite("Metrics endpoint", .timeLimit(.minutes(3)))
struct MetricsEndpointTests {
    @Test("after a known workload /metrics counts the arrivals and shows a watched group's lag per partition")
    func metricsAfterWorkload() async throws {
        let harness = try await IngestHarness.make()
        try await GroupOffsets.fillOrders(in: harness.cluster)
        try await GroupOffsets.commit(["orders": [0: 10, 1: 25, 2: 0]], group: "payment-service", cluster: harness.cluster)
        _ = try await harness.produce((0..<30).map { harness.springFailure(exceptionClass: "com.acme.PaymentDeclinedException", index: $0) })
        let port = try await RecordingHTTPServer.freePort()
        let configuration = IngestHarness.writeConfiguration("""
            http:
              refresh_interval_ms: 200
            lag:
              interval_ms: 200
              groups:
                - group: payment-service
                  topics: [orders]
            """)
        let daemon = try harness.startDaemon(["DLQ_CONFIG": configuration, "DLQ_HTTP_ADDRESS": "127.0.0.1:\(port)"])
        let base = "http://127.0.0.1:\(port)"

        var series: [String: Double] = [:]
        try await eventually("the arrivals and the lag are exported", timeout: .seconds(60)) {
            series = (try? await Self.metrics(base)) ?? [:]
            return series[#"dlq_messages_ingested_total{dlq_topic="orders.dlq",original_topic="orders",error_class="unclassified"}"#] == 30
                && series[#"kafka_consumergroup_lag{consumergroup="payment-service",topic="orders",partition="3"}"#] != nil
        }
        let lag = (0..<4).map { series[#"kafka_consumergroup_lag{consumergroup="payment-service",topic="orders",partition="\#($0)"}"#] }
        #expect(lag == [15, 0, 25, 25])
        #expect(series[#"kafka_consumergroup_lag_sum{consumergroup="payment-service",topic="orders"}"#] == 65)
        #expect(try await Self.status(base + "/healthz") == 200)
        try await eventually("the daemon is ready") { try await Self.status(base + "/readyz") == 200 }

        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0, "daemon log:\n\(daemon.log())")
        await harness.database.drop()
    }

    @Test("a real Prometheus scraping the daemon has the arrival counter and the watched group's lag")
    func scrapedByPrometheus() async throws {
        let harness = try await IngestHarness.make()
        try await GroupOffsets.fillOrders(in: harness.cluster)
        try await GroupOffsets.commit(["orders": [0: 20, 1: 5]], group: "fulfilment", cluster: harness.cluster)
        _ = try await harness.produce((0..<12).map { harness.springFailure(exceptionClass: "com.acme.StockException", index: $0) })
        let port = try await RecordingHTTPServer.freePort()
        let configuration = IngestHarness.writeConfiguration("""
            lag:
              interval_ms: 200
              groups:
                - group: fulfilment
                  topics: [orders]
            """)
        let daemon = try harness.startDaemon(["DLQ_CONFIG": configuration, "DLQ_HTTP_ADDRESS": "127.0.0.1:\(port)"])
        let prometheus = try PrometheusServer(port: try await RecordingHTTPServer.freePort(), scraping: "127.0.0.1:\(port)")

        var arrivals: [(labels: [String: String], value: Double)] = []
        var lag: [(labels: [String: String], value: Double)] = []
        try await eventually("Prometheus scraped the workload", timeout: .seconds(90)) {
            arrivals = (try? await prometheus.query("dlq_messages_ingested_total")) ?? []
            lag = (try? await prometheus.query(#"kafka_consumergroup_lag{consumergroup="fulfilment"}"#)) ?? []
            return arrivals.first?.value == 12 && lag.count == 4
        }
        #expect(arrivals.count == 1)
        #expect(arrivals.first?.labels["dlq_topic"] == "orders.dlq" && arrivals.first?.labels["job"] == "dlq")
        let byPartition = Dictionary(uniqueKeysWithValues: lag.map { ($0.labels["partition"] ?? "?", $0.value) })
        #expect(byPartition == ["0": 5, "1": 20, "2": 25, "3": 25])

        prometheus.stop()
        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        await harness.database.drop()
    }

    /// Every sample of the Prometheus text format by series (name and labels as written).
    private static func metrics(_ base: String) async throws -> [String: Double] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: base + "/metrics")!)
        var series: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            series[String(line[..<space])] = value
        }
        return series
    }

    private static func status(_ url: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

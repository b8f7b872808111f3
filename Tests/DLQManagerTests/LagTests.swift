import DLQManager
import Foundation
import Kafka
import Testing

/// `dlq lag`: consumer-group lag per partition, exactly, from a real (mock) cluster.
@Suite("Consumer group lag", .timeLimit(.minutes(2)))
struct LagTests {
    @Test("a group that consumed part of a topic shows exactly the expected lag per partition")
    func lagPerPartition() async throws {
        let cluster = try KafkaMockCluster()
        try await GroupOffsets.fillOrders(in: cluster)
        // The application group: committed 10 on partition 0, everything on 1, 0 on 2, nothing on 3.
        try await GroupOffsets.commit(["orders": [0: 10, 1: 25, 2: 0]], group: "payment-service", cluster: cluster)

        let result = try await DLQProcess.run(
            ["lag", "--group", "payment-service", "--topic", "orders", "--json"],
            environment: ["DLQ_KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers, "DLQ_LOG_LEVEL": "warning"]
        )

        #expect(result.status == 0, "log:\n\(result.log)")
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let partitions = try #require(report?["partitions"] as? [[String: Any]], "output:\n\(result.output)")
        let lags = partitions.map { ($0["partition"] as? Int ?? -1, $0["current_offset"] as? Int, $0["lag"] as? Int ?? -1) }
        #expect(lags.map(\.0) == [0, 1, 2, 3])
        #expect(lags.map(\.1) == [10, 25, 0, nil])
        #expect(lags.map(\.2) == [15, 0, 25, 25])
    }

    @Test("the trend compares each group and topic's total lag between the first and the last sample")
    func trend() {
        func lag(_ group: String, _ partition: Int32, _ value: Int64) -> PartitionLag {
            PartitionLag(group: group, topic: "orders", partition: partition, committed: 0, logEnd: value, lag: value)
        }
        let first = [lag("a", 0, 10), lag("a", 1, 10), lag("b", 0, 50), lag("c", 0, 7)]
        let last = [lag("a", 0, 30), lag("a", 1, 10), lag("b", 0, 20), lag("c", 0, 7)]

        let trends = LagTrend.between(first, last, seconds: 10)

        #expect(trends.map(\.group) == ["a", "b", "c"])
        #expect(trends.map(\.lag) == [40, 20, 7])
        #expect(trends.map(\.direction) == ["growing", "shrinking", "steady"])
        #expect(trends.map(\.perSecond) == [2, -3, 0])
    }
}

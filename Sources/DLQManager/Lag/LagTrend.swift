/// Whether a group's total lag on a topic grew or shrank between two samples.
public struct LagTrend: Sendable, Encodable, Equatable {
    public var group: String
    public var topic: String
    /// The total over the topic's partitions at the last sample.
    public var lag: Int64
    /// `growing`, `shrinking` or `steady`.
    public var direction: String
    public var perSecond: Double
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case group, topic, lag, direction, perSecond = "per_second", seconds
    }

    /// One trend per group and topic present in `last`, in group and topic order.
    public static func between(_ first: [PartitionLag], _ last: [PartitionLag], seconds: Double) -> [LagTrend] {
        func totals(_ lags: [PartitionLag]) -> [String: (group: String, topic: String, lag: Int64)] {
            var totals: [String: (group: String, topic: String, lag: Int64)] = [:]
            for lag in lags {
                totals["\(lag.group)\u{0}\(lag.topic)", default: (lag.group, lag.topic, 0)].lag += lag.lag
            }
            return totals
        }
        let before = totals(first)
        return totals(last).sorted { $0.key < $1.key }.map { key, now in
            let change = now.lag - (before[key]?.lag ?? now.lag)
            return LagTrend(
                group: now.group, topic: now.topic, lag: now.lag,
                direction: change > 0 ? "growing" : change < 0 ? "shrinking" : "steady",
                perSecond: seconds > 0 ? Double(change) / seconds : 0, seconds: seconds
            )
        }
    }
}

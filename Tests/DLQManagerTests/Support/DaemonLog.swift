/// What a running daemon's log (standard error, at level info) says about the work it holds right now. Tests of
/// several daemons use it to know when the group has settled, which partitions a daemon had when it was killed,
/// and whether it was in the middle of a replay job.
struct DaemonLog {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n")
    }

    /// The partitions of `topic` assigned by the last rebalance the log shows and not revoked since. The consumer
    /// logs `partitions assigned` and `partitions revoked` at every rebalance, naming each partition `topic[N]`.
    func assignment(of topic: String) -> Set<Int32> {
        var held: Set<Int32> = []
        for line in lines {
            if line.contains("partitions assigned") {
                // Eager rebalancing (librdkafka's default assignors) hands out the whole assignment at once.
                held = Self.partitions(of: topic, in: line)
            } else if line.contains("partitions revoked") {
                held.subtract(Self.partitions(of: topic, in: line))
            }
        }
        return held
    }

    /// The replay job the daemon started running and has not logged the end of (`replay.job=N` in both lines).
    var runningReplayJob: Int64? {
        guard let started = lines.lastIndex(where: { $0.contains("replay job running") }),
              !lines[started...].contains(where: { $0.contains("replay job run ended") }),
              let key = lines[started].range(of: "replay.job=")
        else { return nil }
        return Int64(lines[started][key.upperBound...].prefix { $0.isNumber })
    }

    /// Whether the daemons' logs split the topic's partitions between them, each daemon holding some: the group
    /// has settled with every member in it.
    static func groupHasSettled(_ logs: [DaemonLog], topic: String, partitions: Int32) -> Bool {
        var union: Set<Int32> = []
        var total = 0
        for log in logs {
            let held = log.assignment(of: topic)
            guard !held.isEmpty else { return false }
            union.formUnion(held)
            total += held.count
        }
        return total == Int(partitions) && union == Set(0..<partitions)
    }

    private static func partitions(of topic: String, in line: Substring) -> Set<Int32> {
        var found: Set<Int32> = []
        var rest = line[...]
        while let start = rest.range(of: topic + "[") {
            if let partition = Int32(rest[start.upperBound...].prefix { $0.isNumber }) { found.insert(partition) }
            rest = rest[start.upperBound...]
        }
        return found
    }
}

/// Consumer-group lag monitoring: which application groups to watch, and how often.
public struct LagSettings: Sendable {
    public var groups: [WatchedGroup]
    public var interval: Duration
}

/// An application consumer group whose lag the daemon exports, on these topics.
public struct WatchedGroup: Sendable, Equatable {
    public var group: String
    public var topics: [String]

    public init(group: String, topics: [String]) {
        self.group = group
        self.topics = topics
    }
}

extension LagSettings {
    /// `lag.groups`: a list of `{group: NAME, topics: [TOPIC, ...]}`.
    static func groups(_ tree: ConfigurationTree?) throws -> [WatchedGroup] {
        switch tree {
        case nil, .null?:
            return []
        case .list(let items)?:
            return try items.enumerated().map { index, item in
                let reader = try ConfigurationTreeReader(item, path: "lag.groups[\(index)]", allowedKeys: ["group", "topics"])
                let topics = try reader.strings("topics")
                guard !topics.isEmpty else {
                    throw ConfigurationError(key: "lag.groups[\(index)].topics", problem: "expected at least one topic the group consumes")
                }
                return WatchedGroup(group: try reader.requiredString("group"), topics: topics)
            }
        default:
            throw ConfigurationError(key: "lag.groups", problem: "expected a list of {group, topics}")
        }
    }
}

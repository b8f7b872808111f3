/// A sink's settings cannot work: a missing endpoint or credential, or a URL that is not one. Names the sink so
/// the operator knows which entry of the configuration to fix; never quotes a secret.
public struct AlertSinkConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var sinkName: String
    public var sinkType: SinkSettings.SinkType
    public var problem: String

    public init(sinkName: String, sinkType: SinkSettings.SinkType, problem: String) {
        self.sinkName = sinkName
        self.sinkType = sinkType
        self.problem = problem
    }

    public var description: String {
        "alert sink '\(sinkName)' (\(sinkType.rawValue)): \(problem)"
    }
}

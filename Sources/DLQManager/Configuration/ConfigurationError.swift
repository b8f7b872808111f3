/// A configuration value that cannot be used, named by its key so the operator knows what to fix.
///
/// The daemon and every command refuse to start on one of these (exit code 2).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The dotted key, e.g. `ingest.batch_size`.
    public var key: String
    /// What was wrong, phrased as what was expected.
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "configuration error: \(key): \(problem)" }
}

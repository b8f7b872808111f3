/// An invariant a fuzz target checks that one input broke. The libFuzzer binaries trap on it, so libFuzzer keeps
/// the input as a crash; the regression tests record it as a test failure.
public struct FuzzFailure: Error, Sendable, CustomStringConvertible {
    /// Which fuzz target found it.
    public var target: String
    /// The invariant broken, with what was seen.
    public var invariant: String

    public init(target: String, invariant: String) {
        self.target = target
        self.invariant = invariant
    }

    public var description: String { "\(target): \(invariant)" }
}

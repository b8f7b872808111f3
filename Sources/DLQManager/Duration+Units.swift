import Foundation

extension Duration {
    /// Whole milliseconds: configuration values and SQL intervals are written in milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Fractional seconds, for rates and for arithmetic with `Date`.
    var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

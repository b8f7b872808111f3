/// How bad a failure is, from merely interesting to needing a human now.
///
/// Comparable so alerting and queries can ask for "warning or worse"; the raw values are how configuration and the
/// database spell the levels.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case info
    case warning
    case error
    case critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs.rank < rhs.rank
    }

    // Spelled out rather than taken from the case order so that reordering the declaration cannot reorder severity.
    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        case .critical: 3
        }
    }
}

import DLQCore
import Foundation

/// Which sinks an error group's alerts go to. Routes are tried in order and the first that matches wins; a
/// route without conditions matches everything.
public struct AlertRoute: Sendable {
    public var severities: Set<Severity>
    public var errorClasses: Set<String>
    public var actions: Set<FailureAction>
    /// Anchored regular expressions; nil means any.
    public var dlqTopic: NSRegularExpression?
    public var originalTopic: NSRegularExpression?
    public var sinks: [String]

    /// Whether an alert about a group with these properties takes this route.
    public func matches(severity: Severity, errorClass: String, action: FailureAction, dlqTopic: String?, originalTopic: String?) -> Bool {
        (severities.isEmpty || severities.contains(severity))
            && (errorClasses.isEmpty || errorClasses.contains(errorClass))
            && (actions.isEmpty || actions.contains(action))
            && Self.matches(self.dlqTopic, dlqTopic)
            && Self.matches(self.originalTopic, originalTopic)
    }

    private static func matches(_ pattern: NSRegularExpression?, _ value: String?) -> Bool {
        guard let pattern else { return true }
        guard let value else { return false }
        let range = NSRange(value.startIndex..., in: value)
        return pattern.firstMatch(in: value, options: [.anchored], range: range)?.range == range
    }
}

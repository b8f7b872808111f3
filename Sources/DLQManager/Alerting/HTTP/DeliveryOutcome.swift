/// What became of one delivery attempt, as the dispatcher needs it to decide: done, try again, or give up.
///
/// Reasons are safe to log and store: they never contain the request's URL or its secrets.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The receiver accepted the notification (any 2xx).
    case delivered(status: Int)
    /// Worth trying again: 408, 429, 5xx, a refused or reset connection, no answer within the timeout.
    ///
    /// - Parameter after: The receiver's `Retry-After` (delta-seconds or HTTP-date, never negative); nil if it
    ///   sent none.
    case retry(after: Duration?, reason: String)
    /// The receiver refused the notification and would refuse it again: other 4xx, and 3xx (redirects are not
    /// followed, so a moved endpoint is a configuration error to fix). `status` is 0 when no HTTP response was
    /// received but retrying cannot help.
    ///
    /// - Parameter reason: The status and up to 500 bytes of the response body.
    case failed(status: Int, reason: String)
}

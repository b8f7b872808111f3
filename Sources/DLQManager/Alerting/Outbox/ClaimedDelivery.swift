import Foundation

/// A delivery row the dispatcher holds a lease on, with the alert to send.
struct ClaimedDelivery: Sendable {
    var id: Int64
    var sink: String
    /// Including the one about to be made.
    var attempts: Int32
    var createdAt: Date
    var alert: Alert
}

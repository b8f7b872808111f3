/// The two JSON structures that nest; the scanner keeps a stack of these instead of recursing.
enum JSONContainerKind: UInt8, Sendable {
    case object
    case array
}

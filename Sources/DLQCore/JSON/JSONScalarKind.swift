/// The JSON values that do not nest.
enum JSONScalarKind: Sendable {
    case string
    case number
    case `true`
    case `false`
    case null
}

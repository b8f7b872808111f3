/// One `"name": value` pair of a materialised JSON object, in document order.
struct JSONObjectMember: Sendable {
    var name: String
    var value: JSONValue
}

/// Where one top-level member's value lies in the scanned bytes, token exactly as written.
struct JSONMemberSpan: Sendable, Equatable {
    var name: String
    var valueRange: Range<Int>
}

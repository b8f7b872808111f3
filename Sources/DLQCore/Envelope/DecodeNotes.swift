/// Collects what could not be decoded or had to be repaired, and funnels decoded text through repair.
///
/// Every string that reaches a ``DeadLetter`` field comes through here, which is what guarantees the
/// PostgreSQL-text invariant and that each repair is explained to the operator.
struct DecodeNotes {
    private(set) var entries: [String] = []

    mutating func add(_ note: String) {
        // Notes quote header and member names, which may themselves contain NUL.
        entries.append(StorableText.sanitize(note).text)
    }

    /// Decodes a header value as UTF-8 text, noting any repair under the header's name.
    mutating func text(ofHeader name: String, _ bytes: [UInt8]) -> String {
        let repaired = StorableText.decode(bytes)
        noteRepair(repaired, subject: "header \(name)")
        return repaired.text
    }

    /// Makes a string decoded from JSON storable, noting any repair under its member path.
    mutating func text(ofMember path: String, _ string: String) -> String {
        let repaired = StorableText.sanitize(string)
        noteRepair(repaired, subject: path)
        return repaired.text
    }

    private mutating func noteRepair(_ repaired: RepairedText, subject: String) {
        switch (repaired.replacedInvalidUTF8, repaired.removedNUL) {
        case (true, true): add("\(subject): invalid UTF-8 replaced with U+FFFD and NUL characters removed")
        case (true, false): add("\(subject): invalid UTF-8 replaced with U+FFFD")
        case (false, true): add("\(subject): NUL characters removed")
        case (false, false): break
        }
    }
}

import Foundation

/// One regular-expression condition of a classification rule, compiled when the rule is built.
///
/// ICU, through `NSRegularExpression`, is the engine rather than Swift `Regex`. Measured on Linux (release, Swift
/// 6.3): searching a 140-character message took ~1.2 µs with ICU and ~10 µs with `Regex`, whose search retries the
/// pattern at every offset; whole-string matches of short names were ~0.6 µs against ~0.4 µs. Message searches are
/// the common rule, and one engine means one documented dialect. `NSRegularExpression` is immutable and safe to
/// match from any thread.
///
/// Most patterns in real rule files are plain names or phrases, and a rule set is tried in full against every
/// dead letter that matches none of it, so those shapes skip ICU: see ``LiteralPattern``.
struct RulePattern: Sendable {
    /// Whether the whole text has to match, or a match anywhere in it is enough.
    enum Anchoring: Sendable {
        case wholeText
        case anywhere
    }

    let source: String
    let anchoring: Anchoring
    private let regex: NSRegularExpression
    private let literal: LiteralPattern?

    init(_ source: String, anchoring: Anchoring, rule: String, field: String) throws(ClassificationRuleError) {
        // Foundation refuses an empty pattern; say why it is refused, whatever the platform. An empty string in a rule
        // file is far more likely a slip than a wish to match everything.
        guard !source.isEmpty else {
            throw ClassificationRuleError(
                rule: rule, field: field,
                problem: "empty pattern (leave the condition out to match anything, or write ^$ for an empty value)")
        }
        // Compiling the pattern alone first reports the operator's own text, not our anchoring wrapper, as wrong.
        guard let unanchored = try? NSRegularExpression(pattern: source) else {
            throw ClassificationRuleError(rule: rule, field: field, problem: Self.describeInvalid(source))
        }
        switch anchoring {
        case .anywhere:
            regex = unanchored
        case .wholeText:
            // \A and \z, not ^ and $: `$` also matches before a final line break. The second form covers a pattern
            // in (?x) mode that ends in a `#` comment, which would otherwise swallow the closing parenthesis; the
            // newline ends the comment and is insignificant whitespace in that mode. Any other pattern that compiled
            // alone compiles wrapped.
            let wrapped = (try? NSRegularExpression(pattern: "\\A(?:" + source + ")\\z"))
                ?? (try? NSRegularExpression(pattern: "\\A(?:" + source + "\n)\\z"))
            guard let wrapped else {
                throw ClassificationRuleError(rule: rule, field: field, problem: Self.describeInvalid(source))
            }
            regex = wrapped
        }
        self.source = source
        self.anchoring = anchoring
        literal = LiteralPattern(source, anchoring: anchoring)
    }

    func matches(_ text: String) -> Bool {
        if let literal {
            return literal.matches(text)
        }
        return matchesWithICU(text)
    }

    /// ICU's answer even when the literal path would answer; the tests hold the two to agreement.
    func matchesWithICU(_ text: String) -> Bool {
        let range = NSRange(location: 0, length: text.utf16.count)
        return regex.rangeOfFirstMatch(in: text, options: [], range: range).location != NSNotFound
    }

    var usesLiteralPath: Bool { literal != nil }

    // Foundation on Linux says only "The value is invalid." for every bad pattern. Swift's regex parser reads nearly
    // the same dialect and says what is wrong ("expected ')'"), so it is asked for the explanation only; where the
    // dialects differ it has none and the plain statement stands.
    private static func describeInvalid(_ source: String) -> String {
        let statement = "invalid regular expression \"\(source)\""
        do {
            _ = try Regex(source)
            return statement
        } catch {
            return statement + ": \(error)"
        }
    }
}

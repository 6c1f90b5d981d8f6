/// The formatter's safety net: formatted text must parse without errors and
/// hold the same tokens (optional separators aside) and the same comments,
/// in the same order, as the original.

enum FormatCheck {
    /// Whether `formatted` parses cleanly to the tokens and comments of the original.
    static func sameTokens(_ original: FormatPlan, _ comments: [Comment], as formatted: String) -> Bool {
        let file = SourceFile(path: "<formatted>", text: formatted)
        var ids = NodeIDAllocator()
        let reparsed = Parser.parse(file, fileIndex: 0, ids: &ids)
        guard !reparsed.diagnostics.contains(where: { $0.severity == .error }) else { return false }
        let plan = FormatPlan(
            unit: reparsed.unit, tokens: reparsed.tokens, comments: reparsed.comments, bytes: file.bytes)
        return significant(original) == significant(plan)
            && comments.map(\.text) == reparsed.comments.map(\.text)
            && places(of: comments, in: original) == places(of: reparsed.comments, in: plan)
    }

    /// For each comment, how many printed tokens come before it: a comment
    /// may move between lines, never past a token.
    private static func places(of comments: [Comment], in plan: FormatPlan) -> [Int] {
        // Tokens and comments are both in source order: one walk over each.
        var out: [Int] = []
        out.reserveCapacity(comments.count)
        var t = 0
        var printed = 0
        for c in comments {
            while t < plan.tokens.count, plan.tokens[t].span.start < c.span.start {
                if !plan.drop[t] { printed += 1 }
                t += 1
            }
            out.append(printed)
        }
        return out
    }

    /// Kind, value and unit of every token that is not an optional separator.
    private static func significant(_ plan: FormatPlan) -> [String] {
        plan.tokens.indices.filter { !plan.drop[$0] }.map {
            let t = plan.tokens[$0]
            return "\(t.kind)|\(t.value)|\(t.unit)|\(t.kind == .money ? "" : t.text)"
        }
    }
}

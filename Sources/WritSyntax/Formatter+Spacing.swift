/// The formatter's horizontal rules: what separates two tokens printed on the
/// same line, and how a token is spelt in canonical text.

extension FormatPlan {
    /// Whether a space goes between tokens `p` and `n` when both are on one
    /// line (block braces and one-line separators are handled by the printer).
    func needsSpace(_ p: Int, _ n: Int) -> Bool {
        switch (context[p], context[n]) {
        case (.expr(let a), .expr(let b)) where a == b:
            return expressionSpace(p, n)
        case (.type, .type):
            return tokens[p].is(.comma)
        default:
            return headerSpace(p, n)
        }
    }

    /// Headers: one space, none before `,` `:` `?` `)` `]` `.`, none after `(` `[` `.`.
    private func headerSpace(_ p: Int, _ n: Int) -> Bool {
        let next = tokens[n]
        let prev = tokens[p]
        if next.is(.comma) || next.is(.colon) || next.is(.question) || next.is(.rParen) || next.is(.rBracket)
            || next.is(.dot)
        {
            return false
        }
        return !(prev.is(.lParen) || prev.is(.lBracket) || prev.is(.dot))
    }

    /// Expressions: single spaces around binary operators, `?` and the `:`
    /// of a conditional; none inside brackets, after a unary operator, around
    /// `.`, before `,` or a map's `:`, nor before the `(` of a call or the `[`
    /// of an index.
    private func expressionSpace(_ p: Int, _ n: Int) -> Bool {
        let next = tokens[n]
        let prev = tokens[p]
        if next.is(.comma) || next.is(.rParen) || next.is(.rBracket) || next.is(.rBrace) { return false }
        if prev.is(.lParen) || prev.is(.lBracket) || prev.is(.lBrace) { return false }
        if prev.is(.dot) || next.is(.dot) { return false }
        if unary[p] { return false }
        if next.is(.lParen) || next.is(.lBracket) { return !endsOperand(p) }
        if mapColon[n] { return false }
        return true
    }

    /// The canonical spelling of a token: its source text, except that a
    /// money amount has exactly one space before its currency.
    func text(_ t: Int) -> String {
        let tok = tokens[t]
        if tok.kind == .money, let space = tok.text.firstIndex(of: " ") {
            return String(tok.text[..<space]) + " " + tok.unit
        }
        return tok.text
    }
}

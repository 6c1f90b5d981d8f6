/// Prints an expression back in Writ syntax with the fewest parentheses
/// that keep its structure: for dumps, messages and structural keys (two
/// calls with the same printed arguments share a state slot).

import WritSyntax
import WritValue

/// Canonical Writ text of expressions.
public enum ExprPrinter {
    /// The expression in Writ syntax.
    public static func text(_ e: Expr) -> String { render(e).0 }

    private static func paren(_ e: Expr, _ min: Int) -> String {
        let (s, prec) = render(e)
        return prec < min ? "(\(s))" : s
    }

    private static func render(_ e: Expr) -> (String, Int) {
        switch e.kind {
        case .error:
            return ("<error>", 9)
        case .literal(let l):
            return (literal(l), 9)
        case .identifier(let n):
            return (n, 9)
        case .select(let b, let n):
            return (paren(b, 8) + "." + n.text, 8)
        case .call(let t, let f, let args):
            let recv = t.map { paren($0, 8) + "." } ?? ""
            return (recv + f.text + "(" + args.map { paren($0, 0) }.joined(separator: ", ") + ")", 8)
        case .index(let b, let i):
            return (paren(b, 8) + "[" + paren(i, 0) + "]", 8)
        case .unary(let op, let x):
            return (op.rawValue + paren(x, 7), 7)
        case .binary(let op, let l, let r):
            let p = op.precedence
            return (paren(l, p) + " " + op.rawValue + " " + paren(r, p + 1), p)
        case .conditional(let c, let a, let b):
            return (paren(c, 1) + " ? " + paren(a, 1) + " : " + paren(b, 0), 0)
        case .list(let xs):
            return ("[" + xs.map { paren($0, 0) }.joined(separator: ", ") + "]", 9)
        case .tuple(let xs):
            return ("(" + xs.map { paren($0, 0) }.joined(separator: ", ") + ")", 9)
        case .map(let es):
            return ("{" + es.map { paren($0.key, 0) + ": " + paren($0.value, 0) }.joined(separator: ", ") + "}", 9)
        }
    }

    /// A literal as written (numbers without `_`).
    public static func literal(_ l: Literal) -> String {
        switch l {
        case .int(let d), .decimal(let d): d
        case .string(let s): Value.quote(s)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .money(let a, let c): "\(a) \(c)"
        case .percent(let p): "\(p)%"
        case .duration(let a, let u): "\(a)\(u)"
        case .timeOfDay(let t, let z): z.isEmpty ? t : "\(t)[\(z)]"
        }
    }
}

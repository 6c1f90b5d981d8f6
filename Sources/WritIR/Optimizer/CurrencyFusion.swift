/// Currency fusion, after branch fusion: a `cur x.currency, y.currency`
/// right before a comparison of `x` and `y` becomes that comparison with
/// aux 1, which checks the currencies itself and fails the same way, so a
/// money comparison (`notional > max_order_value`) costs one dispatch
/// instead of two. Only adjacent pairs with the same error handler fuse,
/// and only when no label stands between them (nothing jumps to the
/// comparison alone).

/// The currency-fusion pass.
enum CurrencyFusion {
    static func run(_ b: inout LBlock) {
        b.fusePairs { it, next in
            guard it.op == .cur, next.isCurrencyComparison, next.aux == 0, next.handler == it.handler,
                next.b != .none, next.c != .none, it.b == next.b.next, it.c == next.c.next
            else { return nil }
            var fused = next
            fused.aux = 1
            return fused
        }
    }
}

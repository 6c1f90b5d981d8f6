/// The IR as C: one function, `writ_native_run`, with a label per
/// instruction, that does what the engine's run loop does (docs/native.md).
/// Jumps become `goto`s, comparisons, moves, presence tests, checked
/// integer and decimal arithmetic and memo slots run inline; every other
/// instruction, and every failure, calls back into the engine, which runs
/// that one instruction (or the failure's handling) exactly as its own loop
/// would. So the native code changes how fast rules run, never what they
/// decide: the engine's tests compare the two on the same events.

/// The C interface both sides share.
public enum NativeABI {
    /// The version of the context layout and entry point; a bundle whose
    /// native code has another runs on the interpreter.
    public static let version = 3

    /// The text of `Sources/CWritNative/include/writ_native.h`, which the
    /// generated C starts with (a test keeps the two equal).
    public static let header = """
        // The interface between the engine and a bundle's native rule code
        // (docs/native.md). The generated C starts with this same text (the
        // emitter's `NativeABI.header`; a test keeps the two equal), so both sides
        // agree on the context's layout. Bump WRIT_NATIVE_ABI on any change.
        #ifndef WRIT_NATIVE_H
        #define WRIT_NATIVE_H
        #include <stdint.h>

        #define WRIT_NATIVE_ABI 3

        struct writ_native_ctx;
        /// A call back into the engine with the context and a pc.
        typedef int64_t (*writ_native_callback)(struct writ_native_ctx *ctx, int64_t pc);

        /// A data table whose rows native code finds itself: text keys, row + 1
        /// per symbol id (0: none). NULL for the others (the engine finds those).
        typedef struct writ_native_table {
            const int32_t *row_of_symbol;
            int64_t count;
        } writ_native_table;

        /// What native code reads and writes: the engine's frame, presence bytes,
        /// error and memo slots (with their layout), tables, the rule list being
        /// run, and three calls back.
        typedef struct writ_native_ctx {
            void *frame;             // 16-byte signed integers, the flat frame
            const uint8_t *present;  // presence byte per input field
            uint8_t *error_slots;    // the error slots (error_stride bytes each)
            uint8_t *memos;          // the memo slots (memo_stride bytes each)
            void *machine;           // the engine's machine (for the calls back)
            /// Runs the instruction at pc in the engine; 1 if it failed (the error is set there).
            writ_native_callback step;
            /// Records the rule at `k` as fired (pc 1) or not (0), then goes on
            /// through the list as `rule_entries` says; the next rule's pc, or -1.
            writ_native_callback next_rule;
            /// A failure at pc without a handler in its block: the pc to go on at, or -1.
            writ_native_callback fault;
            uint64_t memo_epoch;
            int64_t memo_return;     // while a memo block runs: the pc of its `memo`; else -1
            int64_t rule_mode;       // 1: running a rule list (`ret` goes on to the next rule); 0: one block
            int64_t error_stride, error_code_offset;
            int64_t memo_stride, memo_stamp_offset, memo_error_code_offset, memo_value_offset, memo_second_offset;
            const writ_native_table *tables;
            const void *const *columns;   // per column of every table, in order: its cells (NULL: the engine reads it)
            const int32_t *rule_entries;  // per list: its count, then each rule's first pc (or < 0)
            int64_t list, k;              // the list being run, and the position of the rule running
            int64_t kill_only_bit;        // set on the pc of a rule that only tests a kill switch
            uint8_t no_kills;            // no kill switch is set
            uint8_t market_unavailable;  // the market table was full for this order
        } writ_native_ctx;

        /// The entry point of native code: runs from pc (a block's first
        /// instruction); in a block, the pc of its `ret` or -1 on failure; in a
        /// rule list, -1 at the end; -2 if pc is not an entry.
        typedef int64_t (*writ_native_entry)(writ_native_ctx *ctx, int64_t pc);

        /// Maps `bytes` (a shared object) from an anonymous memory file and finds
        /// `writ_native_run` and `writ_native_abi` in it. Returns the library
        /// handle, or NULL with a message in `error` (at most `error_size` bytes).
        void *writ_native_open(const uint8_t *bytes, int64_t count, writ_native_entry *entry, int64_t *abi,
                               char *error, int64_t error_size);
        /// Unloads what `writ_native_open` loaded.
        void writ_native_close(void *handle);
        #endif

        """
}

/// Writes the C of a program.
public enum NativeEmitter {
    /// The pcs native code can be entered at (or go on at after a call
    /// back): block starts, the instruction after each `memo`, handlers.
    public static func entries(_ p: IRProgram) -> [Int] {
        var s = Set(p.blocks.map(\.start))
        for (pc, i) in p.code.enumerated() where i.op == .memo { s.insert(pc + 1) }
        for h in p.handlers where h != Instruction.noHandler { s.insert(Int(h)) }
        return s.filter { $0 < p.code.count }.sorted()
    }

    /// The C source of `p`'s code.
    public static func emit(_ p: IRProgram) -> String {
        var out = NativeABI.header
        out += """

            // Generated by `writ build --native` from the program's IR: one label per instruction.
            typedef __int128 i128;
            typedef unsigned __int128 u128;
            static inline __attribute__((always_inline)) i128 ld(const uint8_t *p) { i128 v; __builtin_memcpy(&v, p, 16); return v; }
            static inline __attribute__((always_inline)) void st(uint8_t *p, i128 v) { __builtin_memcpy(p, &v, 16); }
            #define ES(s) ctx->error_slots[(s) * ctx->error_stride + ctx->error_code_offset]
            #define MEMO(s) (ctx->memos + (s) * ctx->memo_stride)
            #define STEP(pc) ctx->step(ctx, pc)
            __attribute__((visibility("default"))) const int64_t writ_native_abi = WRIT_NATIVE_ABI;

            /// x * y (raw values, 10^8 = 1) rounded half to even, when both fit in
            /// 64 bits (the engine's `FixedMath.multiply`); 0 if it cannot say.
            static inline __attribute__((always_inline)) int fmul64(i128 x, i128 y, i128 *out) {
                if (x != (int64_t)x || y != (int64_t)y) return 0;
                i128 p = (i128)(int64_t)x * (i128)(int64_t)y;
                u128 m = p < 0 ? (u128)0 - (u128)p : (u128)p;
                uint64_t hi = (uint64_t)(m >> 64), lo = (uint64_t)m, d = 100000000ull, r;
                u128 q;
                if (hi == 0) {
                    q = lo / d;
                    r = lo % d;
                } else {
                    uint64_t x3 = hi >> 32, q3 = x3 / d;
                    uint64_t x2 = (x3 % d) << 32 | (hi & 0xFFFFFFFFull), q2 = x2 / d;
                    uint64_t x1 = (x2 % d) << 32 | (lo >> 32), q1 = x1 / d;
                    uint64_t x0 = (x1 % d) << 32 | (lo & 0xFFFFFFFFull), q0 = x0 / d;
                    r = x0 % d;
                    q = (u128)q3 << 96 | (u128)q2 << 64 | (u128)q1 << 32 | (u128)q0;
                }
                uint64_t twice = r * 2;
                if (twice > d || (twice == d && (q & 1) != 0)) q += 1;
                *out = p < 0 ? (i128)((u128)0 - q) : (i128)q;
                return 1;
            }

            /// The row of key k in table t, -1 if none; -3 if the engine must look (not a static text table).
            static inline __attribute__((always_inline)) int64_t row_of(writ_native_ctx *ctx, int64_t t, i128 k) {
                const writ_native_table *x = &ctx->tables[t];
                if (!x->row_of_symbol) return -3;
                if (k < 0 || k >= x->count) return -1;
                return (int64_t)x->row_of_symbol[(int64_t)k] - 1;
            }

            /// A rule that did not fire: the next rule's pc (the engine's
            /// `nextRule`), or -1; entries that always fire are left to the engine.
            static inline __attribute__((always_inline)) int64_t next_rule(writ_native_ctx *ctx) {
                const int32_t *e = ctx->rule_entries + ctx->list;
                int64_t count = e[0];
                while (ctx->k < count) {
                    int64_t v = e[ctx->k + 1];
                    if (v < 0) return ctx->next_rule(ctx, 0);
                    ctx->k += 1;
                    if ((v & ctx->kill_only_bit) == 0) return v;
                    if (!ctx->no_kills) return v & ~ctx->kill_only_bit;
                }
                return -1;
            }

            __attribute__((visibility("default")))
            int64_t writ_native_run(writ_native_ctx *ctx, int64_t pc) {
                i128 *const f = (i128 *)ctx->frame;
                const uint8_t *const P = ctx->present;
                int64_t n;
                (void)n;
            dispatch:
                switch (pc) {

            """
        for e in entries(p) { out += "    case \(e): goto L\(e);\n" }
        out += "    default: return -2;\n    }\n"
        let memoSites = memoSitesByBlock(p)
        for (pc, i) in p.code.enumerated() {
            out += "L\(pc):"
            out += " " + body(p, pc, i, memoSites) + "\n"
        }
        out += "    return -2;\n}\n"
        return out
    }

    /// Per memo block start: the `memo` instructions that enter it.
    private static func memoSitesByBlock(_ p: IRProgram) -> [Int: [Int]] {
        let starts = p.memoBlocks.map { $0 >= 0 ? p.blocks[$0].start : -1 }
        var out: [Int: [Int]] = [:]
        for (pc, i) in p.code.enumerated() where i.op == .memo {
            let slot = Int(i.aux & 0xFFFF)
            if slot < starts.count, starts[slot] >= 0 { out[starts[slot], default: []].append(pc) }
        }
        return out
    }

    /// What a failure at `pc` does: its handler, or a call back.
    private static func fault(_ p: IRProgram, _ pc: Int) -> String {
        let h = p.handlers[pc]
        if h != Instruction.noHandler { return "goto L\(h);" }
        return "{ n = ctx->fault(ctx, \(pc)); if (n < 0) return -1; pc = n; goto dispatch; }"
    }

    private static func body(_ p: IRProgram, _ pc: Int, _ i: Instruction, _ memoSites: [Int: [Int]]) -> String {
        let (a, b, c, x) = (Int(i.a), Int(i.b), Int(i.c), Int(i.aux))
        let fail = fault(p, pc)
        let stepFailing = "if (STEP(\(pc))) \(fail)"
        func cmp(_ o: String) -> String {
            let check = i.aux != 0 ? "if (f[\(b + 1)] != f[\(c + 1)]) { \(stepFailing) } else " : ""
            return "\(check)f[\(a)] = f[\(b)] \(o) f[\(c)];"
        }
        func jump(_ cond: String) -> String { "if (\(cond)) goto L\(x);" }
        switch i.op {
        case .nop: return ";"
        case .jmp: return "goto L\(x);"
        case .jf: return jump("f[\(b)] == 0")
        case .jt: return jump("f[\(b)] != 0")
        case .jeq: return jump("f[\(b)] == f[\(c)]")
        case .jne: return jump("f[\(b)] != f[\(c)]")
        case .jlt: return jump("f[\(b)] < f[\(c)]")
        case .jle: return jump("f[\(b)] <= f[\(c)]")
        case .jgt: return jump("f[\(b)] > f[\(c)]")
        case .jge: return jump("f[\(b)] >= f[\(c)]")
        case .jabsent: return jump("P[\(b)] == 0")
        case .jpresent: return jump("P[\(b)] != 0")
        case .ret:
            return "if (!ctx->rule_mode) return \(pc); "
                + "n = f[\(a)] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;"
        case .mov: return "f[\(a)] = f[\(b)];"
        case .clrerr: return "ES(\(x)) = 0;"
        case .rethrow: return "if (ES(\(x)) != 0) { \(stepFailing) }"
        case .req: return "if (P[\(x)] == 0) { \(stepFailing) }"
        case .has: return "f[\(a)] = P[\(x)];"
        case .hasx: return "if (ctx->market_unavailable) { \(stepFailing) } else f[\(a)] = P[\(x)] != 0;"
        case .not: return "f[\(a)] = f[\(b)] == 0;"
        case .eq: return cmp("==")
        case .ne: return cmp("!=")
        case .lt: return cmp("<")
        case .le: return cmp("<=")
        case .gt: return cmp(">")
        case .ge: return cmp(">=")
        case .min: return "f[\(a)] = f[\(b)] < f[\(c)] ? f[\(b)] : f[\(c)];"
        case .max: return "f[\(a)] = f[\(b)] > f[\(c)] ? f[\(b)] : f[\(c)];"
        case .iadd, .isub, .imul:
            let fn = i.op == .iadd ? "add" : i.op == .isub ? "sub" : "mul"
            return "{ int64_t r; if (__builtin_\(fn)_overflow((int64_t)f[\(b)], (int64_t)f[\(c)], &r)) { \(stepFailing) } "
                + "else f[\(a)] = r; }"
        case .fadd, .fsub:
            let fn = i.op == .fadd ? "add" : "sub"
            return "{ i128 r; if (__builtin_\(fn)_overflow(f[\(b)], f[\(c)], &r) || r == (i128)((u128)1 << 127) "
                + "|| r == (i128)(((u128)1 << 127) - 1)) { \(stepFailing) } else f[\(a)] = r; }"
        case .fmul:
            return "{ i128 r; if (fmul64(f[\(b)], f[\(c)], &r)) f[\(a)] = r; else { \(stepFailing) } }"
        case .fneg: return "f[\(a)] = (i128)((u128)0 - (u128)f[\(b)]);"
        case .fabs: return "f[\(a)] = f[\(b)] < 0 ? (i128)((u128)0 - (u128)f[\(b)]) : f[\(b)];"
        case .i2f: return "f[\(a)] = (i128)((u128)f[\(b)] * 100000000u);"
        case .cur: return "if (f[\(b)] != f[\(c)]) { \(stepFailing) }"
        case .killed: return "if (ctx->no_kills) f[\(a)] = 0; else { \(stepFailing) }"
        case .memo:
            let slot = x & 0xFFFF
            let pair = x & 0x1_0000 != 0
            let blocks = p.memoBlocks
            guard slot < blocks.count, blocks[slot] >= 0 else { return "return -2;" }
            let start = p.blocks[blocks[slot]].start
            let second = pair ? " f[\(a + 1)] = ld(m + ctx->memo_second_offset);" : ""
            return "{ uint8_t *m = MEMO(\(slot)); "
                + "if (*(uint64_t *)(m + ctx->memo_stamp_offset) == ctx->memo_epoch) { "
                + "if (m[ctx->memo_error_code_offset] == 0) { f[\(a)] = ld(m + ctx->memo_value_offset);\(second) } "
                + "else { \(stepFailing) } } "
                + "else { ctx->memo_return = \(pc); goto L\(start); } }"
        case .mret:
            // Back to the `memo` that entered this block: store the value in
            // the slot and in that instruction's register.
            let start = p.blocks.last { $0.start <= pc && pc < $0.end }?.start ?? -1
            var s = "{ int64_t at = ctx->memo_return; ctx->memo_return = -1; switch (at) {"
            for site in memoSites[start] ?? [] {
                let e = p.code[site]
                let slot = Int(e.aux & 0xFFFF)
                let pair = e.aux & 0x1_0000 != 0
                s += " case \(site): { uint8_t *m = MEMO(\(slot)); *(uint64_t *)(m + ctx->memo_stamp_offset) = ctx->memo_epoch; "
                s += "m[ctx->memo_error_code_offset] = 0; st(m + ctx->memo_value_offset, f[\(a)]); f[\(e.a)] = f[\(a)]; "
                if pair { s += "st(m + ctx->memo_second_offset, f[\(a + 1)]); f[\(Int(e.a) + 1)] = f[\(a + 1)]; " }
                s += "goto L\(site + 1); }"
            }
            return s + " default: return -2; } }"
        case .inrow:
            return "{ int64_t r = row_of(ctx, \(x), f[\(b)]); if (r == -3) { \(stepFailing) } else f[\(a)] = r >= 0; }"
        case .row:
            return "{ int64_t r = row_of(ctx, \(x), f[\(b)]); if (r < 0) { \(stepFailing) } else f[\(a)] = r; }"
        case .col, .colq, .hascol:
            // A static table's cell; the engine reads bound tables' (their rows change).
            let t = x >> 16
            guard t < p.tables.count, x & 0xFFFF < p.tables[t].columns.count else { return stepFailing }
            let column = p.tables[..<t].reduce(0) { $0 + $1.columns.count } + x & 0xFFFF
            let width = max(1, p.tables[t].columns[x & 0xFFFF].kind.width)
            let cell = "const i128 *x = (const i128 *)ctx->columns[\(column)]; "
                + "if (!x) { \(stepFailing) } else { int64_t at = (int64_t)f[\(b)] * \(width); i128 v = x[at]; "
            let null = "(i128)((u128)1 << 127)"
            switch i.op {
            case .hascol: return "{ \(cell)f[\(a)] = v != \(null); } }"
            case .col:
                let second = width == 2 ? " f[\(a + 1)] = x[at + 1];" : ""
                return "{ \(cell)if (v == \(null)) { \(stepFailing) } else { f[\(a)] = v;\(second) } } }"
            default:
                let second = width == 2 ? " f[\(a + 1)] = x[at + 1];" : ""
                return "{ \(cell)f[\(a)] = v;\(second) } }"
            }
        case .catchErr, .fail, .idiv, .irem, .ineg, .iabs, .fdiv, .f2i, .scmp, .ssize, .sstarts, .sends, .scontains,
            .sconcat, .tostr, .inset, .inbound, .between, .rate, .wsum, .execs, .otr,
            .pos, .dup, .smatch, .tuple, .latch, .osum, .rank, .wmax, .wmin:
            // The engine runs it; `fail` always fails.
            if i.op == .fail { return "STEP(\(pc)); \(fail)" }
            return i.canFail ? stepFailing : "STEP(\(pc));"
        }
    }
}

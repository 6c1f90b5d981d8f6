// The interface between the engine and a bundle's native rule code
// (docs/native.md). The generated C starts with this same text (the loader
// embeds it: `writ_native_header`), so both sides agree on the context's
// layout. Bump WRIT_NATIVE_ABI on any change.
#ifndef WRIT_NATIVE_H
#define WRIT_NATIVE_H
#include <stdint.h>

#define WRIT_NATIVE_ABI 10

/// Set on the pc of a rule that only tests a kill switch (the engine's `RuleRT.killOnlyBit`).
#define WRIT_KILL_ONLY_BIT 0x40000000

struct writ_native_ctx;
/// A call back into the engine with the context and a pc.
typedef int64_t (*writ_native_callback)(struct writ_native_ctx *ctx, int64_t pc);

/// A data table whose rows native code finds itself: text keys, row + 1
/// per symbol id (0: none). NULL for the others (the engine finds those).
typedef struct writ_native_table {
    const int32_t *row_of_symbol;
    int64_t count;
} writ_native_table;

/// One of the engine's open-addressing tables, read in place (its slots
/// are allocated once, with the engine): the slots, the slot mask, where
/// its count of entries is and the most it may hold.
typedef struct writ_native_state_table {
    const uint8_t *slots;
    int64_t mask;
    const int64_t *count;
    int64_t capacity;
} writ_native_state_table;

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
    /// through the list (`list_next`); the next rule's pc, or -1.
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
    int64_t list, k;              // the list being run, and the position of the rule running
    // While a list runs: its entries (each rule's first pc, with `WRIT_KILL_ONLY_BIT`
    // set on a rule that only tests a kill switch; < 0 for the engine) and their count.
    const int32_t *list_next;
    int64_t list_count;
    // Bound lists (`data … bound`), read in place: per list, at `bound_stride`
    // bytes, whether it is bound, its slots (each its key + 1, 0 when empty,
    // then a value) and the slot mask; keys are found as the OpenTable does.
    const uint8_t *bound;
    int64_t bound_stride, bound_is_bound_offset, bound_slots_offset, bound_mask_offset, bound_slot_stride;
    uint8_t no_kills;            // no kill switch is set
    uint8_t market_unavailable;  // the market table was full for this order
    // State reads done in place when the key has an entry, or has none and
    // the table is not full (else the engine reads): per state slot its table, per `duplicate` slot its table of
    // ids (value: a 64-bit day start), the kill switches; a table slot is
    // its key + 1 (0: empty) then the value at `*_value_offset`; a state
    // entry's fields are at the `entry_*` offsets.
    // What the machine says of the event, read where it keeps it (at these
    // offsets from `machine`): the time, explain's dry run (reads then call
    // back), the kind (a `modify`, whose value is `modify_kind`, adds its
    // increase to `window_sum` reads and makes `open_sum` reads call
    // back), whether the rules' `window_sum` and `open_sum` reads are
    // recorded, and the stamp they get;
    // whether this order's message is still to be counted (a `rate` read
    // then adds it: 0 or 1).
    int64_t machine_ts_offset, machine_dry_run_offset, machine_kind_offset, machine_recording_offset;
    int64_t machine_read_epoch_offset, machine_rates_pending_offset;
    uint8_t modify_kind;
    const writ_native_state_table *state_tables, *day_tables;
    writ_native_state_table kills;
    int64_t state_slot_stride, state_value_offset, day_slot_stride, day_value_offset;
    int64_t entry_sum_offset, entry_start_offset, entry_count_offset, entry_other_offset;
    // The order's quantity (`open_sum` counts an amount when it is positive):
    // its presence byte and frame slot, -1 when the program has none.
    int64_t order_qty_field, order_qty_slot;
    // Windows: per state slot its length's index; per length, the length and
    // the `ts` and window start last computed (the engine's cache, shared).
    const int32_t *slot_window;
    const int64_t *window_length;
    int64_t *window_ts, *window_start;
    int64_t day_ts, day_start;   // native code's cache of the UTC day of the event's time
    // What the order's rules read of `window_sum` slots: per slot, at
    // `read_stride` bytes, the stamp, key, amount and currency.
    uint8_t *slot_reads;
    int64_t read_stride, read_stamp_offset, read_key_offset, read_amount_offset, read_currency_offset;
    // A modify's `window_sum` reads add its increase over the live order's
    // amount: per state slot, at `previous_stride` bytes, whether that
    // amount could be evaluated (a byte), the amount and its currency.
    const uint8_t *previous;
    int64_t previous_stride, previous_ok_offset, previous_amount_offset, previous_currency_offset;
    // Texts, read in place by `startsWith`, `endsWith` and `contains`: the
    // bundle's symbols (ids below `sym_static_count`: their bytes from
    // `sym_static_offsets[id]` to `sym_static_offsets[id + 1]`) and the
    // run-time entries (id − `sym_static_count`, `sym_capacity` of them, at
    // `sym_entry_stride` bytes: the text's length + 1 at `sym_length_offset`,
    // 0 when free; a text of at most `sym_inline_length` bytes at
    // `sym_inline_offset`; the engine reads longer ones).
    const uint8_t *sym_static_bytes;
    const int32_t *sym_static_offsets;
    int64_t sym_static_count;
    const uint8_t *sym_entries;
    int64_t sym_capacity, sym_entry_stride, sym_length_offset, sym_inline_offset, sym_inline_length;
    // Composite keys found lately (the engine's `TupleCache` recent entries,
    // direct-mapped, `tuple_recent_mask` + 1 of them at `tuple_recent_stride`
    // bytes): an entry holds while its stamp is the symbol table's count of
    // removals (at `machine_removals_offset` in the machine) + 1; a key not
    // there is the engine's to form.
    const uint8_t *tuple_recent;
    int64_t tuple_recent_mask, tuple_recent_stride;
    int64_t tuple_parts_offset, tuple_composite_offset, tuple_id_offset, tuple_stamp_offset;
    int64_t machine_removals_offset;
} writ_native_ctx;

/// The entry point of native code: runs from pc (a block's first
/// instruction); in a block, the pc of its `ret` or -1 on failure; in a
/// rule list, -1 at the end; -2 if pc is not an entry.
typedef int64_t (*writ_native_entry)(writ_native_ctx *ctx, int64_t pc);

/// Maps `bytes` (a shared object) from an anonymous memory file and finds
/// `writ_native_run`, `writ_native_abi` and `writ_native_id` in it; the
/// last must equal the 32 bytes at `id`. Returns the library handle, or
/// NULL with a message in `error` (at most `error_size` bytes).
void *writ_native_open(const uint8_t *bytes, int64_t count, const uint8_t *id, writ_native_entry *entry,
                       int64_t *abi, char *error, int64_t error_size);
/// Unloads what `writ_native_open` loaded.
void writ_native_close(void *handle);
/// This header's text (what generated code starts with).
const char *writ_native_header(void);
#endif

// Generated by `writ build --native` from the program's IR: one label per instruction.
typedef __int128 i128;
typedef unsigned __int128 u128;
static inline __attribute__((always_inline)) i128 ld(const uint8_t *p) { i128 v; __builtin_memcpy(&v, p, 16); return v; }
static inline __attribute__((always_inline)) void st(uint8_t *p, i128 v) { __builtin_memcpy(p, &v, 16); }

/// x + y (sub: x − y) as the engine adds decimals: 0 on overflow or when the
/// result is ±max (the engine's sentinels), else 1 with *r the result.
static inline __attribute__((always_inline)) int dadd(i128 x, i128 y, int sub, i128 *r) {
    int o = sub ? __builtin_sub_overflow(x, y, r) : __builtin_add_overflow(x, y, r);
    return !o && *r != (i128)((u128)1 << 127) && *r != (i128)(((u128)1 << 127) - 1);
}
#define ES(s) ctx->error_slots[(s) * ctx->error_stride + ctx->error_code_offset]
#define MEMO(s) (ctx->memos + (s) * ctx->memo_stride)
#define STEP(pc) ctx->step(ctx, pc)
/// The call back on a failure path (overflow, an absent field, an error):
/// cold, so that the compiler lays these paths out of line and the code
/// that runs stays dense in the instruction cache.
static __attribute__((cold, noinline)) int64_t step_cold(writ_native_ctx *ctx, int64_t pc) { return ctx->step(ctx, pc); }
#define STEP_COLD(pc) step_cold(ctx, pc)
__attribute__((visibility("default"))) const int64_t writ_native_abi = WRIT_NATIVE_ABI;

/// x * y (raw values, 10^8 = 1) rounded half to even, when both fit in
/// 64 bits (the engine's `FixedMath.multiply`); 0 if it cannot say.
static inline __attribute__((always_inline)) int fmul64(i128 x, i128 y, i128 *out) {
    if (x != (int64_t)x || y != (int64_t)y) return 0;
    // A whole number times anything is exact: no division, no rounding.
    if ((int64_t)x % 100000000 == 0) { *out = (i128)((int64_t)x / 100000000) * (i128)(int64_t)y; return 1; }
    if ((int64_t)y % 100000000 == 0) { *out = (i128)(int64_t)x * (i128)((int64_t)y / 100000000); return 1; }
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

/// The engine's TextHash.mix.
static inline __attribute__((always_inline)) uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/// The slot of key in an open-addressing table (the engine's
/// OpenTable.find: slots of `stride` bytes, each its key + 1 first),
/// or NULL.
static inline __attribute__((always_inline)) const uint8_t *find_slot(const uint8_t *slots, int64_t mask,
                                                                      int64_t stride, uint64_t key) {
    for (int64_t s = (int64_t)mix(key) & mask;; s = (s + 1) & mask) {
        const uint8_t *x = slots + s * stride;
        uint64_t k = *(const uint64_t *)x;
        if (k == key + 1) return x;
        if (k == 0) return 0;
    }
}

/// Whether bound list l holds key; -1 if the list is not bound.
static inline __attribute__((always_inline)) int64_t in_bound(writ_native_ctx *ctx, int64_t l, i128 x) {
    const uint8_t *b = ctx->bound + l * ctx->bound_stride;
    if (!b[ctx->bound_is_bound_offset]) return -1;
    const uint8_t *slots = *(const uint8_t *const *)(b + ctx->bound_slots_offset);
    int64_t mask = *(const int64_t *)(b + ctx->bound_mask_offset);
    return find_slot(slots, mask, ctx->bound_slot_stride, (uint64_t)x) != 0;
}

/// A state table's key: two 32-bit parts (the engine's `stateKey`).
static inline __attribute__((always_inline)) uint64_t skey(i128 a, i128 b) {
    return ((uint64_t)a & 0xFFFFFFFFull) | (uint64_t)b << 32;
}

/// Finds key in table t (the engine's state: slots of `stride` bytes, the
/// value at `offset`): 1 with *e its value, or 1 with *e NULL when it has
/// no entry and the table is not full (a new entry would find room
/// without evicting: the read is the empty entry's); 0 when it has no
/// entry and is full (the engine evicts, or fails).
static inline __attribute__((always_inline)) int state_find(const writ_native_state_table *t, int64_t stride,
                                                            int64_t offset, uint64_t key, const uint8_t **e) {
    const uint8_t *x = find_slot(t->slots, t->mask, stride, key);
    *e = x ? x + offset : 0;
    return x != 0 || *t->count < t->capacity;
}
#define STATE(s, key) state_find(&ctx->state_tables[s], ctx->state_slot_stride, ctx->state_value_offset, key, &e)
#define DAY(s, key) state_find(&ctx->day_tables[s], ctx->day_slot_stride, ctx->day_value_offset, key, &e)
#define ENTRY64(e, field) (*(const int64_t *)((e) + ctx->entry_##field##_offset))

/// A field of the machine (see `machine_ts_offset`).
#define MACHINE(type, field) (*(const type *)((const uint8_t *)ctx->machine + ctx->machine_##field##_offset))
#define STATE_INLINE (!MACHINE(uint8_t, dry_run))
#define MODIFY (MACHINE(uint8_t, kind) == ctx->modify_kind)

/// floor(ts / w) × w for w > 0, else 0 (the engine's `windowStart`).
static inline __attribute__((always_inline)) int64_t window_floor(int64_t ts, int64_t w) {
    if (w <= 0) return 0;
    int64_t q = ts / w;
    if (ts % w != 0 && ts < 0) q -= 1;
    return (int64_t)((uint64_t)q * (uint64_t)w);
}

/// The start of state slot s's window containing the event's time,
/// through the engine's cache (its `slotWindowStart`).
static inline __attribute__((always_inline)) int64_t window_start(writ_native_ctx *ctx, int64_t s) {
    int64_t w = ctx->slot_window[s];
    int64_t ts = MACHINE(int64_t, ts);
    if (ctx->window_ts[w] != ts) {
        ctx->window_ts[w] = ts;
        ctx->window_start[w] = window_floor(ts, ctx->window_length[w]);
    }
    return ctx->window_start[w];
}

/// The start of the UTC day of the event's time.
static inline __attribute__((always_inline)) int64_t day_start(writ_native_ctx *ctx) {
    int64_t ts = MACHINE(int64_t, ts);
    if (ctx->day_ts != ts) {
        ctx->day_ts = ts;
        ctx->day_start = window_floor(ts, 86400000000000ll);
    }
    return ctx->day_start;
}

/// Records what a `window_sum` read of slot s read (the engine's `SlotRead`).
static inline __attribute__((always_inline)) void record_read(writ_native_ctx *ctx, int64_t s, uint64_t key,
                                                              i128 amount, i128 currency) {
    uint8_t *r = ctx->slot_reads + s * ctx->read_stride;
    *(uint64_t *)(r + ctx->read_stamp_offset) = MACHINE(uint64_t, read_epoch);
    *(uint64_t *)(r + ctx->read_key_offset) = key;
    st(r + ctx->read_amount_offset, amount);
    st(r + ctx->read_currency_offset, currency);
}

/// What a `window_sum` read of slot s adds for this order (the engine's
/// `contribution`): its amount v, or for a modify the increase over the
/// live order's amount (never negative) when that amount could be
/// evaluated in the same currency; 0 on overflow (the engine fails).
static inline __attribute__((always_inline)) int wsum_add(writ_native_ctx *ctx, int64_t s, i128 v,
                                                          i128 cur, int money, int is_int, i128 *add) {
    *add = v;
    if (!MODIFY) return 1;
    const uint8_t *p = ctx->previous + s * ctx->previous_stride;
    if (!p[ctx->previous_ok_offset]) return 1;
    if (money && ld(p + ctx->previous_currency_offset) != cur) return 1;
    i128 inc;
    if (is_int) {
        int64_t r;
        if (__builtin_sub_overflow((int64_t)v, (int64_t)ld(p + ctx->previous_amount_offset), &r)) return 0;
        inc = r;
    } else if (!dadd(v, ld(p + ctx->previous_amount_offset), 1, &inc)) {
        return 0;
    }
    *add = inc < 0 ? 0 : inc;
    return 1;
}

/// orders ÷ max(1, fills) as a decimal rounded half to even (the
/// engine's `otr`), for 0 ≤ orders ≤ OTR_MAX (so that the division is
/// 64-bit: the code links against no library, hence no 128-bit division).
#define OTR_MAX 92233720368ll
static inline __attribute__((always_inline)) i128 otr_ratio(int64_t orders, int64_t fills) {
    uint64_t d = fills < 1 ? 1 : (uint64_t)fills, n = (uint64_t)orders * 100000000u;
    uint64_t q = n / d, r = n % d;
    if (r > d - r || (r == d - r && (q & 1) != 0)) q += 1;
    return (i128)q;
}

/// Whether ts (ns since the epoch) is in [from, to) seconds of the day
/// (the range wraps midnight when from > to) in a zone whose UTC offset
/// is off[i] (seconds) from tr[i - 1] on (the engine's `inRange`, with
/// `ZoneRT.offset`'s search; arithmetic wraps where the engine's does).
static inline __attribute__((always_inline)) int64_t in_range(int64_t t, const int64_t *tr, int64_t count,
                                                              const int32_t *off, int64_t from, int64_t to) {
    const int64_t day = 86400000000000ll;
    int64_t seconds = t >= 0 ? t / 1000000000 : (int64_t)((uint64_t)t - 999999999u) / 1000000000;
    int64_t at = (int64_t)((uint64_t)seconds * 1000000000u);
    int64_t lo = 0, hi = count;
    while (lo < hi) {
        int64_t mid = (lo + hi) >> 1;
        if (tr[mid] <= at) lo = mid + 1; else hi = mid;
    }
    int64_t local = (int64_t)((uint64_t)t + (uint64_t)(int64_t)off[lo] * 1000000000u);
    int64_t tod = local % day;
    if (tod < 0) tod += day;
    int64_t l = (int64_t)((uint64_t)from * 1000000000u), h = (int64_t)((uint64_t)to * 1000000000u);
    return l <= h ? (l <= tod && tod < h) : (tod >= l || tod < h);
}

/// The bytes of text `id` (the engine's `SymbolStore.text`): 1 with *p
/// and *n (an id not in use reads as the empty text); 0 for a run-time
/// text longer than an entry's inline bytes (the engine reads it).
static inline __attribute__((always_inline)) int sym_text(writ_native_ctx *ctx, i128 id, const uint8_t **p,
                                                          int64_t *n) {
    *p = 0;
    *n = 0;
    if (id < 0) return 1;
    if (id < ctx->sym_static_count) {
        int32_t s = ctx->sym_static_offsets[(int64_t)id];
        *p = ctx->sym_static_bytes + s;
        *n = ctx->sym_static_offsets[(int64_t)id + 1] - s;
        return 1;
    }
    if (id - ctx->sym_static_count >= ctx->sym_capacity) return 1;
    const uint8_t *e = ctx->sym_entries + (int64_t)(id - ctx->sym_static_count) * ctx->sym_entry_stride;
    int64_t length = *(const uint32_t *)(e + ctx->sym_length_offset);
    if (length == 0) return 1;
    if (length - 1 > ctx->sym_inline_length) return 0;
    *p = e + ctx->sym_inline_offset;
    *n = length - 1;
    return 1;
}

/// `startsWith` (op 0), `endsWith` (1) or `contains` (2) of text p (n
/// bytes) and q (m bytes), as the engine's `textTest`.
static inline __attribute__((always_inline)) int text_test(int op, const uint8_t *p, int64_t n,
                                                           const uint8_t *q, int64_t m) {
    if (m == 0) return 1;
    if (m > n) return 0;
    for (int64_t at = op == 1 ? n - m : 0;; at += 1) {
        int64_t k = 0;
        while (k < m && p[at + k] == q[k]) k += 1;
        if (k == m) return 1;
        if (op != 2 || at + m >= n) return 0;
    }
}

/// The id of the composite key of x and y (`composite`: x is itself
/// one) when the engine found it lately (the first look of its
/// `TupleCache.find`); -1 when the engine must find or form it.
static inline __attribute__((always_inline)) int64_t tuple_recent(writ_native_ctx *ctx, i128 x, i128 y,
                                                                  uint32_t composite) {
    if (x < 0 || x >= (i128)0xFFFFFFFFu || y < 0 || y >= (i128)0xFFFFFFFFu) return -1;
    uint32_t xs = (uint32_t)x, ys = (uint32_t)y, h = (xs * 0x9E3779B1u) ^ (ys * 0x85EBCA6Bu);
    const uint8_t *m = ctx->tuple_recent + (int64_t)((h >> 29) & (uint32_t)ctx->tuple_recent_mask) * ctx->tuple_recent_stride;
    if (*(const uint64_t *)(m + ctx->tuple_stamp_offset) != MACHINE(uint64_t, removals) + 1) return -1;
    if (*(const uint64_t *)(m + ctx->tuple_parts_offset) != ((uint64_t)xs | (uint64_t)ys << 32)) return -1;
    if (*(const uint32_t *)(m + ctx->tuple_composite_offset) != composite) return -1;
    return *(const uint32_t *)(m + ctx->tuple_id_offset);
}

/// A rule that did not fire: the next rule's pc (the engine's
/// `nextRule`), or -1; entries that always fire are left to the engine.
static inline __attribute__((always_inline)) int64_t next_rule(writ_native_ctx *ctx) {
    const int32_t *e = ctx->list_next;
    int64_t k = ctx->k, count = ctx->list_count;
    while (k < count) {
        int64_t v = e[k];
        if (v < 0) return ctx->next_rule(ctx, 0);
        k += 1;
        ctx->k = k;
        if ((v & WRIT_KILL_ONLY_BIT) == 0) return v;
        if (!ctx->no_kills) return v & ~WRIT_KILL_ONLY_BIT;
    }
    return -1;
}

__attribute__((visibility("default")))
int64_t writ_native_run(writ_native_ctx *ctx, int64_t pc) {
    i128 *f = (i128 *)ctx->frame;
    const uint8_t *P = ctx->present;
    int64_t n;
    (void)n;
dispatch:
    // The pointers pass through an empty asm at the loop's head, so
    // that the compiler does not hoist the address of every frame
    // slot out of the dispatch loop into a stack slot of its own
    // (75 instructions on each entry, and a load at each use).
    __asm__ volatile("" : "+r"(f), "+r"(P), "+r"(ctx));
    switch (pc) {
    case 0: goto L0;
    case 4: goto L4;
    case 13: goto L13;
    case 16: goto L16;
    case 22: goto L22;
    case 25: goto L25;
    case 32: goto L32;
    case 35: goto L35;
    case 39: goto L39;
    default: return -2;
    }
L0: if (P[20] == 0) { if (STEP_COLD(0)) { n = ctx->fault(ctx, 0); if (n < 0) return -1; pc = n; goto dispatch; } }
L1: { int64_t r = row_of(ctx, 0, f[31]); if (r < 0) { if (STEP(1)) { n = ctx->fault(ctx, 1); if (n < 0) return -1; pc = n; goto dispatch; } } else f[66] = r; }
L2: { const i128 *x = (const i128 *)ctx->columns[2]; if (!x) { if (STEP(2)) { n = ctx->fault(ctx, 2); if (n < 0) return -1; pc = n; goto dispatch; } } else { int64_t at = (int64_t)f[66] * 1; i128 v = x[at]; if (v == (i128)((u128)1 << 127)) { if (STEP_COLD(2)) { n = ctx->fault(ctx, 2); if (n < 0) return -1; pc = n; goto dispatch; } } else { f[67] = v; } } }
L3: if (!ctx->rule_mode) return 3; n = f[67] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L4: ES(0) = 0;
L5: if (P[14] == 0) goto L12;
L6: if (P[14] == 0) { if (STEP_COLD(6)) goto L13; }
L7: f[69] = f[25];
L8: { i128 r; if (fmul64(f[23], f[24], &r)) f[68] = r; else { if (STEP_COLD(8)) goto L13; } }
L9: if (f[25] != f[1]) { if (STEP_COLD(9)) goto L13; }
L10: if (f[68] <= f[0]) goto L12;
L11: if (!ctx->rule_mode) return 11; n = f[2] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L12: if (!ctx->rule_mode) return 12; n = f[3] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L13: STEP(13);
L14: if (ES(0) != 0) { if (STEP_COLD(14)) { n = ctx->fault(ctx, 14); if (n < 0) return -1; pc = n; goto dispatch; } }
L15: if (!ctx->rule_mode) return 15; n = f[2] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L16: ES(0) = 0;
L17: if (f[22] != f[4]) goto L21;
L18: { const uint8_t *e = 0; int ok = STATE_INLINE && STATE(0, skey(f[16], 0)); if (ok) f[68] = (e && ENTRY64(e, start) >= window_start(ctx, 0) ? ENTRY64(e, count) : 0) + MACHINE(uint8_t, rates_pending); else { if (STEP(18)) goto L22; } }
L19: if (f[68] <= f[5]) goto L21;
L20: if (!ctx->rule_mode) return 20; n = f[2] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L21: if (!ctx->rule_mode) return 21; n = f[3] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L22: STEP(22);
L23: if (ES(0) != 0) { if (STEP_COLD(23)) { n = ctx->fault(ctx, 23); if (n < 0) return -1; pc = n; goto dispatch; } }
L24: if (!ctx->rule_mode) return 24; n = f[2] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L25: ES(0) = 0;
L26: if (f[23] > f[6]) goto L31;
L27: if (P[23] == 0) { if (STEP_COLD(27)) goto L32; }
L28: if (f[35] != f[8]) { if (STEP_COLD(28)) goto L32; }
L29: if (f[34] > f[7]) goto L31;
L30: if (!ctx->rule_mode) return 30; n = f[3] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L31: if (!ctx->rule_mode) return 31; n = f[2] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L32: STEP(32);
L33: if (ES(0) != 0) { if (STEP_COLD(33)) { n = ctx->fault(ctx, 33); if (n < 0) return -1; pc = n; goto dispatch; } }
L34: if (!ctx->rule_mode) return 34; n = f[3] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L35: if (f[22] != f[9]) goto L38;
L36: if (f[26] != f[4]) goto L38;
L37: if (!ctx->rule_mode) return 37; n = f[2] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L38: if (!ctx->rule_mode) return 38; n = f[3] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
L39: if (!ctx->rule_mode) return 39; n = f[16] != 0 ? ctx->next_rule(ctx, 1) : next_rule(ctx); if (n < 0) return -1; pc = n; goto dispatch;
    return -2;
}
__attribute__((visibility("default"))) const uint8_t writ_native_id[32] = {0xe7, 0xf5, 0x7c, 0x14, 0x3e, 0x6e, 0xa0, 0xb1, 0x72, 0x52, 0xc1, 0xe7, 0xcb, 0xff, 0x2, 0xcf, 0xaa, 0x9c, 0x79, 0x8e, 0x4f, 0xd4, 0xa7, 0xad, 0xd0, 0xa5, 0x6b, 0x9a, 0xa6, 0x1e, 0xb4, 0x8e};

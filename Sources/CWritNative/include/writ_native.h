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

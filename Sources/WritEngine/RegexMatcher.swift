/// `matches`: a Pike VM over the NFA of a `RegexCode`, reading the text's
/// UTF-8 as Unicode scalars and reporting whether a match exists anywhere
/// in it. Its thread lists and marks are preallocated per engine, so it
/// neither allocates nor backtracks (time linear in text × pattern).

import WritIR

/// A compiled pattern as raw buffers.
struct RegexRT: BitwiseCopyable {
    var ops: RawBuffer<RegexOp>
    var classStart: RawBuffer<Int32>
    /// Inclusive ranges as (low, high) pairs.
    var ranges: RawBuffer<UInt32>

    init(_ code: RegexCode) {
        ops = RawBuffer(code.ops)
        classStart = RawBuffer(code.classStart)
        ranges = RawBuffer(code.ranges.flatMap { [$0.0, $0.1] })
    }

    func free() {
        ops.free()
        classStart.free()
        ranges.free()
    }
}

/// The VM's working memory.
struct RegexScratch {
    let current: RawBuffer<Int32>
    let next: RawBuffer<Int32>
    let marks: RawBuffer<Int32>
    let stack: RawBuffer<Int32>
    var generation: Int32 = 0

    init(maxOps: Int) {
        let n = Swift.max(1, maxOps)
        current = RawBuffer(zeroed: n)
        next = RawBuffer(zeroed: n)
        marks = RawBuffer(zeroed: n)
        stack = RawBuffer(zeroed: n + 1)
    }

    func free() {
        current.free()
        next.free()
        marks.free()
        stack.free()
    }

    mutating func nextGeneration() -> Int32 {
        if generation == Int32.max - 1 {
            marks.zero()
            generation = 0
        }
        generation += 1
        return generation
    }
}

extension Machine {
    /// Whether `re` matches somewhere in the text `p[0..<n]`.
    @inline(never)
    mutating func regexMatches(_ re: RegexRT, _ p: UnsafeRawPointer, _ n: Int) -> Bool {
        var clist = regexScratch.current
        var nlist = regexScratch.next
        var ccount = 0
        var pos = 0
        var gc = regexScratch.nextGeneration()
        while true {
            if addThread(re, &clist, &ccount, 0, gc, pos == 0, pos == n) { return true }
            if pos >= n { return false }
            // Decode one scalar.
            let b0 = UInt32(p.load(fromByteOffset: pos, as: UInt8.self))
            var c = b0
            var len = 1
            if b0 >= 0xF0, pos + 3 < n {
                len = 4
                c = (b0 & 0x07) << 18
            } else if b0 >= 0xE0, pos + 2 < n {
                len = 3
                c = (b0 & 0x0F) << 12
            } else if b0 >= 0xC0, pos + 1 < n {
                len = 2
                c = (b0 & 0x1F) << 6
            }
            if len > 1 {
                var shift = UInt32(6 * (len - 2))
                for k in 1..<len {
                    c |= (UInt32(p.load(fromByteOffset: pos + k, as: UInt8.self)) & 0x3F) << shift
                    if shift >= 6 { shift -= 6 }
                }
            }
            let gn = regexScratch.nextGeneration()
            var ncount = 0
            let atEnd = pos + len >= n
            for k in 0..<ccount {
                let pc = Int(clist[k])
                let op = re.ops[pc]
                var ok = false
                switch op.kind {
                case .char: ok = UInt32(bitPattern: op.x) == c
                case .any: ok = c != 0x0A
                case .cls: ok = inClass(re, Int(op.x), c) != (op.y != 0)
                default: ok = false
                }
                if ok, addThread(re, &nlist, &ncount, pc + 1, gn, false, atEnd) { return true }
            }
            swap(&clist, &nlist)
            ccount = ncount
            gc = gn
            pos += len
        }
    }

    private func inClass(_ re: RegexRT, _ cls: Int, _ c: UInt32) -> Bool {
        var k = Int(re.classStart[cls])
        let end = Int(re.classStart[cls + 1])
        while k < end {
            if c >= re.ranges[2 * k] && c <= re.ranges[2 * k + 1] { return true }
            k += 1
        }
        return false
    }

    /// Adds the thread at `pc` and what it reaches without consuming; true if that includes a match.
    private func addThread(
        _ re: RegexRT, _ list: inout RawBuffer<Int32>, _ count: inout Int, _ start: Int, _ gen: Int32, _ atStart: Bool,
        _ atEnd: Bool
    ) -> Bool {
        let stack = regexScratch.stack
        let marks = regexScratch.marks
        var top = 0
        stack[top] = Int32(start)
        top += 1
        while top > 0 {
            top -= 1
            let pc = Int(stack[top])
            if marks[pc] == gen { continue }
            marks[pc] = gen
            let op = re.ops[pc]
            switch op.kind {
            case .match:
                return true
            case .jmp:
                stack[top] = op.x
                top += 1
            case .split:
                stack[top] = op.y
                stack[top + 1] = op.x
                top += 2
            case .bol:
                if atStart {
                    stack[top] = Int32(pc + 1)
                    top += 1
                }
            case .eol:
                if atEnd {
                    stack[top] = Int32(pc + 1)
                    top += 1
                }
            default:
                list[count] = Int32(pc)
                count += 1
            }
        }
        return false
    }
}

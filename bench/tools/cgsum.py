#!/usr/bin/env python3
"""Self instruction counts (bench/tools/cg-book.sh) of a callgrind dump (--dump-instr=yes), by object, and the generated code's
by JIT method (perf map from -XX:+DumpPerfMapAtExit). usage: cgsum.py callgrind.out.N perf-PID.map commands"""
import sys, re, bisect, collections
path, mapf, commands = sys.argv[1], sys.argv[2], float(sys.argv[3])
names = {}
def name(kind, rest):
    m = re.match(r'\((\d+)\)(?: (.*))?', rest)
    if m:
        k = (kind, m.group(1))
        if m.group(2) is not None: names[k] = m.group(2)
        return names.get(k, rest)
    return rest
by_ob = collections.Counter(); by_addr = collections.Counter()
ob = None; addr = 0; skip = False
for line in open(path, errors='replace'):
    line = line.rstrip('\n')
    if not line: continue
    if line.startswith('ob='): ob = name('ob', line[3:]); continue
    if line.startswith('fl=') or line.startswith('fi=') or line.startswith('fe='): name('fl', line[3:]); continue
    if line.startswith('fn='): name('fn', line[3:]); continue
    if line.startswith('cob='): name('ob', line[4:]); continue
    if line.startswith('cfi=') or line.startswith('cfl='): name('fl', line[4:]); continue
    if line.startswith('cfn='): name('fn', line[4:]); continue
    if line.startswith('calls='): skip = True; continue
    c = line[0]
    if c in '0123456789+-*' :
        parts = line.split()
        p = parts[0]
        if p.startswith('0x'): addr = int(p, 16)
        elif p[0] == '+': addr += int(p[1:])
        elif p[0] == '-': addr -= int(p[1:])
        elif p == '*': pass
        else: addr = int(p)
        if skip: skip = False; continue
        # positions are "instr line" (--dump-instr=yes): the cost is the last column
        cost = int(parts[-1]) if len(parts) > 1 else 0
        by_ob[ob] += cost
        if ob == '???':  # generated code (the JIT's and the interpreter's)
            by_addr[addr] += cost
        continue
total = sum(by_ob.values())
print(f'total {total:,} Ir = {total/commands:.1f} per command')
for o, v in by_ob.most_common(8): print(f'  {v/commands:8.1f}  {o}')
ents = []
for l in open(mapf):
    a, sz, n = l.split(' ', 2); ents.append((int(a, 16), int(sz, 16), n.strip()))
ents.sort(); starts = [e[0] for e in ents]
by_m = collections.Counter()
for a, v in by_addr.items():
    i = bisect.bisect_right(starts, a) - 1
    by_m[ents[i][2] if i >= 0 and a < ents[i][0] + ents[i][1] else 'unmapped'] += v
print('generated code by blob:')
for m, v in by_m.most_common(15): print(f'  {v/commands:8.1f}  {m[:150]}')

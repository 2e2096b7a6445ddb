#!/usr/bin/env python3
"""The compare-study tables of docs/results.md, laid out from two `dart4j compare-report` outputs.

Usage: scripts/compare-study-tables.py CONFLICT_REPORT/study.md DEFAULT_REPORT/study.md

Every number comes from the reports (pooled EM with its bootstrap CI and seed spread, the paired
DART comparisons, cost, reward flattening) or, for the per-seed table, from the kept runs'
results.jsonl next to the report's directory (WORLD/seed-K/METHOD/results.jsonl, data_source all).
Only reads; prints Markdown.
"""
import glob
import json
import os
import sys


def parse(path):
    t=open(path).read()
    em={}; pairs={}; cost={}; flat={}
    sec=None
    for line in t.splitlines():
        if line.startswith('## '): sec=line[3:].strip(); continue
        if not line.startswith('| ') or line.startswith('|---'): continue
        c=[x.strip() for x in line.strip('|').split('|')]
        if sec.startswith('EM per data_source') and c[0]!='arm': em[(c[0],c[1])]=(c[3],c[4])
        elif sec.startswith('DART against') and c[0]!='comparison': pairs[(c[0],c[1])]=(c[2],c[5])
        elif sec.startswith('Cost per method') and c[0]!='method': cost[c[0]]=(c[1],c[3],c[4],c[5])
        elif sec.startswith('Has the reward') and c[0]!='method': flat[c[0]]=c[4]
    return em,pairs,cost,flat
if len(sys.argv) != 3:
    sys.exit(__doc__)
C=parse(sys.argv[1]); D=parse(sys.argv[2])
arms=[('WARM_START','warm start (SFT)'),('DART','DART'),('LORA','LORA'),('FULL','FULL'),('TWO_AGENT','TWO_AGENT'),('DART reasoning_only','DART, θr alone (reasoning adapter only)'),('DART tool_only','DART, θa alone (tool adapter only)')]
print('| arm | conflict: all | conflict: twohop | default: all | default: twohop |')
print('|---|---|---|---|---|')
for a,label in arms:
    cells=[]
    for W in (C,D):
        for ds in ('all','twohop'):
            e,s=W[0][(a,ds)]
            cells.append(f'{e} (seeds {s})')
    print(f'| {label} | '+' | '.join(cells)+' |')
print()
print('| comparison | conflict: all | p | conflict: twohop | p | default: all | p | default: twohop | p |')
print('|---|---|---:|---|---:|---|---:|---|---:|')
for b in ('LORA','FULL','TWO_AGENT'):
    cmp=f'DART − {b}'
    cells=[]
    for W in (C,D):
        for ds in ('all','twohop'):
            d,p=W[1][(cmp,ds)]
            cells += [d,p]
    print(f'| {cmp} | '+' | '.join(cells)+' |')
print()
print('| method | runs (conflict / default) | train s, conflict | train s, default | peak RSS MB, conflict | peak RSS MB, default | trainable parameters (conflict / default) |')
print('|---|---:|---:|---:|---:|---:|---:|')
for m in ('DART','LORA','FULL','TWO_AGENT'):
    c=C[2][m]; d=D[2][m]
    print(f'| {m} | {c[0]} / {d[0]} | {c[1]} | {d[1]} | {c[2]} | {d[2]} | {int(c[3]):,} / {int(d[3]):,} |')
print()
print('reward last10%-previous10%: conflict '+', '.join(f'{m} {C[3][m]}' for m in ('DART','LORA','FULL','TWO_AGENT'))+'; default '+', '.join(f'{m} {D[3][m]}' for m in ('DART','LORA','FULL','TWO_AGENT')))
print()
print('| world | seed | warm start | DART | LORA | FULL | TWO_AGENT | θr alone | θa alone |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for world, report in (('conflict', sys.argv[1]), ('default', sys.argv[2])):
    kept = os.path.dirname(os.path.dirname(os.path.abspath(report)))
    rows = {}
    for f in sorted(glob.glob(os.path.join(kept, 'seed-*', '*', 'results.jsonl'))):
        for line in open(f):
            j = json.loads(line)
            if j['data_source'] != 'all':
                continue
            r = rows.setdefault(j['seed'], {})
            r['warm'] = j['em_before']
            r[j['method']] = j['em_after']
            if j['method'] == 'DART':
                r['tr'] = j['em_reasoning_only']
                r['ta'] = j['em_tool_only']
    for s in sorted(rows):
        r = rows[s]
        cells = [r.get(k) for k in ('warm', 'DART', 'LORA', 'FULL', 'TWO_AGENT', 'tr', 'ta')]
        print(f'| {world} | {s} | ' + ' | '.join('–' if v is None else f'{v:.3f}' for v in cells) + ' |')

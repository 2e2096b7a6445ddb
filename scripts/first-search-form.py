#!/usr/bin/env python3
"""How a policy writes its first search on the conflict world (docs/leas.md, positive control).

Usage: scripts/first-search-form.py RUN_DIR EVAL_DIR
  RUN_DIR   an interference/quickstart output (its world/test.jsonl holds each hop's alias query)
  EVAL_DIR  a `dart4j eval --out` directory over that test set (its results.jsonl)
Prints how many retrieval questions searched, how many first searches equal the hop's alias query
(the tool encoded the name) and how many copy plain words of the question (it did not), and how
many two-hop questions searched the second hop exactly. Reads only; writes nothing.
"""
import json,re,sys
run=sys.argv[1]; ev=sys.argv[2]
qs={json.loads(l)['id']:json.loads(l) for l in open(run+'/world/test.jsonl')}
rows=[json.loads(l) for l in open(ev+'/results.jsonl')]
n=0; first_ok=0; first_plain=0; ans_alias=0; searched=0; hop2=0; hop2_ok=0
# build alias map from corpus? use hop queries: alias form; plain from question
for r in rows:
    q=qs[r['id']]
    if not q['hops']: continue
    n+=1
    s=re.findall(r'<search> (.*?) </search>', r['response'])
    if s:
        searched+=1
        if s[0]==q['hops'][0]['query']: first_ok+=1
        elif s[0] in q['question']: first_plain+=1
    if len(q['hops'])>1 and q['hops'][1]['relation'] not in ('population','employees'):
        hop2+=1
        if len(s)>1 and s[1]==q['hops'][1]['query']: hop2_ok+=1
print(f"retrieval questions {n}, searched {searched}, first search = alias query {first_ok} ({first_ok/max(1,searched):.2f}), = plain words from question {first_plain}; two-hop {hop2}, second search exact {hop2_ok}")

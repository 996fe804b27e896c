"""The mixed source against the mask teacher: does a mask-majority start with random tokens give an 8-step sampler
below the mask teacher's 1024 steps at matched entropy?

Three teachers of one recipe (tiny, 1450 steps x 64 x 64 tokens, lr 2e-3, seed 0, this corpus and tokenizer), one per
source: `mask`, `uniform`, `mixed` (each start position the mask with probability 0.6, else a random token). For each
8-step model at T=1 (the mixed source's students and teacher@8, and the mask teacher@8 in the spread order, the best
inference-only mask sampler), its gen-PPL against each teacher@1024 frontier (the path's own order) read at its own
entropy (`tsdfm.frontier.ppl_on_frontier`: log-linear, never extrapolated; — outside the swept range), under each evaluator.
The mixed student's claim against its own teacher is T2's; this table adds the cross-source reading: the mask teacher
is the one the mixed teacher replaces.

    python paper_figures/probes/mixed_source.py --results paper_figures/results --teachers mask=0d6a6073b1,mixed=c843347bd0,uniform=c485dfc9be
        [--out paper_figures/mixed_source.md]
"""
import argparse
import pandas as pd
from tsdfm.frontier import ppl_on_frontier, model_label
from tsdfm.results import at_temperature, load_table

def load(results:str, ids:dict) -> pd.DataFrame:
    "The results table (`tsdfm.results.load_table`: normalised, latest row per key) of the teachers `ids`, each row named by its source."
    d = load_table(results)
    d = d[d['teacher_id'].astype(str).str[:10].isin(ids.values())].copy()
    d['teacher'] = d['teacher_id'].str[:10].map({v: k for k, v in ids.items()})
    return d

def frontier(d, teacher:str, ev:str, steps:int=1024, sampler:str='random') -> pd.DataFrame:
    return d[(d['teacher'] == teacher) & (d['role'] == 'teacher') & (d['steps'] == steps) & (d['sampler'] == sampler) & (d['evaluator'] == ev)]

def table(d:pd.DataFrame, evs:list) -> pd.DataFrame:
    one = at_temperature(d, 1.0)
    rows = one[(one['steps'] == 8) & (((one['teacher'] == 'mixed')) | ((one['teacher'] == 'mask') & (one['role'] == 'teacher') & (one['sampler'] == 'spread')))]
    out = []
    for _, r in rows[rows['evaluator'].isin(evs)].iterrows():
        rec = {'model': f"{r['teacher']}: {model_label(r)}", 'evaluator': r['evaluator'], 'gen_ppl': r['gen_ppl'], 'ci': f"[{r['ci_low']:.1f}, {r['ci_high']:.1f}]",
               'entropy': r['entropy'], 'n_samples': r['n_samples']}
        for t in ('mixed', 'mask', 'uniform'):
            f = ppl_on_frontier(frontier(d, t, r['evaluator']), r['entropy'])
            rec[f'vs {t} teacher@1024'] = r['gen_ppl'] / f if f == f else float('nan')
        out.append(rec)
    return pd.DataFrame(out)

def markdown(t:pd.DataFrame, d:pd.DataFrame, evs:list, ids:dict) -> str:
    lines = ['# The mixed source against the mask teacher (8 steps, T=1, at matched entropy)', '',
             'gen-PPL [95% CI] and entropy (nats) at T=1; then the ratio to each teacher@1024 frontier (path\'s own order) read at '
             'that entropy (log-linear; — outside the swept range). Teachers: ' + ', '.join(f'{k} `{v}`' for k, v in ids.items()) + '.', '']
    for ev in evs:
        s = t[t['evaluator'] == ev]
        if s.empty: continue
        lines += [f'## {ev}', '', '| model | gen-PPL [95% CI] | entropy | n | vs mixed teacher@1024 | vs mask teacher@1024 | vs uniform teacher@1024 |', '|---|---:|---:|---:|---:|---:|---:|']
        f = lambda x: '—' if x != x else f'{x:.3f}x'
        for _, r in s.sort_values('model').iterrows():
            lines.append(f"| {r['model']} | {r['gen_ppl']:.1f} {r['ci']} | {r['entropy']:.3f} | {r['n_samples']:.0f} | {f(r['vs mixed teacher@1024'])} | {f(r['vs mask teacher@1024'])} | {f(r['vs uniform teacher@1024'])} |")
        lines += ['', 'teacher@1024 frontiers (T: gen-PPL at entropy):', '']
        for tch in ids:
            fr = frontier(d, tch, ev).sort_values('temperature', ascending=False)
            lines.append(f"- {tch}: " + ', '.join(f"T {r['temperature']:g}: {r['gen_ppl']:.1f} at {r['entropy']:.3f}" for _, r in fr.iterrows()))
        lines.append('')
    return '\n'.join(lines)

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--results', default='paper_figures/results')
    p.add_argument('--teachers', default='mask=0d6a6073b1,mixed=c843347bd0,uniform=c485dfc9be')
    p.add_argument('--evaluators', default='ar-small,ar-large,smollm2')
    p.add_argument('--out', default='')
    a = p.parse_args()
    ids = dict(x.split('=') for x in a.teachers.split(','))
    evs = a.evaluators.split(',')
    d = load(a.results, ids)
    md = markdown(table(d, evs), d, evs, ids)
    if a.out: open(a.out, 'w').write(md + '\n')
    print(md)

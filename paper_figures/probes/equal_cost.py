"""Shaping or more blind trajectories, at equal teacher cost? The mask recipe (teacher `0d6a6073b1`, trajectory scheme,
hard targets, forward KL, 256 teacher steps, 16 midpoints; 600 training iterations unless a row says more): blind students of 256 to 4096 trajectories
(seed 0; 256 also seeds 1-3) against the `ar-pmi` K=8 tau=0 shaped students of 256 (seeds 0-3) and 1024 trajectories
(seeds 0-1), each with the teacher calls its targets cost, and the students of 300, 1200 and 1800 iterations beside the 600 of the recipe.

Ratios are T2's (`tsdfm.figures.matched_entropy_table`): the row's gen-PPL over the teacher@1024 frontier (random
order) read at the row's own entropy, log-linear, never extrapolated. Teacher calls per trajectory are the current
code's: pooled over the shards of the target stores under `--artifacts` made since `--since` (commit 42af24c, the
no-change cache carried between midpoints and shared by the K candidates; earlier shards made more calls for the same
rollouts), one rate per mode, applied to every row of that mode (a trajectory's cost does not depend on the seed or on
how many are rolled out). MAUVE (features: the table's evaluator, against held-out test text) is read the same way:
the row's MAUVE minus the teacher@1024 frontier's at its entropy (`tsdfm.frontier.mauve_on_frontier`). The shaped students' compass calls (a 0.5M-parameter LM on K candidates per midpoint) are on
top and are not counted.

    python paper_figures/probes/equal_cost.py --out paper_figures/equal_cost.md
"""
import argparse, glob, json, re, datetime
from pathlib import Path
import pandas as pd
from tsdfm.config import atomic_write_text
from tsdfm.figures import matched_entropy_table
from tsdfm.results import load_table
from _tables import sections, evaluators_in, ratio

p = argparse.ArgumentParser(); p.add_argument('--results', default='paper_figures/results'); p.add_argument('--out', default='')
p.add_argument('--teacher', default='0d6a6073b1'); p.add_argument('--artifacts', default='artifacts')
p.add_argument('--since', default='2026-12-07T11:03:00')
a = p.parse_args()
t = matched_entropy_table(load_table(a.results), teacher=a.teacher, all_sources=False).data
LABEL = re.compile(r'^(?:(blind) \(trajectory\)|(shaped) \(trajectory, ar-pmi, K=8\))( \[spread\])?(?:, seed (\d+))?$')
RECIPE = re.compile(r'^hard fkl, (\d+) traj x 256 steps, (\d+) it$')

def calls_per_trajectory() -> dict:
    """`{mode: (teacher calls per trajectory, shards, trajectories)}` pooled over the mask teacher's shards (K=1, or K=8
    ar-pmi tau=0) made since `--since`, each batch once (a whole run's targets adopted as one shard overlap the rolled-out ones)."""
    since, tot, shards = datetime.datetime.fromisoformat(a.since).timestamp(), {}, []
    for f in glob.glob(f'{a.artifacts}/targets/trajectory-*/batches-*/targets.json'):
        s = json.loads(Path(f).read_text()); k = s.get('key', {})
        if Path(f).stat().st_mtime < since or not str(k.get('teacher', '')).endswith('teacher-mask-tiny') or k.get('targets') not in ('hard', 'soft'): continue
        mode = 'blind' if k.get('K') == 1 else 'shaped' if (k.get('K'), k.get('compass'), k.get('tau', 0.0)) == (8, 'ar-pmi', 0.0) else None
        if mode is not None: shards.append((Path(f).parent.parent.name, *s['batches'], mode, s))
    covered = set()
    for folder, b0, b1, mode, s in sorted(shards, key=lambda x: (x[2] - x[1], x[0], x[1])):    # the smallest shards first
        if any((folder, b) in covered for b in range(b0, b1)): continue
        covered |= {(folder, b) for b in range(b0, b1)}
        c = tot.setdefault(mode, [0, 0, 0]); c[0] += s['network_calls']; c[1] += 1; c[2] += s['n_trajectories']
    return {m: (calls / n, k, n) for m, (calls, k, n) in tot.items()}

rate = calls_per_trajectory()
rows = []
for _, r in t.iterrows():
    m, n = LABEL.match(r['model']), RECIPE.match(str(r['recipe']))
    if m is None or n is None: continue
    mode, seed, N, it = m[1] or m[2], int(m[4] or 0), int(n[1]), int(n[2])
    cpt = rate[mode][0]
    rows.append(dict(mode=mode, N=N, it=it, seed=seed, order='spread' if m[3] else 'random', evaluator=r['evaluator'], gen_ppl=r['gen_ppl'],
                     ci_low=r['ci_low'], ci_high=r['ci_high'], entropy=r['entropy'], vs_teacher1024=1 + r['vs_teacher1024_frontier'],
                     calls_per_traj=cpt, calls_k=N * cpt / 1000, run_id=r['run_id'], mauve=r['mauve'], mauve_gap=r['mauve_vs_teacher1024_frontier']))
d = pd.DataFrame(rows).sort_values(['order', 'evaluator', 'calls_k', 'it'])
evs, x = evaluators_in(d), ratio
gap = lambda m, g: '—' if m != m else f'{m:.3f}' + (f' ({g:+.3f})' if g == g else '')
spread = lambda v: '—' if v.empty else f'{v.mean():+.3f} [{v.min():+.3f}, {v.max():+.3f}]'
out = [f'# Shaping or more blind trajectories, at equal teacher cost (teacher `{a.teacher}`, mask source)', '',
       'Student@8 at T=1, 256 samples x 64 tokens, token-weighted gen-PPL [95% bootstrap CI], entropy = mean per-sample '
       'unigram entropy (nats), float64 draws; "vs teacher@1024": the row\'s gen-PPL over the teacher@1024 frontier '
       '(random order) at the row\'s own entropy, as T2 reads it (— outside the swept range). Teacher calls: trajectories x '
       'calls per trajectory (from the target stores; the compass\'s calls not counted). Made by '
       '`paper_figures/probes/equal_cost.py`.', '',
       'Teacher calls per trajectory (shards made since ' + a.since + '): ' + ', '.join(f'{m} {v:.1f} ({k} shards, {n} trajectories)' for m, (v, k, n) in sorted(rate.items())) + '.', '']
out += sections(d, evs, '| student | trajectories | iterations | seed | teacher calls (k) | gen-PPL [95% CI] | entropy | vs teacher@1024 | MAUVE (vs teacher@1024) | run |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
                lambda r: f"| {r.mode} | {r.N} | {r.it} | {r.seed} | {r.calls_k:.0f} | {r.gen_ppl:.1f} [{r.ci_low:.1f}, {r.ci_high:.1f}] | "
                          f"{r.entropy:.3f} | {x(r.vs_teacher1024)} | {gap(r.mauve, r.mauve_gap)} | `{r.run_id}` |")
out += ['## Mean over seeds, per (student, trajectories, iterations): vs teacher@1024', '', '| order | evaluator | student | trajectories | iterations | seeds | teacher calls (k) | vs teacher@1024, mean [min, max] | MAUVE minus teacher@1024\'s, mean [min, max] |',
        '|---|---|---|---:|---:|---:|---:|---:|---:|']
for (order, ev, mode, N, it), g in d.groupby(['order', 'evaluator', 'mode', 'N', 'it']):
    v = g['vs_teacher1024'].dropna()
    out.append(f"| {order} | {ev} | {mode} | {N} | {it} | {', '.join(map(str, sorted(g['seed'])))} | {g['calls_k'].mean():.0f} | "
               + ('—' if v.empty else f'{v.mean():.3f}x [{v.min():.3f}, {v.max():.3f}]') + ' | ' + spread(g['mauve_gap'].dropna()) + ' |')
its = sorted(d['it'].unique())
def budget_table(col:str, title:str, fmt) -> list:
    "Rows (order, evaluator, student, trajectories) run at several iteration budgets; a column per budget (the mean where several seeds ran)."
    out = ['', f'## By iteration budget: {title} (the mean where several seeds ran at that budget)', '',
           '| order | evaluator | student | trajectories | teacher calls (k) | ' + ' | '.join(f'{i} it' for i in its) + ' |', '|---|---|---|---:|---:|' + '---:|' * len(its)]
    def cell(h):
        v = h[col].dropna()
        if v.empty: return ''
        if len(h) == 1: return f"{fmt(v.iloc[0])} (seed {h['seed'].iloc[0]})"
        s0 = h[h['seed'] == 0][col].dropna()
        return f"{fmt(v.mean())} ({len(v)} seeds" + (f"; seed 0 {fmt(s0.iloc[0])})" if len(s0) else ')')
    keys = ['order', 'evaluator', 'mode', 'N']
    for (order, ev, mode, N), g in d[d.groupby(keys)['it'].transform('nunique') > 1].groupby(keys):
        out.append(f"| {order} | {ev} | {mode} | {N} | {g['calls_k'].mean():.0f} | " + ' | '.join(cell(g[g['it'] == i]) for i in its) + ' |')
    return out
out += budget_table('vs_teacher1024', 'gen-PPL vs teacher@1024', lambda v: f'{v:.3f}x')
out += budget_table('mauve_gap', "MAUVE minus the teacher@1024 frontier's at the row's entropy", lambda v: f'{v:+.3f}')
out += ['', '## The shaped 256-trajectory students seed by seed over budgets (vs teacher@1024; each seed\'s own targets)', '',
        '| order | evaluator | seed | ' + ' | '.join(f'{i} it' for i in its) + ' |', '|---|---|---:|' + '---:|' * len(its)]
for (order, ev, seed), g in d[(d['mode'] == 'shaped') & (d['N'] == 256)].groupby(['order', 'evaluator', 'seed']):
    if g['it'].nunique() > 1: out.append(f'| {order} | {ev} | {seed} | ' + ' | '.join(x(g[g["it"] == i]["vs_teacher1024"].iloc[0]) if (g['it'] == i).any() else '' for i in its) + ' |')
text = '\n'.join(out) + '\n'
if a.out: atomic_write_text(a.out, text)
print(text)

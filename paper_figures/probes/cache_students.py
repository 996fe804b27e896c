"""Uniform students from exact and from cached (no-change cache, inexact on this time-conditioned teacher) teacher rollouts.

Reads the four runs `20261207-amd-uniform-{shaped-arpmi-K8,blind}-traj256-hard-seed1-{exact,cached}` (trajectory scheme,
hard targets, forward KL, 256 trajectories x 256 teacher steps, 600 iterations, seed 1; shaped: `ar-pmi`, K=8, tau=0;
teacher `c485dfc9be`): each student@8 at T=1 in both orders, read at its own entropy (`tsdfm.frontier.ppl_on_frontier`,
log-linear, never extrapolated) on the teacher@1024 frontier (random order, every swept temperature in the results) and
on its own blind student's frontier (same rollouts kind, same order). Each run is read from its own file: the cached
runs' students live in another artifacts folder under the same folder names, which `load_table` would take for reruns
of one student; the cached runs' rows are kept in `results/probes/` (outside the results table, where they would
replace the exact runs' rows of the same key). Writes a markdown table.

    python paper_figures/probes/cache_students.py --out paper_figures/cache_students.md
"""
import argparse
import pandas as pd
from tsdfm.config import atomic_write_text
from tsdfm.frontier import ppl_on_frontier
from tsdfm.results import load_table

p = argparse.ArgumentParser(); p.add_argument('--results', default='paper_figures/results'); p.add_argument('--out', default='')
p.add_argument('--teacher', default='c485dfc9be'); a = p.parse_args()
df = load_table(a.results)
run = lambda mode, kind: f"20261207-amd-uniform-{'shaped-arpmi-K8' if mode == 'shaped' else 'blind'}-traj256-hard-seed1-{kind}"
t1024 = df[(df.role == 'teacher') & (df.steps == 1024) & (df.sampler.fillna('random') == 'random') & df.teacher_id.astype(str).str.startswith(a.teacher)]
own = lambda mode, kind: (lambda d: d[d.steps == 8])(load_table(f"{a.results}/{'probes/' if kind == 'cached' else ''}{run(mode, kind)}.jsonl"))
out = []
for kind in ('exact', 'cached'):
    for mode in ('blind', 'shaped'):
        d = own(mode, kind)
        for order in ('random', 'spread'):
            for ev in ('ar-small', 'ar-large', 'smollm2'):
                g = d[(d.sampler == order) & (d.evaluator == ev)]
                r = g[g.temperature == 1.0]
                if r.empty: continue
                r = r.iloc[-1]
                b = own('blind', kind); b = b[(b.sampler == order) & (b.evaluator == ev)]
                out.append({'rollouts': kind, 'student': mode, 'order': order, 'evaluator': ev, 'gen_ppl': r.gen_ppl, 'ci': f'[{r.ci_low:.1f}, {r.ci_high:.1f}]',
                            'entropy': r.entropy, 'mauve': r.mauve if ev == 'smollm2' else float('nan'),
                            'vs_teacher1024': r.gen_ppl / ppl_on_frontier(t1024[t1024.evaluator == ev], r.entropy),
                            'vs_blind': r.gen_ppl / ppl_on_frontier(b, r.entropy) if mode == 'shaped' else float('nan')})
t = pd.DataFrame(out)
fmt = lambda v, f='{:.3f}x': '—' if v != v else f.format(v)
lines = ['# Uniform students from exact and from cached teacher rollouts (seed 1, 256 trajectories)', '', __doc__.split('\n\n')[0].strip(), '',
         '| rollouts | student | order | gen-PPL ar-small [95% CI] | entropy | vs teacher@1024 (ar-small / ar-large / SmolLM2) | vs blind, same rollouts and order | MAUVE (SmolLM2) |',
         '|---|---|---|---:|---:|---:|---:|---:|']
for (kind, mode, order), g in t.groupby(['rollouts', 'student', 'order'], sort=False):
    s = g.set_index('evaluator')
    lines.append(f"| {kind} | {mode} | {order} | {s.loc['ar-small', 'gen_ppl']:.1f} {s.loc['ar-small', 'ci']} | {s.loc['ar-small', 'entropy']:.3f} | "
                 + ' / '.join(fmt(s.loc[e, 'vs_teacher1024']) for e in ('ar-small', 'ar-large', 'smollm2')) + ' | '
                 + ' / '.join(fmt(s.loc[e, 'vs_blind']) for e in ('ar-small', 'ar-large', 'smollm2')) + f" | {fmt(s.loc['smollm2', 'mauve'], '{:.3f}')} |")
md = '\n'.join(lines) + '\n'
print(md)
if a.out: atomic_write_text(a.out, md)

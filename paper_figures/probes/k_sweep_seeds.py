"""The K sweep of the mask recipe, seed by seed: does K=16 beat K=8 by more than the seeds differ?

Reads T2's records (`tsdfm.figures.matched_entropy_table`, so every ratio is the one T2 prints: the row's gen-PPL over a
frontier read at the row's own entropy, log-linear, never extrapolated; MAUVE minus the teacher@1024 frontier's MAUVE at
that entropy, `tsdfm.frontier.mauve_on_frontier`) for teacher `0d6a6073b1` and the recipe
`hard fkl, 256 traj x 256 steps, 600 it` (trajectory scheme, `ar-pmi` compass, tau=0): the blind student (K=1) and the
shaped students of every K and seed in the results, at T=1 in both orders, under every evaluator. "vs blind" is against
the blind student of the same seed (same order). Writes a markdown file: the rows, then per K the mean and spread over
seeds, then K=16 minus K=8 seed by seed (paired: one seed's two students share its blind student and its streams).

    python paper_figures/probes/k_sweep_seeds.py --out paper_figures/k_sweep_seeds.md
"""
import argparse, re
import pandas as pd
from tsdfm.config import atomic_write_text
from tsdfm.figures import matched_entropy_table
from tsdfm.results import load_table
from _tables import sections, evaluators_in, ratio

p = argparse.ArgumentParser(); p.add_argument('--results', default='paper_figures/results'); p.add_argument('--out', default='')
p.add_argument('--teacher', default='0d6a6073b1'); p.add_argument('--recipe', default='hard fkl, 256 traj x 256 steps, 600 it')
a = p.parse_args()
t = matched_entropy_table(load_table(a.results), teacher=a.teacher, all_sources=False).data
LABEL = re.compile(r'^(?:blind \(trajectory\)|shaped \(trajectory, ar-pmi, K=(\d+)\))( \[spread\])?(?:, seed (\d+))?$')

def parse(row):
    m = LABEL.match(row['model'])
    return None if m is None else (int(m[1] or 1), 'spread' if m[2] else 'random', int(m[3] or 0))

rows = []
for _, r in t[t['recipe'] == a.recipe].iterrows():
    if (k := parse(r)) is None: continue
    rows.append(dict(K=k[0], order=k[1], seed=k[2], evaluator=r['evaluator'], gen_ppl=r['gen_ppl'], ci_low=r['ci_low'], ci_high=r['ci_high'],
                     entropy=r['entropy'], n=int(r['n_samples']), vs_teacher1024=1 + r['vs_teacher1024_frontier'],
                     vs_blind=1 + r['vs_blind_frontier'] if k[0] > 1 else float('nan'), mauve=r['mauve'], mauve_gap=r['mauve_vs_teacher1024_frontier'], run_id=r['run_id']))
d = pd.DataFrame(rows).sort_values(['order', 'evaluator', 'K', 'seed'])
evs, x = evaluators_in(d), ratio

out = [f'# The K sweep seed by seed (teacher `{a.teacher}`, {a.recipe}, `ar-pmi`, tau=0; mask source)', '',
       'Student@8 at T=1; ratios at the row\'s own entropy on the teacher@1024 frontier (random order) and on the same seed\'s '
       'blind student\'s frontier (same order), as T2 reads them (— outside the swept range). 256 samples x 64 tokens, '
       'token-weighted gen-PPL [95% bootstrap CI], entropy = mean per-sample unigram entropy (nats), float64 draws. '
       'Made by `paper_figures/probes/k_sweep_seeds.py` from `paper_figures/results`.', '']
out += sections(d, evs, '| K | seed | gen-PPL [95% CI] | entropy | vs teacher@1024 | vs blind (same seed) | MAUVE (this evaluator\'s features; vs teacher@1024) | run |\n|---:|---:|---:|---:|---:|---:|---:|---|',
                lambda r: f"| {r.K} | {r.seed} | {r.gen_ppl:.1f} [{r.ci_low:.1f}, {r.ci_high:.1f}] | {r.entropy:.3f} | {x(r.vs_teacher1024)} | {x(r.vs_blind)} | "
                          f"{'—' if r.mauve != r.mauve else f'{r.mauve:.3f}' + ('' if r.mauve_gap != r.mauve_gap else f' ({r.mauve_gap:+.3f})')} | `{r.run_id}` |")
out += ['## Over seeds: mean (sd) [min, max] of the ratios', '', '| order | evaluator | K | seeds | vs teacher@1024 | vs blind | MAUVE minus teacher@1024\'s at that entropy |', '|---|---|---:|---:|---:|---:|---:|']
agg = lambda v, f='{:.3f}': '—' if v.dropna().empty else f'{f.format(v.mean())} ({v.std():.3f}) [{f.format(v.min())}, {f.format(v.max())}]'
for (order, ev, K), g in d.groupby(['order', 'evaluator', 'K']):
    out.append(f"| {order} | {ev} | {K} | {', '.join(map(str, sorted(g['seed'])))} | {agg(g['vs_teacher1024'])} | {agg(g['vs_blind'])} | {agg(g['mauve_gap'], '{:+.3f}')} |")
for col, title, scale in (('vs_teacher1024', 'ratio points vs the teacher@1024 frontier; negative: K=16 lower', 100),
                          ('mauve_gap', "MAUVE minus the teacher@1024 frontier's, in hundredths; positive: K=16 closer to the text", 100)):
    out += ['', f'## K=16 minus K=8, seed by seed ({title})', '',
            '| order | evaluator | ' + ' | '.join(f'seed {s}' for s in sorted(d['seed'].unique())) + ' | mean | seeds K=16 better |', '|---|---|' + '---:|' * (d['seed'].nunique() + 2)]
    for (order, ev), g in d.groupby(['order', 'evaluator']):
        w = g.pivot_table(index='seed', columns='K', values=col)
        if not {8, 16} <= set(w.columns): continue
        diff = (w[16] - w[8]).dropna()
        cells = [f'{scale * diff[s]:+.1f}' if s in diff.index else '—' for s in sorted(d['seed'].unique())]
        better = (diff < 0).sum() if col == 'vs_teacher1024' else (diff > 0).sum()
        out.append(f"| {order} | {ev} | {' | '.join(cells)} | {scale * diff.mean():+.1f} | {better} of {len(diff)} |")
text = '\n'.join(out) + '\n'
if a.out: atomic_write_text(a.out, text)
print(text)

"""One distillation recipe on three sources: where does an 8-step student land against its own teacher at matched entropy?

The uniform source's best recipe (trajectory scheme, soft targets, reverse KL, 1024 trajectories x 256 teacher steps,
600 iterations, seed 0; shaped: the `ar` compass, K=8, tau=0) distilled from three teachers of one recipe (tiny, 1450
steps x 64 x 64 tokens, lr 2e-3, seed 0, same corpus and tokenizer), one per source. Each student@8 at T=1, sampled in
the path's random order and in the spread order, read at its own entropy against the frontiers T2 reads it against
(`tsdfm.figures.matched_entropy_table`, the one frontier module: log-linear, never extrapolated; — outside the swept
range): its teacher@1024 in the random order and in the student's order, its teacher@8 in the student's order, and its
blind student in the same order (the shaped row only; and the other way round: the shaped student's own frontier at
the blind student's T=1 entropy). Issue 14's goal: <= 0.85x teacher@1024 and <= 0.9x blind under all three evaluators,
entropy at T=1 >= 0.95x teacher@1024's.

    python paper_figures/probes/one_recipe.py --teachers mask=0d6a6073b1,mixed=c843347bd0,uniform=c485dfc9be [--out paper_figures/one_recipe.md]
    python paper_figures/probes/one_recipe.py --recipe 'hard fkl, 1024 traj x 256 steps, 600 it' --compass ar-pmi --seeds 0,1 --out paper_figures/one_recipe_arpmi.md
"""
import argparse
import pandas as pd
from tsdfm.figures import matched_entropy_table
from tsdfm.config import atomic_write_text
from tsdfm.frontier import ppl_on_frontier
from tsdfm.results import at_temperature, load_table

RECIPE = 'soft rkl, 1024 traj x 256 steps, 600 it'
NUMBER = {1: 'one', 2: 'two', 3: 'three'}

def frontier(df:pd.DataFrame, teacher_id:str, evaluator:str) -> pd.DataFrame:
    "T2's teacher@1024 (random order) temperature sweep of one teacher under one evaluator."
    d = df[(df['role'] == 'teacher') & (df['steps'] == 1024) & (df['sampler'].fillna('random') == 'random') & (df['evaluator'] == evaluator)]
    return d[d['teacher_id'].astype(str).str.startswith(teacher_id)]

def rows(results:str, ids:dict, recipe:str=RECIPE, compass:str='ar', K:int=8, seeds=(0,), against:str='mask') -> pd.DataFrame:
    """T2's records of the `recipe`'s blind and shaped (`compass`, `K`) students (both orders, the `seeds` asked for) of the
    teachers `ids` (source -> teacher id), each also read against the `against` source's teacher@1024 frontier (random
    order) at its own entropy: a weak teacher's frontier flatters its students."""
    df = load_table(results)
    t = matched_entropy_table(df, teacher=','.join(ids.values())).data
    t['seed'] = t['model'].str.extract(r', seed (\d+)$', expand=False).fillna('0').astype(int)
    base = t['model'].str.replace(r', seed \d+$', '', regex=True).str.replace(' [spread]', '', regex=False)
    models = ('blind (trajectory)', f'shaped (trajectory, {compass}, K={K})')
    t = t[(t['recipe'] == recipe) & base.isin(models) & t['seed'].isin(list(seeds))].copy()
    t['order'] = t['model'].str.contains(r'\[spread\]').map({True: 'spread', False: 'random'})
    t['student'] = t['model'].str.split(' ').str[0]
    t.loc[t['student'] == 'blind', 'vs_blind_frontier'] = float('nan')          # (a blind student against itself)
    t1 = at_temperature(df[(df['role'] == 'teacher') & (df['steps'] == 1024) & (df['sampler'] == 'random')], 1.0)
    ent = {s: t1[t1['teacher_id'].astype(str).str.startswith(i)]['entropy'].mean() for s, i in ids.items()}
    t['entropy_vs_teacher1024'] = t['entropy'] / t['source'].map(ent)
    if against in ids:
        fr = {ev: frontier(df, ids[against], ev) for ev in t['evaluator'].unique()}
        t['vs_against_frontier'] = [r['gen_ppl'] / ppl_on_frontier(fr[r['evaluator']], r['entropy']) - 1 for _, r in t.iterrows()]
    return t

def markdown(t:pd.DataFrame, ids:dict, recipe:str=RECIPE, compass:str='ar', K:int=8, against:str='mask') -> str:
    x = lambda v: '—' if v != v else f'{1 + v:.3f}x'
    seeds, n_src = sorted(t['seed'].unique()), t['source'].nunique()
    out = [f'# One recipe, {NUMBER.get(n_src, n_src)} sources: student@8 at T=1 against its own teacher at matched entropy', '',
           f'Recipe: trajectory scheme, {recipe}, seed {", ".join(map(str, seeds))}; shaped: `{compass}` compass, K={K}, tau=0. Teachers: '
           + ', '.join(f'{k} `{v}`' for k, v in ids.items()) + '. Ratios are gen-PPL over the frontier at the row\'s own '
           'entropy (— outside the swept range); "own frontier at blind\'s entropy" reads the shaped student\'s frontier '
           'at its blind student\'s T=1 entropy (same seed), against that blind row; the last column reads every row against the '
           f'{against} teacher\'s teacher@1024 frontier (random order). Entropy ratio: against teacher@1024 at T=1 (random order).', '']
    for ev in ('ar-small', 'ar-large', 'smollm2'):
        s = t[t['evaluator'] == ev]
        if s.empty: continue
        out += [f'## {ev}', '', '| source | seed | student | order | gen-PPL [95% CI] | entropy (x teacher@1024) | n | vs teacher@1024 | '
                'vs teacher@1024, same order | vs teacher@8, same order | vs blind, same order | own frontier at blind\'s entropy | '
                f'vs {against} teacher@1024 |', '|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|']
        for _, r in s.sort_values(['source', 'seed', 'order', 'student']).iterrows():
            out.append(f"| {r['source']} | {r['seed']} | {r['student']} | {r['order']} | {r['gen_ppl']:.1f} [{r['ci_low']:.1f}, {r['ci_high']:.1f}] | "
                       f"{r['entropy']:.3f} ({r['entropy_vs_teacher1024']:.3f}) | {r['n_samples']:.0f} | {x(r['vs_teacher1024_frontier'])} | "
                       f"{x(r['vs_teacher1024_same_order_frontier'])} | {x(r['vs_teacher8_frontier'])} | {x(r['vs_blind_frontier'])} | "
                       f"{x(r['vs_blind_at_blind_entropy'])} | {x(r.get('vs_against_frontier', float('nan')))} |")
        out.append('')
    return '\n'.join(out)

if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--results', default='paper_figures/results')
    p.add_argument('--teachers', default='mask=0d6a6073b1,mixed=c843347bd0,uniform=c485dfc9be')
    p.add_argument('--recipe', default=RECIPE)
    p.add_argument('--compass', default='ar')
    p.add_argument('--K', type=int, default=8)
    p.add_argument('--seeds', default='0', help='comma-separated seeds')
    p.add_argument('--against', default='mask', help='the source whose teacher@1024 frontier every row is also read against')
    p.add_argument('--out', default='')
    a = p.parse_args()
    ids = dict(x.split('=') for x in a.teachers.split(','))
    kw = dict(recipe=a.recipe, compass=a.compass, K=a.K, against=a.against)
    md = markdown(rows(a.results, ids, seeds=[int(v) for v in a.seeds.split(',')], **kw), ids, **kw)
    if a.out: atomic_write_text(a.out, md + '\n')
    print(md)

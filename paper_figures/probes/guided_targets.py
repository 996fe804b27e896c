"""Distilling the guided sampler: students whose targets are the compass-guided teacher's own few-step trajectories
(`--trajectory_steps 16 --trajectory_sampler spread --K 8 --tau 0`: each of the 16 teacher steps draws K=8 candidate
jumps from one posterior and the `ar-pmi` compass keeps one, i.e. the guided teacher@16 in the spread order; with
`--n_midpoints 8 --trajectory_steps 8` the guided teacher@8 itself, learned step for step), their blind controls (the same
few-step trajectories, K=1), at 1024 and 4096 trajectories (4096 also at 1200 iterations), and the students of the 256-step shaped recipe they are meant to replace (1024 trajectories,
K=8, tau=0, seeds 0-1), against the plain and guided teachers at 8 and 16 steps. Mask source, teacher `0d6a6073b1`;
`--source uniform --teacher c485dfc9be` for the uniform teacher (its frontiers at 16 steps were not run).

Every row at T=1, 256 samples x 64 tokens, token-weighted gen-PPL [95% bootstrap CI], entropy = mean per-sample unigram
entropy (nats), float64 draws. Each "vs" column is the row's gen-PPL over a temperature frontier read at the row's own
entropy (`tsdfm.frontier.ppl_on_frontier`: log-linear, never extrapolated, — outside the sweep). MAUVE (features: the
table's evaluator, against held-out test text) with, in brackets, minus the teacher@1024 frontier's at the row's entropy.
Target cost: network and compass calls per trajectory and seconds per trajectory from the student's `targets.json`
(indicative: the rollouts shared the two cores with another job).

    python paper_figures/probes/guided_targets.py --out paper_figures/guided_targets.md
    python paper_figures/probes/guided_targets.py --source uniform --teacher c485dfc9be --out paper_figures/guided_targets_uniform.md
"""
import json, re
from pathlib import Path
import numpy as np, pandas as pd
from tsdfm.frontier import ppl_on_frontier, mauve_on_frontier
from tsdfm.results import at_temperature
from _tables import frontier_sections, finish, probe_args, teacher_frontier

a, d = probe_args(('--root', '.'))
FRONTIERS = {'teacher@1024': (1024, 'random'), 'teacher@1024 spread': (1024, 'spread'), 'teacher@16 spread': (16, 'spread'), 'guided teacher@8 spread': (8, 'spread-guided-ar-pmi-K8'),
             'guided teacher@16 spread': (16, 'spread-guided-ar-pmi-K8')}
RECIPE = re.compile(r'^hard fkl, (\d+) traj x (256|16|8) steps(?:, (\d+) midpoints)?(?:, spread teacher)?, (\d+) it$')
TEACHERS = [(8, 'spread'), (16, 'spread'), (8, 'spread-guided-ar-pmi-K8'), (16, 'spread-guided-ar-pmi-K8')]


def frontier(ev, steps, sampler): return teacher_frontier(d, ev, steps, sampler)


def target_cost(ck) -> tuple:
    f = Path(a.root)/str(ck)/'targets.json'
    if not f.exists(): return (np.nan, np.nan, np.nan)
    s = json.loads(f.read_text()); n = s['n_trajectories']
    compass = s['K'] * s['n_midpoints'] if s['K'] > 1 else 0                   # one compass call per candidate per midpoint (tau=0)
    return (s['calls_per_trajectory'], compass, s['seconds']['total'] / n)


def label(r) -> str:
    if r['role'] == 'teacher': return f"{'guided ' if 'guided' in r['sampler'] else ''}teacher@{int(r['steps'])} spread"
    n, steps, mids, it = RECIPE.match(r['recipe']).groups()
    src = {'256': '256-step shaped rollouts', '16': 'teacher@16 spread', '8': 'teacher@8 spread'}[steps]
    if steps != '256' and r['role'] == 'student_shaped': src = 'guided ' + src
    if steps != '256' and r['role'] == 'student_blind': src = 'plain ' + src
    return f"student of {src}, {n} traj{'' if it == '600' else f', {it} it'}, seed {int(r['seed'])} ({r['sampler']})"


one = at_temperature(d, 1.0)
teach = one[(one['role'] == 'teacher') & one[['steps', 'sampler']].apply(tuple, axis=1).isin(TEACHERS)]
stud = one[one['role'].str.startswith('student') & (one['steps'] == 8) & one['sampler'].isin(['random', 'spread'])
           & one['recipe'].astype(str).str.match(RECIPE.pattern) & (one['K'].isin([8]) | (one['role'] == 'student_blind'))
           & (one['tau'].fillna(0) == 0)]
stud = stud[~stud['recipe'].str.contains('x 256 steps') | ((stud['role'] == 'student_shaped') & stud['recipe'].str.startswith('hard fkl, 1024 traj'))]   # the 256-step recipe: its 1024-trajectory shaped students
recs = []
for _, r in pd.concat([teach, stud]).iterrows():
    e, ev = float(r['entropy']), r['evaluator']
    calls, comp, spt = target_cost(r['checkpoint']) if r['role'] != 'teacher' else (np.nan,) * 3
    rec = dict(model=label(r), evaluator=ev, gen_ppl=r['gen_ppl'], ci=(r['ci_low'], r['ci_high']), entropy=e, nfe=r['nfe'],
               mauve=r.get('mauve', np.nan), run_id=r['run_id'], calls=calls, comp=comp, spt=spt,
               mauve_gap=r.get('mauve', np.nan) - mauve_on_frontier(frontier(ev, 1024, 'random'), e, like=r))
    for k, (s, smp) in FRONTIERS.items(): rec[k] = r['gen_ppl'] / ppl_on_frontier(frontier(ev, s, smp), e)
    recs.append(rec)
t = pd.DataFrame(recs)
t['order'] = t['model'].map(lambda m: (not m.startswith(('teacher', 'guided teacher')), m.endswith('(random)'), m))
t = t.sort_values('order')
num = lambda v, f: '—' if v != v else format(v, f)
out = [f'# Distilling the guided sampler (teacher `{a.teacher}`, {a.source} source)', '',
       'T=1, 256 samples x 64 tokens, token-weighted gen-PPL [95% bootstrap CI], entropy = mean per-sample unigram entropy (nats); '
       '"vs X": gen-PPL over X\'s temperature frontier at the row\'s entropy (— outside its sweep); MAUVE against held-out test '
       'text with the table\'s evaluator as features, in brackets minus the teacher@1024 frontier\'s at that entropy. Students: '
       'hard targets, forward KL, 600 iterations unless said, 8 steps at inference; guided targets and rows: `ar-pmi` '
       'compass, K=8, tau=0. Target cost per trajectory: teacher network calls (the no-change cache where exact), compass calls, '
       'seconds (indicative).', '']
head = ('| model | gen-PPL [95% CI] | entropy | NFE | ' + ' | '.join(f'vs {k}' for k in FRONTIERS)
        + ' | MAUVE (vs teacher@1024) | target calls / compass calls / s per trajectory | run |\n|---|---:|---:|---:|'
        + '---:|' * len(FRONTIERS) + '---:|---:|---|')
out += frontier_sections(t, FRONTIERS, head, lambda r: f" | {num(r.calls, '.1f')} / {num(r.comp, '.0f')} / {num(r.spt, '.2f')} | `{r.run_id}` |")
finish(out, 'guided_targets.py', a.results, a.out)

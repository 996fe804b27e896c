"""The compass at inference: the teacher's own 8-step sampler guided by the `ar-pmi` compass (K=8 candidate jumps per
step from the one posterior, the compass keeps one: `tsdfm.shaper.GuidedSampler`), against the distilled students of the
same compass (1024 trajectories, K=8, tau=0, hard fkl, 600 iterations, seeds 0-1) and students guided the same way
(shaped: 1024 trajectories, 1200 iterations, seed 0, also with K=16, and 600 iterations, seed 1; blind: 2048
trajectories, 600 iterations, seed 0). Guided rows are sampled with seed 0 (`nbs/evaluate.ipynb`'s default); a student's
label names the seed it was trained with.
Mask source, teacher `0d6a6073b1`; `--source uniform --teacher c485dfc9be` for the uniform teacher (its own students).

Every row at T=1, 256 samples x 64 tokens, token-weighted gen-PPL [95% bootstrap CI], entropy = mean per-sample unigram
entropy (nats), float64 draws. Each ratio is the row's gen-PPL over a temperature frontier read at the row's own entropy
(`tsdfm.frontier.ppl_on_frontier`: log-linear, never extrapolated, — outside the sweep): teacher@1024 in the path's own
random order and in the spread order, teacher@8 in the spread order, and the guided teacher@8 in the spread order.
MAUVE (features: the table's evaluator, against held-out test text) with, in brackets, the row's MAUVE minus the
teacher@1024 frontier's at its entropy (`tsdfm.frontier.mauve_on_frontier`). Seconds per sample are the rows' own
(indicative: timed while other jobs shared the two cores; `bench_speed --guide` times them cleanly).

    python paper_figures/probes/guided.py --out paper_figures/guided.md
    python paper_figures/probes/guided.py --source uniform --teacher c485dfc9be --out paper_figures/guided_uniform.md
"""
import re
import numpy as np, pandas as pd
from tsdfm.frontier import ppl_on_frontier, mauve_on_frontier
from tsdfm.results import at_temperature
from _tables import frontier_sections, finish, probe_args, teacher_frontier

a, d = probe_args(('--recipe', 'hard fkl, 1024 traj x 256 steps, 600 it'))
FRONTIERS = {'teacher@1024': (1024, 'random'), 'teacher@1024 spread': (1024, 'spread'), 'teacher@8 spread': (8, 'spread'),
             'guided teacher@8 spread': (8, 'spread-guided-ar-pmi-K8')}


RECIPE = re.compile(r'^hard fkl, (\d+) traj x 256 steps, (\d+) it$')


def frontier(ev, steps, sampler): return teacher_frontier(d, ev, steps, sampler)


def label(r) -> str:
    if r['role'] == 'teacher': return f"teacher@8 ({r['sampler']})"
    who = 'shaped' if r['role'] == 'student_shaped' else 'blind'
    n, it = RECIPE.match(str(r['recipe'])).groups()
    return f"{who} student, {n} traj, {it} it, seed {TRAINED_SEED.get(r['checkpoint'], int(r['seed']))} ({r['sampler']})"


one = at_temperature(d, 1.0)
one = one[(one['steps'] == 8) & (one['K'].isin([8, np.nan]) | (one['role'] != 'student_shaped')) & (one['tau'].fillna(0) == 0)]
guided = one['sampler'].astype(str).str.contains('-guided-')
student = one['role'].str.startswith('student')
ck = set(one.loc[guided & student, 'checkpoint'])                            # the guided students, and the same students unguided
pick = one[((one['role'] == 'teacher') & (one['sampler'].isin(['random', 'spread']) | guided)) | (student & guided)
           | (student & (one['sampler'] == 'spread') & ((one['recipe'] == a.recipe) | one['checkpoint'].isin(ck)))]
plain_runs = pick[pick['role'].str.startswith('student') & ~pick['sampler'].astype(str).str.contains('-guided-')]
TRAINED_SEED = dict(zip(plain_runs['checkpoint'], plain_runs['seed'].astype(int)))   # a guided row's seed is its sampling seed (EvalJob's); the run's is the training seed
recs = []
for _, r in pick.iterrows():
    e, ev = float(r['entropy']), r['evaluator']
    rec = dict(model=label(r), evaluator=ev, n=int(r['n_samples']), gen_ppl=r['gen_ppl'], ci=(r['ci_low'], r['ci_high']), entropy=e,
               nfe=r['nfe'], sps=r['seconds_per_sample'], mauve=r.get('mauve', np.nan), run_id=r['run_id'],
               mauve_gap=r.get('mauve', np.nan) - mauve_on_frontier(frontier(ev, 1024, 'random'), e, like=r))
    for k, (s, smp) in FRONTIERS.items(): rec[k] = r['gen_ppl'] / ppl_on_frontier(frontier(ev, s, smp), e)
    recs.append(rec)
t = pd.DataFrame(recs)
t['order'] = t['model'].map(lambda m: (not m.startswith('teacher'), 'guided' in m, m))
t = t.sort_values('order')
out = [f'# The compass at inference against the distilled students (teacher `{a.teacher}`, {a.source} source)', '',
       'T=1, 256 samples x 64 tokens, token-weighted gen-PPL [95% bootstrap CI], entropy = mean per-sample unigram entropy '
       '(nats); "vs X": gen-PPL over X\'s temperature frontier at the row\'s entropy (— outside its sweep); MAUVE against '
       'held-out test text with the table\'s evaluator as features, in brackets minus the teacher@1024 frontier\'s at that '
       f'entropy. Students: `ar-pmi` K=8 tau=0 (shaped), hard fkl, 256 teacher steps, sampled in the spread order (a `-guided-` rule: '
       'guided by the compass at inference too). Guided rows: K=8 candidate jumps per step, `ar-pmi` compass, tau=0: 8 network calls '
       'and 64 compass calls per sample. s/sample: the rows\' own timing (indicative, shared cores).', '']
head = ('| model | gen-PPL [95% CI] | entropy | NFE | vs teacher@1024 | vs teacher@1024 spread | vs teacher@8 spread | '
        'vs guided teacher@8 spread | MAUVE (vs teacher@1024) | s/sample | run |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
out += frontier_sections(t, FRONTIERS, head, lambda r: f" | {r.sps:.3f} | `{r.run_id}` |")
finish(out, 'guided.py', a.results, a.out)
